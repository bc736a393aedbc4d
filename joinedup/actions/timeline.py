"""Actions about the child on the child's timeline (joinedup.children.timeline): agreed, done
and cancelled. Only the actions the viewer may see by the actions app's own rule
(selectors.visible_to) appear, and that rule is the one the action's page opens by, so each
is linked. Actions are agreed at panel meetings, so they are filtered with the panel's events."""

from typing import Any

from django.urls import reverse

from joinedup.actions.models import Action, ActionStatus
from joinedup.actions.selectors import visible_to
from joinedup.children import timeline


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


def _day(day: Any) -> str:
    return f"{day.day} {day:%B %Y}"


@timeline.source
def actions(context: timeline.TimelineContext) -> list[timeline.Event]:
    if not getattr(context.viewer, "is_authenticated", False):
        return []
    events = []
    for action in (
        Action.objects.filter(visible_to(context.viewer), child=context.child)
        .select_related("owner", "organisation", "created_by", "completed_by")
        .order_by("created_at")
    ):
        url = reverse("actions:action_detail", kwargs={"action_id": action.pk})
        events.append(
            timeline.Event(
                at=action.created_at,
                kind=timeline.Kind.PANEL,
                what=f"Action agreed: {action.title} — {_name(action.owner)}, "
                f"{action.organisation.name}, due {_day(action.due_on)}",
                who=_name(action.created_by),
                person_id=action.created_by_id,
                url=url,
            )
        )
        if action.status == ActionStatus.DONE and action.completed_at is not None:
            events.append(
                timeline.Event(
                    at=action.completed_at,
                    kind=timeline.Kind.PANEL,
                    what=f"Action completed: {action.title}",
                    who=_name(action.completed_by),
                    person_id=action.completed_by_id,
                    url=url,
                )
            )
        elif action.status == ActionStatus.CANCELLED and action.cancelled_at is not None:
            events.append(
                timeline.Event(
                    at=action.cancelled_at,
                    kind=timeline.Kind.PANEL,
                    what=f"Action cancelled: {action.title}",
                    url=url,
                )
            )
    return events
