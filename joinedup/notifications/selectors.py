from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404

from joinedup.core import audit
from joinedup.notifications import preferences
from joinedup.notifications.models import Notification

PAGE_SIZE = 50


@audit.audit_exempt(reason="Counts the viewer's own unread notices; reads no record.")
def unread_count(*, viewer: Any) -> int:
    return Notification.objects.unread().filter(recipient=viewer).count()


@audit.audit_exempt(
    reason="The viewer's own notices, whose texts name children by reference and pseudonym only."
)
def notifications_for(*, viewer: Any, limit: int = PAGE_SIZE) -> list[Notification]:
    """The viewer's newest notices, unread first."""
    return list(
        Notification.objects.filter(recipient=viewer)
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created_at")[:limit]
    )


@audit.audit_exempt(reason="One of the viewer's own notices; reference and pseudonym only.")
def notification_for(*, viewer: Any, notification_id: Any) -> Notification:
    notification = Notification.objects.filter(recipient=viewer, pk=notification_id).first()
    if notification is None:
        raise Http404("No notice of yours with this id.")
    return notification


@audit.audit_exempt(reason="The viewer's own choices of how to hear of reminders; no record.")
def preferences_of(*, viewer: Any) -> dict[str, str]:
    """How the viewer hears of each kind of reminder (their choice, or the default)."""
    return preferences.deliveries_for(viewer)
