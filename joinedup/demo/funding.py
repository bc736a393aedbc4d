"""Demo funding (issue 7, point 7): a Bristol-like partnership's funders and streams, some
ending within 3 and 6 months, paying for demo directory services and a few staff posts. Dates
are relative to the day it is loaded; loading again changes nothing. Runs after the directory
demo, which rewrites its services' funding lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from joinedup.demo.catalogue import EASTON, LOCKLEAZE
from joinedup.directory.models import Funding, Service
from joinedup.funding.models import (
    FundedPost,
    FundedService,
    Funder,
    FunderKind,
    FundingStream,
    Post,
)
from joinedup.organisations.models import Locality, Organisation


@dataclass(frozen=True)
class StreamSeed:
    funder: str
    name: str
    purpose: str
    amount: int
    days_left: int
    years: int
    locality: str | None  # slug; None: the whole city
    services: tuple[tuple[str, int | None], ...]  # (directory service name, amount)
    posts: tuple[tuple[str, str, str], ...] = ()  # (title, employer slug, hours a week)
    is_renewable: bool = False


FUNDERS: tuple[tuple[str, FunderKind, str | None], ...] = (
    ("Bristol City Council", FunderKind.LOCAL_AUTHORITY, "bristol-city-council"),
    ("National Lottery Community Fund", FunderKind.LOTTERY_TRUST, None),
    (
        "Avon and Somerset Police and Crime Commissioner",
        FunderKind.POLICE_CRIME_COMMISSIONER,
        None,
    ),
    ("Quartet Community Foundation", FunderKind.LOTTERY_TRUST, None),
)

STREAMS: tuple[StreamSeed, ...] = (
    StreamSeed(
        "Bristol City Council",
        "Early help grant",
        "Family support and one-to-one work with children at risk of exclusion or offending, "
        "for children referred through the panels.",
        240_000,
        days_left=70,
        years=2,
        locality=None,
        services=(("Family support at home", 60_000), ("Family support project", 80_000)),
        posts=(
            ("Family support worker", "barnardos", "22.2"),
            ("Panel coordinator", "bristol-city-council", "37"),
        ),
        is_renewable=True,
    ),
    StreamSeed(
        "National Lottery Community Fund",
        "Reaching Communities: youth activities",
        "Youth clubs and outdoor activities for young people in Lockleaze and Easton.",
        150_000,
        days_left=160,
        years=3,
        locality=LOCKLEAZE,
        services=(("Lockleaze School youth club", None), ("Purdown Outdoor Challenge", 30_000)),
        posts=(("Youth worker", "youth-service", "18.5"),),
    ),
    StreamSeed(
        "Avon and Somerset Police and Crime Commissioner",
        "Community safety fund",
        "Diversionary activities and mentoring for young people drawn towards offending.",
        60_000,
        days_left=40,
        years=1,
        locality=EASTON,
        services=(("Junior boxing", 15_000), ("One-to-one mentoring", 25_000)),
    ),
    StreamSeed(
        "Quartet Community Foundation",
        "Grant for bereaved children",
        "Support groups and one-to-one support for children after a death in the family.",
        45_000,
        days_left=330,
        years=2,
        locality=None,
        services=(("Children's bereavement support", 45_000),),
    ),
)


@transaction.atomic
def load_demo_funding() -> None:
    today = timezone.localdate()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    localities = {locality.slug: locality for locality in Locality.objects.all()}
    funders = {}
    for name, kind, organisation in FUNDERS:
        funders[name], _ = Funder.objects.update_or_create(
            name=name,
            defaults={"kind": kind, "organisation": organisations.get(organisation or "")},
        )
    for seed in STREAMS:
        ends_on = today + timedelta(days=seed.days_left)
        stream, _ = FundingStream.objects.update_or_create(
            funder=funders[seed.funder],
            name=seed.name,
            defaults={
                "purpose": seed.purpose,
                "amount": Decimal(seed.amount),
                "starts_on": ends_on - timedelta(days=365 * seed.years),
                "ends_on": ends_on,
                "locality": localities.get(seed.locality) if seed.locality else None,
                "is_renewable": seed.is_renewable,
                "renewal_decision_on": ends_on - timedelta(days=30) if seed.is_renewable else None,
            },
        )
        for service_name, amount in seed.services:
            service = Service.objects.filter(name=service_name).first()
            if service is None:
                continue
            share = None if amount is None else Decimal(amount)
            FundedService.objects.update_or_create(
                stream=stream, service=service, defaults={"amount": share}
            )
            Funding.objects.update_or_create(
                service=service,
                stream=stream,
                defaults={
                    "source": str(stream),
                    "amount": share,
                    "starts_on": stream.starts_on,
                    "ends_on": stream.ends_on,
                },
            )
        for title, employer, hours in seed.posts:
            employs = organisations.get(employer)
            if employs is None:
                continue
            post, _ = Post.objects.get_or_create(
                title=title, organisation=employs, hours_per_week=Decimal(hours)
            )
            FundedPost.objects.get_or_create(stream=stream, post=post)
