"""The tracking pages' rows of the bad-input table (tests/accounts/test_bad_input.py). `world`
is that module's World."""

from typing import Any

from django.test import Client
from django.urls import reverse

from joinedup.tracking.models import FlagLook, TrackingSettings
from tests.conftest import sign_in_client
from tests.tracking.builders import World, make_world


def _tracking(world: Any) -> tuple[World, Any]:
    """A panel whose coordinator has a child referred 100 days ago with nothing since."""
    if not hasattr(world, "tracking"):
        tracking = make_world()
        child = tracking.child()
        tracking.refer(child, days=100)
        world.tracking = (tracking, child)
    result: tuple[World, Any] = world.tracking
    return result


def _as_coordinator(world: Any, url: str) -> str:
    tracking, _ = _tracking(world)
    client: Client = world.client
    sign_in_client(client, tracking.coordinator)
    return url


def look_page(world: Any) -> str:
    _, child = _tracking(world)
    url = reverse("tracking:flag_look", kwargs={"reference": child.reference}) + "?kind=gap"
    return _as_coordinator(world, url)


def look_answers(world: Any) -> dict[str, Any]:
    return {"note": "The school says the family is away until next month"}


def look_count(world: Any) -> int:
    return FlagLook.objects.count()


def settings_page(world: Any) -> str:
    tracking, _ = _tracking(world)
    url = reverse("tracking:settings_edit") + f"?panel={tracking.panel.slug}"
    return _as_coordinator(world, url)


def settings_answers(world: Any) -> dict[str, Any]:
    return {"gap_weeks": "8", "repeat_agencies": "3", "repeat_months": "6"}


def settings_as_saved(world: Any) -> list[Any]:
    return list(TrackingSettings.objects.values_list("gap_weeks", "repeat_agencies"))
