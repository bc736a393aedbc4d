import functools
import logging
from datetime import datetime
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.children.models import Child
from joinedup.consent.models import Scope
from joinedup.consent.services import ConsentRequired, require_consent
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.panels import selectors
from joinedup.panels.models import AgendaItem, Meeting, Panel, PanelMember, PanelRole
from joinedup.referrals.models import IdentityStatus, Referral, ReferralStatus

logger = logging.getLogger(__name__)


class PanelError(FieldError):
    """A rule of this domain was broken; `field` names the form field at fault."""


def _coordinator_check(actor: Any, panel: Panel) -> None:
    if not selectors.coordinates(viewer=actor, panel_id=panel.pk):
        raise PanelError(f"Only a coordinator of the {panel.name} can do this", field="panel")


def meeting_schedule(
    *, actor: Any, panel: Panel, starts_at: datetime, location: str = ""
) -> Meeting:
    _coordinator_check(actor, panel)
    if starts_at <= timezone.now():
        raise PanelError("The meeting must be in the future", field="starts_at")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            panel=panel, starts_at=starts_at, location=location.strip(), created_by=actor
        )
        audit.record(actor=actor, verb=AuditVerb.CREATE, target=meeting, fields=["starts_at"])
    return meeting


def agenda_add(*, actor: Any, meeting: Meeting, referral: Referral) -> AgendaItem:
    """Put a referred child's case on a future meeting's agenda. Refused, with what to do,
    without consent in force to discuss the child at the panel (DESIGN.md, rule 2)."""
    _coordinator_check(actor, meeting.panel)
    if not meeting.is_future:
        raise PanelError("Choose a meeting that has not happened yet", field="meeting")
    if referral.panel_id != meeting.panel_id:
        raise PanelError(
            f"This referral went to the {referral.panel or 'no'} panel, not the "
            f"{meeting.panel.name}",
            field="meeting",
        )
    if referral.status == ReferralStatus.NOT_ELIGIBLE:
        raise PanelError("The panel cannot take this referral: it is not eligible", field="meeting")
    if referral.identity_status in {IdentityStatus.TO_CHECK, IdentityStatus.DEFERRED}:
        raise PanelError(
            "Settle who the child is first: JoinedUp found records that may be the same child",
            field="meeting",
        )
    try:
        require_consent(child=referral.child, scope=Scope.PANEL_DISCUSSION)
    except ConsentRequired as refusal:
        raise PanelError(str(refusal), field="meeting") from refusal
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(
                meeting=meeting, child=referral.child, referral=referral, added_by=actor
            )
            audit.record(
                actor=actor,
                verb=AuditVerb.CREATE,
                target=item,
                fields=["child"],
                detail={"meeting": str(meeting.pk), "child": referral.child.reference},
            )
    except IntegrityError as error:
        raise PanelError(
            "This child is already on that meeting's agenda", field="meeting"
        ) from error
    return item


def agenda_remove(*, actor: Any, item: AgendaItem, reason: str) -> AgendaItem:
    if not reason.strip():
        raise PanelError("Say why the case is coming off the agenda", field="reason")
    _coordinator_check(actor, item.meeting.panel)
    return _take_off(item, actor=actor, reason=reason.strip())


def _take_off(item: AgendaItem, *, actor: Any, reason: str) -> AgendaItem:
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if locked.removed_at is None:
            locked.removed_at = timezone.now()
            locked.removed_by = actor if getattr(actor, "is_authenticated", False) else None
            locked.removed_reason = reason
            locked.save(update_fields=["removed_at", "removed_by", "removed_reason", "updated_at"])
            audit.record(
                actor=actor,
                verb=AuditVerb.DELETE,
                target=locked,
                fields=["child"],
                purpose=reason,
                detail={"meeting": str(locked.meeting_id), "child": locked.child.reference},
            )
    return locked


CONSENT_WITHDRAWN_REASON = "Consent to discuss the case at the panel was withdrawn"


def agenda_withdraw_consent(*, actor: Any, child: Child) -> list[AgendaItem]:
    """Withdrawn consent takes the case off every future agenda at once, and each panel's
    coordinators are told (by reference and pseudonym only: email is not secure enough for a
    name)."""
    items = list(
        AgendaItem.objects.filter(
            child=child, removed_at__isnull=True, meeting__starts_at__gt=timezone.now()
        ).select_related("meeting", "meeting__panel", "child")
    )
    removed = [_take_off(item, actor=actor, reason=CONSENT_WITHDRAWN_REASON) for item in items]
    for item in removed:
        people = [
            seat.user.email
            for seat in PanelMember.objects.current()
            .filter(panel=item.meeting.panel, role=PanelRole.COORDINATOR)
            .select_related("user")
        ]
        transaction.on_commit(functools.partial(_tell_coordinators, item, people))
    return removed


def _tell_coordinators(item: AgendaItem, people: list[str]) -> None:
    meeting_day = timezone.localtime(item.meeting.starts_at)
    path = reverse("panels:meeting_detail", kwargs={"meeting_id": item.meeting_id})
    try:
        send_mail(
            subject="JoinedUp: a case has come off a panel agenda",
            message=(
                f"{item.child.pseudonym} ({item.child.reference}) has been taken off the agenda "
                f"of the {item.meeting.panel.name} meeting on {meeting_day:%d %B %Y}: "
                f"{CONSENT_WITHDRAWN_REASON.lower()}.\n\nSee the agenda in JoinedUp: {path}\n"
            ),
            from_email=None,
            recipient_list=people,
        )
    except OSError:
        # The case is already off the agenda; a mail server being down must not undo that.
        logger.exception("Could not email the coordinators about agenda item %s", item.pk)
