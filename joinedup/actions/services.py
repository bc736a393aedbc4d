"""Actions: agreed, owned, chased, done. Every write is one transaction with its audit entry.

Texts that leave the action's own page (notices, emails) never hold the action's title or a
child's name: a title is typed by a person and could name the child, so they say only who,
when, the child's reference and pseudonym, and link to the action."""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.actions.models import Action, ActionChange, ActionStatus, ChangeKind, Chase
from joinedup.children.names import children_named_in
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.notifications import preferences
from joinedup.notifications.models import DIGESTS, Delivery, Notification, ReminderKind
from joinedup.notifications.services import notify
from joinedup.organisations.models import Organisation
from joinedup.panels.models import AgendaItem, Meeting, PanelMember, PanelRole

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 2000
# Chased on the due date, then once every this many days while it stays open.
CHASE_EVERY_DAYS = 7
# How long a run may take to send one email before another run may try it again.
CLAIM_FOR = timedelta(minutes=10)


class ActionError(FieldError):
    """A rule about actions was broken; `field` names the form field at fault."""


def _seat_roles(actor: Any, panel_id: Any) -> set[str]:
    if panel_id is None or not getattr(actor, "is_authenticated", False):
        return set()
    return set(
        PanelMember.objects.current()
        .filter(user=actor, panel_id=panel_id)
        .values_list("role", flat=True)
    )


def _coordinates(actor: Any, action: Action) -> bool:
    """Whoever keeps the action's panel's actions: its coordinators, or, for an action agreed
    away from a panel, whoever recorded it."""
    if action.panel_id is None:
        return actor is not None and action.created_by_id == actor.pk
    return PanelRole.COORDINATOR in _seat_roles(actor, action.panel_id)


def _leads(actor: Any, action: Action) -> bool:
    if action.panel_id is None:
        return _coordinates(actor, action)
    return bool(_seat_roles(actor, action.panel_id) & {PanelRole.COORDINATOR, PanelRole.CHAIR})


def _text(value: str, *, field: str, label: str, required: bool, limit: int) -> str:
    value = value.strip()
    if required and not value:
        raise ActionError(f"Enter {label}", field=field)
    if len(value) > limit:
        raise ActionError(
            f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer", field=field
        )
    return value


def _check_owner(owner: Any, organisation: Organisation, *, field: str = "owner") -> None:
    if owner is None or not owner.is_active:
        raise ActionError(
            "Choose someone with a JoinedUp account, who can be told about the action",
            field=field,
        )
    if not Membership.objects.active().filter(user=owner, organisation=organisation).exists():
        raise ActionError(
            f"{owner.display_name} does not work for {organisation.name} now: choose the "
            "organisation they act for, or someone else",
            field=field,
        )


def _check_due(due_on: date, *, field: str = "due_on") -> None:
    if due_on < timezone.localdate():
        raise ActionError("The due date must be today or in the future", field=field)


def action_path(action: Action) -> str:
    return reverse("actions:action_detail", kwargs={"action_id": action.pk})


def _about(action: Action) -> str:
    """How a notice or email names what the action is about, without naming the child."""
    parts = []
    if action.child_id is not None:
        child = action.child
        assert child is not None
        parts.append(f"about {child.pseudonym} ({child.reference})")
    if action.meeting_id is not None:
        meeting = action.meeting
        assert meeting is not None
        day = timezone.localtime(meeting.starts_at)
        parts.append(f"from the {meeting.panel.name} meeting of {day:%-d %B %Y}")
    return (" " + ", ".join(parts)) if parts else ""


def _tell_owner(action: Action, *, kind: str, text: str, key: str) -> None:
    notify(
        recipient=action.owner,
        text=text,
        url=action_path(action),
        kind=kind,
        dedupe_key=key,
    )


@dataclass(frozen=True)
class NewAction:
    title: str
    owner: Any
    organisation: Organisation
    due_on: date
    detail: str = ""
    meeting: Meeting | None = None
    agenda_item: AgendaItem | None = None


def action_create(*, actor: Any, new: NewAction) -> Action:
    """Record an action and tell its owner. From a meeting, only the panel's coordinator or
    chair may record it; about a case, the item must be on that meeting's agenda, and the
    texts must not name the child (everyone who sees the action can read them)."""
    title = _text(
        new.title, field="title", label="what is to be done", required=True, limit=TITLE_MAX_LENGTH
    )
    detail = _text(
        new.detail, field="detail", label="the details", required=False, limit=TEXT_MAX_LENGTH
    )
    meeting, item = new.meeting, new.agenda_item
    if item is not None and meeting is None:
        meeting = item.meeting
    if meeting is not None:
        if not _seat_roles(actor, meeting.panel_id) & {PanelRole.COORDINATOR, PanelRole.CHAIR}:
            raise ActionError(
                f"Only the coordinator or chair of the {meeting.panel.name} can record its actions",
                field="meeting",
            )
    elif not has_role(actor, Role.PANEL_COORDINATOR, Role.PANEL_CHAIR):
        raise ActionError(
            "Only a panel coordinator or chair can record an action away from a meeting",
            field="meeting",
        )
    if item is not None:
        if meeting is None or item.meeting_id != meeting.pk:
            raise ActionError("That case is not on this meeting's agenda", field="agenda_item")
        if item.removed_at is not None:
            raise ActionError(
                "That case came off the agenda: choose a case still on it", field="agenda_item"
            )
        for name, text in (("title", title), ("detail", detail)):
            if children_named_in(text, [item.child], capitalised_only=False):
                raise ActionError(
                    f"Write {item.child.pseudonym}, not the child's name: everyone who sees the "
                    "action can read it",
                    field=name,
                )
    _check_due(new.due_on)
    _check_owner(new.owner, new.organisation)
    with transaction.atomic():
        action = Action.objects.create(
            title=title,
            detail=detail,
            owner=new.owner,
            organisation=new.organisation,
            due_on=new.due_on,
            panel_id=meeting.panel_id if meeting else None,
            meeting=meeting,
            agenda_item=item,
            child=item.child if item else None,
            created_by=actor,
        )
        ActionChange.objects.create(
            action=action, kind=ChangeKind.CREATED, after=new.owner.display_name, by=actor
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=action,
            fields=["title", "detail", "owner", "organisation", "due_on"],
            detail={
                "owner": str(new.owner.pk),
                "organisation": str(new.organisation.pk),
                "meeting": str(meeting.pk) if meeting else "",
                "child": item.child.reference if item else "",
            },
        )
        _tell_owner(
            action,
            kind="action_assigned",
            text=f"A new action for you, due {new.due_on:%-d %B %Y}{_about(action)}",
            key=f"action-assigned:{action.pk}:{new.owner.pk}",
        )
    return action


def _change(
    action: Action,
    *,
    revision: int,
    changes: dict[str, Any],
) -> Action:
    """Compare and set: apply `changes` only if the action is still open at `revision`."""
    updated = Action.objects.filter(
        pk=action.pk, revision=revision, status=ActionStatus.OPEN
    ).update(revision=F("revision") + 1, updated_at=timezone.now(), **changes)
    if not updated:
        current = Action.objects.get(pk=action.pk)
        if current.status != ActionStatus.OPEN:
            raise ActionError(
                f"This action is already {current.get_status_display().lower()}: nothing was "
                "changed",
                field="revision",
                code="closed",
            )
        raise ActionError(
            "Someone changed this action since you opened it: nothing was saved. Check the "
            "action as it is now and try again",
            field="revision",
            code="stale",
        )
    action.refresh_from_db()
    return action


def action_complete(*, actor: Any, action: Action, revision: int, outcome: str) -> Action:
    """The owner (or the panel's coordinator, for them) records the action done and what
    was done."""
    if actor.pk != action.owner_id and not _coordinates(actor, action):
        raise ActionError(
            "Only the action's owner or the panel's coordinator can record it done",
            field="outcome",
        )
    outcome = _text(outcome, field="outcome", label="what was done", required=True, limit=2000)
    with transaction.atomic():
        now = timezone.now()
        _change(
            action,
            revision=revision,
            changes={
                "status": ActionStatus.DONE,
                "completed_at": now,
                "completed_by": actor,
                "outcome": outcome,
            },
        )
        ActionChange.objects.create(action=action, kind=ChangeKind.COMPLETED, by=actor)
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=action,
            fields=["status", "outcome"],
            detail={"status": ActionStatus.DONE, "late": now.date() > action.due_on},
        )
    return action


def action_reassign(
    *,
    actor: Any,
    action: Action,
    revision: int,
    owner: Any,
    organisation: Organisation,
    reason: str,
) -> Action:
    """The coordinator gives the action to someone else, who is told."""
    if not _coordinates(actor, action):
        raise ActionError(
            "Only the panel's coordinator can give an action to someone else", field="owner"
        )
    reason = _text(reason, field="reason", label="why", required=True, limit=1000)
    _check_owner(owner, organisation)
    if owner.pk == action.owner_id and organisation.pk == action.organisation_id:
        raise ActionError("The action is already theirs: choose someone else", field="owner")
    before = f"{action.owner.display_name}, {action.organisation.name}"
    previous_owner = action.owner_id
    with transaction.atomic():
        _change(action, revision=revision, changes={"owner": owner, "organisation": organisation})
        ActionChange.objects.create(
            action=action,
            kind=ChangeKind.REASSIGNED,
            before=before[:300],
            after=f"{owner.display_name}, {organisation.name}"[:300],
            reason=reason,
            by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=action,
            fields=["owner", "organisation"],
            purpose=reason,
            detail={
                "from": str(previous_owner),
                "to": str(owner.pk),
                "organisation": str(organisation.pk),
            },
        )
        _tell_owner(
            action,
            kind="action_assigned",
            text=f"An action is now yours, due {action.due_on:%-d %B %Y}{_about(action)}",
            key=f"action-assigned:{action.pk}:{owner.pk}:{action.revision}",
        )
    return action


def action_change_due_date(
    *, actor: Any, action: Action, revision: int, due_on: date, reason: str
) -> Action:
    """A new due date, with the reason kept beside the old one. The owner, the coordinator or
    the chair may change it; chasing starts again from the new date."""
    if actor.pk != action.owner_id and not _leads(actor, action):
        raise ActionError(
            "Only the owner, the panel's coordinator or its chair can change the due date",
            field="due_on",
        )
    reason = _text(reason, field="reason", label="why the date changes", required=True, limit=1000)
    _check_due(due_on)
    if due_on == action.due_on:
        raise ActionError("That is the due date already: choose another", field="due_on")
    before = action.due_on
    with transaction.atomic():
        _change(action, revision=revision, changes={"due_on": due_on})
        ActionChange.objects.create(
            action=action,
            kind=ChangeKind.REDATED,
            before=before.isoformat(),
            after=due_on.isoformat(),
            reason=reason,
            by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=action,
            fields=["due_on"],
            purpose=reason,
            detail={"from": before.isoformat(), "to": due_on.isoformat()},
        )
    return action


def action_cancel(*, actor: Any, action: Action, revision: int, reason: str) -> Action:
    """The coordinator or chair cancels an action that is no longer needed, saying why."""
    if not _leads(actor, action):
        raise ActionError(
            "Only the panel's coordinator or chair can cancel an action", field="reason"
        )
    reason = _text(reason, field="reason", label="why it is cancelled", required=True, limit=1000)
    with transaction.atomic():
        _change(
            action,
            revision=revision,
            changes={
                "status": ActionStatus.CANCELLED,
                "cancelled_at": timezone.now(),
                "cancelled_reason": reason,
            },
        )
        ActionChange.objects.create(
            action=action, kind=ChangeKind.CANCELLED, reason=reason, by=actor
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=action,
            fields=["status"],
            purpose=reason,
            detail={"status": ActionStatus.CANCELLED},
        )
    return action


# Chasing: run by `manage.py chase_actions` (docs/operations.md).


@dataclass
class ChaseResult:
    due: int = 0
    notified: int = 0
    emailed: int = 0
    no_email: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def chase_stage(action: Action, today: date) -> int:
    """0 from the due date, then 1 after seven days overdue, 2 after fourteen, and so on."""
    return (today - action.due_on).days // CHASE_EVERY_DAYS


def _chase_text(action: Action, today: date) -> str:
    if action.due_on == today:
        when = "is due today"
    else:
        days = (today - action.due_on).days
        when = f"was due on {action.due_on:%-d %B %Y} ({days} day{'s' if days != 1 else ''} ago)"
    return f"An action of yours {when}{_about(action)}"


def _site_url(path: str) -> str:
    return f"{settings.JOINEDUP_SITE_URL.rstrip('/')}{path}"


def chase_due_actions(*, today: date | None = None) -> ChaseResult:
    """Chase every open action due today or overdue, at most once per stage: an in-app notice
    and, as the owner prefers, an email now (or in their digest, or none). Run by
    `send_reminders` (and `chase_actions`). Safe to run again, or twice at once: each stage is
    a row with a unique key, each email is claimed before it is sent, and an email that failed
    is tried again on the next run. One failure never stops the others."""
    today = today or timezone.localdate()
    result = ChaseResult()
    due = (
        Action.objects.open()
        .filter(due_on__lte=today)
        .select_related("owner", "child", "meeting__panel")
        .order_by("due_on", "pk")
    )
    for action in due.iterator(chunk_size=200):
        result.due += 1
        try:
            _chase_one(action, today=today, result=result)
        except Exception as error:  # one action's failure must not stop the rest
            logger.exception("Could not chase action %s", action.pk)
            result.failed += 1
            result.errors.append(f"{action.pk}: {type(error).__name__}")
    return result


def _chase_one(action: Action, *, today: date, result: ChaseResult) -> None:
    stage = chase_stage(action, today)
    try:
        with transaction.atomic():
            chase, _ = Chase.objects.get_or_create(action=action, due_on=action.due_on, stage=stage)
    except IntegrityError:
        # Another run created it at the same moment.
        chase = Chase.objects.get(action=action, due_on=action.due_on, stage=stage)
    # The owner's choice (docs/reminders.md): the notice always comes; the email now (sent
    # and tracked here, on the Chase), in their digest (sent by send_reminders) or not at all.
    delivery = preferences.delivery_for(action.owner, ReminderKind.ACTIONS)
    dedupe_key = f"action-chase:{action.pk}:{action.due_on.isoformat()}:{stage}"
    if chase.notified_at is None:
        with transaction.atomic():
            notice = notify(
                recipient=action.owner,
                text=_chase_text(action, today),
                url=action_path(action),
                kind="action_due" if stage == 0 and action.due_on == today else "action_overdue",
                dedupe_key=dedupe_key,
                email_delivery=delivery if delivery in DIGESTS else "",
            )
            Chase.objects.filter(pk=chase.pk, notified_at__isnull=True).update(
                notified_at=timezone.now()
            )
            if notice is not None:
                result.notified += 1
                audit.record(
                    actor=None,
                    verb=AuditVerb.UPDATE,
                    target=action,
                    fields=["chased"],
                    detail={"stage": stage, "due_on": action.due_on.isoformat()},
                )
    if chase.emailed_at is not None or chase.no_email:
        return
    if not action.owner.is_active or delivery != Delivery.IMMEDIATE:
        return  # a closed account gets nothing; a digest or JoinedUp alone, by choice
    if (
        Notification.objects.filter(recipient=action.owner, dedupe_key=dedupe_key)
        .filter(email_delivery__in=DIGESTS)
        .exists()
    ):
        return  # given for a digest before the owner chose emails straight away
    if not action.owner.email:
        Chase.objects.filter(pk=chase.pk).update(no_email=True)
        result.no_email += 1
        return
    now = timezone.now()
    claimed = (
        Chase.objects.filter(pk=chase.pk, emailed_at__isnull=True, no_email=False)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if not claimed:
        return  # sent already, or being sent by another run now
    try:
        send_mail(
            subject="JoinedUp: an action of yours is due"
            if action.due_on == today
            else "JoinedUp: an action of yours is overdue",
            message=(
                f"{_chase_text(action, today)}.\n\n"
                f"See the action, and record it done, in JoinedUp: "
                f"{_site_url(action_path(action))}\n\n"
                "If it is not yours, or the date cannot be met, say so on the action's page.\n"
            ),
            from_email=None,
            recipient_list=[action.owner.email],
        )
    except Exception as error:  # a mail server down must not lose the chase
        logger.exception("Could not email the owner of action %s", action.pk)
        Chase.objects.filter(pk=chase.pk).update(
            claimed_until=None, last_error=f"{type(error).__name__}: {error}"[:300]
        )
        result.failed += 1
        result.errors.append(f"{action.pk}: {type(error).__name__}")
        return
    Chase.objects.filter(pk=chase.pk).update(
        emailed_at=timezone.now(), claimed_until=None, last_error=""
    )
    result.emailed += 1
