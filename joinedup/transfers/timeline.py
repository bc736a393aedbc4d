"""Transfers on the child's timeline (joinedup.children.timeline): asked for, accepted,
declined or withdrawn, between which panels."""

from typing import Any

from django.urls import reverse

from joinedup.children import timeline
from joinedup.transfers.models import Transfer


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


@timeline.source
def transfers(context: timeline.TimelineContext) -> list[timeline.Event]:
    events = []
    for transfer in Transfer.objects.filter(child=context.child).select_related(
        "from_panel",
        "to_panel",
        "requested_by",
        "requesting_organisation",
        "accepted_by",
        "declined_by",
        "withdrawn_by",
    ):
        between = f"from the {transfer.from_panel.name} to the {transfer.to_panel.name}"
        panels = {transfer.from_panel_id, transfer.to_panel_id}
        url = (
            reverse("transfers:detail", kwargs={"transfer_id": transfer.pk})
            if panels & context.panels_coordinated or transfer.requested_by_id == context.viewer.pk
            else ""
        )
        events.append(
            timeline.Event(
                at=transfer.requested_at,
                kind=timeline.Kind.PANEL,
                what=f"Transfer asked for {between}, after a move to a new area",
                who=_name(transfer.requested_by),
                organisation=transfer.requesting_organisation.name,
                url=url,
                person_id=transfer.requested_by_id,
            )
        )
        answers = (
            (
                transfer.accepted_at,
                transfer.accepted_by,
                f"Transfer accepted: the case moved {between}",
            ),
            (transfer.declined_at, transfer.declined_by, f"Transfer {between} declined"),
            (transfer.withdrawn_at, transfer.withdrawn_by, f"Transfer {between} withdrawn"),
        )
        events.extend(
            timeline.Event(
                at=at,
                kind=timeline.Kind.PANEL,
                what=what,
                who=_name(by),
                url=url,
                person_id=by.pk if by else None,
            )
            for at, by, what in answers
            if at is not None
        )
    return events
