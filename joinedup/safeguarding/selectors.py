"""Who may read which concern: the person who raised it (its status, never the leads' notes)
and the designated safeguarding leads it was routed to, while they hold the role. Anyone else
gets 404, as if it were not there."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from joinedup.accounts.models import Membership
from joinedup.core import audit
from joinedup.core.roles import Role
from joinedup.safeguarding.models import ConcernEvent, ConcernRecipient, SafeguardingConcern

# Closed concerns shown under the open ones in a lead's inbox.
RECENTLY_CLOSED = 20
# Concerns listed for the person who raised them.
RAISED_SHOWN = 100

CONCERN_FIELDS = ("child", "what_happened", "why_worried", "immediate_danger", "recipients")


def _routed_to(viewer: Any) -> QuerySet[SafeguardingConcern]:
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return SafeguardingConcern.objects.none()
    holds_role = Membership.objects.active().filter(user=viewer, role=Role.SAFEGUARDING_LEAD)
    return SafeguardingConcern.objects.filter(
        pk__in=ConcernRecipient.objects.filter(
            lead=viewer, lead__in=holds_role.values("user")
        ).values("concern")
    )


def _listed(concerns: QuerySet[SafeguardingConcern]) -> QuerySet[SafeguardingConcern]:
    return concerns.select_related("child", "child__locality", "locality", "organisation")


@audit.audited_read(fields=("child", "immediate_danger", "raised_at", "status"))
def inbox(*, viewer: Any, purpose: str = "") -> list[SafeguardingConcern]:
    """The concerns routed to a lead: every open one, the newest first, then those recently
    closed."""
    routed = _listed(_routed_to(viewer)).select_related("raised_by")
    open_concerns = list(routed.filter(closed_at__isnull=True).order_by("-raised_at"))
    closed = list(routed.filter(closed_at__isnull=False).order_by("-closed_at")[:RECENTLY_CLOSED])
    return open_concerns + closed


@audit.audited_read(fields=CONCERN_FIELDS)
def concern_for_lead(
    *, viewer: Any, concern_id: Any, purpose: str = ""
) -> SafeguardingConcern | None:
    """The whole concern with its history, for a lead it was routed to; None for anyone else."""
    return (
        _listed(_routed_to(viewer))
        .select_related("raised_by", "acknowledged_by", "closed_by")
        .prefetch_related(
            Prefetch("events", queryset=ConcernEvent.objects.select_related("actor")),
            Prefetch(
                "recipients",
                queryset=ConcernRecipient.objects.select_related("lead", "organisation"),
            ),
        )
        .filter(pk=concern_id)
        .first()
    )


@audit.audited_read(fields=("what_happened", "why_worried", "status"))
def concern_for_raiser(*, viewer: Any, concern_id: Any, purpose: str = "") -> SafeguardingConcern:
    """What the person who raised a concern may see of it; 404 for anyone else."""
    concern = (
        _listed(SafeguardingConcern.objects.filter(raised_by=viewer)).filter(pk=concern_id).first()
        if getattr(viewer, "is_authenticated", False)
        else None
    )
    if concern is None:
        raise Http404("No safeguarding concern you may see.")
    return concern


@audit.audited_read(fields=("reference_given", "child_description", "status"))
def concerns_raised_by(*, viewer: Any, purpose: str = "") -> list[SafeguardingConcern]:
    """The concerns the viewer raised, newest first, with their status."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(
        _listed(SafeguardingConcern.objects.filter(raised_by=viewer)).order_by("-raised_at")[
            :RAISED_SHOWN
        ]
    )
