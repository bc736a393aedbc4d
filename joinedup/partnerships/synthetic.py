"""A large, made-up partnership landscape for benchmarks: the map and the network measures
must be measured at city scale (2,000 organisations, 5,000 people, 300 partnerships).

A few organisations and people sit on many partnerships and most on one or two (weights fall
off like Zipf's law), as in the research, where the same statutory agencies and the same
people turned up everywhere. Everything is written with bulk_create, and the same seed gives
the same landscape. Names and slugs carry the seed, so two landscapes can live side by side.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from joinedup.organisations.models import Locality, Organisation, OrganisationKind
from joinedup.partnerships.models import (
    MemberRole,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    PartnershipMember,
    Person,
)

LOCALITY_COUNT = 12
BATCH = 1000


# Purposes made of an aim, a group, a place and a way of working, so that most pairs of
# partnerships share a few words, as in a city (more when they work in the same place), and
# about one partnership in forty repeats an earlier one's purpose: the duplicates the network
# page is there to find.
_AIMS = (
    "reduce exclusion from school",
    "prevent offending and anti-social behaviour",
    "improve emotional wellbeing and mental health",
    "keep young people safe from exploitation",
    "support parents and carers",
    "increase attendance and engagement in learning",
    "reduce substance misuse",
    "improve access to play, sport and youth clubs",
    "tackle child poverty and food insecurity",
    "support young carers",
    "improve transitions from primary to secondary school",
    "reduce domestic abuse and its harm to children",
    "help young people into training and work",
    "improve housing stability for families",
    "build community cohesion between neighbourhoods",
)
_GROUPS = (
    "for children aged eight to thirteen",
    "for teenagers",
    "for families in temporary accommodation",
    "for refugee and asylum-seeking families",
    "for children with special educational needs",
    "for young people leaving care",
    "for girls and young women",
    "for boys and young men",
    "for the whole neighbourhood",
)
_WAYS = (
    "by sharing information and planning together",
    "through joint commissioning and pooled budgets",
    "through a shared referral route and panel",
    "by coordinating outreach and detached work",
    "by training practitioners together",
    "by bringing voluntary and statutory services into one forum",
    "through peer mentoring and volunteering",
    "by listening to young people and acting on what they say",
)


# One word of its own for each synthetic locality's purposes: the localities' names differ only
# in a number, which purpose_words() leaves out.
_PLACES = (
    "Ashgrove",
    "Brookfield",
    "Castlemead",
    "Dunmore",
    "Elmstead",
    "Fairholme",
    "Glenside",
    "Hartwell",
    "Ivydale",
    "Juniper",
    "Kingsmead",
    "Larchwood",
    "Millbrook",
    "Northgate",
    "Oakhurst",
    "Pennyfield",
    "Queensway",
    "Riverside",
    "Southmead",
    "Thornbury",
)


def _purpose(rng: random.Random, index: int, earlier: list[Partnership], place: str) -> str:
    if earlier and index % 40 == 39:
        return rng.choice(earlier).purpose
    return f"To {rng.choice(_AIMS)} {rng.choice(_GROUPS)} {place}, {rng.choice(_WAYS)}."


@dataclass(frozen=True)
class Landscape:
    organisations: int
    people: int
    partnerships: int
    members: int


def _weights(n: int, rng: random.Random) -> list[float]:
    order = list(range(1, n + 1))
    rng.shuffle(order)
    return [1 / rank for rank in order]


def _localities(seed: int) -> list[Locality]:
    localities = []
    for i in range(LOCALITY_COUNT):
        locality, _ = Locality.objects.get_or_create(
            slug=f"synthetic-{seed}-locality-{i}",
            defaults={"name": f"Synthetic {seed} locality {i}"},
        )
        localities.append(locality)
    return localities


@transaction.atomic
def generate_partnerships(
    *,
    organisations: int = 2000,
    people: int = 5000,
    partnerships: int = 300,
    seed: int = 7,
    members_per_partnership: tuple[int, int] = (5, 40),
) -> Landscape:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    localities = _localities(seed)
    kinds = [k for k in OrganisationKind.values if k != OrganisationKind.OTHER]

    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"synthetic-{seed}-org-{i}",
                name=f"Synthetic {seed} organisation {i}",
                kind=rng.choice(kinds),
            )
            for i in range(organisations)
        ],
        batch_size=BATCH,
    )
    org_locality = [rng.choice(localities) for _ in orgs]
    Through = Organisation.localities.through
    Through.objects.bulk_create(
        [
            Through(organisation_id=org.pk, locality_id=locality.pk)
            # One in ten works across the whole city.
            for org, locality in zip(orgs, org_locality, strict=True)
            if rng.random() > 0.1
        ],
        batch_size=BATCH,
    )

    org_weights = _weights(len(orgs), rng)
    person_orgs = rng.choices(range(len(orgs)), weights=org_weights, k=people)
    persons = Person.objects.bulk_create(
        [
            Person(
                name=f"Synthetic person {seed}-{i}",
                role_title="Manager",
                organisation=orgs[org_index],
            )
            for i, org_index in enumerate(person_orgs)
        ],
        batch_size=BATCH,
    )
    people_of: dict[int, list[Person]] = {}
    for staff_member, org_index in zip(persons, person_orgs, strict=True):
        people_of.setdefault(org_index, []).append(staff_member)

    created: list[Partnership] = []
    for i in range(partnerships):
        level = rng.choice(PartnershipLevel.values)
        kind = rng.choice(PartnershipKind.values)
        locality = (
            None if level == PartnershipLevel.CITY_WIDE_STEERING_GROUP else rng.choice(localities)
        )
        created.append(
            Partnership(
                slug=f"synthetic-{seed}-partnership-{i}",
                name=f"Synthetic {seed} partnership {i}",
                kind=kind,
                level=level,
                purpose=_purpose(
                    rng,
                    i,
                    created,
                    f"in {_PLACES[localities.index(locality) % len(_PLACES)]}"
                    if locality is not None
                    else "across the city",
                ),
                locality=locality,
                # Only an earlier partnership can be a parent, so there is never a loop.
                parent=created[rng.randrange(i)] if i and rng.random() < 0.3 else None,
            )
        )
    Partnership.objects.bulk_create(created, batch_size=BATCH)

    today = date.today()
    low, high = members_per_partnership
    seats: list[PartnershipMember] = []
    for partnership in created:
        wanted = rng.randint(low, high)
        chosen = dict.fromkeys(rng.choices(range(len(orgs)), weights=org_weights, k=wanted))
        for n, org_index in enumerate(chosen):
            staff = people_of.get(org_index, [])
            # Some organisations have joined without naming who represents them.
            person = None
            if staff and rng.random() > 0.1:
                person = rng.choice(staff)
            seats.append(
                PartnershipMember(
                    partnership=partnership,
                    organisation=orgs[org_index],
                    person=person,
                    role=MemberRole.CHAIR if n == 0 else MemberRole.MEMBER,
                    delegated_authority=rng.random() < 0.25,
                    joined_on=today - timedelta(days=rng.randint(0, 2000)),
                )
            )
    PartnershipMember.objects.bulk_create(seats, batch_size=BATCH)
    return Landscape(
        organisations=len(orgs),
        people=len(persons),
        partnerships=len(created),
        members=len(seats),
    )
