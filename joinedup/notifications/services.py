"""Writes to people's notices. Other parts of JoinedUp (actions, reminders, safeguarding) tell
someone something by calling `notify`; it is safe to call again with the same `dedupe_key`."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.notifications import preferences
from joinedup.notifications.models import (
    DIGESTS,
    Delivery,
    Notification,
    NotificationPreference,
    ReminderKind,
)

TEXT_MAX_LENGTH = 300


class NotificationError(FieldError):
    """A notice could not be given or changed; `field` names what was wrong."""


def notify(
    *,
    recipient: Any,
    text: str,
    url: str,
    kind: str,
    dedupe_key: str,
    email_delivery: str = "",
) -> Notification | None:
    """Give `recipient` a notice, once: None if they already have the notice with this
    `dedupe_key` (or their account is closed). `text` must name a child by reference and
    pseudonym only, never by name; `url` is a path inside JoinedUp. `email_delivery`
    ("immediate", "daily" or "weekly") has `send_reminders` email it too."""
    text = " ".join(text.split())
    if not text:
        raise NotificationError("A notice needs some text", field="text")
    if not dedupe_key.strip():
        raise NotificationError("A notice needs a key saying what it is about", field="dedupe_key")
    if url and not (url.startswith("/") and url_has_allowed_host_and_scheme(url, None)):
        raise NotificationError("A notice links to a page inside JoinedUp only", field="url")
    if not recipient.is_active:
        return None
    if len(text) > TEXT_MAX_LENGTH:
        text = text[: TEXT_MAX_LENGTH - 1] + "…"
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                text=text,
                url=url,
                kind=kind[:40],
                dedupe_key=dedupe_key[:200],
                email_delivery=email_delivery,
            )
            audit.record(
                actor=None,
                verb=AuditVerb.CREATE,
                target=notification,
                fields=["text"],
                detail={"kind": kind, "recipient": str(recipient.pk)},
            )
    except IntegrityError:
        # Given already, perhaps by a run of the same job at the same moment.
        return None
    return notification


def remind(
    *,
    recipient: Any,
    reminder: str,
    text: str,
    url: str,
    kind: str,
    dedupe_key: str,
    delivery: str | None = None,
) -> Notification | None:
    """A reminder of one `reminder` kind (ReminderKind), given as its recipient prefers: a
    notice, and an email now or in a digest; nothing if they turned the kind off. `delivery`
    saves the lookup when the caller has the preferences of many people at once."""
    if delivery is None:
        delivery = preferences.delivery_for(recipient, reminder)
    if delivery == Delivery.OFF:
        return None
    email = delivery if delivery == Delivery.IMMEDIATE or delivery in DIGESTS else ""
    return notify(
        recipient=recipient,
        text=text,
        url=url,
        kind=kind,
        dedupe_key=dedupe_key,
        email_delivery=email,
    )


def preferences_save(*, actor: Any, choices: dict[str, str]) -> dict[str, str]:
    """Save how `actor` wants to hear of each kind of reminder; the deliveries now in force.
    A kind left out keeps its setting; a reminder kept in JoinedUp for the child's sake
    (preferences.ALWAYS_IN_APP) cannot be turned off."""
    for kind, delivery in choices.items():
        if kind not in ReminderKind.values:
            raise NotificationError("Choose a kind of reminder from the list", field=kind)
        if delivery not in Delivery.values:
            raise NotificationError(
                f"Select how to hear of {ReminderKind(kind).label.lower()}", field=kind
            )
        if not preferences.allowed(kind, delivery):
            raise NotificationError(
                f"{ReminderKind(kind).label} always appear in JoinedUp: choose how you are "
                "emailed about them",
                field=kind,
            )
    with transaction.atomic():
        before = preferences.deliveries_for(actor)
        changed = {kind: d for kind, d in choices.items() if before[kind] != d}
        for kind, delivery in changed.items():
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"delivery": delivery}
            )
        if changed:
            audit.record(
                actor=actor,
                verb=AuditVerb.UPDATE,
                target=actor,
                fields=[f"notification_preferences.{kind}" for kind in sorted(changed)],
                detail={"preferences": changed},
            )
    return preferences.deliveries_for(actor)


def mark_read(*, actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise NotificationError("This notice is someone else's", field="notification")
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now(), updated_at=timezone.now()
        )
        if updated:
            audit.record(
                actor=actor, verb=AuditVerb.UPDATE, target=notification, fields=["read_at"]
            )
    notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark every unread notice of `actor` read; the number marked."""
    with transaction.atomic():
        now = timezone.now()
        count = (
            Notification.objects.unread()
            .filter(recipient=actor)
            .update(read_at=now, updated_at=now)
        )
        if count:
            audit.record(
                actor=actor,
                verb=AuditVerb.UPDATE,
                target=actor,
                fields=["notifications.read_at"],
                detail={"marked_read": count},
            )
    return count
