from django.conf import settings
from django.db import models

from joinedup.children.models import Child
from joinedup.core.models import BaseModel
from joinedup.organisations.models import Organisation


class Concern(BaseModel):
    """A reason for referral from the partnership's list, worded neutrally: it describes what
    is happening for the child, never labels the child."""

    label = models.CharField(max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine: within the next month"
    SOON = "soon", "Soon: within two weeks"
    URGENT = "urgent", "Urgent: this week"


class FamilyAware(models.TextChoices):
    YES = "yes", "Yes, and they agree to the referral"
    YES_NOT_AGREED = "yes_not_agreed", "Yes, but they have not agreed to it yet"
    NO = "no", "No"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SAFEGUARDING = "safeguarding", "Escalated to safeguarding"
    NOT_ELIGIBLE = "not_eligible", "Not eligible: signposted"


class IdentityStatus(models.TextChoices):
    """Whether the child in a referral is a new child to the partnership or one already known:
    settled by the panel coordinator when the matching finds possible existing records."""

    TO_CHECK = "to_check", "Possible existing record: to check"
    NEW = "new", "New child"
    LINKED = "linked", "Linked to an existing record"
    DEFERRED = "deferred", "Decision deferred"


class Referral(BaseModel):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referring_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_made"
    )
    relationship_to_child = models.CharField(max_length=150)
    concerns = models.ManyToManyField(Concern, blank=True, related_name="referrals")
    concerns_other = models.TextField(blank=True)
    what_has_been_tried = models.TextField()
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    family_aware = models.CharField(max_length=16, choices=FamilyAware.choices)
    family_not_aware_reason = models.TextField(blank=True)
    safeguarding_concern = models.BooleanField(default=False)
    safeguarding_details = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    # The panel that covers where the child lives; none when no panel covers the area.
    panel = models.ForeignKey(
        "panels.Panel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    identity_status = models.CharField(
        max_length=16, choices=IdentityStatus.choices, default=IdentityStatus.NEW
    )
    identity_note = models.TextField(blank=True)
    identity_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    identity_decided_at = models.DateTimeField(null=True, blank=True)
    # The merge that linked this referral's record to an existing child, kept so the link can
    # be undone.
    identity_merge = models.ForeignKey(
        "children.ChildMerge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The eligibility check as it was explained when the referral arrived: a list of
    # {"rule": ..., "met": bool, "explanation": ...}.
    eligibility = models.JSONField(default=list, blank=True)
    signposting = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["panel", "identity_status", "submitted_at"]),
            # The reports count a period's referrals, the city's or one panel's. The index
            # holds what the report figures read of each referral, so the database need not
            # read the referral itself (at national scale a quarter is 130,000 referrals).
            models.Index(
                fields=["submitted_at", "id", "child", "referring_organisation"],
                name="referral_report_cover_idx",
            ),
            models.Index(fields=["panel", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.child} on {self.submitted_at:%d %b %Y}"


class PossibleMatch(BaseModel):
    """An existing child record that may be the child of a referral, found by the matching at
    intake, with the match probability and the reasons in words, for the coordinator to judge.
    Only the panel's coordinator sees these: they show another child's details."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="possible_matches"
    )
    candidate = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["-probability"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "candidate"], name="possible_match_once_per_referral"
            )
        ]

    def __str__(self) -> str:
        return f"Possible match {self.candidate} for {self.referral}"

    @property
    def probability_text(self) -> str:
        """Rounded for people: "100%" would claim a certainty no model has."""
        if self.probability >= 0.995:
            return "over 99%"
        if self.probability < 0.01:
            return "under 1%"
        return f"{round(self.probability * 100)}%"
