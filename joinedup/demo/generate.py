"""Synthetic data at city or national scale, for the benchmarks and the data-quality page.

    python -m joinedup.demo.generate --scale city|national|N [--seed S]

N is the number of child records (city: 50,000; national: 1,000,000); each child is referred
about 2.5 times over five years. Written into the configured database (SQLite, or PostgreSQL
when DATABASE_URL is set), which must be migrated; the demo's localities and organisations are
kept and more are added as the scale needs (docs/performance.md).

Every row is made up: names from joinedup.matching.synthetic's communities and Faker's en_GB,
pl_PL and en_IN pools. Children, referrals, panel meetings, agenda items, decisions, plans,
services (interventions), assessments with their ratings, attendance and actions, with a small
share of gaps (fields not recorded) and of duplicate records (the same child referred again,
written differently), as real data has.

Written in chunks of children, one bulk write per table and chunk (multi-row inserts on SQLite,
COPY on PostgreSQL), so memory stays bounded whatever the scale. Rows are drawn from one seeded
generator: the same seed and the same day give the same data."""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

SCALES = {"city": 50_000, "national": 1_000_000}
# Written in this order: a row's keys point at rows of tables before it (or of the same chunk).
TABLE_NAMES = (
    "child",
    "referral",
    "item",
    "plan",
    "decision",
    "intervention",
    "assessment",
    "rating",
    "action",
)
YEARS = 5
CHUNK = 10_000  # children written per transaction
CHILDREN_PER_PANEL = 4_000
ORGANISATIONS_PER_CHILD = 600 / 50_000  # the city's 600 organisations
WORKERS_PER_ORGANISATION = 3
DUPLICATE_RATE = 0.02  # share of children recorded twice
MEETING_HOUR_UTC = 15

# How many times a child is referred in five years: about 2.45 on average.
REFERRALS_PER_CHILD = ((1, 30), (2, 25), (3, 20), (4, 13), (5, 8), (6, 4))
AGE_AT_FIRST_REFERRAL = tuple(range(8, 18))
AGE_WEIGHTS = (12, 13, 14, 14, 13, 11, 8, 7, 5, 3)

REFERRER_KINDS = (
    ("school", 34),
    ("police", 14),
    ("health", 9),
    ("social_care", 9),
    ("voluntary", 9),
    ("community", 8),
    ("faith", 3),
    ("youth_service", 6),
    ("housing", 3),
    ("education", 3),
    ("careers", 2),
)
RELATIONSHIP_OF_KIND = {
    "school": ("Class teacher", "Head of year", "Learning mentor", "Designated safeguarding lead"),
    "police": ("Neighbourhood police officer", "Police community support officer"),
    "health": ("School nurse", "Health visitor", "GP"),
    "social_care": ("Family support worker", "Early help worker"),
    "youth_service": ("Youth worker",),
    "housing": ("Housing officer",),
    "education": ("Education welfare officer", "Attendance officer"),
    "careers": ("Careers adviser",),
}
TRIED = (
    "Meetings with the family and a mentor at school for a term.",
    "A referral to the school nurse and a place at an after-school club.",
    "Home visits and advice to the family; the child has started to miss school again.",
    "Conversations with the child and their parent; a short course of one-to-one support.",
    "Nothing formal yet: the family asked us where to go for help.",
    "A youth club place and a check-in each week with the child.",
)
OUTCOME_WEIGHTS = (
    ("support_plan", 42),
    ("signpost", 24),
    ("no_further_action", 12),
    ("safeguarding", 5),
    ("defer", 17),
)
RATIONALE = {
    "support_plan": "Several agencies share concerns; the family agrees to a plan of support.",
    "signpost": "A mainstream service can meet the need; the referrer will help the family.",
    "no_further_action": "The concerns have eased since the referral; no support is needed now.",
    "safeguarding": "What the panel heard needs a safeguarding response today.",
    "defer": "The panel needs the school's view before it decides.",
}
# What the decision services keep (panels/prioritisation.py and quorum.py), as JSON.
RULE_SNAPSHOT = {
    met: json.dumps(
        {
            "rule_version": 1,
            "rule_text": "Known to 2 or more agencies, or parents concerned, or 4 or more risks",
            "agencies_count": 3 if met else 1,
            "agencies_met": met,
            "parents_met": False,
            "risk_factors_count": 4 if met else 2,
            "risks_met": met,
            "met": met,
        }
    )
    for met in (False, True)
}
QUORUM_SNAPSHOT = json.dumps(
    {
        "quorate": True,
        "members": 6,
        "agencies": 5,
        "chair_present": True,
        "authority_present": True,
        "not_taking_part": [],
        "summary": "Quorate: 6 people from 5 agencies, with the chair.",
    }
)
PLAN_OUTCOMES = (
    ("goals_met", 40),
    ("some_goals_met", 25),
    ("family_withdrew", 12),
    ("moved_away", 6),
    ("escalated", 5),
    ("transferred", 7),
    ("other", 5),
)
OUTCOME_REASON = {
    "goals_met": "The child and family say the goals they set have been met.",
    "some_goals_met": "School attendance is better; the family wants to carry on alone.",
    "family_withdrew": "The family decided they did not want support any more.",
    "moved_away": "The family moved out of the area.",
    "escalated": "New concerns needed a safeguarding response.",
    "transferred": "Support carries on with a specialist service.",
    "other": "The plan ended when the child started at a new school.",
}
# How far ratings come down from the first assessment to the last, by the plan's outcome.
RATING_CHANGE = {
    "goals_met": (0, 1, 1, 2, 2, 3),
    "some_goals_met": (0, 0, 1, 1, 2),
    "family_withdrew": (0, 0, 0, 1, -1),
    "moved_away": (0, 0, 1),
    "escalated": (-1, -1, 0, 0, 1),
    "transferred": (0, 0, 1, 1),
    "other": (0, 1),
}
PURPOSES = (
    ("mentoring", "One-to-one mentoring"),
    ("learning", "Attendance support"),
    ("family", "Family support sessions"),
    ("wellbeing", "Emotional wellbeing group"),
    ("activities", "Weekly sports club"),
    ("health", "Young people's drug and alcohol service"),
    ("safety", "Staying safe workshops"),
    ("housing", "Help with housing and money"),
    ("careers", "Careers guidance"),
)
EXTRA_KINDS = (
    ("school", 40),
    ("community", 14),
    ("voluntary", 14),
    ("faith", 8),
    ("health", 5),
    ("youth_service", 6),
    ("housing", 3),
    ("education", 3),
    ("careers", 2),
    ("police", 2),
    ("social_care", 3),
)
KEYWORKER_KINDS = ("voluntary", "community", "youth_service", "social_care", "faith")
# Bristol's wards (besides the demo's localities), then more areas for the larger scales.
WARDS = (
    "Ashley",
    "Avonmouth & Lawrence Weston",
    "Bedminster",
    "Bishopston & Ashley Down",
    "Bishopsworth",
    "Brislington East",
    "Brislington West",
    "Central",
    "Clifton",
    "Clifton Down",
    "Cotham",
    "Eastville",
    "Frome Vale",
    "Hartcliffe & Withywood",
    "Henbury & Brentry",
    "Hengrove & Whitchurch Park",
    "Hillfields",
    "Hotwells & Harbourside",
    "Redland",
    "St George Central",
    "St George Troopers Hill",
    "St George West",
    "Southmead",
    "Southville",
    "Stockwood",
    "Stoke Bishop",
    "Westbury-on-Trym & Henleaze",
    "Windmill Hill",
)
TOWNS = (
    "Bath",
    "Birmingham",
    "Bradford",
    "Cardiff",
    "Coventry",
    "Exeter",
    "Gloucester",
    "Leeds",
    "Leicester",
    "Liverpool",
    "Luton",
    "Manchester",
    "Newport",
    "Nottingham",
    "Plymouth",
    "Sheffield",
    "Slough",
    "Swindon",
    "Wolverhampton",
    "London",
)

# Ethnicity and religion by community (weights), with "not recorded" and "prefer not to say"
# added for every child.
ETHNICITY = {
    "english": (
        ("white_british", 74),
        ("mixed_white_black_caribbean", 7),
        ("black_caribbean", 5),
        ("mixed_other", 3),
        ("white_other", 2),
        ("white_irish", 1),
        ("white_gypsy_traveller", 1),
        ("mixed_white_asian", 2),
        ("other", 1),
    ),
    "somali": (("black_african", 92), ("black_other", 5), ("other_arab", 3)),
    "south_asian": (
        ("asian_pakistani", 45),
        ("asian_bangladeshi", 20),
        ("asian_indian", 25),
        ("asian_other", 10),
    ),
    "polish": (("white_other", 90), ("white_roma", 6), ("mixed_other", 4)),
}
RELIGION = {
    "english": (("none", 55), ("christian", 38), ("rastafarian", 2), ("other", 3), ("jewish", 2)),
    "somali": (("muslim", 95), ("none", 5)),
    "south_asian": (("muslim", 62), ("hindu", 17), ("sikh", 15), ("none", 6)),
    "polish": (("christian", 80), ("none", 20)),
}
LANGUAGE = {"english": "English", "somali": "Somali", "south_asian": "Urdu", "polish": "Polish"}


def children_for(scale: str) -> int:
    if scale in SCALES:
        return SCALES[scale]
    try:
        count = int(scale)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--scale must be city, national or a number of children, not {scale!r}"
        ) from None
    if count < 1:
        raise argparse.ArgumentTypeError("--scale must be at least 1 child")
    return count


@dataclass
class Counts:
    """Rows written, per table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + count


def _weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values = [value for value, _ in pairs]
    total, cumulative = 0, []
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class Draw:
    """Weighted choices from one seeded generator, with the cumulative weights worked out
    once (random.choices works them out on every call)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, table: tuple[list[Any], list[int]]) -> Any:
        values, cumulative = table
        return values[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]


class Formats:
    """Values as the database takes them in a raw insert: UUIDs as 32 hex digits (both
    backends read them), dates as ISO text, moments as UTC text (with the offset for
    PostgreSQL; Django's SQLite columns hold naive UTC)."""

    def __init__(self, vendor: str) -> None:
        self.suffix = "+00:00" if vendor == "postgresql" else ""

        self.times = [f" {m // 60:02d}:{m % 60:02d}:00{self.suffix}" for m in range(1440)]
        self.days: dict[date, str] = {}

    def moment(self, day: date, minutes: int = 0) -> str:
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = day.isoformat()
        return text + self.times[minutes % 1440]


class Table:
    """A bulk write into one model's table: the columns given, every other column at its
    default (an error if a required column has none). A multi-row insert on SQLite; COPY on
    PostgreSQL, which streams the rows with no statement per row."""

    def __init__(self, model: Any, columns: Sequence[str], vendor: str) -> None:
        from django.db import connection
        from django.db.models import NOT_PROVIDED

        self.model = model
        self.name = model._meta.db_table
        self.vendor = vendor
        given = list(columns)
        quote = connection.ops.quote_name
        names, literals, defaults = [], [], []
        for model_field in model._meta.concrete_fields:
            column = model_field.column
            if column in given:
                continue
            value: Any
            if model_field.null:
                literal, value = "NULL", None
            elif model_field.default is not NOT_PROVIDED:
                value = model_field.get_default()
                if isinstance(value, bool):
                    literal = "TRUE" if value else "FALSE"
                elif isinstance(value, int):
                    literal = str(value)
                elif isinstance(value, (list, dict)):
                    value = json.dumps(value)
                    literal = "'" + value + "'"
                elif isinstance(value, str):
                    literal = "'" + value.replace("'", "''") + "'"
                else:
                    raise ValueError(f"{self.name}.{column}: give a value")
            elif model_field.blank and model_field.get_internal_type() in (
                "CharField",
                "TextField",
            ):
                literal, value = "''", ""
            else:
                raise ValueError(f"{self.name}.{column} has no default: give a value")
            names.append(quote(column))
            literals.append(literal)
            defaults.append(value)
        missing = set(given) - {f.column for f in model._meta.concrete_fields}
        if missing:
            raise ValueError(f"{self.name} has no columns {sorted(missing)}")
        placeholders = ", ".join(["%s"] * len(given) + literals)
        self.columns = given
        self.defaults = tuple(defaults)
        # Table and column names come from the models, literals from their defaults.
        into = ", ".join([quote(c) for c in given] + names)
        self.sql = f"INSERT INTO {quote(self.name)} ({into}) VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {quote(self.name)} ({into}) FROM STDIN"
        self.rows: list[tuple[Any, ...]] = []

    def write(self, cursor: Any, counts: Counts) -> None:
        if not self.rows:
            return
        if self.vendor == "postgresql":
            # Django's cursor wraps psycopg's, whose copy() streams the rows.
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in self.rows:
                    copy.write_row(row + self.defaults)
        else:
            cursor.executemany(self.sql, self.rows)
        counts.add(self.name, len(self.rows))
        self.rows = []


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, label: str, stream: Any = None) -> None:
        self.total, self.label, self.done = total, label, 0
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.perf_counter()

    def advance(self, count: int) -> None:
        self.done += count
        elapsed = time.perf_counter() - self.started
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(30 * share)
        left = elapsed / share - elapsed if share else 0.0
        self.stream.write(
            f"\r{self.label} [{bar:<30}] {self.done:,}/{self.total:,} children "
            f"{elapsed:,.0f} s, about {left:,.0f} s left "
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


@dataclass
class World:
    """The partnership the children live in: localities with their panel, organisations and
    their workers, panel seats and meetings."""

    today: date
    start: date
    localities: list[Any]  # Locality ids
    panel_of_locality: dict[Any, Any]
    panel_age: dict[Any, tuple[int, int]]
    organisations_by_kind: dict[str, list[tuple[Any, Any]]]  # kind -> [(id, locality id|None)]
    schools_by_locality: dict[Any, list[Any]]
    workers: dict[Any, list[Any]]  # organisation id -> user ids
    seats: dict[Any, list[tuple[Any, Any, Any]]]  # panel id -> [(member id, user, org)]
    meetings: dict[Any, tuple[list[date], list[Any]]]  # panel id -> (days, ids), in order
    domains: list[Any]
    coordinator: dict[Any, Any]  # panel id -> coordinator's user id


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _name_pools(seed: int) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """(boys, girls, family names) per community: the matching benchmark's lists widened with
    Faker's (en_GB for the English-named, pl_PL for Polish, en_IN for South Asian names)."""
    from faker import Faker

    from joinedup.matching import synthetic

    pools: dict[str, tuple[list[str], list[str], list[str]]] = {}
    communities = dict(
        zip(("english", "somali", "south_asian", "polish"), synthetic._COMMUNITIES, strict=True)
    )
    locales = {"english": "en_GB", "south_asian": "en_IN", "polish": "pl_PL"}
    for community, (_, boys, girls, surnames) in communities.items():
        pool = (
            [b.title() for b in boys],
            [g.title() for g in girls],
            [s.title() for s in surnames],
        )
        if community in locales:
            faker = Faker(locales[community])
            faker.seed_instance(seed)
            pool[0].extend(faker.first_name_male() for _ in range(150))
            pool[1].extend(faker.first_name_female() for _ in range(150))
            pool[2].extend(faker.last_name() for _ in range(300))
        pools[community] = (
            sorted(set(pool[0])),
            sorted(set(pool[1])),
            sorted(set(pool[2])),
        )
    return pools


def _build_world(rng: random.Random, children: int, today: date, seed: int) -> World:
    """The localities, panels, organisations, workers, panel seats and meetings, with the ORM
    (a few thousand rows at most at national scale)."""
    from faker import Faker

    from joinedup.accounts.models import Membership, User
    from joinedup.assessments.models import Domain
    from joinedup.assessments.services import domains_ensure_defaults
    from joinedup.core.roles import Role
    from joinedup.demo.catalogue import ORGANISATIONS
    from joinedup.demo.loader import _load_localities, _load_organisation
    from joinedup.organisations.models import Locality, Organisation
    from joinedup.panels.models import Attendance, Meeting, Panel, PanelMember, PanelRole
    from joinedup.referrals.services import concerns_ensure_defaults

    faker = Faker("en_GB")
    faker.seed_instance(seed)
    concerns_ensure_defaults()
    domains_ensure_defaults()
    demo_localities = _load_localities()
    for seed_row in ORGANISATIONS:
        _load_organisation(seed_row, demo_localities)

    # Localities, one panel each, up to one panel per CHILDREN_PER_PANEL children.
    wanted = max(len(demo_localities), math.ceil(children / CHILDREN_PER_PANEL))
    names = list(WARDS) + [f"{town} {n}" for n in range(1, 1000) for town in TOWNS]
    existing = {name.lower() for name in Locality.objects.values_list("name", flat=True)}
    extra = wanted - Panel.objects.filter(is_active=True).count()
    for name in names:
        if extra <= 0:
            break
        if name.lower() in existing:
            continue
        slug = "gen-" + "".join(c if c.isalnum() else "-" for c in name.lower())
        locality, _created = Locality.objects.get_or_create(slug=slug, defaults={"name": name})
        panel, _ = Panel.objects.get_or_create(
            slug=slug, defaults={"name": f"{name} panel", "minimum_age": 8, "maximum_age": 17}
        )
        panel.localities.add(locality)
        extra -= 1
    panels = list(Panel.objects.filter(is_active=True).prefetch_related("localities"))
    panel_of_locality = {loc.pk: p.pk for p in panels for loc in p.localities.all()}
    # In the order of their slugs, not their ids: the demo's localities get new random ids in
    # every database, and the seed must give the same children wherever it runs.
    slug_of = {loc.pk: loc.slug for p in panels for loc in p.localities.all()}
    localities = sorted(panel_of_locality, key=slug_of.__getitem__)

    # Organisations: the demo's, then made-up ones up to the scale's number.
    target = max(Organisation.objects.count(), round(children * ORGANISATIONS_PER_CHILD))
    taken = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
    kinds = _weighted(EXTRA_KINDS)
    draw = Draw(rng)
    new_organisations, new_links = [], []
    suffix = {
        "school": ("Primary School", "Academy", "Community School", "Junior School"),
        "community": ("Community Association", "Residents' Group", "Community Hub"),
        "voluntary": ("Youth Trust", "Family Project", "Mentoring Project"),
        "faith": ("Mosque Youth Group", "Church Youth Project", "Gurdwara Seva Group"),
        "health": ("Health Centre", "Medical Practice"),
        "youth_service": ("Youth Centre",),
        "housing": ("Housing Association",),
        "education": ("Education Welfare Team",),
        "careers": ("Careers Service",),
        "police": ("Neighbourhood Policing Team",),
        "social_care": ("Early Help Team",),
    }
    number = Organisation.objects.count()
    while number < target:
        kind = draw.pick(kinds)
        home = localities[rng.randrange(len(localities))]
        name = f"{faker.last_name()} {rng.choice(suffix[kind])}"
        if name.lower() in taken:
            name = f"{name} {number}"
        taken.add(name.lower())
        organisation = Organisation(
            id=_hex(rng), slug=f"gen-{number}", name=name, kind=kind, description=""
        )
        new_organisations.append(organisation)
        new_links.append(
            Organisation.localities.through(organisation_id=organisation.id, locality_id=home)
        )
        number += 1
    Organisation.objects.bulk_create(new_organisations, batch_size=2000)
    Organisation.localities.through.objects.bulk_create(new_links, batch_size=2000)

    organisations = list(Organisation.objects.prefetch_related("localities").order_by("slug"))
    by_kind: dict[str, list[tuple[Any, Any]]] = {}
    schools: dict[Any, list[Any]] = {}
    for organisation in organisations:
        places = [loc.pk for loc in organisation.localities.all()]
        place = places[0] if places else None
        by_kind.setdefault(organisation.kind, []).append((organisation.pk, place))
        if organisation.kind == "school":
            for locality_id in places or localities:
                schools.setdefault(locality_id, []).append(organisation.pk)

    # Workers: a few people per organisation, who refer, keywork and sit on panels.
    existing_workers = {
        m.organisation_id for m in Membership.objects.filter(user__email__endswith="@gen.test")
    }
    users, memberships = [], []
    for organisation in organisations:
        if organisation.pk in existing_workers:
            continue
        for n in range(WORKERS_PER_ORGANISATION):
            user = User(
                id=_hex(rng),
                email=f"{organisation.slug}.{n}@gen.test",
                full_name=f"{faker.first_name()} {faker.last_name()}",
                password="!",
            )
            users.append(user)
            hat = Role.KEYWORKER if organisation.kind in KEYWORKER_KINDS else Role.REFERRER
            memberships.append(
                Membership(
                    id=_hex(rng),
                    user=user,
                    organisation=organisation,
                    role=hat if n else Role.REFERRER,
                    job_title="Worker",
                    started_on=today - timedelta(days=YEARS * 366),
                )
            )
    User.objects.bulk_create(users, batch_size=2000)
    Membership.objects.bulk_create(memberships, batch_size=2000)
    workers: dict[Any, list[Any]] = {}
    for membership in Membership.objects.filter(user__email__endswith="@gen.test").order_by(
        "user__email"
    ):
        workers.setdefault(membership.organisation_id, []).append(membership.user_id)

    # Panel seats: a coordinator and chair from the council, members from the agencies.
    start = today - timedelta(days=YEARS * 365)
    council = by_kind["local_authority"][0][0]
    seats: dict[Any, list[tuple[Any, Any, Any]]] = {}
    coordinator: dict[Any, Any] = {}
    meetings: dict[Any, tuple[list[date], list[Any]]] = {}
    seat_rows, meeting_rows, attendance_rows = [], [], []
    statuses = _weighted((("present", 72), ("apologies", 18), ("absent", 10)))
    for index, panel in enumerate(sorted(panels, key=lambda p: p.slug)):
        local = panel.localities.all()[0].pk
        chosen: list[tuple[Any, str]] = [
            (council, PanelRole.COORDINATOR),
            (council, PanelRole.CHAIR),
        ]
        for kind in ("police", "school", "social_care", "health", "youth_service", "voluntary"):
            options = by_kind.get(kind) or by_kind["partnership_body"]
            nearby = [o for o, place in options if place in (local, None)] or [options[0][0]]
            chosen.append((nearby[rng.randrange(len(nearby))], PanelRole.MEMBER))
        panel_seats = []
        for n, (organisation_id, role) in enumerate(chosen):
            people = workers[organisation_id]
            member = PanelMember(
                id=_hex(rng),
                panel=panel,
                user_id=people[n % len(people)],
                organisation_id=organisation_id,
                role=role,
                started_on=start - timedelta(days=30),
                has_delegated_authority=role != PanelRole.MEMBER or n % 2 == 0,
            )
            seat_rows.append(member)
            panel_seats.append((member.id, member.user_id, organisation_id))
        seats[panel.pk] = panel_seats
        coordinator[panel.pk] = panel_seats[0][1]
        # Monthly meetings from the start to two months ahead, on a weekday of their own.
        days, ids = [], []
        month = date(start.year, start.month, 1)
        while month <= today + timedelta(days=62):
            day = month + timedelta(days=7 + index % 14)
            meeting = Meeting(
                id=_hex(rng),
                panel=panel,
                starts_at=datetime(day.year, day.month, day.day, MEETING_HOUR_UTC).replace(
                    tzinfo=_utc()
                ),
                location="Community centre",
                created_by_id=coordinator[panel.pk],
            )
            meeting_rows.append(meeting)
            days.append(day)
            ids.append(meeting.id)
            if day < today:
                for member_id, _, _ in panel_seats:
                    attendance_rows.append(
                        Attendance(
                            id=_hex(rng),
                            meeting=meeting,
                            member_id=member_id,
                            status=draw.pick(statuses),
                            recorded_by_id=coordinator[panel.pk],
                        )
                    )
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        meetings[panel.pk] = (days, ids)
    PanelMember.objects.bulk_create(seat_rows, batch_size=2000)
    Meeting.objects.bulk_create(meeting_rows, batch_size=2000)
    Attendance.objects.bulk_create(attendance_rows, batch_size=5000)

    return _plain(
        World(
            today=today,
            start=start,
            localities=localities,
            panel_of_locality=panel_of_locality,
            panel_age={p.pk: (p.minimum_age, p.maximum_age) for p in panels},
            organisations_by_kind=by_kind,
            schools_by_locality=schools,
            workers=workers,
            seats=seats,
            meetings=meetings,
            domains=list(
                Domain.objects.filter(panel__isnull=True, is_active=True).values_list(
                    "pk", flat=True
                )
            ),
            coordinator=coordinator,
        )
    )


def _plain(world: World) -> World:
    """The world with every UUID as the 32 hex digits the raw inserts write, so rows are made
    from plain strings."""
    import uuid
    from dataclasses import fields, replace

    def plain(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, dict):
            return {plain(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(plain(v) for v in value)
        return value

    return replace(world, **{f.name: plain(getattr(world, f.name)) for f in fields(world)})


def _utc() -> Any:
    from datetime import UTC

    return UTC


def _counter_code(value: int, alphabet: str, length: int) -> str:
    base = len(alphabet)
    chars = []
    for _ in range(length):
        value, digit = divmod(value, base)
        chars.append(alphabet[digit])
    return "".join(chars)


class Identifiers:
    """References and pseudonym codes without repeats and without keeping every one made:
    the n-th child's is n scrambled by a multiplication that maps every number below the
    alphabet's size to a different one. Codes already in the database are skipped."""

    def __init__(self, rng: random.Random, taken_references: set[str], taken_codes: set[str]):
        from joinedup.children import identifiers

        self.identifiers = identifiers
        self.reference_space = 31**7
        self.code_space = 32**5
        self.reference_step = 7_919_000_003  # not a multiple of 31
        self.code_step = 16_777_259  # odd: coprime to 32**5
        self.reference_offset = rng.randrange(self.reference_space)
        self.code_offset = rng.randrange(self.code_space)
        self.taken_references, self.taken_codes = taken_references, taken_codes
        self.number = 0

    def next(self) -> tuple[str, str]:
        while True:
            n = self.number
            self.number += 1
            body = _counter_code(
                (n * self.reference_step + self.reference_offset) % self.reference_space,
                self.identifiers.REFERENCE_ALPHABET,
                7,
            )
            code = _counter_code(
                (n * self.code_step + self.code_offset) % self.code_space,
                self.identifiers.CROCKFORD,
                5,
            )
            reference = self.identifiers.reference_from(body)
            if reference not in self.taken_references and code not in self.taken_codes:
                return reference, code


def _tables(vendor: str) -> dict[str, Table]:
    """The tables a chunk of children is written to, in an order their keys allow."""
    from joinedup.actions.models import Action
    from joinedup.assessments.models import Assessment, DomainRating
    from joinedup.children.models import Child
    from joinedup.panels.models import AgendaItem, Decision
    from joinedup.plans.models import Intervention, Plan
    from joinedup.referrals.models import Referral

    return {
        "child": Table(
            Child,
            [
                "id",
                "created_at",
                "updated_at",
                "reference",
                "pseudonym_code",
                "given_name",
                "family_name",
                "date_of_birth",
                "date_of_birth_is_approximate",
                "nhs_number",
                "sex",
                "ethnicity",
                "first_language",
                "interpreter_needed",
                "religion",
                "school_id",
                "locality_id",
            ],
            vendor,
        ),
        "referral": Table(
            Referral,
            [
                "id",
                "created_at",
                "updated_at",
                "child_id",
                "referrer_id",
                "referring_organisation_id",
                "relationship_to_child",
                "what_has_been_tried",
                "urgency",
                "family_aware",
                "family_not_aware_reason",
                "status",
                "panel_id",
                "signposting",
                "submitted_at",
            ],
            vendor,
        ),
        "item": Table(
            AgendaItem,
            [
                "id",
                "created_at",
                "updated_at",
                "meeting_id",
                "child_id",
                "referral_id",
                "added_by_id",
            ],
            vendor,
        ),
        "plan": Table(
            Plan,
            [
                "id",
                "created_at",
                "updated_at",
                "child_id",
                "keyworker_id",
                "keyworker_organisation_id",
                "panel_id",
                "status",
                "opened_on",
                "opened_by_id",
                "next_review_on",
                "closed_on",
                "closed_by_id",
                "outcome",
                "outcome_reason",
                "what_changed",
                "follow_up_on",
            ],
            vendor,
        ),
        "decision": Table(
            Decision,
            [
                "id",
                "created_at",
                "updated_at",
                "item_id",
                "outcome",
                "rationale",
                "signpost_to",
                "deferred_to_id",
                "defer_reason",
                "decided_by_id",
                "plan_id",
                "rule_snapshot",
                "quorum_snapshot",
            ],
            vendor,
        ),
        "intervention": Table(
            Intervention,
            [
                "id",
                "created_at",
                "updated_at",
                "plan_id",
                "service",
                "purpose",
                "provider_organisation_id",
                "starts_on",
                "frequency",
                "status",
                "stopped_reason",
            ],
            vendor,
        ),
        "assessment": Table(
            Assessment,
            [
                "id",
                "created_at",
                "updated_at",
                "child_id",
                "referral_id",
                "panel_id",
                "kind",
                "version",
                "status",
                "assessed_by_id",
                "organisation_id",
                "assessed_on",
                "serious_harm",
                "completed_at",
                "completed_by_id",
            ],
            vendor,
        ),
        "rating": Table(
            DomainRating,
            [
                "id",
                "created_at",
                "updated_at",
                "assessment_id",
                "domain_id",
                "rating",
                "evidence",
            ],
            vendor,
        ),
        "action": Table(
            Action,
            [
                "id",
                "created_at",
                "updated_at",
                "title",
                "owner_id",
                "organisation_id",
                "due_on",
                "panel_id",
                "meeting_id",
                "agenda_item_id",
                "child_id",
                "created_by_id",
                "status",
                "completed_at",
                "completed_by_id",
                "cancelled_at",
                "cancelled_reason",
            ],
            vendor,
        ),
    }


class Generator:
    """Makes the rows of one chunk of children at a time (see `chunk`)."""

    def __init__(
        self, world: World, seed: int, vendor: str, taken: tuple[set[str], set[str]], chunk: int
    ) -> None:
        rng = random.Random(seed)  # noqa: S311 - reproducible made-up data, not secrets
        self.seed, self.chunk_size = seed, chunk
        self.world, self.rng, self.draw = world, rng, Draw(rng)
        self.fmt = Formats(vendor)
        self.pools = _name_pools(seed)
        self.communities = _weighted(
            (("english", 60), ("somali", 14), ("south_asian", 16), ("polish", 10))
        )
        self.ethnicity = {k: _weighted(v) for k, v in ETHNICITY.items()}
        self.religion = {k: _weighted(v) for k, v in RELIGION.items()}
        self.referrals_per_child = _weighted(REFERRALS_PER_CHILD)
        self.ages = _weighted(list(zip(AGE_AT_FIRST_REFERRAL, AGE_WEIGHTS, strict=True)))
        self.referrer_kinds = _weighted(REFERRER_KINDS)
        self.outcomes = _weighted(OUTCOME_WEIGHTS)
        self.final_outcomes = _weighted([o for o in OUTCOME_WEIGHTS if o[0] != "defer"])
        self.plan_outcomes = _weighted(PLAN_OUTCOMES)
        self.first_rating = _weighted(((0, 10), (1, 25), (2, 30), (3, 22), (4, 13)))
        self.keyworker_organisations = [
            (o, place)
            for kind in KEYWORKER_KINDS
            for o, place in world.organisations_by_kind.get(kind, [])
        ]
        self.span = (world.today - world.start).days
        self.ids = Identifiers(rng, *taken)
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLE_NAMES}
        self.children_made = 0
        self.prefix_text, self.serial, self.goal = "", 0, 0
        self.iso_days: dict[date, str] = {}
        self.random = rng.random

    # --- one child ------------------------------------------------------------------------

    def _day(self) -> date:
        return self.world.start + timedelta(days=self.below(self.span))

    def _organisation(self, kind: str, locality: Any) -> Any:
        options = (
            self.world.organisations_by_kind.get(kind)
            or self.world.organisations_by_kind["partnership_body"]
        )
        for _ in range(4):
            organisation, place = options[self.below(len(options))]
            if place is None or place == locality:
                return organisation
        return organisation

    def _worker(self, organisation: Any) -> Any:
        people = self.world.workers[organisation]
        return people[self.below(len(people))]

    def child(self) -> None:
        """One child and everything that happened after their referrals; now and then a second
        record of the same child, written differently, referred once more."""
        draw, world = self.draw, self.world
        community = draw.pick(self.communities)
        boys, girls, surnames = self.pools[community]
        sex = "female" if self.random() < 0.45 else "male"  # more boys are referred
        given = (girls if sex == "female" else boys)[
            self.below(len(girls if sex == "female" else boys))
        ]
        family = surnames[self.below(len(surnames))]
        first_referral = self._day()
        age = draw.pick(self.ages)
        born = first_referral - timedelta(days=365 * age + self.below(365) + age // 4)
        locality = world.localities[self.below(len(world.localities))]
        schools = world.schools_by_locality.get(locality) or [None]
        school = schools[self.below(len(schools))]
        roll = self.random()
        ethnicity = (
            "not_recorded"
            if roll < 0.07
            else "prefer_not_to_say"
            if roll < 0.09
            else draw.pick(self.ethnicity[community])
        )
        roll = self.random()
        religion = (
            ""
            if roll < 0.2
            else "prefer_not_to_say"
            if roll < 0.23
            else draw.pick(self.religion[community])
        )
        record = {
            "given": given,
            "family": family,
            "born": born,
            "sex": "not_known" if self.random() < 0.01 else sex,
            "ethnicity": ethnicity,
            "religion": religion,
            "school": None if self.random() < 0.06 else school,
            "locality": None if self.random() < 0.02 else locality,
            "language": LANGUAGE[community] if self.random() < 0.9 else "",
            "approximate": self.random() < 0.01,
            "nhs": "",
        }
        child_id = self._child_row(record)
        count = draw.pick(self.referrals_per_child)
        days = sorted(
            [first_referral]
            + [
                min(
                    world.today - timedelta(days=1),
                    first_referral + timedelta(days=self.between(60, 3 * 365)),
                )
                for _ in range(count - 1)
            ]
        )
        self._history(child_id, born, locality, days)
        duplicate = self.random() < DUPLICATE_RATE / (1 - DUPLICATE_RATE)
        if duplicate and self.children_made < self.goal:  # never more records than asked
            self._duplicate(record, locality, days[-1])

    def _child_row(self, record: dict[str, Any]) -> str:
        child_id = self.uid()
        reference, code = self.ids.next()
        created = self.fmt.moment(self.world.start, self.below(1440))
        self.rows["child"].append(
            (
                child_id,
                created,
                created,
                reference,
                code,
                record["given"],
                record["family"],
                record["born"].isoformat(),
                record["approximate"],
                record["nhs"],
                record["sex"],
                record["ethnicity"],
                record["language"],
                record["language"] not in ("", "English") and self.random() < 0.3,
                record["religion"],
                record["school"],
                record["locality"],
            )
        )
        self.children_made += 1
        return child_id

    def _duplicate(self, record: dict[str, Any], locality: Any, after: date) -> None:
        """The same child recorded again by another agency: a typo, a nickname, day and month
        swapped or fields left blank (joinedup.matching.synthetic's errors)."""
        from joinedup.matching import synthetic
        from joinedup.matching.records import PersonRecord

        person = PersonRecord(
            record_id="x",
            given_name=record["given"].lower(),
            family_name=record["family"].lower(),
            date_of_birth=record["born"],
            sex="F" if record["sex"] == "female" else "M",
        )
        copy = synthetic._new_child_record(self.rng, "y", person)
        again = dict(record)
        again.update(
            given=(copy.given_name or record["given"])[:100],
            family=(copy.family_name or record["family"])[:100],
            born=copy.date_of_birth or record["born"],
            sex={"F": "female", "M": "male"}.get(copy.sex, "not_known"),
            ethnicity="not_recorded" if self.random() < 0.5 else record["ethnicity"],
        )
        child_id = self._child_row(again)
        # Referred again a little after the last time, by someone who did not find the record.
        again_on = min(
            self.world.today - timedelta(days=1), after + timedelta(days=self.between(14, 400))
        )
        self._history(child_id, again["born"], locality, [again_on])

    def _history(self, child_id: str, born: date, locality: Any, days: list[date]) -> None:
        draw, world, fmt = self.draw, self.world, self.fmt
        panel = world.panel_of_locality[locality]
        meeting_days, meeting_ids = world.meetings[panel]
        lowest, highest = world.panel_age[panel]
        seats = world.seats[panel]
        coordinator = world.coordinator[panel]
        used_meetings: set[int] = set()
        plan: dict[str, Any] | None = None
        version = 0
        for submitted in days:
            kind = draw.pick(self.referrer_kinds)
            organisation = self._organisation(kind, locality)
            referral_id = self.uid()
            at = fmt.moment(submitted, self.between(8 * 60, 18 * 60))
            age = (
                submitted.year
                - born.year
                - ((submitted.month, submitted.day) < (born.month, born.day))
            )
            eligible = lowest <= age <= highest
            aware = (
                "yes" if self.random() < 0.8 else "yes_not_agreed" if self.random() < 0.5 else "no"
            )
            self.rows["referral"].append(
                (
                    referral_id,
                    at,
                    at,
                    child_id,
                    self._worker(organisation),
                    organisation,
                    self.choice(RELATIONSHIP_OF_KIND.get(kind, ("Community worker",))),
                    TRIED[self.below(len(TRIED))],
                    "routine"
                    if self.random() < 0.6
                    else "soon"
                    if self.random() < 0.7
                    else "urgent",
                    aware,
                    "The family has not been told yet: we are arranging to meet them."
                    if aware == "no"
                    else "",
                    "received" if eligible else "not_eligible",
                    panel,
                    "" if eligible else "Open-access youth sessions in the area.",
                    at,
                )
            )
            if not eligible:
                continue
            # The first meeting at least a week later that the child is not already on.
            index = bisect.bisect_left(meeting_days, submitted + timedelta(days=7))
            while index in used_meetings:
                index += 1
            outcome = draw.pick(self.outcomes)
            while index < len(meeting_days):
                used_meetings.add(index)
                meeting_day, meeting_id = meeting_days[index], meeting_ids[index]
                item_id = self.uid()
                added = fmt.moment(meeting_day - timedelta(days=3), 10 * 60)
                self.rows["item"].append(
                    (item_id, added, added, meeting_id, child_id, referral_id, coordinator)
                )
                if meeting_day >= world.today:
                    break  # not decided yet
                decided = fmt.moment(meeting_day, MEETING_HOUR_UTC * 60 + 30 + self.below(90))
                plan_id = None
                deferred_to = None
                following = index + 1
                if outcome == "defer":
                    while following in used_meetings:
                        following += 1
                    if following < len(meeting_ids):
                        deferred_to = meeting_ids[following]
                    else:
                        outcome = "no_further_action"
                if outcome == "support_plan":
                    if plan is not None and (
                        plan["closed"] is None or plan["closed"] >= meeting_day
                    ):
                        plan_id = plan["id"]  # the open plan carries on
                    else:
                        opened = meeting_day + timedelta(days=self.between(1, 22))
                        if opened < world.today:
                            version, plan = self._plan(
                                child_id, referral_id, panel, opened, version
                            )
                            plan_id = plan["id"]
                self.rows["decision"].append(
                    (
                        self.uid(),
                        decided,
                        decided,
                        item_id,
                        outcome,
                        RATIONALE[outcome],
                        "The school's mentoring scheme" if outcome == "signpost" else "",
                        deferred_to,
                        "The panel needs the school's view first." if deferred_to else "",
                        seats[1][1],
                        plan_id,
                        RULE_SNAPSHOT[outcome == "support_plan"],
                        QUORUM_SNAPSHOT,
                    )
                )
                if outcome in ("support_plan", "signpost", "defer"):
                    self._actions(item_id, meeting_id, meeting_day, panel, child_id, seats)
                if outcome != "defer":
                    break
                index = following
                outcome = draw.pick(self.final_outcomes)

    def _plan(
        self, child_id: str, referral_id: str, panel: Any, opened: date, version: int
    ) -> tuple[int, dict[str, Any]]:
        draw, world, fmt = self.draw, self.world, self.fmt
        organisation, _ = self.keyworker_organisations[
            self.below(len(self.keyworker_organisations))
        ]
        keyworker = self._worker(organisation)
        plan_id = self.uid()
        closes = opened + timedelta(days=self.between(84, 450))
        closed = closes if closes < world.today else None
        outcome = draw.pick(self.plan_outcomes) if closed else ""
        reason = OUTCOME_REASON[outcome] if closed and self.random() > 0.04 else ""
        next_review = opened + timedelta(weeks=12)
        if closed is None:
            while next_review < world.today - timedelta(days=self.between(0, 40)):
                next_review += timedelta(weeks=12)
        made = fmt.moment(opened, 11 * 60)
        self.rows["plan"].append(
            (
                plan_id,
                made,
                fmt.moment(closed, 12 * 60) if closed else made,
                child_id,
                keyworker,
                organisation,
                panel,
                "closed" if closed else "open",
                self.iso(opened),
                keyworker,
                self.iso(next_review),
                self.iso(closed) if closed else None,
                keyworker if closed else None,
                outcome,
                reason,
                "School attendance and mood are better, the family says." if closed else "",
                (closed + timedelta(days=91)).isoformat() if closed else None,
            )
        )
        # Services: one to three, each starting after a wait.
        for _ in range(self.choice((1, 1, 2, 2, 3))):
            purpose, service = PURPOSES[self.below(len(PURPOSES))]
            starts = opened + timedelta(days=self.choice((0, 3, 7, 14, 21, 30, 45, 60, 90)))
            if closed and starts > closed:
                starts = opened
            if closed:
                status = "stopped" if self.random() < 0.1 else "finished"
            else:
                status = "started" if starts <= world.today else "planned"
            provider = self._organisation(
                self.choice(("voluntary", "community", "youth_service", "health")), None
            )
            self.rows["intervention"].append(
                (
                    self.uid(),
                    made,
                    made,
                    plan_id,
                    service,
                    purpose,
                    provider,
                    self.iso(starts),
                    "Weekly",
                    status,
                    "The child stopped going." if status == "stopped" else "",
                )
            )
        # The first assessment when the plan opens; the final one when it closes (most plans).
        first = [draw.pick(self.first_rating) for _ in world.domains]
        version += 1
        self._assessment(
            child_id, referral_id, panel, organisation, keyworker, "initial", version, opened, first
        )
        if closed and self.random() < 0.93:
            changes = RATING_CHANGE[outcome]
            last = [min(4, max(0, r - changes[self.below(len(changes))])) for r in first]
            version += 1
            self._assessment(
                child_id,
                referral_id,
                panel,
                organisation,
                keyworker,
                "final",
                version,
                closed,
                last,
            )
        return version, {"id": plan_id, "closed": closed}

    def _assessment(
        self,
        child_id: str,
        referral_id: str,
        panel: Any,
        organisation: Any,
        keyworker: Any,
        kind: str,
        version: int,
        on: date,
        ratings: list[int],
    ) -> None:
        fmt = self.fmt
        assessment_id = self.uid()
        at = fmt.moment(on, 14 * 60)
        self.rows["assessment"].append(
            (
                assessment_id,
                at,
                at,
                child_id,
                referral_id,
                panel,
                kind,
                version,
                "completed",
                keyworker,
                organisation,
                self.iso(on),
                "none",
                at,
                keyworker,
            )
        )
        rows = self.rows["rating"]
        for domain, rating in zip(self.world.domains, ratings, strict=True):
            rows.append(
                (
                    self.uid(),
                    at,
                    at,
                    assessment_id,
                    domain,
                    rating,
                    "Seen in the last month by school and family." if rating else "",
                )
            )

    def _actions(
        self,
        item_id: str,
        meeting_id: Any,
        meeting_day: date,
        panel: Any,
        child_id: str,
        seats: list[tuple[Any, Any, Any]],
    ) -> None:
        fmt, today = self.fmt, self.world.today
        for _ in range(self.choice((1, 1, 2))):
            _, owner, organisation = seats[2 + self.below(len(seats) - 2)]
            due = meeting_day + timedelta(days=self.choice((7, 14, 21, 28)))
            roll = self.random()
            completed = cancelled = None
            status = "open"
            if due < today - timedelta(days=30) or (due < today and roll < 0.5):
                if roll < 0.78:
                    status = "done"
                    completed = fmt.moment(
                        min(today, due + timedelta(days=self.between(-10, 20))), 12 * 60
                    )
                elif roll < 0.84:
                    status = "cancelled"
                    cancelled = fmt.moment(due, 12 * 60)
            made = fmt.moment(meeting_day, 17 * 60)
            self.rows["action"].append(
                (
                    self.uid(),
                    made,
                    made,
                    "Share the school's attendance record with the keyworker",
                    owner,
                    organisation,
                    self.iso(due),
                    panel,
                    meeting_id,
                    item_id,
                    child_id,
                    self.world.coordinator[panel],
                    status,
                    completed,
                    owner if completed else None,
                    cancelled,
                    "No longer needed: the family moved." if cancelled else "",
                )
            )

    # --- drawing ------------------------------------------------------------------------

    def uid(self) -> str:
        """Ids in the order they are made (chunk, then serial number), with random low bits:
        rows go in at the end of each index instead of all over it, as with UUIDv7."""
        self.serial += 1
        return self.prefix_text + format(self.serial, "016x")

    def iso(self, day: date) -> str:
        text = self.iso_days.get(day)
        if text is None:
            text = self.iso_days[day] = day.isoformat()
        return text

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low))

    def choice(self, values: Sequence[Any]) -> Any:
        return values[int(self.random() * len(values))]

    def make_chunk(self, index: int, size: int) -> dict[str, list[tuple[Any, ...]]]:
        """The rows of chunk `index`: `size` child records and what followed. Each chunk has a
        generator of its own, seeded from the seed and the chunk's number, so chunks can be
        made in any order, or in other processes, and still come out the same."""
        self.rng = random.Random(f"{self.seed}:{index}")  # noqa: S311 - made-up data
        self.draw.rng = self.rng
        self.random = self.rng.random
        self.prefix_text = format(
            self.rng.getrandbits(64) & ~(0xFFFFFFFF << 32) | (index + 1) << 32, "016x"
        )
        self.serial = 0
        self.iso_days = {}
        self.ids.number = index * 2 * self.chunk_size
        self.children_made = 0
        self.goal = size
        while self.children_made < size:
            self.child()
        rows, self.rows = self.rows, {name: [] for name in TABLE_NAMES}
        return rows


_WORKER: Generator | None = None


def _drop_indexes(connection: Any, tables: list[str]) -> list[str]:
    """Outside a transaction, the tables' indexes dropped for the load (an index built once at
    the end is far quicker than one kept up row by row); returns the statements that build
    them again (a unique one that the data broke then fails loudly). Primary keys and the
    indexes behind other constraints stay."""
    if connection.in_atomic_block or connection.vendor not in ("sqlite", "postgresql"):
        return []
    marks = ", ".join(["%s"] * len(tables))
    if connection.vendor == "sqlite":
        query = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})"  # noqa: E501, S608 - placeholders only
    else:
        query = f"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({marks}) AND indexname NOT IN (SELECT conname FROM pg_constraint)"  # noqa: E501, S608 - placeholders only
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql for _, sql in indexes]


def _make_chunk(task: tuple[int, int]) -> dict[str, list[tuple[Any, ...]]]:
    """In a worker process (forked after the world was built): one chunk's rows."""
    assert _WORKER is not None
    return _WORKER.make_chunk(*task)


def generate(
    children: int,
    *,
    seed: int = 2026,
    today: date | None = None,
    progress: bool = True,
    chunk: int = CHUNK,
    processes: int | None = None,
) -> Counts:
    """Write `children` child records (duplicates included) with their referrals and
    everything after them into the default database. Returns the rows written per table.

    The rows are made in `processes` worker processes (by default one fewer than the
    machine's processors, and none for small numbers) while this one writes them."""
    global _WORKER
    from django.db import connection, transaction
    from django.utils import timezone

    from joinedup.children.models import Child

    rng = random.Random(seed)  # noqa: S311 - reproducible made-up data, not secrets
    today = today or timezone.localdate()
    vendor = connection.vendor
    with transaction.atomic():
        world = _build_world(rng, children, today, seed)
    taken = Child.objects.values_list("reference", "pseudonym_code")
    generator = Generator(
        world, seed, vendor, ({r for r, _ in taken}, {c for _, c in taken}), chunk
    )
    tables = _tables(vendor)
    counts = Counts()
    bar = Progress(children, "Generating") if progress else None

    def loading() -> None:
        if vendor == "sqlite" and not connection.in_atomic_block:
            import sqlite3
            import uuid

            # The ids read back through the ORM are UUIDs; Django's SQLite columns hold them
            # as 32 hex digits.
            sqlite3.register_adapter(uuid.UUID, lambda value: value.hex)
            with connection.cursor() as cursor:
                # A large page cache and a plain rollback journal while loading (twice as
                # fast as the write-ahead log here); the log is back at the end, and the
                # other settings with the next connection.
                cursor.execute("PRAGMA cache_size=-1000000")
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA journal_mode=DELETE")
        elif vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # Nothing is lost by not waiting for each chunk to reach the disk: a load cut
                # short is started again. For this connection only.
                cursor.execute("SET synchronous_commit TO off")
                cursor.execute("SET maintenance_work_mem TO '512MB'")

    tasks = [
        (index, min(chunk, children - index * chunk))
        for index in range(math.ceil(children / chunk))
    ]
    rebuilt = _drop_indexes(connection, [tables[name].name for name in TABLE_NAMES])
    if processes is None:
        processes = max(1, (os.cpu_count() or 1) - 1) if len(tasks) > 2 else 0

    def write(rows: dict[str, list[tuple[Any, ...]]], size: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for name in TABLE_NAMES:
                tables[name].rows = rows[name]
                tables[name].write(cursor, counts)
        if bar:
            bar.advance(size)

    if processes:
        import multiprocessing

        # The workers only compute rows: they never touch the database connection they
        # inherit.
        _WORKER = generator
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            loading()
            # At most two chunks waiting per worker, so memory stays bounded.
            pending: list[Any] = []
            for task in tasks:
                pending.append((pool.apply_async(_make_chunk, (task,)), task[1]))
                if len(pending) > 2 * processes:
                    result, size = pending.pop(0)
                    write(result.get(), size)
            for result, size in pending:
                write(result.get(), size)
        _WORKER = None
    else:
        loading()
        for task in tasks:
            write(generator.make_chunk(*task), task[1])
    if bar:
        bar.finish()
    with connection.cursor() as cursor:
        for sql in rebuilt:
            cursor.execute(sql)
        cursor.execute("ANALYZE")
        if vendor == "sqlite" and not connection.in_atomic_block:
            cursor.execute("PRAGMA journal_mode=WAL")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m joinedup.demo.generate",
        description="Write synthetic children, referrals and what followed into the database.",
    )
    parser.add_argument(
        "--scale",
        type=children_for,
        default=SCALES["city"],
        help="city (50,000 children), national (1,000,000) or a number of children",
    )
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    started = time.perf_counter()
    counts = generate(arguments.scale, seed=arguments.seed)
    seconds = time.perf_counter() - started
    for table, count in counts.rows.items():
        print(f"{table:<32}{count:>12,}")
    print(f"{'seconds':<32}{seconds:>12,.1f}")


if __name__ == "__main__":
    main()
