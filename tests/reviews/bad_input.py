"""The partnership reviews pages' rows of the bad-input table (tests/accounts/test_bad_input.py).
`world` is that module's World."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.reviews.models import ReviewRound
from tests.conftest import sign_in_client
from tests.factories import PartnershipFactory

WRONG = (
    ("kind", "gossip"),
    ("opens_on_month", "13"),
    ("closes_on_year", "2020"),
    ("closes_on_day", "32"),
)


def round_page(world: Any) -> str:
    if not hasattr(world, "reviewed_partnership"):
        world.reviewed_partnership = PartnershipFactory(name="Hartcliffe steering group")
    sign_in_client(world.client, world.persona("strategic_manager"))
    return reverse("reviews:round_open", kwargs={"slug": world.reviewed_partnership.slug})


def round_answers(world: Any) -> dict[str, Any]:
    opens = timezone.localdate()
    closes = opens + timedelta(days=21)
    return {
        "kind": "health",
        "title": "Spring health check",
        "opens_on_day": opens.day,
        "opens_on_month": opens.month,
        "opens_on_year": opens.year,
        "closes_on_day": closes.day,
        "closes_on_month": closes.month,
        "closes_on_year": closes.year,
    }


def round_count(world: Any) -> int:
    return ReviewRound.objects.count()
