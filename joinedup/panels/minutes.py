"""Minutes generated from the structured record of a meeting: who attended, apologies,
declarations of interest, each case's decision with its reasons and the prioritisation
rule that applied, the actions agreed and those carried forward from earlier meetings. The
coordinator edits the draft (the generated text is kept beside it) and records its approval at
a later meeting of the panel; approved minutes are read only.

Minutes go to every member of the panel: children appear by reference and pseudonym only."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.actions.models import Action, ActionStatus
from joinedup.children.models import Address, HouseholdMember
from joinedup.core import audit
from joinedup.core.models import AuditVerb
from joinedup.panels.conduct import current_quorum_rule, refuse_names, require_role, seats_on
from joinedup.panels.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    Declaration,
    Meeting,
    Minutes,
    PanelRole,
)
from joinedup.panels.quorum import assess
from joinedup.panels.redaction import redactor
from joinedup.panels.services import PanelError

MINUTES_MAX_LENGTH = 50_000


def _case(item: AgendaItem) -> str:
    return f"{item.child.pseudonym} ({item.child.reference})"


def _person(seat: Any) -> str:
    return f"{seat.user.display_name} ({seat.organisation.name})"


def generate_text(meeting: Meeting) -> str:
    """The minutes as the record stands, in plain text."""
    when = timezone.localtime(meeting.starts_at)
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related(
            "member__user",
            "member__organisation",
            "member__deputy_for",
            "deputy__user",
            "deputy__organisation",
            "deputy__deputy_for",
        )
    )
    by_seat = {entry.member_id: entry for entry in attendance}
    items = list(
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True)
        .select_related("child")
        .order_by("created_at")
    )
    declarations = list(
        Declaration.objects.filter(meeting=meeting)
        .select_related("member__user", "member__organisation", "item__child")
        .order_by("created_at")
    )
    decisions = {
        decision.item_id: decision
        for decision in Decision.objects.filter(
            item__meeting=meeting, superseded_at__isnull=True
        ).select_related("deferred_to")
    }
    lines = [
        f"Minutes of the {meeting.panel.name}",
        f"{when:%A %-d %B %Y, %H:%M}" + (f", {meeting.location}" if meeting.location else ""),
        "",
        "Present",
    ]
    present, apologies, absent = [], [], []
    for seat in seats_on(meeting):
        if seat.deputy_for_id is not None:
            continue
        entry = by_seat.get(seat.pk)
        role = "" if seat.role == PanelRole.MEMBER else f", {seat.get_role_display().lower()}"
        if entry is None:
            continue
        if entry.status == AttendanceStatus.PRESENT:
            present.append(f"- {_person(seat)}{role}")
        elif entry.status == AttendanceStatus.DEPUTY and entry.deputy is not None:
            present.append(f"- {_person(entry.deputy)}, deputy for {seat.user.display_name}")
            apologies.append(f"- {_person(seat)}{role}")
        elif entry.status == AttendanceStatus.APOLOGIES:
            apologies.append(f"- {_person(seat)}{role}")
        else:
            absent.append(f"- {_person(seat)}{role}")
    lines += present or ["- Attendance was not recorded"]
    lines += ["", "Apologies", *(apologies or ["- None"])]
    if absent:
        lines += ["", "Absent", *absent]
    state = assess(current_quorum_rule(meeting.panel), attendance)
    lines += ["", "Quorum", f"- {state.summary}"]
    lines += ["", "Declarations of interest"]
    lines += [
        f"- {_person(d.member)}, in "
        + (f"the case of {_case(d.item)}" if d.item else "the whole meeting")
        + f": {d.interest}"
        for d in declarations
    ] or ["- None"]
    lines += ["", "Cases"]
    if not items:
        lines.append("- No cases were on the agenda")
    for number, item in enumerate(items, start=1):
        lines += ["", f"{number}. {_case(item)}"]
        decision = decisions.get(item.pk)
        if decision is None:
            lines.append("Decision: not recorded")
            continue
        lines.append(f"Decision: {_outcome(decision)}")
        lines.append(f"Reasons: {decision.rationale}")
        rule = decision.rule_snapshot
        if rule:
            version = rule.get("rule_version")
            lines.append(
                f"Prioritisation rule ({f'version {version}' if version else 'the default rule'}"
                f"): {'met' if rule.get('met') else 'not met'}. {rule.get('agencies_count', 0)} "
                f"agencies concerned; parents or carers concerned: "
                f"{'yes' if rule.get('parents_referred') or rule.get('parents_ticked') else 'no'}; "
                f"{rule.get('risk_factors_count', 0)} risk factors."
            )
        if decision.against_rule_reason:
            lines.append(f"Why the decision differs from the rule: {decision.against_rule_reason}")
        not_taking_part = decision.quorum_snapshot.get("not_taking_part") or []
        if not_taking_part:
            lines.append(f"Not taking part (interest declared): {', '.join(not_taking_part)}")
    lines += _actions(meeting)
    return "\n".join(lines) + "\n"


def _actions(meeting: Meeting) -> list[str]:
    """The actions agreed at the meeting, and those from earlier meetings of the panel that
    were still open when it started (done or cancelled since, they were still the panel's
    business that day), overdue ones marked: so the next meeting sees what slipped."""
    day = timezone.localdate(meeting.starts_at)
    related = ("owner", "organisation", "child", "child__school", "meeting")
    agreed = list(Action.objects.filter(meeting=meeting).select_related(*related))
    carried = list(
        Action.objects.filter(
            meeting__panel=meeting.panel_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .filter(
            Q(status=ActionStatus.OPEN)
            | Q(completed_at__gte=meeting.starts_at)
            | Q(cancelled_at__gte=meeting.starts_at)
        )
        .select_related(*related)
        .order_by("due_on", "created_at")
    )
    clean = _without_names(meeting, [*agreed, *carried])

    def line(action: Any) -> str:
        about = f" ({_case_of(action.child)})" if action.child is not None else ""
        return (
            f"- {clean(action.title)}{about}: {action.owner.display_name} "
            f"({action.organisation.name}), due {action.due_on:%-d %B %Y}"
        )

    lines = ["", "Actions agreed"]
    for action in agreed:
        status = "" if action.status == ActionStatus.OPEN else f" ({action.get_status_display()})"
        lines.append(line(action) + status)
    if not agreed:
        lines.append("- None")
    lines += ["", "Actions carried forward"]
    for action in carried:
        assert action.meeting is not None  # carried forward from a meeting, by the query
        agreed_on = timezone.localtime(action.meeting.starts_at)
        late = (day - action.due_on).days
        lines.append(
            line(action)
            + f"; agreed {agreed_on:%-d %B %Y}"
            + (f"; overdue by {late} day{'s' if late != 1 else ''}" if late > 0 else "")
        )
    if not carried:
        lines.append("- None")
    return lines


def _case_of(child: Any) -> str:
    return f"{child.pseudonym} ({child.reference})"


def _without_names(meeting: Meeting, actions: list[Any]) -> Callable[[str], str]:
    """An action's title was refused if it named its own child, but a title written away from
    a case, or naming another child or a parent, was not: the minutes reach every member, so
    every name of the children on the agenda and of those the actions are about, and of their
    households, is taken out, as the pack does for members outside the team."""
    children = {item.child.pk: item.child for item in meeting.items.select_related("child__school")}
    for action in actions:
        if action.child is not None:
            children.setdefault(action.child.pk, action.child)
    if not children:
        return str
    household: dict[Any, list[HouseholdMember]] = {}
    for member in HouseholdMember.objects.filter(child__in=list(children)):
        household.setdefault(member.child_id, []).append(member)
    addresses: dict[Any, list[Address]] = {}
    for address in Address.objects.filter(child__in=list(children)):
        addresses.setdefault(address.child_id, []).append(address)
    cleaners = [
        redactor(child=child, household=household.get(pk, []), addresses=addresses.get(pk, []))
        for pk, child in children.items()
    ]

    def clean(text: str) -> str:
        for cleaner in cleaners:
            text = cleaner(text)
        return text

    return clean


def _outcome(decision: Decision) -> str:
    label = decision.get_outcome_display()
    if decision.outcome == DecisionOutcome.SIGNPOST:
        return f"{label}: {decision.signpost_to}"
    if decision.outcome == DecisionOutcome.DEFER:
        parts = []
        if decision.deferred_to is not None:
            parts.append(
                f"to the meeting of {timezone.localtime(decision.deferred_to.starts_at):%-d %B %Y}"
            )
        if decision.defer_reason:
            parts.append(decision.defer_reason)
        return f"{label} " + "; ".join(parts)
    return label


def _coordinator(actor: Any, meeting: Meeting) -> None:
    require_role(actor, meeting.panel, PanelRole.COORDINATOR)


def minutes_generate(*, actor: Any, meeting: Meeting, overwrite_edits: bool = False) -> Minutes:
    """Generate the draft minutes from the record, or regenerate them after the record changed.
    Regenerating over edited minutes needs `overwrite_edits`: the edits are lost otherwise."""
    _coordinator(actor, meeting)
    if meeting.starts_at > timezone.now():
        raise PanelError("Minutes are written once the meeting has started", field="confirm")
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is not None and minutes.is_approved:
            raise PanelError("These minutes are approved and can no longer change", field="confirm")
        if minutes is not None and minutes.is_edited and not overwrite_edits:
            raise PanelError(
                "The draft has been edited: confirm that the edits may be replaced by the "
                "minutes generated from the record",
                field="confirm",
            )
        text = generate_text(meeting)
        now = timezone.now()
        if minutes is None:
            minutes = Minutes.objects.create(
                meeting=meeting,
                generated_text=text,
                text=text,
                generated_by=actor,
                generated_at=now,
            )
            verb = AuditVerb.CREATE
        else:
            minutes.generated_text = text
            minutes.text = text
            minutes.generated_by = actor
            minutes.generated_at = now
            minutes.edited_by = None
            minutes.edited_at = None
            minutes.revision += 1
            minutes.save()
            verb = AuditVerb.UPDATE
        audit.record(
            actor=actor,
            verb=verb,
            target=minutes,
            fields=["generated_text", "text"],
            detail={"meeting": str(meeting.pk), "revision": minutes.revision},
        )
    return minutes


def minutes_edit(*, actor: Any, minutes: Minutes, text: str, revision: int) -> Minutes:
    """Save the coordinator's edits to the draft. The generated text is kept; a save made on a
    page opened before someone else's save is refused."""
    _coordinator(actor, minutes.meeting)
    text = text.replace("\r\n", "\n").strip() + "\n"
    if not text.strip():
        raise PanelError("Enter the minutes", field="text")
    if len(text) > MINUTES_MAX_LENGTH:
        raise PanelError(
            f"The minutes must be {MINUTES_MAX_LENGTH:,} characters or fewer", field="text"
        )
    refuse_names(
        text,
        [
            i.child
            for i in AgendaItem.objects.filter(meeting=minutes.meeting).select_related("child")
        ],
        field="text",
        context=minutes.generated_text,
    )
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if locked.is_approved:
            raise PanelError("These minutes are approved and can no longer change", field="text")
        if locked.revision != revision:
            raise PanelError(
                "Someone else changed the minutes while you were editing: open them again "
                "and make your changes there",
                field="text",
            )
        locked.text = text
        locked.edited_by = actor
        locked.edited_at = timezone.now()
        locked.revision += 1
        locked.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["text"],
            detail={"meeting": str(locked.meeting_id), "revision": locked.revision},
        )
    return locked


def minutes_approve(*, actor: Any, minutes: Minutes, at_meeting: Meeting) -> Minutes:
    """Record that the panel approved the minutes at a later meeting; they are read only after."""
    meeting = minutes.meeting
    _coordinator(actor, meeting)
    if at_meeting.panel_id != meeting.panel_id or at_meeting.starts_at <= meeting.starts_at:
        raise PanelError(
            "Minutes are approved at a later meeting of the same panel", field="minutes"
        )
    if at_meeting.starts_at > timezone.now():
        raise PanelError(
            "Record the approval at the meeting that approves them, once it has started",
            field="minutes",
        )
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if locked.is_approved:
            raise PanelError("These minutes are already approved", field="minutes")
        locked.approved_at = timezone.now()
        locked.approved_by = actor
        locked.approved_at_meeting = at_meeting
        locked.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["approved_at"],
            detail={"meeting": str(meeting.pk), "approved_at_meeting": str(at_meeting.pk)},
        )
    return locked
