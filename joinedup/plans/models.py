"""The integrated support plan agreed for a child after the panel decides on support: a lead
keyworker, the goals the child and family set in their own words, the interventions that work
towards them, reviews of progress (every 12 weeks by default) and, at the end, a closure with
its outcome and a follow-up date. It covers ONSET's intervention plan (with a copy written for
the young person) and closure summary.

One plan is open per child at a time. A closed plan is never changed: support that starts again
is a new plan. `revision` goes up with every change to the plan or anything in it, so a save made
on a page opened before someone else's save is refused (optimistic locking)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.children.models import Child, Involvement
from joinedup.core.models import BaseModel
from joinedup.organisations.models import Organisation

DEFAULT_REVIEW_WEEKS = 12
MAX_REVIEW_WEEKS = 52
FOLLOW_UP_DAYS = 91  # about three months after closure
DUE_SOON_DAYS = 14


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    GOALS_MET = "goals_met", "Goals met"
    SOME_GOALS_MET = "some_goals_met", "Some goals met"
    FAMILY_WITHDREW = "family_withdrew", "The family withdrew"
    MOVED_AWAY = "moved_away", "Moved away"
    ESCALATED = "escalated", "Escalated to safeguarding"
    TRANSFERRED = "transferred", "Transferred to another service"
    OTHER = "other", "Other"


class Plan(BaseModel):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plans_led"
    )
    keyworker_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans_led"
    )
    # The keyworker's place in the team around the child, ended when they stop leading.
    keyworker_involvement = models.ForeignKey(
        Involvement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The panel that decided on the plan, when one did.
    panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    opened_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contingency = models.TextField(blank=True)
    review_interval_weeks = models.PositiveSmallIntegerField(default=DEFAULT_REVIEW_WEEKS)
    next_review_on = models.DateField()
    revision = models.PositiveIntegerField(default=1)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Closure and ONSET's closure summary.
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    what_changed = models.TextField(blank=True)
    child_view_at_close = models.TextField(blank=True)
    family_view_at_close = models.TextField(blank=True)
    support_continuing = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        indexes = [
            models.Index(fields=["keyworker", "status"]),
            # The pipeline finds each child's latest plan (panels/pipeline.py).
            models.Index(fields=["child", "status", "closed_on", "created_at"]),
            # The reports count the plans opened and closed in a period.
            models.Index(fields=["opened_on"]),
            models.Index(fields=["closed_on"]),
            # Plans open at a period's end: opened by then, less those closed by then.
            models.Index(fields=["closed_on", "opened_on"], name="plan_closed_opened_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="open"), name="one_open_plan_per_child"
            ),
            models.CheckConstraint(
                condition=Q(review_interval_weeks__gte=1, review_interval_weeks__lte=52),
                name="plan_review_interval_1_to_52_weeks",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="open", closed_on__isnull=True, outcome="")
                    | (Q(status="closed", closed_on__isnull=False) & ~Q(outcome=""))
                ),
                name="plan_closed_with_a_date_and_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Integrated support plan for {self.child}"

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN

    @property
    def review_overdue(self) -> bool:
        return self.is_open and self.next_review_on < timezone.localdate()

    @property
    def review_due_soon(self) -> bool:
        today = timezone.localdate()
        return self.is_open and today <= self.next_review_on <= today + timedelta(
            days=DUE_SOON_DAYS
        )

    def review_after(self, day: date) -> date:
        return day + timedelta(weeks=self.review_interval_weeks)


class SaidBy(models.TextChoices):
    CHILD = "child", "The child"
    FAMILY = "family", "The parent or carer"
    BOTH = "both", "The child and the parent or carer together"


class GoalStatus(models.TextChoices):
    WORKING = "working", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "No longer a goal"


class Goal(BaseModel):
    """A goal in the words of whoever set it. Stored and shown exactly as typed: the system
    never rephrases it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField()
    in_their_words = models.TextField()
    said_by = models.CharField(max_length=10, choices=SaidBy.choices)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.WORKING)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"Goal {self.position} of {self.plan}"


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    STARTED = "started", "Started"
    FINISHED = "finished", "Finished"
    STOPPED = "stopped", "Stopped early"


OPEN_INTERVENTIONS = (InterventionStatus.PLANNED, InterventionStatus.STARTED)


class Purpose(models.TextChoices):
    """What a piece of support is for. Until the service directory describes each service, the
    person adding the support chooses one, so that two organisations doing the same thing for
    one child show up (joinedup/tracking/flags.py). "Something else" never counts as the same
    purpose as anything: it says nothing about what the support does."""

    MENTORING = "mentoring", "Mentoring or one-to-one support"
    LEARNING = "learning", "Learning and going to school"
    FAMILY = "family", "Family and parenting support"
    WELLBEING = "wellbeing", "Emotional wellbeing and mental health"
    ACTIVITIES = "activities", "Sport, play and other activities"
    HEALTH = "health", "Physical health, drugs and alcohol"
    SAFETY = "safety", "Staying safe"
    HOUSING = "housing", "Housing and money"
    CAREERS = "careers", "Careers, training and work"
    OTHER = "other", "Something else"


class Intervention(BaseModel):
    """A piece of support: which service, who provides it, from when and how often. The service
    is chosen from the directory or, when it is not listed there, written in words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="interventions")
    service = models.CharField(max_length=200)
    # The service in the directory, when the support is one listed there; `service` keeps its
    # name as it was when chosen.
    directory_service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    provider_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_name = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    frequency = models.CharField(max_length=150)
    status = models.CharField(
        max_length=10, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED
    )
    stopped_reason = models.TextField(blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="interventions")

    class Meta:
        ordering = ["starts_on", "created_at"]
        # The reports count the services started in a period, and find a plan's first.
        indexes = [
            models.Index(fields=["starts_on"]),
            models.Index(fields=["plan", "starts_on"], name="intervention_plan_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=False) | ~Q(provider_name=""),
                name="intervention_has_a_provider",
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stopped_reason=""),
                name="stopped_intervention_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} for {self.plan}"

    @property
    def provider(self) -> str:
        return self.provider_organisation.name if self.provider_organisation else self.provider_name


class Review(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    child_view = models.TextField()
    family_view = models.TextField(blank=True)
    # The re-assessment that went with the review, if there was one.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_reviews",
    )
    next_review_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.held_on:%d %B %Y}"


class Progress(models.IntegerChoices):
    HARDER = 0, "Harder than before"
    NO_CHANGE = 1, "No change yet"
    SOME = 2, "Some progress"
    GOOD = 3, "Good progress"
    ACHIEVED = 4, "Achieved"


class GoalProgress(BaseModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    progress = models.PositiveSmallIntegerField(choices=Progress.choices)
    in_words = models.TextField(blank=True)

    class Meta:
        ordering = ["goal__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_progress_once_a_review"),
            models.CheckConstraint(condition=Q(progress__lte=4), name="progress_from_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"Progress on {self.goal}"
