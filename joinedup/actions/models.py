from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.core.models import BaseModel
from joinedup.organisations.models import Organisation


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> "ActionQuerySet":
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self) -> "ActionQuerySet":
        return self.open().filter(due_on__lt=timezone.localdate())


class Action(BaseModel):
    """Something a person agreed to do for their organisation, by a date: usually agreed at a
    panel meeting, about a child's case on its agenda. Chased until it is done or cancelled."""

    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned"
    )
    # The agency the owner acts for: completion rates are reported per agency.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    # Set from the meeting, so a panel's actions are found without a join.
    panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    meeting = models.ForeignKey(
        "panels.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    agenda_item = models.ForeignKey(
        "panels.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    # The child whose case the action is about (the agenda item's), shown by pseudonym.
    child = models.ForeignKey(
        "children.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default="open")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    # Compare-and-set on every change: of two people changing the same action from pages
    # opened at the same revision, the second is refused rather than overwriting the first.
    revision = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()
    # Set by the selectors for one viewer when the owner's agency must not be named to them.
    agency_shown: str = ""

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["panel", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
            # The reports count the actions due in a period, whatever their status.
            models.Index(fields=["due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False),
                name="action_done_has_completed_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="action_cancelled_has_cancelled_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def is_due_today(self) -> bool:
        return self.is_open and self.due_on == timezone.localdate()

    @property
    def days_overdue(self) -> int:
        return max(0, (timezone.localdate() - self.due_on).days) if self.is_open else 0


class ChangeKind(models.TextChoices):
    CREATED = "created", "Agreed"
    REASSIGNED = "reassigned", "Given to someone else"
    REDATED = "redated", "Due date changed"
    COMPLETED = "completed", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionChange(BaseModel):
    """One step of an action's history, with the reason given: kept, so a panel can see why a
    date moved or who had the action before."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    before = models.CharField(max_length=300, blank=True)
    after = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.action_id}"


class Chase(BaseModel):
    """One reminder stage of one action: on the due date (stage 0), then every seven days
    overdue (stages 1, 2 ...). Unique per action, due date and stage, so however often or
    concurrently the chase runs, a stage is sent once; a new due date starts again at stage 0.

    A run claims the email by setting `claimed_until`; a run that dies mid-send leaves a claim
    that expires, and a failed send clears it, so the next run tries again."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="chases")
    due_on = models.DateField()
    stage = models.PositiveSmallIntegerField()
    notified_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The owner has no email address: the in-app notice is all that can be sent.
    no_email = models.BooleanField(default=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["action", "due_on", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "due_on", "stage"], name="one_chase_per_action_stage"
            )
        ]

    def __str__(self) -> str:
        return f"Chase {self.stage} of {self.action_id}"
