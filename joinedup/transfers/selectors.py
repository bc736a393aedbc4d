"""Reads of transfers. A transfer is open to the coordinators of both panels and to whoever
asked for it; anyone else gets 404. It carries the child by pseudonym and reference; the name
and the new address only for those need to know lets see them (children.need_to_know)."""

from typing import Any

from django.db.models import Q
from django.http import Http404

from joinedup.children.need_to_know import identities_seen
from joinedup.core import audit
from joinedup.organisations.models import Locality
from joinedup.panels.models import PanelMember
from joinedup.plans.models import Plan, PlanStatus
from joinedup.transfers.models import Transfer, TransferStatus

LIST_LIMIT = 200
_RELATED = (
    "child",
    "from_panel",
    "to_panel",
    "new_locality",
    "requested_by",
    "requesting_organisation",
    "accepted_by",
    "declined_by",
    "withdrawn_by",
    "new_keyworker",
    "to_referral",
)


def _theirs(viewer: Any) -> Q:
    coordinated = PanelMember.objects.panels_coordinated_by(viewer)
    return Q(to_panel__in=coordinated) | Q(from_panel__in=coordinated) | Q(requested_by=viewer)


@audit.audited_read(fields=("child", "status", "from_panel", "to_panel"))
def transfers_for(*, viewer: Any) -> list[Transfer]:
    """The transfers into and out of the viewer's panels and those they asked for, newest
    first: one query, whatever the number."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(Transfer.objects.filter(_theirs(viewer)).select_related(*_RELATED)[:LIST_LIMIT])


@audit.audited_read(fields=("child", "status", "handover", "new_address"))
def transfer_for(*, viewer: Any, transfer_id: Any, purpose: str = "") -> Transfer:
    if not getattr(viewer, "is_authenticated", False):
        raise Http404("No transfer you may see.")
    transfer = (
        Transfer.objects.filter(_theirs(viewer), pk=transfer_id).select_related(*_RELATED).first()
    )
    if transfer is None:
        raise Http404("No transfer you may see.")
    return transfer


@audit.audit_exempt(reason="Which panels the viewer coordinates; no child's data.")
def panels_coordinated(*, viewer: Any) -> set[Any]:
    return set(PanelMember.objects.panels_coordinated_by(viewer).values_list("panel", flat=True))


@audit.audit_exempt(reason="Which of the listed children the viewer may name; ids only.")
def children_named_for(*, viewer: Any, transfers: list[Transfer]) -> set[Any]:
    return identities_seen(viewer, {transfer.child_id for transfer in transfers})


@audit.audit_exempt(reason="The partnership's localities, by name; no personal data.")
def localities() -> list[Locality]:
    return list(Locality.objects.order_by("name"))


@audit.audit_exempt(reason="A plan's lead keyworker and organisation: staff, no child's data.")
def open_plan_of(*, child: Any) -> Plan | None:
    return (
        Plan.objects.filter(child=child, status=PlanStatus.OPEN)
        .select_related("keyworker", "keyworker_organisation")
        .first()
    )


@audit.audit_exempt(reason="Whether a transfer of the child waits for an answer; ids only.")
def open_transfer_of(*, child: Any) -> Transfer | None:
    return (
        Transfer.objects.filter(child=child, status=TransferStatus.REQUESTED)
        .select_related("to_panel")
        .first()
    )
