"""Funding's rows of the bad-input table (tests/accounts/test_bad_input.py). `world` is that
module's World; the stream is made once per world, when a row asks for it."""

from typing import Any

from django.urls import reverse

from joinedup.funding.models import FundedPost, FundedService, Funder, FundingStream
from tests.factories import FundingStreamFactory, OrganisationFactory, ServiceFactory

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def _stream(world: Any) -> FundingStream:
    if "funding_stream" not in world.__dict__:
        world.funding_stream = FundingStreamFactory(name="Early help grant")
    return world.funding_stream


def _as_manager(world: Any, url_name: str, **kwargs: Any) -> str:
    return world.as_persona("strategic_manager", reverse(url_name, kwargs=kwargs))


def funder_page(world: Any) -> str:
    return _as_manager(world, "funding:funder_create")


def stream_page(world: Any) -> str:
    _stream(world)
    return _as_manager(world, "funding:stream_create")


def end_page(world: Any) -> str:
    return _as_manager(world, "funding:stream_end", stream_id=_stream(world).pk)


def service_page(world: Any) -> str:
    return _as_manager(world, "funding:service_attach", stream_id=_stream(world).pk)


def post_page(world: Any) -> str:
    return _as_manager(world, "funding:post_attach", stream_id=_stream(world).pk)


def list_page(world: Any) -> str:
    return _as_manager(world, "funding:stream_list")


def timeline_page(world: Any) -> str:
    return _as_manager(world, "funding:timeline")


def funder_answers(world: Any) -> dict[str, Any]:
    return {"name": "Quartet Community Foundation", "kind": "lottery_trust"}


def stream_answers(world: Any) -> dict[str, Any]:
    return {
        "funder": str(_stream(world).funder_id),
        "name": "Youth grant",
        "amount": "25000",
        "starts_on_day": "1",
        "starts_on_month": "4",
        "starts_on_year": "2025",
        "ends_on_day": "31",
        "ends_on_month": "3",
        "ends_on_year": "2027",
    }


def end_answers(world: Any) -> dict[str, Any]:
    ends = _stream(world).starts_on
    return {
        "ends_on_day": ends.day,
        "ends_on_month": ends.month,
        "ends_on_year": ends.year,
        "reason": "Budget cut",
    }


def service_answers(world: Any) -> dict[str, Any]:
    if "funding_service" not in world.__dict__:
        world.funding_service = ServiceFactory(name="Friday football")
    return {"service": str(world.funding_service.pk)}


def post_answers(world: Any) -> dict[str, Any]:
    return {
        "title": "Family support worker",
        "organisation": str(OrganisationFactory().pk),
        "hours_per_week": "22.2",
    }


def funding_as_saved(world: Any) -> tuple[Any, ...]:
    return (
        list(Funder.objects.values_list("name", flat=True).order_by("name")),
        list(FundingStream.objects.values_list("name", "ends_on", "end_reason").order_by("name")),
        FundedService.objects.count(),
        FundedPost.objects.count(),
    )


FUNDER_WRONG = (
    ("kind", "not-a-kind"),
    ("organisation", "not-a-uuid"),
    ("organisation", UNKNOWN_ID),
)
STREAM_WRONG = (
    ("funder", UNKNOWN_ID),
    ("funder", "not-a-uuid"),
    ("amount", "lots"),
    ("amount", "-5"),
    ("locality", "no-such-place"),
    ("ends_on_year", "2020"),
    ("starts_on_month", "13"),
)
SERVICE_WRONG = (("service", UNKNOWN_ID), ("service", "not-a-uuid"), ("amount", "lots"))
POST_WRONG = (
    ("organisation", UNKNOWN_ID),
    ("hours_per_week", "lots"),
    ("hours_per_week", "90"),
    ("share", "-1"),
)
