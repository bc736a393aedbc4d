"""For the ORUK tests: a service with every directory table filled, and validators for the
official ORUK schemas read from ../shared/standards, their `$ref`s (raw GitHub addresses and
relative names) resolved to the local files, never the network."""

from __future__ import annotations

import json
import os
import uuid
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from joinedup.directory.models import (
    Contact,
    CostOption,
    Funding,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
)
from tests.factories import (
    LocalityFactory,
    OrganisationFactory,
    ProviderFactory,
    ServiceTermFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
)

# The official schemas are read where the partnership keeps them, beside the checkout
# (../shared/standards), never copied into the project; JOINEDUP_STANDARDS names another folder.
STANDARDS = Path(
    os.environ.get("JOINEDUP_STANDARDS", Path(settings.BASE_DIR).parent / "shared" / "standards")
)
SCHEMAS = STANDARDS / "oruk-uk-profile" / "schema"
if not SCHEMAS.is_dir():
    raise RuntimeError(
        f"The ORUK schemas are not at {SCHEMAS}: check out the shared standards beside the "
        "project, or set JOINEDUP_STANDARDS to the folder that holds oruk-uk-profile/."
    )
RAW = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def _schema_path(uri: str) -> Path:
    name = uri.removeprefix(RAW)
    path = (SCHEMAS / name).resolve()
    if SCHEMAS.resolve() not in path.parents or not path.is_file():
        raise LookupError(f"No local copy of {uri}")
    return path


def _retrieve(uri: str) -> Resource:
    contents = json.loads(_schema_path(uri).read_text())
    return Resource.from_contents(contents, default_specification=DRAFT202012)


@cache
def registry() -> Registry:
    return Registry(retrieve=_retrieve)  # type: ignore[call-arg]


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one schema file, e.g. "compiled/service.json" or "taxonomy.json"."""
    return Draft202012Validator(
        {"$ref": RAW + name}, registry=registry(), format_checker=FormatChecker()
    )


@cache
def page_validator(item: str) -> Draft202012Validator:
    """The openapi.json `Page` wrapper with `contents` items of the schema named."""
    openapi = json.loads((SCHEMAS / "openapi.json").read_text())
    page = openapi["components"]["schemas"]["Page"]
    schema = {
        "allOf": [page],
        "required": [*page["properties"], "contents"],
        "properties": {"contents": {"type": "array", "items": {"$ref": RAW + item}}},
    }
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


def errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def full_service(name: str = "Easton Youth Mentoring") -> Service:
    """A service with a row in every directory table and every field filled."""
    suffix = uuid.uuid4().hex[:6]
    locality = LocalityFactory(slug=f"easton-{suffix}", name=f"Easton {suffix}")
    partner = OrganisationFactory(slug=f"easton-trust-{suffix}")
    taxonomy = TaxonomyFactory(
        name="JoinedUp needs", uri="https://joinedup.example/needs", version="1"
    )
    parent = TaxonomyTermFactory(taxonomy=taxonomy, name="Support", purpose="")
    term = TaxonomyTermFactory(
        taxonomy=taxonomy,
        parent=parent,
        name="Mentoring",
        term_uri="https://joinedup.example/needs/mentoring",
        purpose="mentoring",
    )
    umbrella = ProviderFactory(name="Bristol Youth Partnership")
    provider = ProviderFactory(
        name="Easton Trust",
        email="hello@easton-trust.example",
        website="https://easton-trust.example",
        logo="https://easton-trust.example/logo.png",
        uri="https://register-of-charities.example/1234567",
        parent=umbrella,
        maintained_by=partner,
        identifier_scheme="GB-CHC",
        identifier="1234567",
    )
    service = Service.objects.create(
        provider=provider,
        name=name,
        description="One-to-one mentoring with trained volunteers.",
        url="https://easton-trust.example/mentoring",
        email="mentoring@easton-trust.example",
        status=ServiceStatus.ACTIVE,
        fees="Free; trips cost £2.",
        accreditations="Approved Provider Standard",
        minimum_age=10,
        maximum_age=16,
        eligibility_description="Lives or goes to school in Easton.",
        assured_date=date(2025, 1, 15),
        assurer_email="assurer@council.example",
        alert="Closed in August.",
        how_to_refer="Email the referral form.",
        capacity=20,
        waiting_list_count=4,
        waiting_weeks=3,
        faith_based=True,
        culturally_specific_for="Somali families",
        is_free=False,
        reviewed_at=timezone.now(),
    )
    ServiceTermFactory(service=service, term=term)
    ServiceArea.objects.create(
        service=service,
        name="Easton",
        locality=locality,
        extent="POLYGON((0 0, 1 0, 1 1, 0 0))",
        extent_type="wkt",
        uri="https://mapit.example/area/1",
    )
    ServiceLanguage.objects.create(service=service, name="Somali", code="so", note="Some staff")
    CostOption.objects.create(
        service=service,
        option="Trips",
        amount=Decimal("2.50"),
        amount_description="Per trip",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
    )
    Funding.objects.create(
        service=service,
        source="Children's Fund",
        amount=Decimal("40000.00"),
        starts_on=date(2024, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    Contact.objects.create(
        service=service,
        name="Amina Duty",
        title="Duty worker",
        department="Youth team",
        email="duty@easton-trust.example",
        phone="0117 496 0000",
        phone_id=uuid.uuid4(),
    )
    location = Location.objects.create(
        name="Easton Community Centre",
        description="The blue door on Kilburn Street.",
        latitude=51.4633,
        longitude=-2.5705,
        address_id=uuid.uuid4(),
        address_1="Kilburn Street",
        city="Bristol",
        state_province="City of Bristol",
        postal_code="BS5 6AW",
        postcode_district="BS5",
        accessibility="Step-free entrance and a hearing loop.",
    )
    place = ServiceAtLocation.objects.create(
        service=service, location=location, description="Tuesday evenings here."
    )
    Schedule.objects.create(
        service=service,
        byday="MO,WE",
        opens_at=time(16),
        closes_at=time(18),
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
        description="After school",
        notes="Not in school holidays",
    )
    Schedule.objects.create(
        service_at_location=place,
        byday="TU",
        opens_at=time(18, 30),
        closes_at=time(20),
        description="Evening drop-in",
    )
    return service
