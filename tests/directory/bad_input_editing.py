"""Directory editing's rows of the bad-input table (tests/accounts/test_bad_input.py). `world`
is that module's World; the organisation, its provider and one of its services are made once
per world, when a row asks for them."""

from types import SimpleNamespace
from typing import Any

from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.directory.models import Funding, Provider, Service
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProviderFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)


def _directory(world: Any) -> SimpleNamespace:
    if "directory_world" not in world.__dict__:
        organisation = OrganisationFactory(name="Easton Youth Trust")
        provider = ProviderFactory(maintained_by=organisation, name="Easton Youth Trust")
        member = make_person(Role.REFERRER, full_name="Mo Member")
        MembershipFactory(user=member, organisation=organisation, role=Role.KEYWORKER)
        world.directory_world = SimpleNamespace(
            provider=provider,
            service=ServiceFactory(provider=provider, name="Friday football"),
            member=member,
            need=TaxonomyTermFactory(name="Being active"),
        )
    return world.directory_world


def _signed_in(world: Any, url_name: str, **kwargs: Any) -> str:
    directory = _directory(world)
    sign_in_client(world.client, directory.member)
    return reverse(url_name, kwargs=kwargs)


def add_page(world: Any) -> str:
    return _signed_in(world, "directory:service_add", provider_id=_directory(world).provider.pk)


def edit_page(world: Any) -> str:
    return _signed_in(world, "directory:service_edit", service_id=_directory(world).service.pk)


def close_page(world: Any) -> str:
    return _signed_in(world, "directory:service_close", service_id=_directory(world).service.pk)


def provider_page(world: Any) -> str:
    return _signed_in(world, "directory:provider_edit", provider_id=_directory(world).provider.pk)


def service_answers(world: Any) -> dict[str, Any]:
    return {
        "name": "Homework club",
        "description": "Help with homework after school.",
        "needs": [str(_directory(world).need.pk)],
        "minimum_age": "11",
        "maximum_age": "16",
        "eligibility_description": "Young people at secondary school.",
        "referral_route": "open_access",
        "how_to_refer": "Just come along.",
        "location_name": "Easton Community Centre",
        "address_1": "Stapleton Road",
        "city": "Bristol",
        "postal_code": "BS5 0HE",
        "contact_name": "Duty worker",
        "contact_phone": "0117 496 0000",
        "contact_email": "duty@example.org",
        "languages": "English, Somali",
        "is_free": "no",
        "cost_amount": "2.50",
        "cost_description": "Per session",
        "days": ["MO", "TH"],
        "opens_at": "15:30",
        "closes_at": "17:00",
        "capacity": "20",
        "culturally_specific_for": "Somali families",
        "funding_1_source": "Lottery",
        "funding_1_amount": "12000",
        "funding_1_starts_on_day": "1",
        "funding_1_starts_on_month": "4",
        "funding_1_starts_on_year": "2026",
        "funding_1_ends_on_day": "31",
        "funding_1_ends_on_month": "3",
        "funding_1_ends_on_year": "2027",
    }


SERVICE_TEXT = (
    "name",
    "description",
    "eligibility_description",
    "how_to_refer",
    "location_name",
    "address_1",
    "city",
    "postal_code",
    "contact_name",
    "contact_phone",
    "languages",
    "cost_description",
    "culturally_specific_for",
    "funding_1_source",
    "funding_2_source",
    "opens_at",
)
SERVICE_REQUIRED = ("name", "description", "referral_route", "how_to_refer", "is_free")
SERVICE_WRONG = (
    ("minimum_age", "26"),
    ("minimum_age", "ten"),
    ("maximum_age", "10"),
    ("needs", "00000000-0000-4000-8000-000000000000"),
    ("localities", "not-a-place"),
    ("referral_route", "pigeon"),
    ("postal_code", "XX1"),
    ("days", "XX"),
    ("closes_at", "15:00"),
    ("closes_at", "25:00"),
    ("cost_amount", "free"),
    ("funding_1_ends_on_year", "2025"),
    ("funding_1_amount", "-5"),
    ("capacity", "-1"),
)


def service_state(world: Any) -> tuple[Any, ...]:
    service = Service.objects.get(pk=_directory(world).service.pk)
    return (
        Service.objects.count(),
        Funding.objects.count(),
        service.name,
        service.minimum_age,
        service.maximum_age,
        service.reviewed_at,
        service.status,
        service.alert,
    )


def provider_state(world: Any) -> tuple[Any, ...]:
    provider = Provider.objects.get(pk=_directory(world).provider.pk)
    return (provider.name, provider.description, provider.email, provider.website)
