from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role


@dataclass(frozen=True)
class AuditSearch:
    actor: str = ""
    verb: str = ""
    target_type: str = ""
    target_id: str = ""
    purpose: str = ""
    request_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def is_empty(self) -> bool:
        return not any(vars(self).values())


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@audit.audit_exempt(
    reason="The audit trail itself: each search is recorded as one entry with its filters, "
    "not one entry per row shown, which would grow the trail without end."
)
def audit_entry_search(*, viewer: Any, search: AuditSearch) -> QuerySet[AuditEntry]:
    if not has_role(viewer, Role.IG_OFFICER):
        raise PermissionDenied("Only information governance officers can read the audit trail.")
    entries = AuditEntry.objects.all()
    if search.actor:
        entries = entries.filter(actor_label__icontains=search.actor)
    if search.verb:
        entries = entries.filter(verb=search.verb)
    if search.target_type:
        entries = entries.filter(target_type=search.target_type)
    if search.target_id:
        entries = entries.filter(target_id=search.target_id)
    if search.purpose:
        entries = entries.filter(Q(purpose__icontains=search.purpose))
    if search.request_id:
        entries = entries.filter(request_id=search.request_id)
    if search.date_from:
        entries = entries.filter(at__gte=_start_of(search.date_from))
    if search.date_to:
        entries = entries.filter(at__lt=_start_of(search.date_to) + timedelta(days=1))
    audit.record(
        actor=viewer,
        verb=AuditVerb.READ,
        fields=["audit_trail"],
        detail={key: str(value) for key, value in vars(search).items() if value},
    )
    return entries


@audit.audit_exempt(reason="Lists the kinds of record named in the trail: no personal data.")
def audit_target_types() -> list[str]:
    return sorted(
        AuditEntry.objects.exclude(target_type="")
        .values_list("target_type", flat=True)
        .distinct()
        .order_by()
    )
