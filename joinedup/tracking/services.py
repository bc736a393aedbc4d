"""Changes to duplication and gap tracking: the settings that decide when a child is flagged,
and coordinators marking a flag as looked at (and undoing it). Each is audited."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.children.models import Child
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.panels.models import Panel, PanelMember
from joinedup.plans.models import Plan
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.tracking import flags as flag_rules
from joinedup.tracking.models import (
    GAP_WEEKS_RANGE,
    REPEAT_AGENCIES_RANGE,
    REPEAT_MONTHS_RANGE,
    FlagKind,
    FlagLook,
    TrackingSettings,
)

NOTE_MAX = 2000


class TrackingError(FieldError):
    """Bad input to a tracking service, naming the form field at fault."""


def _whole_number(value: Any, *, field: str, label: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TrackingError(f"{label} must be a whole number", field=field) from None
    if not low <= number <= high:
        raise TrackingError(f"{label} must be between {low} and {high}", field=field)
    return number


def may_change_settings(actor: Any, panel: Panel | None) -> bool:
    """Any coordinator changes the partnership's settings; a panel's, its coordinators."""
    if not has_role(actor, Role.PANEL_COORDINATOR):
        return False
    if panel is None:
        return True
    return PanelMember.objects.panels_coordinated_by(actor).filter(panel=panel).exists()


def settings_change(
    *,
    actor: Any,
    panel: Panel | None,
    gap_weeks: Any,
    repeat_agencies: Any,
    repeat_months: Any,
) -> TrackingSettings:
    if not may_change_settings(actor, panel):
        raise TrackingError("Only a coordinator of the panel can change its settings")
    values = {
        "gap_weeks": _whole_number(
            gap_weeks, field="gap_weeks", label="Weeks without contact", bounds=GAP_WEEKS_RANGE
        ),
        "repeat_agencies": _whole_number(
            repeat_agencies,
            field="repeat_agencies",
            label="Number of different organisations",
            bounds=REPEAT_AGENCIES_RANGE,
        ),
        "repeat_months": _whole_number(
            repeat_months,
            field="repeat_months",
            label="Number of months",
            bounds=REPEAT_MONTHS_RANGE,
        ),
    }
    with transaction.atomic():
        row, created = TrackingSettings.objects.update_or_create(
            panel=panel,
            for_partnership=panel is None,
            defaults={**values, "changed_by": actor},
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
            target=row,
            fields=list(values),
            detail={"panel": str(panel.pk) if panel else "", **values},
        )
    return row


def _current_flag(actor: Any, child: Child, kind: str) -> flag_rules.Flag:
    if kind not in FlagKind.values:
        raise TrackingError("Select a kind of flag from the list", field="kind")
    for row in flag_rules.flagged_children(actor, children=Child.objects.filter(pk=child.pk)):
        for flag in row.flags:
            if flag.kind == kind and row.may_look:
                return flag
    raise TrackingError(
        "This flag has gone, or is not on a child of a panel you coordinate", field="kind"
    )


def flag_look(*, actor: Any, child: Child, kind: str, note: str) -> FlagLook:
    """Mark a flag as looked at, with what was found: it stays quiet until something new
    happens (a new referral, new support, a later contact)."""
    note = (note or "").strip()
    if not note:
        raise TrackingError("Enter what you found and why nothing more is needed", field="note")
    if len(note) > NOTE_MAX:
        raise TrackingError(f"The note must be {NOTE_MAX} characters or fewer", field="note")
    flag = _current_flag(actor, child, kind)
    with transaction.atomic():
        now = timezone.now()
        # Looked at again after something changed: the earlier look is replaced.
        FlagLook.objects.select_for_update().filter(
            child=child, kind=kind, undone_at__isnull=True
        ).update(undone_at=now, undone_by=actor)
        look = FlagLook.objects.create(
            child=child, kind=kind, facts=flag.facts, note=note, looked_by=actor
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=child,
            fields=["flag_looked_at"],
            detail={"kind": kind, "look": str(look.pk)},
        )
    return look


def _coordinates_case(actor: Any, child: Child) -> bool:
    if not has_role(actor, Role.PANEL_COORDINATOR) or child.merged_into_id is not None:
        return False
    panels = flag_rules.coordinated_panels(actor)
    return (
        Referral.objects.filter(child=child, panel__in=panels)
        .exclude(status=ReferralStatus.NOT_ELIGIBLE)
        .exists()
        or Plan.objects.filter(child=child, panel__in=panels).exists()
    )


def flag_look_undo(*, actor: Any, child: Child, kind: str) -> FlagLook:
    """Undo a look: the flag needs a look again. The look is kept, marked undone."""
    if kind not in FlagKind.values:
        raise TrackingError("Select a kind of flag from the list", field="kind")
    if not _coordinates_case(actor, child):
        raise TrackingError("Only a coordinator of the child's panel can undo this", field="kind")
    with transaction.atomic():
        look = (
            FlagLook.objects.select_for_update()
            .filter(child=child, kind=kind, undone_at__isnull=True)
            .first()
        )
        if look is None:
            raise TrackingError("This flag is not marked as looked at", field="kind")
        look.undone_at = timezone.now()
        look.undone_by = actor
        look.save(update_fields=["undone_at", "undone_by", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=child,
            fields=["flag_looked_at"],
            detail={"kind": kind, "look": str(look.pk), "undone": True},
        )
    return look
