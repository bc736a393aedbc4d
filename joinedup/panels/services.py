import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.children.models import Child
from joinedup.consent.models import ConsentRecord, Scope
from joinedup.consent.services import ConsentRequired, require_consent
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Organisation
from joinedup.panels import pipeline, selectors
from joinedup.panels.models import (
    AgendaItem,
    Meeting,
    MembershipCriterion,
    Panel,
    PanelMember,
    PanelRole,
    TermsOfReference,
)
from joinedup.records.restrictions import ProcessingRestricted, refuse_if_restricted
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
        # A restriction of processing (UK GDPR article 18) holds the case off every agenda.
        refuse_if_restricted(referral.child, field="meeting")
    except ProcessingRestricted as refusal:
        raise PanelError(refusal.message, field="meeting", code="restricted") from refusal
    _require_panel_consent(referral.child)
    from joinedup.transfers.rules import panel_consent_to_seek

    seek_again = panel_consent_to_seek(child=referral.child, panel=meeting.panel)
    if seek_again:
        raise PanelError(seek_again, field="meeting", code="consent")
    try:
        with transaction.atomic():
            # Withdrawing consent locks its record (consent_withdraw). Holding the same locks,
            # the consent checked again here is the consent in force when the item is saved: a
            # withdrawal at the same moment either comes first, and the case is refused, or
            # waits for this item and takes it off the agenda again (DESIGN.md, rule 2).
            list(
                ConsentRecord.objects.select_for_update()
                .filter(child=referral.child, scope=Scope.PANEL_DISCUSSION)
                .values_list("pk", flat=True)
            )
            _require_panel_consent(referral.child)
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
            pipeline.cases_refresh(referral.child)
    except IntegrityError as error:
        raise PanelError(
            "This child is already on that meeting's agenda", field="meeting"
        ) from error
    return item


def _require_panel_consent(child: Child) -> None:
    try:
        require_consent(child=child, scope=Scope.PANEL_DISCUSSION)
    except ConsentRequired as refusal:
        raise PanelError(str(refusal), field="meeting") from refusal


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
            pipeline.cases_refresh(locked.child)
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


TRANSFERRED_REASON = "Transferred to another panel"


def agenda_transfer_out(*, actor: Any, child: Child, panel: Panel) -> list[AgendaItem]:
    """Take the child's case off the future agendas of a panel that handed it to another panel
    by a transfer (joinedup.transfers.services.transfer_accept, whose actor coordinates the
    receiving panel: the accepted transfer is their authority). Past agendas keep the case."""
    items = AgendaItem.objects.filter(
        child=child,
        meeting__panel=panel,
        removed_at__isnull=True,
        meeting__starts_at__gt=timezone.now(),
    ).select_related("child")
    return [_take_off(item, actor=actor, reason=TRANSFERRED_REASON) for item in items]


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


# Membership, criteria and terms of reference: the coordinator keeps them.


@dataclass(frozen=True)
class SeatDetails:
    user: Any
    organisation: Organisation
    role: str
    has_delegated_authority: bool = False
    deputy_for: PanelMember | None = None
    started_on: date | None = None
    # Criterion id -> how the person meets it, in the coordinator's words.
    criteria_met: Mapping[str, str] = field(default_factory=dict)


def member_add(*, actor: Any, panel: Panel, seat: SeatDetails) -> PanelMember:
    """Seat a person on the panel for their organisation. Every criterion the panel has
    adopted must be met, with how, so that membership follows the panel's own rules."""
    _coordinator_check(actor, panel)
    if seat.role not in PanelRole.values:
        raise PanelError("Select the person's role on the panel", field="role")
    started_on = seat.started_on or timezone.localdate()
    if (
        not Membership.objects.active(on=started_on)
        .filter(user=seat.user, organisation=seat.organisation)
        .exists()
    ):
        raise PanelError(
            f"{seat.user.display_name} does not work for {seat.organisation.name} in JoinedUp: "
            "choose the organisation they represent",
            field="organisation",
        )
    deputy_for = seat.deputy_for
    if deputy_for is not None and (
        deputy_for.panel_id != panel.pk
        or deputy_for.organisation_id != seat.organisation.pk
        or not PanelMember.objects.current().filter(pk=deputy_for.pk).exists()
        or deputy_for.deputy_for_id is not None
    ):
        raise PanelError(
            "A deputy stands in for a current member of this panel from the same organisation",
            field="deputy_for",
        )
    criteria = list(panel.criteria.filter(retired_on__isnull=True))
    met = []
    for criterion in criteria:
        how = seat.criteria_met.get(str(criterion.pk), "").strip()
        if not how:
            raise PanelError(
                f"Say how {seat.user.display_name} meets the panel's criterion: {criterion.text}",
                field=f"criterion_{criterion.pk}",
            )
        met.append({"criterion": str(criterion.pk), "text": criterion.text, "how": how})
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=panel.pk)  # one seat per person, checked once
        if PanelMember.objects.current().filter(panel=panel, user=seat.user).exists():
            raise PanelError(
                f"{seat.user.display_name} already sits on the {panel.name}: end that seat first",
                field="user",
            )
        member = PanelMember.objects.create(
            panel=panel,
            user=seat.user,
            organisation=seat.organisation,
            role=seat.role,
            has_delegated_authority=seat.has_delegated_authority,
            deputy_for=deputy_for,
            started_on=started_on,
            criteria_met=met,
            added_by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=member,
            fields=["role", "has_delegated_authority", "deputy_for", "criteria_met"],
            detail={"panel": str(panel.pk), "role": seat.role},
        )
    return member


def member_end(*, actor: Any, member: PanelMember, ended_on: date, reason: str) -> PanelMember:
    _coordinator_check(actor, member.panel)
    reason = reason.strip()
    if not reason:
        raise PanelError(
            "Say why the seat ends (for example, left the organisation)", field="reason"
        )
    if ended_on < member.started_on:
        raise PanelError("The seat cannot end before it started", field="ended_on")
    with transaction.atomic():
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        if locked.ended_on is not None and locked.ended_on <= timezone.localdate():
            raise PanelError("This seat has already ended", field="ended_on")
        if locked.role == PanelRole.COORDINATOR and not (
            PanelMember.objects.current()
            .filter(panel=locked.panel, role=PanelRole.COORDINATOR)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise PanelError(
                "A panel needs a coordinator: add another before ending this seat",
                field="ended_on",
            )
        locked.ended_on = ended_on
        locked.ended_reason = reason
        locked.save(update_fields=["ended_on", "ended_reason", "updated_at"])
        # A deputy's seat goes with the member they stand in for.
        for deputy in PanelMember.objects.current().filter(deputy_for=locked):
            deputy.ended_on = ended_on
            deputy.ended_reason = f"The member they deputised for left: {reason}"
            deputy.save(update_fields=["ended_on", "ended_reason", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["ended_on"],
            detail={"panel": str(locked.panel_id), "ended_on": ended_on.isoformat()},
        )
    return locked


def criterion_add(*, actor: Any, panel: Panel, text: str) -> MembershipCriterion:
    _coordinator_check(actor, panel)
    text = " ".join(text.split())
    if not text:
        raise PanelError("Enter the criterion", field="text")
    if len(text) > 300:
        raise PanelError("The criterion must be 300 characters or fewer", field="text")
    with transaction.atomic():
        if panel.criteria.filter(retired_on__isnull=True, text__iexact=text).exists():
            raise PanelError("The panel has already adopted this criterion", field="text")
        position = panel.criteria.count()
        criterion = MembershipCriterion.objects.create(panel=panel, text=text, position=position)
        audit.record(actor=actor, verb=AuditVerb.CREATE, target=criterion, fields=["text"])
    return criterion


def criterion_retire(*, actor: Any, criterion: MembershipCriterion) -> MembershipCriterion:
    """A criterion the panel no longer applies; seats already taken keep what they met."""
    _coordinator_check(actor, criterion.panel)
    with transaction.atomic():
        if criterion.retired_on is None:
            criterion.retired_on = timezone.localdate()
            criterion.save(update_fields=["retired_on", "updated_at"])
            audit.record(
                actor=actor, verb=AuditVerb.UPDATE, target=criterion, fields=["retired_on"]
            )
    return criterion


TERMS_MAX_LENGTH = 9000


def terms_adopt(
    *, actor: Any, panel: Panel, text: str, adopted_on: date, change_summary: str = ""
) -> TermsOfReference:
    """Record the terms of reference the panel adopted, as the next version."""
    _coordinator_check(actor, panel)
    text = text.strip()
    if not text:
        raise PanelError("Enter the terms of reference", field="text")
    if len(text) > TERMS_MAX_LENGTH:
        raise PanelError(
            f"Terms of reference must be {TERMS_MAX_LENGTH:,} characters or fewer", field="text"
        )
    if adopted_on > timezone.localdate():
        raise PanelError("The date adopted must be today or in the past", field="adopted_on")
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=panel.pk)  # versions in order, none twice
        latest = panel.terms.order_by("-version").first()
        if latest is not None and latest.text == text:
            raise PanelError(
                "These are the same as the current terms of reference: change them first",
                field="text",
            )
        if latest is not None and not change_summary.strip():
            raise PanelError(
                "Say in a line what changed from the last version", field="change_summary"
            )
        if latest is not None and adopted_on < latest.adopted_on:
            raise PanelError(
                f"Version {latest.version} was adopted on {latest.adopted_on:%d %B %Y}: "
                "new terms cannot be adopted before it",
                field="adopted_on",
            )
        terms = TermsOfReference.objects.create(
            panel=panel,
            version=(latest.version + 1) if latest else 1,
            text=text,
            adopted_on=adopted_on,
            change_summary=change_summary.strip(),
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=terms,
            fields=["text"],
            detail={"panel": str(panel.pk), "version": terms.version},
        )
    return terms
