from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(BaseModel):
    """A notice in a person's JoinedUp inbox. Its text names a child by reference and
    pseudonym only: a notice can be read over a shoulder, away from the child's record."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    # A path inside JoinedUp, never an outside address: opening the notice goes there.
    url = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=40)
    # What the notice is about, such as "action-chase:<id>:<due date>:<stage>": the same notice
    # is never given to the same person twice, however often the job that sends it runs.
    dedupe_key = models.CharField(max_length=200)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
