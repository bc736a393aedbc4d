from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.core.models import BaseModel
from joinedup.organisations.models import Locality, Organisation


class Panel(BaseModel):
    """A multi-agency panel that decides on support for the children of the localities it
    serves. Its eligibility rules (the age range, 8 to 13 by default as for Youth Inclusion and
    Support Panels) decide which referrals it can take."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    localities = models.ManyToManyField(Locality, related_name="panels")
    minimum_age = models.PositiveSmallIntegerField(default=8)
    maximum_age = models.PositiveSmallIntegerField(default=13)
    signposting = models.TextField(
        blank=True,
        help_text="What to suggest when a referral cannot be taken: other local services.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum_age__gte=models.F("minimum_age")),
                name="panel_age_range_is_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PanelRole(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"


class PanelMemberQuerySet(models.QuerySet["PanelMember"]):
    def current(self) -> "PanelMemberQuerySet":
        today = timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today), started_on__lte=today)

    def panels_coordinated_by(self, user: Any) -> "models.QuerySet[PanelMember, Any]":
        """The ids of the panels a person coordinates now, for use in a subquery."""
        return self.current().filter(user=user, role=PanelRole.COORDINATOR).values("panel")


class PanelMember(BaseModel):
    """A person sitting on a panel for their organisation."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="panel_seats"
    )
    role = models.CharField(max_length=16, choices=PanelRole.choices)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    # Whether they can commit their agency's resources at the table, without going back to
    # a manager: a panel of members without it decides little.
    has_delegated_authority = models.BooleanField(default=False)
    # A deputy attends in the member's place, for the same organisation.
    deputy_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="deputies"
    )
    # The membership criteria as they stood when the person was added, and how each is met:
    # a snapshot, so later changes to the criteria do not rewrite why someone joined.
    criteria_met = models.JSONField(default=list, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_reason = models.CharField(max_length=500, blank=True)

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "role", "started_on"]
        indexes = [models.Index(fields=["user", "role", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.panel}"


class MembershipCriterion(BaseModel):
    """A rule the panel adopted for who sits on it (for example, "works with children in
    the locality" or "can commit their agency's resources"), checked when someone is added:
    the research warns against membership by friendship network."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "position", "created_at"]

    def __str__(self) -> str:
        return self.text


class TermsOfReference(BaseModel):
    """One version of a panel's terms of reference. Versions are never changed: adopting
    new terms adds the next version, so what the panel agreed at any date can be shown."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    text = models.TextField()
    adopted_on = models.DateField()
    change_summary = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["panel", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "version"], name="terms_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.panel} terms of reference, version {self.version}"


class Meeting(BaseModel):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["panel", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.panel} on {timezone.localtime(self.starts_at):%d %b %Y}"

    @property
    def is_future(self) -> bool:
        return self.starts_at > timezone.now()


class AgendaItem(BaseModel):
    """A child's case on a meeting's agenda. Taking a case off keeps the item, with when, who
    and why, so the agenda's history can be audited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="agenda_items"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting__starts_at", "created_at"]
        # The pipeline finds each child's latest agenda item (panels/pipeline.py); the reports
        # follow a referral to its agenda items and their meetings.
        indexes = [
            models.Index(fields=["child", "created_at"]),
            models.Index(fields=["referral", "id", "meeting"], name="item_report_cover_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "child"],
                condition=Q(removed_at__isnull=True),
                name="child_once_per_agenda",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} on the agenda of {self.meeting}"


class Contribution(BaseModel):
    """A practitioner's written view of a child's case on a panel agenda, for the panel pack:
    the people who know the child best are often not round the table. Written by someone in
    the team around the child; they can amend or withdraw it until the meeting starts.
    Withdrawing keeps the row, with when, for the audit trail."""

    MAX_LENGTH = 5000

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="contributions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_contributions"
    )
    # The organisation and role the author works with the child for, as they stood when the
    # view was written: the pack says who is speaking and for whom.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=150)
    view = models.TextField()
    will_attend = models.BooleanField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "author"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_contribution_per_author",
            )
        ]

    def __str__(self) -> str:
        return f"Written view for {self.agenda_item}"


# The meeting itself: attendance, quorum, declarations of interest, decisions with reasons,
# the panel's prioritisation rule, and minutes.


class QuorumRule(BaseModel):
    """When a meeting of the panel may decide. A panel without one uses these defaults: four
    people from three agencies, the chair (or the chair's deputy) and at least one person who
    can commit their agency's resources. Each decision keeps the quorum as it stood."""

    panel = models.OneToOneField(Panel, on_delete=models.CASCADE, related_name="quorum_rule")
    minimum_members = models.PositiveSmallIntegerField(default=4)
    minimum_agencies = models.PositiveSmallIntegerField(default=3)
    chair_required = models.BooleanField(default=True)
    delegated_authority_required = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_members__gte=1, minimum_agencies__gte=1),
                name="quorum_needs_someone",
            )
        ]

    def __str__(self) -> str:
        return f"Quorum of the {self.panel}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"
    DEPUTY = "deputy", "Sent apologies; a deputy attended"
    ABSENT = "absent", "Absent"


class Attendance(BaseModel):
    """Whether a member (never a deputy's own seat: deputies attend in someone's place) came to
    a meeting, sent apologies, sent their deputy, or did not come."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=12, choices=AttendanceStatus.choices)
    deputy = models.ForeignKey(
        PanelMember, null=True, blank=True, on_delete=models.PROTECT, related_name="deputised"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(status="deputy", deputy__isnull=False)
                | (~Q(status="deputy") & Q(deputy__isnull=True)),
                name="attendance_deputy_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting}: {self.get_status_display()}"


class Declaration(BaseModel):
    """A declared interest: in one case on the agenda (the person takes no part in its
    decision) or in the whole meeting (in none of them)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="declarations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    interest = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "created_at"]

    def __str__(self) -> str:
        return f"Interest declared by {self.member} at {self.meeting}"


class PrioritisationRule(BaseModel):
    """One version of the rule a panel uses to say which children most need support. A change
    adds the next version; every decision keeps the version, its text and the numbers it was
    evaluated on, so past decisions are never rewritten."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="prioritisation_rules")
    version = models.PositiveIntegerField()
    minimum_agencies = models.PositiveSmallIntegerField(default=2)
    parents_concerned_qualifies = models.BooleanField(default=True)
    minimum_risk_factors = models.PositiveSmallIntegerField(default=4)
    # A risk factor is an assessment area rated at or above this (0 to 4).
    risk_rating_from = models.PositiveSmallIntegerField(default=2)
    change_summary = models.CharField(max_length=300, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["panel", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "version"], name="prioritisation_version_once"
            ),
            models.CheckConstraint(
                condition=Q(risk_rating_from__gte=1, risk_rating_from__lte=4),
                name="prioritisation_rating_from_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel} prioritisation rule, version {self.version}"


class DecisionOutcome(models.TextChoices):
    SUPPORT_PLAN = "support_plan", "Integrated support plan"
    SIGNPOST = "signpost", "Signpost to a mainstream service"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    SAFEGUARDING = "safeguarding", "Escalate to safeguarding"
    DEFER = "defer", "Defer"


class Decision(BaseModel):
    """The panel's decision on one case, with its reasons, the prioritisation rule as it was
    evaluated, and the quorum. A correction adds the next version and marks this one
    superseded: versions are never changed, so every earlier decision can be shown."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    version = models.PositiveIntegerField(default=1)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    rationale = models.TextField()
    signpost_to = models.CharField(max_length=300, blank=True)
    deferred_to = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    defer_reason = models.CharField(max_length=500, blank=True)
    parents_concerned = models.BooleanField(default=False)
    rule_snapshot = models.JSONField(default=dict)
    against_rule_reason = models.TextField(blank=True)
    quorum_snapshot = models.JSONField(default=dict)
    correction_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    # What the decision set going: the support plan it opened (or the open one it continued),
    # the safeguarding concern it raised.
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    safeguarding_concern = models.ForeignKey(
        "safeguarding.SafeguardingConcern",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )

    class Meta:
        ordering = ["item", "-version"]
        # The reports follow an agenda item to its standing decision and the plan it opened.
        indexes = [
            models.Index(
                fields=["item", "superseded_at", "outcome", "plan"],
                name="decision_report_cover_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="decision_version_once"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_decision_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (version {self.version})"


class Minutes(BaseModel):
    """A meeting's minutes: generated from the record, edited as a draft (the generated text is
    kept beside the edited one), and approved at a later meeting, after which they are read
    only. They go to every member, so children appear by reference and pseudonym only."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    generated_text = models.TextField()
    text = models.TextField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_approved"
    )

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_at_meeting__isnull=True)
                | Q(approved_at__isnull=False, approved_at_meeting__isnull=False),
                name="minutes_approved_at_a_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_edited(self) -> bool:
        return self.text != self.generated_text


class PipelineCase(models.Model):
    """Where one case stands in its panel's pipeline (joinedup/panels/pipeline.py), stored so
    that the coordinator's page reads each case's stage instead of working it out for every
    case on every request. A case is a child's latest referral to a panel (not one found not
    eligible, not of a record merged into another). Each service that moves a case on calls
    `pipeline.cases_refresh` in its own transaction; `manage.py pipeline_rebuild` works every
    case out again."""

    referral = models.OneToOneField(
        "referrals.Referral",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="pipeline_case",
    )
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=16)
    # When the case entered its stage.
    since = models.DateTimeField()
    # A case whose panel has nothing more to do (a closed plan, a final decision) stays in
    # view for 90 days, then leaves the pipeline at this moment.
    leaves_at = models.DateTimeField(null=True, blank=True)
    # The open plan's next review: the case is overdue once the date has passed.
    review_due_on = models.DateField(null=True, blank=True)
    # The referral's own moment, for a steady order among cases that entered together.
    submitted_at = models.DateTimeField()
    # The records the stage was worked out from, for what the page says of each case: the
    # agenda item added last, the panel's current decision on it, the plan.
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["panel", "stage", "since"]),
            models.Index(fields=["child"]),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} at {self.stage}"
