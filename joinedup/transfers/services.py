"""Every change to a transfer, one function per use case, each in one transaction with its
audit entry and its notices (children by reference and pseudonym only).

Who may do what: a coordinator of the sending panel, or the keyworker of the child's open plan,
asks for a transfer and may withdraw it while it waits; a coordinator of the receiving panel
accepts or declines it. Accepting moves the case (docs/transfers.md)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.children import services as children
from joinedup.children.models import Child
from joinedup.children.names import children_named_in
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.notifications.services import notify
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels import pipeline
from joinedup.panels import services as panels
from joinedup.panels.models import Panel, PanelMember, PanelRole
from joinedup.panels.selectors import panel_serving
from joinedup.plans import services as plans
from joinedup.plans.models import Plan, PlanStatus
from joinedup.referrals import services as referrals
from joinedup.referrals.models import IdentityStatus, Referral, ReferralStatus
from joinedup.transfers.models import Transfer, TransferStatus
from joinedup.transfers.rules import handed_over

TEXT_MAX = 4000
# How far from today a move may be dated: a family tells the panel before or soon after.
MOVE_WINDOW = timedelta(days=366)
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


class TransferError(FieldError):
    """A rule of transfers was broken; `field` names the form field at fault."""


@dataclass(frozen=True)
class TransferDetails:
    new_locality: Locality | None
    moves_on: date | None
    reason: str
    risks: str
    what_is_working: str
    who_knows_the_child: str
    new_address_line_1: str = ""
    new_postcode: str = ""


# Who may ----------------------------------------------------------------------------------


def current_case(child: Child) -> Referral | None:
    """The referral that stands for the child's case: the latest one a panel took in and has
    not handed on."""
    return (
        Referral.objects.filter(child=child, panel__isnull=False, status=ReferralStatus.RECEIVED)
        .exclude(handed_over())
        .select_related("panel")
        .order_by("-submitted_at")
        .first()
    )


def _coordinates(actor: Any, panel_id: Any) -> bool:
    return PanelMember.objects.panels_coordinated_by(actor).filter(panel=panel_id).exists()


def _open_plan(child: Child) -> Plan | None:
    return Plan.objects.filter(child=child, status=PlanStatus.OPEN).first()


def may_request(actor: Any, child: Child, case: Referral) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if _coordinates(actor, case.panel_id):
        return True
    plan = _open_plan(child)
    return plan is not None and plan.keyworker_id == actor.pk


def requester_organisation(actor: Any, child: Child, case: Referral) -> Organisation:
    """The organisation the requester asks for: their seat on the sending panel, or the
    organisation they lead the plan for."""
    seat = (
        PanelMember.objects.current()
        .filter(user=actor, panel=case.panel_id, role=PanelRole.COORDINATOR)
        .select_related("organisation")
        .first()
    )
    if seat is not None:
        return seat.organisation
    plan = _open_plan(child)
    assert plan is not None  # may_request allowed only the keyworker otherwise
    return plan.keyworker_organisation


# Checks -----------------------------------------------------------------------------------


def _text(value: str, *, label: str, field: str, child: Child) -> str:
    text = (value or "").strip()
    if not text:
        raise TransferError(f"Enter {label}", field=field)
    if len(text) > TEXT_MAX:
        raise TransferError(
            f"{label[0].upper()}{label[1:]} must be {TEXT_MAX} characters or fewer", field=field
        )
    # The receiving panel sees the pseudonym until it accepts: the handover must not name
    # the child.
    if children_named_in(text, [child]):
        raise TransferError(
            f"Write {child.pseudonym} instead of the child's name in {label}: the receiving "
            "panel sees the pseudonym until it accepts the case",
            field=field,
        )
    return text


def _address(details: TransferDetails) -> tuple[str, str]:
    line_1 = (details.new_address_line_1 or "").strip()
    postcode = " ".join((details.new_postcode or "").upper().split())
    if len(line_1) > 150:
        raise TransferError(
            "Address line 1 must be 150 characters or fewer", field="new_address_line_1"
        )
    if postcode and not POSTCODE.match(postcode):
        raise TransferError("Enter a real postcode, like BS7 9XY", field="new_postcode")
    if line_1 and not postcode:
        raise TransferError("Enter the postcode of the new address", field="new_postcode")
    if postcode and not line_1:
        raise TransferError("Enter the first line of the new address", field="new_address_line_1")
    return line_1, postcode


def _receiving_panel(child: Child, case: Referral, locality: Locality | None) -> Panel:
    if locality is None:
        raise TransferError("Select the locality the child is moving to", field="new_locality")
    panel = panel_serving(locality)
    if panel is None:
        raise TransferError(
            f"No panel in JoinedUp covers {locality.name} yet, so the case cannot be "
            "transferred there. Talk to the coordinator about where support can continue",
            field="new_locality",
            code="no_panel",
        )
    if panel.pk == case.panel_id:
        raise TransferError(
            f"The {panel.name} covers {locality.name} too: the case stays with it, and no "
            "transfer is needed",
            field="new_locality",
            code="same_panel",
        )
    checks = referrals.eligibility_check(date_of_birth=child.date_of_birth, locality=locality)
    unmet = [check.explanation for check in checks if not check.met]
    if unmet:
        raise TransferError(
            f"The {panel.name} cannot take the case: {unmet[0]}",
            field="new_locality",
            code="not_eligible",
        )
    return panel


def _url(transfer: Transfer) -> str:
    return reverse("transfers:detail", kwargs={"transfer_id": transfer.pk})


def _coordinators_of(panel_id: Any) -> list[Any]:
    return [
        seat.user
        for seat in PanelMember.objects.current()
        .filter(panel=panel_id, role=PanelRole.COORDINATOR)
        .select_related("user")
    ]


# Use cases --------------------------------------------------------------------------------


def transfer_request(*, actor: Any, child: Child, details: TransferDetails) -> Transfer:
    """Ask the panel of the child's new locality to take the case, with a handover. Its
    coordinators are told at once, by pseudonym and reference."""
    if child.merged_into_id is not None:
        raise TransferError("This record was merged into another: transfer that one instead")
    case = current_case(child)
    if case is None or case.panel is None:
        raise TransferError(
            f"{child.pseudonym}'s case is not with a panel, so there is nothing to transfer",
            code="no_case",
        )
    if not may_request(actor, child, case):
        raise TransferError(
            f"Only a coordinator of the {case.panel.name} or the keyworker of the child's plan "
            "can ask for a transfer",
            code="not_allowed",
        )
    if case.identity_status in {IdentityStatus.TO_CHECK, IdentityStatus.DEFERRED}:
        raise TransferError(
            "Settle who the child is first: JoinedUp found records that may be the same child",
            code="identity",
        )
    to_panel = _receiving_panel(child, case, details.new_locality)
    assert details.new_locality is not None
    if details.moves_on is None:
        raise TransferError("Enter the date the child moves", field="moves_on")
    today = timezone.localdate()
    if not today - MOVE_WINDOW <= details.moves_on <= today + MOVE_WINDOW:
        raise TransferError("Date the child moves must be within a year of today", field="moves_on")
    line_1, postcode = _address(details)
    texts = {
        name: _text(getattr(details, name), label=label, field=name, child=child)
        for name, label in (
            ("reason", "why the case is moving"),
            ("risks", "the risks the receiving panel should know about"),
            ("what_is_working", "what is working for the child"),
            ("who_knows_the_child", "who knows the child"),
        )
    }
    with transaction.atomic():
        # Requests for one child queue here on PostgreSQL; the constraint settles it anywhere.
        Child.objects.select_for_update().filter(pk=child.pk).first()
        if Transfer.objects.filter(child=child, status=TransferStatus.REQUESTED).exists():
            raise TransferError(
                "A transfer of this child is already waiting for an answer: withdraw it first, "
                "or wait for the receiving panel",
                code="open_transfer",
            )
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    child=child,
                    from_panel=case.panel,
                    to_panel=to_panel,
                    from_referral=case,
                    new_locality=details.new_locality,
                    moves_on=details.moves_on,
                    new_address_line_1=line_1,
                    new_postcode=postcode,
                    requested_by=actor,
                    requesting_organisation=requester_organisation(actor, child, case),
                    requested_at=timezone.now(),
                    **texts,
                )
        except IntegrityError as clash:
            raise TransferError(
                "Someone else asked for a transfer of this child at the same moment: open theirs",
                code="open_transfer",
            ) from clash
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=transfer,
            fields=["child", "to_panel", "new_locality", "handover"],
            detail={
                "child": child.reference,
                "from_panel": str(case.panel_id),
                "to_panel": str(to_panel.pk),
            },
        )
        for coordinator in _coordinators_of(to_panel.pk):
            notify(
                recipient=coordinator,
                text=(
                    f"{child.pseudonym} ({child.reference}) is moving to "
                    f"{details.new_locality.name}: the {case.panel.name} asks the "
                    f"{to_panel.name} to take the case. Read the handover and answer."
                ),
                url=_url(transfer),
                kind="transfer",
                dedupe_key=f"transfer-requested:{transfer.pk}",
            )
    return transfer


def _claim(transfer: Transfer, to: str, **changes: Any) -> Transfer:
    """Move a waiting transfer on to `to`, in one conditional statement, or refuse: of two
    answers at the same moment one wins and the other is told what happened."""
    now = timezone.now()
    claimed = Transfer.objects.filter(pk=transfer.pk, status=TransferStatus.REQUESTED).update(
        status=to, updated_at=now, **changes
    )
    current = Transfer.objects.select_related(
        "child",
        "from_panel",
        "to_panel",
        "from_referral",
        "requested_by",
        "requesting_organisation",
        "new_locality",
    ).get(pk=transfer.pk)
    if not claimed:
        raise TransferError(
            f"This transfer is no longer waiting for an answer: it was "
            f"{current.get_status_display().lower()}",
            code="not_open",
        )
    return current


def transfer_accept(
    *,
    actor: Any,
    transfer: Transfer,
    new_keyworker: Any = None,
    new_keyworker_organisation: Organisation | None = None,
) -> Transfer:
    """The receiving panel takes the case: a new referral to it (recorded as continuing the
    sending panel's), the child's locality and address, the sending panel's future agendas
    cleared, and the open plan carried on with its keyworker or the one named here."""
    if not _coordinates(actor, transfer.to_panel_id):
        raise TransferError(
            f"Only a coordinator of the {transfer.to_panel.name} can accept this transfer",
            code="not_allowed",
        )
    if new_keyworker is not None and new_keyworker_organisation is None:
        raise TransferError("Select the new keyworker", field="keyworker")
    with transaction.atomic():
        now = timezone.now()
        transfer = _claim(
            transfer,
            TransferStatus.ACCEPTED,
            accepted_by=actor,
            accepted_at=now,
            new_keyworker=new_keyworker,
        )
        child = transfer.child
        from_referral = transfer.from_referral
        requester = transfer.requested_by
        to_referral = referrals.referral_continue(
            actor=actor,
            referral=from_referral,
            panel=transfer.to_panel,
            referrer=requester,
            organisation=transfer.requesting_organisation,
            relationship_to_child=f"Transferred from the {transfer.from_panel.name}",
            what_has_been_tried=transfer.what_is_working,
            locality=transfer.new_locality,
        )
        transfer.to_referral = to_referral
        transfer.save(update_fields=["to_referral", "updated_at"])
        children.child_move(
            actor=actor,
            child=child,
            locality=transfer.new_locality,
            moved_in=transfer.moves_on,
            line_1=transfer.new_address_line_1,
            postcode=transfer.new_postcode,
        )
        removed = panels.agenda_transfer_out(actor=actor, child=child, panel=transfer.from_panel)
        plan = _open_plan(child)
        if (
            plan is not None
            and new_keyworker is not None
            and (
                plan.keyworker_id != new_keyworker.pk
                or plan.keyworker_organisation_id != new_keyworker_organisation.pk  # type: ignore[union-attr]
            )
        ):
            try:
                plans.plan_change(
                    actor=actor,
                    plan=plan,
                    revision=plan.revision,
                    details=plans.PlanDetails(
                        keyworker=new_keyworker,
                        keyworker_organisation=new_keyworker_organisation,
                        contingency=plan.contingency,
                        review_interval_weeks=plan.review_interval_weeks,
                        next_review_on=plan.next_review_on,
                    ),
                )
            except plans.PlanError as refusal:
                raise TransferError(refusal.message, field="keyworker", code=refusal.code) from (
                    refusal
                )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=transfer,
            fields=["status", "to_referral"],
            detail={
                "status": TransferStatus.ACCEPTED,
                "child": child.reference,
                "to_referral": str(to_referral.pk),
                "agenda_items_removed": [str(item.pk) for item in removed],
                "new_keyworker": str(new_keyworker.pk) if new_keyworker else "",
            },
        )
        # The case is the receiving panel's now: it leaves the sending panel's pipeline.
        pipeline.cases_refresh(child)
        notify(
            recipient=requester,
            text=(
                f"The {transfer.to_panel.name} accepted the transfer of {child.pseudonym} "
                f"({child.reference}). The case is theirs now."
            ),
            url=_url(transfer),
            kind="transfer",
            dedupe_key=f"transfer-answered:{transfer.pk}",
        )
    return transfer


def transfer_decline(*, actor: Any, transfer: Transfer, reason: str) -> Transfer:
    """The receiving panel does not take the case, and says why: it stays with the sending
    panel, whose requester is told."""
    if not _coordinates(actor, transfer.to_panel_id):
        raise TransferError(
            f"Only a coordinator of the {transfer.to_panel.name} can decline this transfer",
            code="not_allowed",
        )
    reason = _text(
        reason, label="why the panel cannot take the case", field="reason", child=transfer.child
    )
    with transaction.atomic():
        transfer = _claim(
            transfer,
            TransferStatus.DECLINED,
            declined_by=actor,
            declined_at=timezone.now(),
            decline_reason=reason,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=transfer,
            fields=["status", "decline_reason"],
            detail={"status": TransferStatus.DECLINED, "child": transfer.child.reference},
        )
        notify(
            recipient=transfer.requested_by,
            text=(
                f"The {transfer.to_panel.name} declined the transfer of "
                f"{transfer.child.pseudonym} ({transfer.child.reference}): read why."
            ),
            url=_url(transfer),
            kind="transfer",
            dedupe_key=f"transfer-answered:{transfer.pk}",
        )
    return transfer


def may_withdraw(actor: Any, transfer: Transfer) -> bool:
    return transfer.requested_by_id == actor.pk or _coordinates(actor, transfer.from_panel_id)


def transfer_withdraw(*, actor: Any, transfer: Transfer, reason: str) -> Transfer:
    """The sending side no longer asks (the family stayed, or the move fell through)."""
    if not may_withdraw(actor, transfer):
        raise TransferError(
            f"Only whoever asked for the transfer or a coordinator of the "
            f"{transfer.from_panel.name} can withdraw it",
            code="not_allowed",
        )
    reason = _text(reason, label="why it is withdrawn", field="reason", child=transfer.child)
    with transaction.atomic():
        transfer = _claim(
            transfer,
            TransferStatus.WITHDRAWN,
            withdrawn_by=actor,
            withdrawn_at=timezone.now(),
            withdraw_reason=reason,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=transfer,
            fields=["status"],
            detail={"status": TransferStatus.WITHDRAWN, "child": transfer.child.reference},
        )
        for coordinator in _coordinators_of(transfer.to_panel_id):
            notify(
                recipient=coordinator,
                text=(
                    f"The transfer of {transfer.child.pseudonym} ({transfer.child.reference}) "
                    f"to the {transfer.to_panel.name} was withdrawn."
                ),
                url=_url(transfer),
                kind="transfer",
                dedupe_key=f"transfer-withdrawn:{transfer.pk}",
            )
    return transfer
