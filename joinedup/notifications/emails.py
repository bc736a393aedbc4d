"""Emails of reminders, sent by `manage.py send_reminders`: one email per notice for people who
chose "straight away", and one digest per person per day or week for those who chose a digest.

Safe to run again, or twice at once: a notice's email and a period's digest are each claimed
before they are sent (as actions.Chase is), a digest is unique per person and period, and an
email that failed is tried again on the next run. Nothing is sent to a closed account."""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.models import AuditVerb
from joinedup.notifications.models import DIGESTS, Delivery, Digest, Notification

logger = logging.getLogger(__name__)

# How long a run may take to send one email before another run may try it again.
CLAIM_FOR = timedelta(minutes=10)


@dataclass
class EmailResult:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def site_url(path: str) -> str:
    return f"{settings.JOINEDUP_SITE_URL.rstrip('/')}{path}"


def period_start(frequency: str, today: date) -> date:
    """The day a digest's period starts: the day itself, or the Monday of its week."""
    return today - timedelta(days=today.weekday()) if frequency == Delivery.WEEKLY else today


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _send(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    context = {
        **context,
        "notifications_url": site_url(reverse("notifications:notification_list")),
        "preferences_url": site_url(reverse("notifications:preferences")),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    message.send()


def _item(notice: Notification) -> dict[str, str]:
    return {"text": notice.text, "url": site_url(notice.url) if notice.url else ""}


# One email per notice.


def send_immediate_emails() -> EmailResult:
    result = EmailResult()
    waiting = (
        Notification.objects.filter(
            email_delivery=Delivery.IMMEDIATE,
            emailed_at__isnull=True,
            recipient__is_active=True,
        )
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    for notice in waiting.iterator(chunk_size=200):
        _send_one(notice, result)
    return result


def _send_one(notice: Notification, result: EmailResult) -> None:
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True)
        .filter(Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now))
        .update(email_claimed_until=now + CLAIM_FOR, email_attempts=F("email_attempts") + 1)
    )
    if not claimed:
        return  # sent already, or being sent by another run now
    try:
        _send(
            to=notice.recipient.email,
            subject="JoinedUp: a reminder",
            template="reminder",
            context={"item": _item(notice)},
        )
    except Exception as error:  # a mail server down must not lose the reminder
        logger.exception("Could not email notice %s", notice.pk)
        Notification.objects.filter(pk=notice.pk).update(
            email_claimed_until=None, email_error=_error_text(error)
        )
        result.failed += 1
        result.errors.append(f"notice {notice.pk}: {type(error).__name__}")
        return
    Notification.objects.filter(pk=notice.pk).update(
        emailed_at=timezone.now(), email_claimed_until=None, email_error=""
    )
    result.sent += 1


# Digests: one email per person per period.


def _pending(frequency: str) -> Any:
    """Notices waiting for a digest of this frequency: not emailed, in no digest yet."""
    return Notification.objects.filter(
        email_delivery=frequency,
        emailed_at__isnull=True,
        digest__isnull=True,
        recipient__is_active=True,
    )


def send_digests(*, today: date) -> EmailResult:
    """First the digests a failure left unsent (from any period), then this period's digest
    for each person with notices waiting."""
    result = EmailResult()
    unsent = (
        Digest.objects.filter(sent_at__isnull=True, recipient__is_active=True)
        .select_related("recipient")
        .order_by("period_start", "pk")
    )
    for digest in unsent:
        _send_digest(digest, result)
    for frequency in DIGESTS:
        start = period_start(frequency, today)
        # Ordered by the person alone: DISTINCT over the default order (newest first) would list
        # a person once per notice and retry their failed digest in the same run.
        people = (
            _pending(frequency).order_by("recipient_id").values_list("recipient_id", flat=True)
        ).distinct()
        for recipient_id in list(people):
            try:
                with transaction.atomic():
                    digest, _ = Digest.objects.get_or_create(
                        recipient_id=recipient_id, frequency=frequency, period_start=start
                    )
            except IntegrityError:
                # Another run created it at the same moment.
                digest = Digest.objects.get(
                    recipient_id=recipient_id, frequency=frequency, period_start=start
                )
            if digest.sent_at is None:
                _send_digest(digest, result)
    return result


def _send_digest(digest: Digest, result: EmailResult) -> None:
    now = timezone.now()
    claimed = (
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if not claimed:
        return  # sent already, or being sent by another run now
    # Only the run holding the claim gathers notices, and each notice joins one digest only:
    # a notice is never in two emails.
    _pending(digest.frequency).filter(recipient_id=digest.recipient_id).update(digest=digest)
    notices = list(
        Notification.objects.filter(digest=digest, emailed_at__isnull=True).order_by(
            "created_at", "pk"
        )
    )
    if not notices:
        # Every notice went into another digest: this period stays free for later ones.
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).delete()
        return
    recipient = digest.recipient
    if not recipient.is_active:
        Digest.objects.filter(pk=digest.pk).update(claimed_until=None)
        return
    period = "week" if digest.frequency == Delivery.WEEKLY else "day"
    count = len(notices)
    try:
        _send(
            to=recipient.email,
            subject=f"JoinedUp: {count} reminder{'s' if count != 1 else ''} "
            f"({'this week' if period == 'week' else f'{digest.period_start:%-d %B %Y}'})",
            template="digest",
            context={
                "items": [_item(notice) for notice in notices],
                "count": count,
                "period": period,
                "period_start": digest.period_start,
            },
        )
    except Exception as error:  # a mail server down must not lose the digest
        logger.exception("Could not email digest %s", digest.pk)
        Digest.objects.filter(pk=digest.pk).update(
            claimed_until=None, last_error=_error_text(error)
        )
        result.failed += 1
        result.errors.append(f"digest {digest.pk}: {type(error).__name__}")
        return
    sent = timezone.now()
    with transaction.atomic():
        Digest.objects.filter(pk=digest.pk).update(
            sent_at=sent, claimed_until=None, last_error="", item_count=count
        )
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=sent)
        audit.record(
            actor=None,
            verb=AuditVerb.UPDATE,
            target=digest,
            fields=["sent_at"],
            detail={"recipient": str(recipient.pk), "items": count},
        )
    result.sent += 1
