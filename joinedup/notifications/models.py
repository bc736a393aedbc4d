from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel


class ReminderKind(models.TextChoices):
    """The kinds of reminder a person can set a preference for (docs/reminders.md)."""

    REVIEWS = "reviews", "Plan reviews due and overdue"
    CONSENTS = "consents", "Consent coming to an end"
    ACTIONS = "actions", "Actions due and overdue"
    REFERRALS = "referrals", "Referrals waiting for the panel"
    DIRECTORY = "directory", "Directory entries to check"


class Delivery(models.TextChoices):
    """How a person is told of one kind of reminder."""

    APP = "app", "In JoinedUp only"
    IMMEDIATE = "immediate", "In JoinedUp, and an email straight away"
    DAILY = "daily", "In JoinedUp, and one email a day listing them"
    WEEKLY = "weekly", "In JoinedUp, and one email a week listing them"
    OFF = "off", "Not at all"


# Deliveries that gather reminders into one email per period.
DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)


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
    # How the notice is also emailed, chosen from the recipient's preference when it was given:
    # blank for none (or an email its sender keeps track of, as the action chase does),
    # "immediate" for an email of its own, "daily" or "weekly" for a place in a digest.
    email_delivery = models.CharField(max_length=10, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A run claims the email before sending it; a run that dies mid-send leaves a claim that
    # expires, and a failed send clears it, so the next run tries again.
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=300, blank=True)
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_delivery", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationPreference(BaseModel):
    """How one person wants to hear of one kind of reminder. No row: the kind's default
    (joinedup.notifications.preferences.DEFAULTS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery} for {self.user_id}"


class Digest(BaseModel):
    """One email listing a person's new reminders for one period: a day (`period_start` is the
    day) or a week (the Monday). Unique per person, frequency and period, so however often or
    concurrently the job runs, a period's digest is sent once. Claimed before it is sent, as
    actions.Chase is; a failed send clears the claim and the next run sends it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(max_length=10, choices=[(d.value, d.label) for d in DIGESTS])
    period_start = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "frequency", "period_start"], name="one_digest_per_period"
            )
        ]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.frequency} digest of {self.period_start} for {self.recipient_id}"
