"""Every change to a child's assessment and their "Over to You", one function per use case, each
in one transaction with its audit entry. Only the team around the child may write, and only
while the family's consent to an assessment is in force: a withdrawal stops work at once."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from joinedup.assessments import selectors
from joinedup.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Domain,
    DomainRating,
    OverToYou,
    Rating,
    Respondent,
    SeriousHarm,
)
from joinedup.assessments.questionnaires import statements_for
from joinedup.children.models import Child, HouseholdMember
from joinedup.children.need_to_know import sees_identity
from joinedup.consent.models import Scope
from joinedup.consent.services import ConsentRequired, require_consent
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Organisation
from joinedup.panels.selectors import panel_serving


class AssessmentError(FieldError):
    """Bad input to an assessment service, naming the form field at fault."""


# The default list: key, name and the hint shown on the rating page. Migration 0002 added the
# same domains to every new database.
ONSET_DOMAINS: tuple[tuple[str, str, str], ...] = (
    (
        "living_arrangements",
        "Living arrangements and family relationships",
        "Where and with whom the child lives and how settled that is; how they get on with the "
        "people who care for them. Think about changes in the family, loss, arguments at home, "
        "and the care, support and supervision they get.",
    ),
    (
        "education",
        "Education, training and attendance",
        "How the child gets on at school: attendance, exclusions, help with learning, how they "
        "get on with staff and other pupils, and what they enjoy or do well.",
    ),
    (
        "neighbourhood",
        "Neighbourhood",
        "The area where the child lives and spends time: whether it feels safe, what there is "
        "to do, and whether anything there puts them at risk.",
    ),
    (
        "lifestyle",
        "Lifestyle and friendships",
        "How the child spends their free time and with whom: friendships, clubs and activities, "
        "and any friends or older people who may draw them into risky situations.",
    ),
    (
        "substance_use",
        "Substance use",
        "Any smoking, drinking alcohol, use of solvents or drugs by the child, or by people close "
        "to them, and how it affects the child.",
    ),
    (
        "physical_health",
        "Physical health",
        "The child's health and development: illness or disability, sleep, eating, and whether "
        "they get the health care they need.",
    ),
    (
        "emotional_health",
        "Emotional and mental health",
        "How the child feels: worry, low mood, anger, grief or distressing experiences, any "
        "self-harm, and any support from health services such as CAMHS.",
    ),
    (
        "perception",
        "Perception of self and others",
        "How the child sees themself and other people: confidence, identity, a sense of "
        "belonging, and whether they feel treated unfairly or discriminated against.",
    ),
    (
        "thinking_behaviour",
        "Thinking and behaviour",
        "How the child makes decisions and manages their feelings: acting on impulse, thinking "
        "about what happens next, coping with frustration and solving problems.",
    ),
    (
        "attitudes",
        "Attitudes",
        "What the child thinks about behaviour that harms other people and about those it "
        "affects, and how they see rules and the adults who set them.",
    ),
    (
        "motivation",
        "Motivation to change",
        "Whether the child and their family see a reason for things to change, want support, "
        "and believe things can get better.",
    ),
)


def domains_ensure_defaults() -> None:
    """Put back any default domain missing (a database emptied by tests, an old demo)."""
    for order, (key, name, description) in enumerate(ONSET_DOMAINS, start=1):
        Domain.objects.get_or_create(
            panel=None, key=key, defaults={"name": name, "description": description, "order": order}
        )


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_in_team(actor: Any, child: Child) -> None:
    # None is the system itself (the demo loader, a command); a person must be in the team.
    if actor is not None and not sees_identity(actor, child):
        raise AssessmentError(
            "Only people working with the child can record their assessment", code="not_in_team"
        )


def _check_consent(child: Child) -> None:
    try:
        require_consent(child=child, scope=Scope.ASSESSMENT)
    except ConsentRequired as missing:
        raise AssessmentError(missing.message, code=f"consent_{missing.code}") from missing


def kinds_allowed(child: Child) -> list[AssessmentKind]:
    """The first assessment of a child is the initial one; every later one a review, or the
    final review when support ends."""
    if Assessment.objects.filter(child=child).exists():
        return [AssessmentKind.REVIEW, AssessmentKind.FINAL]
    return [AssessmentKind.INITIAL]


def assessment_start(
    *, actor: Any, child: Child, kind: str, organisation: Organisation, assessed_on: date
) -> Assessment:
    """Start the next version of the child's assessment, as a draft with every domain of the
    panel's list to rate. Tied to the child's latest referral, if there is one."""
    _check_in_team(actor, child)
    if kind not in AssessmentKind.values:
        raise AssessmentError("Select which assessment this is", field="kind")
    if assessed_on > timezone.localdate():
        raise AssessmentError(
            "Date of the assessment must be today or in the past", field="assessed_on"
        )
    if actor is not None and organisation not in selectors.organisations_of(viewer=actor):
        raise AssessmentError(
            "Select the organisation you are assessing for: one of your own", field="organisation"
        )
    _check_consent(child)
    with transaction.atomic():
        # Starts for one child queue here on PostgreSQL; the unique constraints on version and
        # on one draft per child settle it on any database.
        Child.objects.select_for_update().filter(pk=child.pk).first()
        draft = Assessment.objects.filter(child=child, status=AssessmentStatus.DRAFT).first()
        if draft is not None:
            raise AssessmentError(
                f"Version {draft.version} of the assessment is still a draft: complete it "
                "before starting another",
                code="draft_exists",
            )
        latest = Assessment.objects.filter(child=child).aggregate(v=Max("version"))["v"] or 0
        if latest == 0 and kind != AssessmentKind.INITIAL:
            raise AssessmentError(
                "The first assessment of a child is an initial assessment", field="kind"
            )
        if latest and kind == AssessmentKind.INITIAL:
            raise AssessmentError(
                "This child already has an initial assessment: select a review or the final review",
                field="kind",
            )
        referral = child.referrals.select_related("panel").order_by("-submitted_at").first()
        panel = referral.panel if referral and referral.panel else panel_serving(child.locality)
        domains = list(Domain.objects.for_panel(panel))
        if not domains:
            raise AssessmentError(
                "No areas to assess are set up: ask an administrator to add the assessment domains",
                code="no_domains",
            )
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    child=child,
                    referral=referral,
                    panel=panel,
                    kind=kind,
                    version=latest + 1,
                    assessed_by=_person(actor),
                    organisation=organisation,
                    assessed_on=assessed_on,
                    last_saved_by=_person(actor),
                )
        except IntegrityError as clash:
            raise AssessmentError(
                "Someone else started an assessment of this child at the same moment: open the "
                "child's assessments to carry on with theirs",
                code="conflict",
            ) from clash
        DomainRating.objects.bulk_create(
            DomainRating(assessment=assessment, domain=domain) for domain in domains
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=child,
            fields=["assessment"],
            detail={
                "assessment": str(assessment.pk),
                "version": assessment.version,
                "kind": kind,
                "domains": len(domains),
            },
        )
    return assessment


@dataclass(frozen=True)
class DomainAnswer:
    rating: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class AssessmentAnswers:
    """What the rating page holds: per domain key, the rating and its evidence."""

    ratings: Mapping[str, DomainAnswer] = field(default_factory=dict)
    protective_factors: str = ""
    serious_harm: str = ""
    serious_harm_evidence: str = ""


def _refusal(assessment: Assessment) -> AssessmentError:
    """Why a save found the assessment other than the page that sent it saw it."""
    current = Assessment.objects.select_related("last_saved_by", "completed_by").get(
        pk=assessment.pk
    )
    if current.status == AssessmentStatus.COMPLETED:
        return AssessmentError(
            f"This assessment was completed on {timezone.localtime(current.completed_at):%d %B %Y}"
            " and can no longer be changed. Start a review to record what has changed since.",
            code="completed",
        )
    who = current.last_saved_by.display_name if current.last_saved_by else "Someone else"
    return AssessmentError(
        f"{who} saved this assessment at {timezone.localtime(current.updated_at):%H:%M on %d %B}, "
        "after you opened it. Your changes have not been saved, so that theirs are not lost: "
        "copy anything you need from this page, open the assessment again to see what they "
        "saved, then make your changes there.",
        field="revision",
        code="stale",
    )


def _check_answers(ratings: list[DomainRating], answers: AssessmentAnswers) -> None:
    keys = {rating.domain.key for rating in ratings}
    unknown = set(answers.ratings) - keys
    if unknown:
        raise AssessmentError(
            "Rate only the areas this assessment covers", field=f"rating_{min(unknown)}"
        )
    for rating in ratings:
        domain = rating.domain
        answer = answers.ratings.get(domain.key, DomainAnswer())
        if answer.rating is not None and answer.rating not in Rating.values:
            raise AssessmentError(
                f"Select a rating between 0 and 4 for {domain.name.lower()}",
                field=f"rating_{domain.key}",
            )
        if answer.rating and not answer.evidence.strip():
            raise AssessmentError(
                f"Enter the evidence for the rating of {domain.name.lower()}: every rating of 1 "
                "or more needs it",
                field=f"evidence_{domain.key}",
            )
    if answers.serious_harm not in ("", *SeriousHarm.values):
        raise AssessmentError(
            "Select whether there are concerns about serious harm to others", field="serious_harm"
        )
    if answers.serious_harm not in ("", SeriousHarm.NONE) and not (
        answers.serious_harm_evidence.strip()
    ):
        raise AssessmentError(
            "Describe the concerns about serious harm to others and what they are based on",
            field="serious_harm_evidence",
        )


def assessment_save(
    *, actor: Any, assessment: Assessment, revision: int, answers: AssessmentAnswers
) -> Assessment:
    """Save a draft's ratings, evidence, strengths and screening. Refused, saving nothing, if
    anyone saved the draft since `revision` (the revision the person's page was opened at) or
    if it has been completed."""
    child = assessment.child
    _check_in_team(actor, child)
    if not assessment.is_draft:
        raise _refusal(assessment)
    _check_consent(child)
    ratings = list(assessment.ratings.select_related("domain"))
    _check_answers(ratings, answers)
    now = timezone.now()
    with transaction.atomic():
        # Compare and set in one statement: of two saves of the same revision, one wins.
        saved = Assessment.objects.filter(
            pk=assessment.pk, revision=revision, status=AssessmentStatus.DRAFT
        ).update(
            revision=F("revision") + 1,
            protective_factors=answers.protective_factors.strip(),
            serious_harm=answers.serious_harm,
            serious_harm_evidence=answers.serious_harm_evidence.strip(),
            last_saved_by=_person(actor),
            updated_at=now,
        )
        if not saved:
            raise _refusal(assessment)
        for rating in ratings:
            answer = answers.ratings.get(rating.domain.key, DomainAnswer())
            rating.rating = answer.rating
            rating.evidence = answer.evidence.strip()
            rating.updated_at = now
        DomainRating.objects.bulk_update(ratings, ["rating", "evidence", "updated_at"])
        assessment.refresh_from_db()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=child,
            fields=["assessment"],
            detail={
                "assessment": str(assessment.pk),
                "version": assessment.version,
                "revision": assessment.revision,
                "rated": sum(1 for rating in ratings if rating.rating is not None),
            },
        )
    return assessment


@dataclass(frozen=True)
class Missing:
    """Something a draft needs before it can be completed, and the rating page's field."""

    field: str
    message: str

    @property
    def anchor(self) -> str:
        """The id to link to on the rating page: a group of radios by its first radio."""
        radios = self.field.startswith("rating_") or self.field == "serious_harm"
        return f"id_{self.field}_0" if radios else f"id_{self.field}"


def completion_problems(assessment: Assessment) -> list[Missing]:
    """What stops the assessment being completed, in the order of the rating page."""
    problems = [
        Missing(f"rating_{rating.domain.key}", f"Rate {rating.domain.name.lower()}")
        for rating in assessment.ratings.all()
        if rating.rating is None
    ]
    if not assessment.protective_factors.strip():
        problems.append(Missing("protective_factors", "Enter the protective factors and strengths"))
    if not assessment.serious_harm:
        problems.append(
            Missing(
                "serious_harm", "Select whether there are concerns about serious harm to others"
            )
        )
    return problems


def assessment_complete(*, actor: Any, assessment: Assessment, revision: int) -> Assessment:
    """Complete a draft: every domain rated, strengths written and the screening answered.
    From then on it cannot change; a review starts a new version."""
    child = assessment.child
    _check_in_team(actor, child)
    if not assessment.is_draft:
        raise _refusal(assessment)
    _check_consent(child)
    problems = completion_problems(assessment)
    if problems:
        count = len(problems)
        raise AssessmentError(
            f"{count} thing{'s' if count > 1 else ''} still to do before this assessment can be "
            f"completed: {'; '.join(p.message.lower() for p in problems)}",
            code="incomplete",
        )
    now = timezone.now()
    with transaction.atomic():
        completed = Assessment.objects.filter(
            pk=assessment.pk, revision=revision, status=AssessmentStatus.DRAFT
        ).update(
            status=AssessmentStatus.COMPLETED,
            completed_at=now,
            completed_by=_person(actor),
            revision=F("revision") + 1,
            updated_at=now,
        )
        if not completed:
            raise _refusal(assessment)
        assessment.refresh_from_db()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=child,
            fields=["assessment"],
            detail={
                "assessment": str(assessment.pk),
                "version": assessment.version,
                "completed": True,
            },
        )
    return assessment


@dataclass(frozen=True)
class OverToYouGiven:
    """One person's "Over to You": their answer per statement key, their own words, who helped
    them fill it in and when. A parent's names the household member."""

    respondent: str
    answers: Mapping[str, str]
    in_their_words: str
    helped_by: str
    filled_on: date
    household_member: HouseholdMember | None = None


def _check_given(child: Child, given: OverToYouGiven) -> dict[str, str]:
    if given.respondent not in Respondent.values:
        raise AssessmentError("Say whose view this is: the child's or a parent's", code="who")
    member = given.household_member
    if given.respondent == Respondent.PARENT and (member is None or member.child_id != child.pk):
        raise AssessmentError(
            "Select who filled it in from the child's parents and carers", field="household_member"
        )
    if given.respondent == Respondent.CHILD and member is not None:
        raise AssessmentError("The child's own view names no household member", code="who")
    statements = statements_for(given.respondent)
    answers = {key: value for key, value in given.answers.items() if value}
    for key, value in answers.items():
        if key not in statements:
            raise AssessmentError("Answer only the questions on the form", code="unknown")
        if value not in Answer.values:
            raise AssessmentError(
                f"Select agree, not sure or disagree for “{statements[key].text}”", field=key
            )
    if not answers and not given.in_their_words.strip():
        raise AssessmentError(
            "Answer at least one question, or write something in the last box",
            field=next(iter(statements)),
        )
    if not given.helped_by.strip():
        raise AssessmentError(
            "Enter who helped fill it in, or 'Nobody' if nobody did", field="helped_by"
        )
    if given.filled_on > timezone.localdate():
        raise AssessmentError(
            "Date it was filled in must be today or in the past", field="filled_on"
        )
    return answers


def over_to_you_record(*, actor: Any, child: Child, given: OverToYouGiven) -> OverToYou:
    """Record the child's or a parent's own view, kept with the assessment it sits beside: the
    draft in progress, or else the latest completed version, so the panel reads both
    together."""
    _check_in_team(actor, child)
    answers = _check_given(child, given)
    _check_consent(child)
    with transaction.atomic():
        # A draft is always the newest version, so the newest is the one to sit beside.
        beside = Assessment.objects.filter(child=child).order_by("-version").first()
        view = OverToYou.objects.create(
            child=child,
            respondent=given.respondent,
            household_member=given.household_member,
            assessment=beside,
            answers=answers,
            in_their_words=given.in_their_words.strip(),
            helped_by=given.helped_by.strip(),
            filled_on=given.filled_on,
            recorded_by=_person(actor),
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=child,
            fields=["over_to_you"],
            detail={
                "over_to_you": str(view.pk),
                "respondent": given.respondent,
                "answered": len(answers),
                "assessment": str(beside.pk) if beside else "",
            },
        )
    return view
