from django.conf import settings
from django.db import models

from joinedup.children.models import Child
from joinedup.core.models import BaseModel
from joinedup.organisations.models import Locality, Organisation


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


class EligibilityRule(BaseModel):
    """Who a locality's panel can take: the age range (8 to 13 by default, as for Youth
    Inclusion and Support Panels). A locality without a rule is not served by a panel yet."""

    locality = models.OneToOneField(
        Locality, on_delete=models.CASCADE, related_name="eligibility_rule"
    )
    minimum_age = models.PositiveSmallIntegerField(default=8)
    maximum_age = models.PositiveSmallIntegerField(default=13)
    signposting = models.TextField(
        blank=True,
        help_text="What to suggest when a referral cannot be taken: other local services.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maximum_age__gte=models.F("minimum_age")),
                name="eligibility_age_range_is_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Eligibility for {self.locality}"


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
    # The eligibility check as it was explained when the referral arrived: a list of
    # {"rule": ..., "met": bool, "explanation": ...}.
    eligibility = models.JSONField(default=list, blank=True)
    signposting = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Referral of {self.child} on {self.submitted_at:%d %b %Y}"
