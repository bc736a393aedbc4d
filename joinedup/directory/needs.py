"""JoinedUp's own taxonomy of needs: what a service helps children, young people and families
with, in the words practitioners in the research used for the services they work alongside
(mentoring, learning mentors, holiday play schemes, outward-bound activities, youth clubs,
parenting support...). Each term carries the kind of support it gives (plans.Purpose), so a
service chosen for a plan brings its purpose with it and the duplication flags can compare it.

Terms are matched on their code, so running this again renames or re-describes a term in place
and never duplicates one; terms added by an import or by hand are left as they are."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from joinedup.core import audit
from joinedup.core.models import AuditVerb
from joinedup.directory.models import Service, Taxonomy, TaxonomyTerm
from joinedup.directory.search_text import search_text_refresh
from joinedup.plans.models import Purpose

NEEDS_TAXONOMY = "Needs of children and young people"
NEEDS_URI = "https://joinedup.example.org/taxonomies/needs"
NEEDS_VERSION = "1"


@dataclass(frozen=True)
class Need:
    code: str
    name: str
    description: str
    purpose: Purpose


NEEDS: tuple[Need, ...] = (
    Need(
        "mentoring",
        "Mentoring",
        "A trusted adult or older young person meets them regularly, one to one.",
        Purpose.MENTORING,
    ),
    Need(
        "learning-support",
        "Learning support",
        "Help with school work and learning: learning mentors, homework clubs, supplementary "
        "schools.",
        Purpose.LEARNING,
    ),
    Need(
        "back-into-school",
        "Getting back into school",
        "Going to school regularly again after absence or exclusion, with the school and the "
        "family.",
        Purpose.LEARNING,
    ),
    Need(
        "parenting",
        "Parenting support",
        "Courses and groups for parents and carers, and help at home with routines and boundaries.",
        Purpose.FAMILY,
    ),
    Need(
        "family-support",
        "Family support",
        "A family support worker helps the whole family with what is getting harder.",
        Purpose.FAMILY,
    ),
    Need(
        "emotional-wellbeing",
        "Emotional wellbeing",
        "Someone to talk to about worries, anger, low mood or anxiety; counselling.",
        Purpose.WELLBEING,
    ),
    Need(
        "bereavement",
        "Bereavement",
        "Support after someone close has died.",
        Purpose.WELLBEING,
    ),
    Need(
        "sport",
        "Sport",
        "Football, cricket, boxing, swimming and other sport, with coaches.",
        Purpose.ACTIVITIES,
    ),
    Need(
        "outdoor-adventure",
        "Outdoor and adventure",
        "Outward-bound activities, residential trips, climbing, canoeing and camping.",
        Purpose.ACTIVITIES,
    ),
    Need(
        "arts",
        "Arts, music and drama",
        "Making music, dance, drama, art and media.",
        Purpose.ACTIVITIES,
    ),
    Need(
        "youth-club",
        "Youth club and play",
        "Open-access youth clubs, adventure playgrounds, holiday play schemes and drop-ins.",
        Purpose.ACTIVITIES,
    ),
    Need(
        "drugs-alcohol",
        "Drugs and alcohol",
        "Advice and support about drugs, alcohol and smoking, for young people and families.",
        Purpose.HEALTH,
    ),
    Need(
        "sexual-health",
        "Sexual health and relationships",
        "Confidential advice on sexual health and healthy relationships.",
        Purpose.HEALTH,
    ),
    Need(
        "staying-safe",
        "Staying safe",
        "Keeping safe in the street, online and at home; support away from exploitation and crime.",
        Purpose.SAFETY,
    ),
    Need(
        "anti-bullying",
        "Bullying and racist incidents",
        "Support for children who are bullied or targeted because of who they are.",
        Purpose.SAFETY,
    ),
    Need(
        "housing",
        "Housing",
        "Advice for families about their home, repairs, moving and homelessness.",
        Purpose.HOUSING,
    ),
    Need(
        "money",
        "Money and benefits",
        "Advice on benefits, debts and saving, for example through a credit union.",
        Purpose.HOUSING,
    ),
    Need(
        "careers-training",
        "Careers and training",
        "Advice on careers, training, apprenticeships and first jobs.",
        Purpose.CAREERS,
    ),
)


def needs_taxonomy() -> Taxonomy | None:
    return Taxonomy.objects.filter(uri=NEEDS_URI).first()


@transaction.atomic
def needs_ensure_defaults(*, actor: object = None) -> dict[str, TaxonomyTerm]:
    """Create JoinedUp's needs taxonomy and its terms, or bring them back to these words.
    Returns the terms by code, for whoever loads services with them."""
    taxonomy, created = Taxonomy.objects.update_or_create(
        uri=NEEDS_URI,
        defaults={
            "name": NEEDS_TAXONOMY,
            "description": (
                "What a service helps children, young people and families with. Each need "
                "says what kind of support it is, so plans can notice the same support twice."
            ),
            "version": NEEDS_VERSION,
        },
    )
    existing = {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
    terms: dict[str, TaxonomyTerm] = {}
    changed: list[str] = []
    for need in NEEDS:
        wanted = {
            "name": need.name,
            "description": need.description,
            "purpose": need.purpose.value,
            "term_uri": f"{NEEDS_URI}/{need.code}",
        }
        term = existing.get(need.code)
        if term is None:
            term = TaxonomyTerm.objects.create(taxonomy=taxonomy, code=need.code, **wanted)
            changed.append(need.code)
        elif any(getattr(term, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(term, name, value)
            term.save()
            changed.append(need.code)
        terms[need.code] = term
    if changed:
        search_text_refresh(
            Service.objects.filter(
                service_terms__term__taxonomy=taxonomy, service_terms__term__code__in=changed
            ).distinct()
        )
    if created or changed:
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
            target=taxonomy,
            fields=["terms"],
            detail={"terms": changed},
        )
    return terms
