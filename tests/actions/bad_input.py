"""The action pages' rows of the bad-input table (tests/accounts/test_bad_input.py). `world` is
that module's World; the panel at work is made once per world, when a row asks for it."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.actions.models import Action
from tests.actions.world import PanelWorld, panel_world
from tests.conftest import sign_in_client


def _panel(world: Any) -> PanelWorld:
    if "actions_world" not in world.__dict__:
        world.actions_world = panel_world()
    return world.actions_world


def _action(world: Any) -> Action:
    if "action" not in world.__dict__:
        world.action = _panel(world).create()
    return world.action


def _in_a_week() -> dict[str, Any]:
    day = timezone.localdate() + timedelta(days=7)
    return {"due_on_day": day.day, "due_on_month": day.month, "due_on_year": day.year}


def create_page(world: Any) -> str:
    panel = _panel(world)
    sign_in_client(world.client, panel.coordinator)
    return f"{reverse('actions:action_create')}?meeting={panel.meeting.pk}"


def create_answers(world: Any) -> dict[str, Any]:
    panel = _panel(world)
    return {
        "title": "Ask the school about attendance",
        "agenda_item": str(panel.item.pk),
        "detail": "Since September.",
        "owner": str(panel.sergeant.memberships.get().pk),
        **_in_a_week(),
    }


def action_count(world: Any) -> int:
    return Action.objects.count()


def step_page(world: Any, url_name: str, *, as_owner: bool = False) -> str:
    panel = _panel(world)
    action = _action(world)
    sign_in_client(world.client, panel.sergeant if as_owner else panel.coordinator)
    return reverse(url_name, kwargs={"action_id": action.pk})


def owner_answers(world: Any) -> dict[str, Any]:
    return {
        "revision": "1",
        "owner": str(_panel(world).teacher.memberships.get().pk),
        "reason": "The school knows the family",
    }


def due_date_answers(world: Any) -> dict[str, Any]:
    return {"revision": "1", "reason": "Half term", **_in_a_week()}


def action_as_saved(world: Any) -> tuple[Any, ...]:
    return tuple(
        Action.objects.values_list(
            "status", "owner", "due_on", "outcome", "cancelled_reason", "revision"
        ).get(pk=_action(world).pk)
    )


def report_page(world: Any) -> str:
    panel = _panel(world)
    sign_in_client(world.client, panel.chair)
    return reverse("actions:panel_report", kwargs={"slug": panel.panel.slug})
