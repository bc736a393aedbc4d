"""A synthetic directory of any size, made in bulk, for benchmarks and load tests: services
spread over the city's postcode districts and localities, with needs, ages, languages, costs,
opening times and funding that ends over the next two years. Deterministic for a given seed.

Never used for the demo, whose services are written by hand (joinedup/demo/directory.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from joinedup.directory.models import (
    Contact,
    CostOption,
    Funding,
    Location,
    PostcodeDistrict,
    Provider,
    ReferralRoute,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)
from joinedup.directory.search_text import search_text
from joinedup.organisations.models import Locality
from joinedup.plans.models import Purpose

# Bristol's postcode districts with the rough centre of each (latitude, longitude).
DISTRICTS: dict[str, tuple[float, float]] = {
    "BS1": (51.4545, -2.5930),
    "BS2": (51.4620, -2.5790),
    "BS3": (51.4400, -2.6040),
    "BS4": (51.4330, -2.5640),
    "BS5": (51.4640, -2.5540),
    "BS6": (51.4720, -2.5990),
    "BS7": (51.4860, -2.5800),
    "BS8": (51.4570, -2.6200),
    "BS9": (51.4930, -2.6250),
    "BS10": (51.5080, -2.6020),
    "BS11": (51.4960, -2.6810),
    "BS13": (51.4130, -2.6100),
    "BS14": (51.4130, -2.5620),
    "BS15": (51.4580, -2.5020),
    "BS16": (51.4860, -2.5180),
}

NEEDS: tuple[tuple[str, str], ...] = (
    ("Mentoring", Purpose.MENTORING),
    ("Learning support", Purpose.LEARNING),
    ("Getting back into school", Purpose.LEARNING),
    ("Parenting support", Purpose.FAMILY),
    ("Family support", Purpose.FAMILY),
    ("Emotional wellbeing", Purpose.WELLBEING),
    ("Bereavement", Purpose.WELLBEING),
    ("Sport", Purpose.ACTIVITIES),
    ("Outdoor and adventure", Purpose.ACTIVITIES),
    ("Arts and music", Purpose.ACTIVITIES),
    ("Youth club", Purpose.ACTIVITIES),
    ("Drugs and alcohol", Purpose.HEALTH),
    ("Sexual health", Purpose.HEALTH),
    ("Staying safe", Purpose.SAFETY),
    ("Anti-bullying", Purpose.SAFETY),
    ("Housing advice", Purpose.HOUSING),
    ("Money advice", Purpose.HOUSING),
    ("Careers and training", Purpose.CAREERS),
)
LANGUAGES = (
    ("Somali", "so"),
    ("Urdu", "ur"),
    ("Polish", "pl"),
    ("Punjabi", "pa"),
    ("Arabic", "ar"),
)
WORDS = ("Youth", "Family", "Young People's", "Community", "Neighbourhood", "Kids'", "Teen")
KINDS = ("Club", "Project", "Mentoring", "Drop-in", "Programme", "Group", "Advice", "Workshop")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Generated:
    services: int
    providers: int
    terms: int


def needs_taxonomy() -> tuple[Taxonomy, list[TaxonomyTerm]]:
    taxonomy = Taxonomy.objects.create(
        name="Synthetic needs", description="Needs used by the synthetic directory."
    )
    terms = TaxonomyTerm.objects.bulk_create(
        TaxonomyTerm(
            taxonomy=taxonomy,
            name=name,
            description=f"Services that help with {name.lower()}.",
            code=f"synthetic-{index}",
            purpose=purpose,
        )
        for index, (name, purpose) in enumerate(NEEDS)
    )
    return taxonomy, terms


def generate_directory(services: int, *, seed: int = 6, batch_size: int = 2_000) -> Generated:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        PostcodeDistrict.objects.bulk_create(
            (
                PostcodeDistrict(code=code, latitude=lat, longitude=lng)
                for code, (lat, lng) in DISTRICTS.items()
            ),
            ignore_conflicts=True,
        )
        localities = list(Locality.objects.all())
        _, terms = needs_taxonomy()
        providers = Provider.objects.bulk_create(
            (
                Provider(
                    name=f"{rng.choice(WORDS)} Trust {index}",
                    description="A charity running services for children and young people.",
                    email=f"hello{index}@provider.example",
                )
                for index in range(max(1, services // 10))
            ),
            batch_size=batch_size,
        )
        rows: dict[str, list] = {
            name: []
            for name in (
                "terms",
                "areas",
                "languages",
                "costs",
                "fundings",
                "contacts",
                "locations",
                "places",
                "schedules",
            )
        }
        made = []
        for index in range(services):
            low = rng.randint(0, 16)
            route = rng.choice(list(ReferralRoute))
            service = Service(
                provider=providers[index % len(providers)],
                name=f"{rng.choice(WORDS)} {rng.choice(KINDS)} {index}",
                description=rng.choice(
                    (
                        "Weekly sessions with trained youth workers.",
                        "One-to-one support at home and at school.",
                        "Group activities in the holidays and after school.",
                        "Advice and support for parents and carers.",
                    )
                ),
                status=ServiceStatus.ACTIVE if rng.random() > 0.05 else ServiceStatus.INACTIVE,
                minimum_age=low,
                maximum_age=min(25, low + rng.randint(2, 9)),
                referral_route=route,
                how_to_refer="Telephone the service or email the referral form.",
                capacity=rng.choice((None, 10, 20, 40)),
                waiting_weeks=rng.choice((None, 0, 2, 6)),
                faith_based=rng.random() < 0.08,
                culturally_specific_for=rng.choice(
                    ("",) * 12 + ("Somali families", "Young Muslims")
                ),
                is_free=rng.random() < 0.8,
                reviewed_at=now - timedelta(days=rng.randint(0, 300)),
            )
            made.append(service)
            chosen = rng.sample(terms, rng.randint(1, 3))
            for term in chosen:
                rows["terms"].append(ServiceTerm(service=service, term=term))
            service.search_text = search_text(
                service.name,
                service.description,
                service.provider.name,
                sorted(term.name for term in chosen),
            )
            locality = rng.choice(localities) if localities and rng.random() < 0.7 else None
            rows["areas"].append(
                ServiceArea(
                    service=service,
                    name=locality.name if locality else "Bristol",
                    locality=locality,
                )
            )
            rows["languages"].append(ServiceLanguage(service=service, name="English", code="en"))
            if rng.random() < 0.15:
                name, code = rng.choice(LANGUAGES)
                rows["languages"].append(ServiceLanguage(service=service, name=name, code=code))
            if not service.is_free:
                rows["costs"].append(
                    CostOption(
                        service=service,
                        option="Per session",
                        amount=Decimal(rng.choice((2, 5, 10))),
                    )
                )
            rows["fundings"].append(
                Funding(
                    service=service,
                    source=rng.choice(("Children's Fund", "Lottery", "Council", "Home Office")),
                    starts_on=today - timedelta(days=rng.randint(30, 700)),
                    ends_on=today + timedelta(days=rng.randint(1, 730)),
                )
            )
            rows["contacts"].append(
                Contact(service=service, title="Duty worker", phone="0117 496 0000")
            )
            district = rng.choice(list(DISTRICTS))
            lat, lng = DISTRICTS[district]
            location = Location(
                name=f"Centre {index}",
                address_1=f"{rng.randint(1, 200)} High Street",
                city="Bristol",
                postal_code=f"{district} {rng.randint(1, 9)}AA",
                postcode_district=district,
                latitude=round(lat + rng.uniform(-0.01, 0.01), 5),
                longitude=round(lng + rng.uniform(-0.015, 0.015), 5),
            )
            rows["locations"].append(location)
            place = ServiceAtLocation(service=service, location=location)
            rows["places"].append(place)
            opens = rng.choice((9, 10, 15, 16, 18))
            rows["schedules"].append(
                Schedule(
                    service=service,
                    byday=",".join(sorted(rng.sample(DAYS, rng.randint(1, 3)), key=DAYS.index)),
                    opens_at=time(opens),
                    closes_at=time(opens + rng.choice((2, 3, 4))),
                )
            )
        Service.objects.bulk_create(made, batch_size=batch_size)
        ServiceTerm.objects.bulk_create(rows["terms"], batch_size=batch_size)
        ServiceArea.objects.bulk_create(rows["areas"], batch_size=batch_size)
        ServiceLanguage.objects.bulk_create(rows["languages"], batch_size=batch_size)
        CostOption.objects.bulk_create(rows["costs"], batch_size=batch_size)
        Funding.objects.bulk_create(rows["fundings"], batch_size=batch_size)
        Contact.objects.bulk_create(rows["contacts"], batch_size=batch_size)
        Location.objects.bulk_create(rows["locations"], batch_size=batch_size)
        ServiceAtLocation.objects.bulk_create(rows["places"], batch_size=batch_size)
        Schedule.objects.bulk_create(rows["schedules"], batch_size=batch_size)
    return Generated(services=len(made), providers=len(providers), terms=len(terms))
