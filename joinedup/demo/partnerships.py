"""The demo's partnerships: who sits on what, in the three localities of the research.

The research found a YISP Partnership Board over local steering groups and panels, forums
and networks of voluntary, community and faith groups, and the same organisations (the Youth
Service, the police, the Youth Offending Team) and the same people sitting on several of them:
people "wearing several hats". The demo reproduces that overlap, so that the map and the network
measures have something to show. The people are invented work contacts; the demo's panel chair
and strategic manager are linked to their JoinedUp accounts.

Safe to run again: partnerships are matched on their slug, people on their name and
organisation, and a current membership is never added twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.demo.catalogue import EASTON, KNOWLE_WEST, LOCKLEAZE
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels.models import Panel
from joinedup.partnerships.models import (
    LoggedRelationship,
    MemberRole,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    PartnershipMember,
    Person,
    RelationshipKind,
)

DEMO_EMAIL_DOMAIN = "demo.joinedup.test"
JOINED = date(2004, 9, 1)


@dataclass(frozen=True)
class PersonSeed:
    key: str
    name: str
    role_title: str
    organisation: str
    # The demo login (before the @) this contact is, if any.
    login: str = ""


PEOPLE: tuple[PersonSeed, ...] = (
    PersonSeed(
        "head-early-help",
        "Morag Ellison",
        "Head of early help",
        "bristol-city-council",
        login="strategic.manager",
    ),
    PersonSeed(
        "social-care-manager",
        "Tunde Bakare",
        "Team manager",
        "social-services",
        login="panel.chair",
    ),
    PersonSeed("youth-service-manager", "Gail Rossiter", "Area youth officer", "youth-service"),
    PersonSeed("youth-worker", "Jordan Pike", "Senior youth worker", "youth-service"),
    PersonSeed(
        "police-inspector",
        "Inspector Ruth Caddick",
        "Neighbourhood inspector",
        "avon-and-somerset-constabulary",
    ),
    PersonSeed(
        "police-sergeant",
        "Sergeant Dev Malhi",
        "Neighbourhood sergeant",
        "avon-and-somerset-constabulary",
    ),
    PersonSeed("yot-manager", "Alan Whitcombe", "Prevention manager", "youth-offending-team"),
    PersonSeed("childrens-fund", "Priya Lal", "Programme manager", "bristol-childrens-fund"),
    PersonSeed(
        "ews-officer", "Helen Ford", "Senior education welfare officer", "education-welfare-service"
    ),
    PersonSeed("camhs-lead", "Dr Owen Pryce", "Clinical lead", "camhs"),
    PersonSeed("connexions-adviser", "Kerry Stone", "Personal adviser", "connexions"),
    PersonSeed("barnardos-manager", "Lucy Amadi", "Project manager", "barnardos"),
    PersonSeed("easton-yisp-worker", "Sam Okafor", "YISP development worker", "easton-yisp"),
    PersonSeed("sikh-centre", "Harjit Sandhu", "Youth coordinator", "sikh-resource-centre"),
    PersonSeed(
        "muslim-society", "Yusuf Rahman", "Education officer", "bristol-muslim-cultural-society"
    ),
    PersonSeed(
        "community-at-heart", "Claire Dunn", "Community development worker", "community-at-heart"
    ),
    PersonSeed("lockleaze-yisp-worker", "Becky Hale", "YISP development worker", "lockleaze-yisp"),
    PersonSeed("better-together", "Mike Tranter", "Coordinator", "better-together"),
    PersonSeed("playground", "Ade Johnson", "Playworker", "lockleaze-adventure-playground"),
    PersonSeed("owl", "Sandra Mills", "Manager", "opportunities-for-women-in-lockleaze"),
    PersonSeed(
        "knowle-west-yisp-worker", "Nina Carter", "YISP development worker", "knowle-west-yisp"
    ),
)


@dataclass(frozen=True)
class SeatSeed:
    organisation: str
    person: str = ""  # a PersonSeed key; empty while the organisation names nobody
    role: str = MemberRole.MEMBER
    delegated_authority: bool = False


@dataclass(frozen=True)
class PartnershipSeed:
    slug: str
    name: str
    kind: str
    level: str
    purpose: str
    locality: str | None = None
    parent: str = ""
    panel: str = ""
    terms_of_reference: str = ""
    seats: tuple[SeatSeed, ...] = ()


CITY = "yisp-partnership-board-demo"

# The city-wide board first, then the groups under it, so every parent exists before its child.
PARTNERSHIPS: tuple[PartnershipSeed, ...] = (
    PartnershipSeed(
        CITY,
        "YISP city-wide steering group",
        PartnershipKind.STEERING_GROUP,
        PartnershipLevel.CITY_WIDE_STEERING_GROUP,
        "Oversees the city's Youth Inclusion and Support Panels: their funding from the "
        "Children's Fund, shared procedures and what the panels learn.",
        terms_of_reference=(
            "Meets every two months. Members are senior managers able to commit their "
            "organisation's resources. Quorate with five member organisations, including the "
            "Youth Offending Team and the Children's Fund."
        ),
        seats=(
            SeatSeed("bristol-city-council", "head-early-help", MemberRole.CHAIR, True),
            SeatSeed("youth-offending-team", "yot-manager", MemberRole.VICE_CHAIR, True),
            SeatSeed("bristol-childrens-fund", "childrens-fund", MemberRole.MEMBER, True),
            SeatSeed(
                "avon-and-somerset-constabulary", "police-inspector", delegated_authority=True
            ),
            SeatSeed("social-services", "social-care-manager", delegated_authority=True),
            SeatSeed("youth-service", "youth-service-manager"),
            SeatSeed("camhs", "camhs-lead"),
            SeatSeed("barnardos", "barnardos-manager"),
            SeatSeed("bristol-community-safety-partnership", role=MemberRole.ADVISER),
        ),
    ),
    PartnershipSeed(
        "easton-steering-group-demo",
        "Easton and Lawrence Hill local steering group",
        PartnershipKind.STEERING_GROUP,
        PartnershipLevel.LOCAL_STEERING_GROUP,
        "Steers the Easton YISP: local priorities, which services the panel can call on, and "
        "links with the area's faith and community groups.",
        locality=EASTON,
        parent=CITY,
        seats=(
            SeatSeed("youth-offending-team", "yot-manager", MemberRole.CHAIR, True),
            SeatSeed("easton-yisp", "easton-yisp-worker", MemberRole.SECRETARIAT),
            SeatSeed("avon-and-somerset-constabulary", "police-inspector"),
            SeatSeed("youth-service", "youth-service-manager"),
            SeatSeed("community-at-heart", "community-at-heart"),
            SeatSeed("sikh-resource-centre", "sikh-centre"),
            SeatSeed("bristol-muslim-cultural-society", "muslim-society"),
            SeatSeed("easton-education-action-zone"),
        ),
    ),
    PartnershipSeed(
        "lockleaze-steering-group-demo",
        "Lockleaze and Upper Horfield local steering group",
        PartnershipKind.STEERING_GROUP,
        PartnershipLevel.LOCAL_STEERING_GROUP,
        "Steers the Lockleaze YISP and keeps the many local groups working with young people "
        "in touch with it.",
        locality=LOCKLEAZE,
        parent=CITY,
        seats=(
            SeatSeed("youth-service", "youth-service-manager", MemberRole.CHAIR, True),
            SeatSeed("lockleaze-yisp", "lockleaze-yisp-worker", MemberRole.SECRETARIAT),
            SeatSeed("better-together", "better-together"),
            SeatSeed("avon-and-somerset-constabulary", "police-sergeant"),
            SeatSeed("opportunities-for-women-in-lockleaze", "owl"),
            SeatSeed("lockleaze-neighbourhood-trust"),
        ),
    ),
    PartnershipSeed(
        "knowle-west-steering-group-demo",
        "Knowle West local steering group",
        PartnershipKind.STEERING_GROUP,
        PartnershipLevel.LOCAL_STEERING_GROUP,
        "Steers the Knowle West YISP.",
        locality=KNOWLE_WEST,
        parent=CITY,
        seats=(
            SeatSeed("youth-offending-team", "yot-manager", MemberRole.CHAIR, True),
            SeatSeed("knowle-west-yisp", "knowle-west-yisp-worker", MemberRole.SECRETARIAT),
            SeatSeed("youth-service", "youth-worker"),
        ),
    ),
    *(
        PartnershipSeed(
            f"{slug}-panel-demo",
            f"{name} panel",
            PartnershipKind.PANEL,
            PartnershipLevel.PANEL,
            f"Agrees support for children aged 8 to 13 referred in {name}, and who does what.",
            locality=slug,
            parent=steering,
            panel=slug,
            seats=seats,
        )
        for slug, name, steering, seats in (
            (
                EASTON,
                "Easton and Lawrence Hill",
                "easton-steering-group-demo",
                (
                    SeatSeed("social-services", "social-care-manager", MemberRole.CHAIR, True),
                    SeatSeed("easton-yisp", "easton-yisp-worker", MemberRole.SECRETARIAT),
                    SeatSeed("avon-and-somerset-constabulary", "police-sergeant"),
                    SeatSeed("education-welfare-service", "ews-officer"),
                    SeatSeed("youth-service", "youth-worker"),
                    SeatSeed("camhs", "camhs-lead"),
                    SeatSeed("sari"),
                ),
            ),
            (
                LOCKLEAZE,
                "Lockleaze and Upper Horfield",
                "lockleaze-steering-group-demo",
                (
                    SeatSeed("social-services", "social-care-manager", MemberRole.CHAIR, True),
                    SeatSeed("lockleaze-yisp", "lockleaze-yisp-worker", MemberRole.SECRETARIAT),
                    SeatSeed("youth-service", "youth-worker"),
                    SeatSeed("education-welfare-service", "ews-officer"),
                    SeatSeed("connexions", "connexions-adviser"),
                    SeatSeed("lockleaze-adventure-playground", "playground"),
                ),
            ),
            (
                KNOWLE_WEST,
                "Knowle West",
                "knowle-west-steering-group-demo",
                (
                    SeatSeed("social-services", "social-care-manager", MemberRole.CHAIR, True),
                    SeatSeed("knowle-west-yisp", "knowle-west-yisp-worker", MemberRole.SECRETARIAT),
                    SeatSeed("youth-offending-team", "yot-manager"),
                ),
            ),
        )
    ),
    PartnershipSeed(
        "youth-workers-network-demo",
        "North Bristol youth workers' network",
        PartnershipKind.NETWORK,
        PartnershipLevel.KEYWORKERS,
        "Youth and play workers from statutory and voluntary groups meet to share what is on, "
        "introduce each other and plan holiday activities together.",
        locality=LOCKLEAZE,
        seats=(
            SeatSeed("youth-service", "youth-worker", MemberRole.CHAIR),
            SeatSeed("lockleaze-adventure-playground", "playground"),
            SeatSeed("holiday-activities-group"),
            SeatSeed("upper-horfield-community-trust"),
            SeatSeed("better-together", "better-together"),
            SeatSeed("connexions", "connexions-adviser"),
        ),
    ),
    PartnershipSeed(
        "easton-faith-forum-demo",
        "Easton faith communities forum",
        PartnershipKind.FORUM,
        PartnershipLevel.OTHER,
        "Faith and cultural groups in Easton and Lawrence Hill speak together to the statutory "
        "agencies about the needs of their young people.",
        locality=EASTON,
        seats=(
            SeatSeed("sikh-resource-centre", "sikh-centre", MemberRole.CHAIR),
            SeatSeed("bristol-muslim-cultural-society", "muslim-society", MemberRole.VICE_CHAIR),
            SeatSeed("easton-mosques"),
            SeatSeed("easton-lawrence-hill-gurdwaras"),
            SeatSeed("sari"),
            SeatSeed("community-at-heart", "community-at-heart", MemberRole.SECRETARIAT),
            SeatSeed("easton-yisp", "easton-yisp-worker", MemberRole.ADVISER),
        ),
    ),
    PartnershipSeed(
        "prevention-sub-group-demo",
        "Early prevention commissioning sub-group",
        PartnershipKind.SUB_GROUP,
        PartnershipLevel.CITY_WIDE_STEERING_GROUP,
        "Decides how the Children's Fund prevention money is shared between the YISPs and "
        "the voluntary groups that work with them.",
        parent=CITY,
        seats=(
            SeatSeed("bristol-childrens-fund", "childrens-fund", MemberRole.CHAIR, True),
            SeatSeed("bristol-city-council", "head-early-help", delegated_authority=True),
            SeatSeed("youth-offending-team", "yot-manager", delegated_authority=True),
            SeatSeed("barnardos", "barnardos-manager"),
        ),
    ),
)


@dataclass(frozen=True)
class RelationshipSeed:
    from_organisation: str
    to_organisation: str
    kind: str
    days_ago: int
    description: str
    logged_by: str  # the demo login (before the @) who logged it
    partnership: str = ""


# The relationship-building work the research saw development workers doing and nobody
# tracking: introductions, joint sessions, shared training and agreed referral routes between
# the localities' organisations. Dated back from today so the log always looks current.
RELATIONSHIPS: tuple[RelationshipSeed, ...] = (
    RelationshipSeed(
        "lockleaze-adventure-playground",
        "romney-avenue-junior-school",
        RelationshipKind.INTRODUCTION,
        12,
        "Introduced the adventure playground's playworker to the school's after-school club; "
        "she now runs a session there on Thursdays.",
        "keyworker",
        "lockleaze-steering-group-demo",
    ),
    RelationshipSeed(
        "opportunities-for-women-in-lockleaze",
        "lockleaze-yisp",
        RelationshipKind.REFERRAL_ROUTE,
        20,
        "Agreed how OWL's parenting group can refer families to the YISP and how the YISP "
        "tells OWL the referral has arrived.",
        "coordinator",
        "lockleaze-steering-group-demo",
    ),
    RelationshipSeed(
        "better-together",
        "lockleaze-school",
        RelationshipKind.JOINT_WORK,
        34,
        "Better Together and the school's pastoral team ran a joint transition day for Year 6 "
        "pupils moving up.",
        "keyworker",
    ),
    RelationshipSeed(
        "youth-service",
        "lockleaze-neighbourhood-trust",
        RelationshipKind.JOINT_WORK,
        47,
        "The youth service now uses the trust's hall for its Tuesday evening drop-in.",
        "keyworker",
        "youth-workers-network-demo",
    ),
    RelationshipSeed(
        "sikh-resource-centre",
        "easton-yisp",
        RelationshipKind.INTRODUCTION,
        15,
        "Introduced the centre's youth coordinator to the YISP development worker; the centre "
        "will send someone to the Easton panel.",
        "coordinator",
        "easton-faith-forum-demo",
    ),
    RelationshipSeed(
        "bristol-muslim-cultural-society",
        "easton-fields-primary-demo",
        RelationshipKind.JOINT_WORK,
        26,
        "The society's education officer and the school planned a homework club together.",
        "coordinator",
    ),
    RelationshipSeed(
        "community-at-heart",
        "best-easton",
        RelationshipKind.SHARED_TRAINING,
        40,
        "Staff and volunteers from both did the same safeguarding refresher course.",
        "coordinator",
        "easton-steering-group-demo",
    ),
    RelationshipSeed(
        "avon-and-somerset-constabulary",
        "barton-hill-settlement",
        RelationshipKind.INTRODUCTION,
        61,
        "The neighbourhood sergeant met the settlement's youth team and now drops in to the "
        "Friday session.",
        "panel.chair",
    ),
    RelationshipSeed(
        "knowle-west-yisp",
        "knowle-skyline-primary-demo",
        RelationshipKind.REFERRAL_ROUTE,
        9,
        "Agreed that the school's learning mentor refers to the Knowle West YISP through the "
        "panel coordinator, not by email to the keyworkers.",
        "coordinator",
        "knowle-west-steering-group-demo",
    ),
    RelationshipSeed(
        "camhs",
        "youth-offending-team",
        RelationshipKind.SHARED_TRAINING,
        75,
        "CAMHS ran a session on talking about low mood for the prevention team.",
        "strategic.manager",
        CITY,
    ),
    RelationshipSeed(
        "connexions",
        "lockleaze-yisp",
        RelationshipKind.JOINT_WORK,
        5,
        "A Connexions personal adviser now comes to the YISP's Wednesday group for older "
        "young people.",
        "keyworker",
    ),
    RelationshipSeed(
        "bristol-childrens-fund",
        "barnardos",
        RelationshipKind.OTHER,
        88,
        "The Children's Fund and Barnardo's met to plan how the prevention money is reported "
        "next year.",
        "strategic.manager",
        "prevention-sub-group-demo",
    ),
)


def load_demo_relationships() -> None:
    """The demo's relationship log. Safe to run again: an entry is matched on its two
    organisations, kind and description."""
    slugs = {r.from_organisation for r in RELATIONSHIPS} | {
        r.to_organisation for r in RELATIONSHIPS
    }
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    partnerships = {
        p.slug: p
        for p in Partnership.objects.filter(slug__in={r.partnership for r in RELATIONSHIPS})
    }
    users = {
        user.email: user
        for user in User.objects.filter(
            email__in={f"{r.logged_by}@{DEMO_EMAIL_DOMAIN}" for r in RELATIONSHIPS}
        )
    }
    today = timezone.localdate()
    for seed in RELATIONSHIPS:
        LoggedRelationship.objects.update_or_create(
            from_organisation=organisations[seed.from_organisation],
            to_organisation=organisations[seed.to_organisation],
            kind=seed.kind,
            description=seed.description,
            defaults={
                "happened_on": today - timedelta(days=seed.days_ago),
                "partnership": partnerships.get(seed.partnership),
                "logged_by": users.get(f"{seed.logged_by}@{DEMO_EMAIL_DOMAIN}"),
                "withdrawn_at": None,
            },
        )


def _people(organisations: dict[str, Organisation]) -> dict[str, Person]:
    users = {
        user.email: user
        for user in User.objects.filter(
            email__in=[f"{p.login}@{DEMO_EMAIL_DOMAIN}" for p in PEOPLE if p.login]
        )
    }
    people = {}
    for seed in PEOPLE:
        organisation = organisations[seed.organisation]
        user = users.get(f"{seed.login}@{DEMO_EMAIL_DOMAIN}") if seed.login else None
        person, _ = Person.objects.update_or_create(
            name=seed.name,
            organisation=organisation,
            defaults={"role_title": seed.role_title, "user": user},
        )
        people[seed.key] = person
    return people


def load_demo_partnerships() -> None:
    slugs = {seat.organisation for p in PARTNERSHIPS for seat in p.seats}
    slugs |= {seed.organisation for seed in PEOPLE}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    localities = {locality.slug: locality for locality in Locality.objects.all()}
    panels = {panel.slug: panel for panel in Panel.objects.all()}
    people = _people(organisations)
    saved: dict[str, Partnership] = {}
    for seed in PARTNERSHIPS:
        partnership, _ = Partnership.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "name": seed.name,
                "kind": seed.kind,
                "level": seed.level,
                "purpose": seed.purpose,
                "locality": localities.get(seed.locality) if seed.locality else None,
                "parent": saved.get(seed.parent),
                # Linked to the demo's panel where there is one, sharing its meetings.
                "panel": panels.get(seed.panel) if seed.panel else None,
                "terms_of_reference": seed.terms_of_reference,
                "is_active": True,
            },
        )
        saved[seed.slug] = partnership
        for seat in seed.seats:
            PartnershipMember.objects.current().update_or_create(
                partnership=partnership,
                organisation=organisations[seat.organisation],
                person=people[seat.person] if seat.person else None,
                defaults={
                    "role": seat.role,
                    "delegated_authority": seat.delegated_authority,
                    "joined_on": JOINED,
                },
            )
    load_demo_relationships()
