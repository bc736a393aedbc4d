"""Retention and the rights of the people whose data JoinedUp holds (UK GDPR articles 15 to 18).

- How long each kind of record is kept after a child's case closes (`RetentionPeriod`), and a
  report of every run of the job that anonymises what is past its period (`AnonymisationRun`).
- Subject access requests (`SubjectAccessRequest`), with the names of other people the officer
  decided to redact before release.
- Rectifications (`Rectification`) and restrictions of processing (`Restriction`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.children.models import Child, HouseholdMember
from joinedup.core.models import BaseModel

MAX_RETENTION_MONTHS = 1200  # 100 years: anything longer is a typing mistake
MIN_UNTIL_AGE = 18
MAX_UNTIL_AGE = 100


class RecordType(models.TextChoices):
    CLOSED_CASE = "closed_case", "Closed case: the child's identity, address and household"
    REFERRAL_NOT_ACCEPTED = (
        "referral_not_accepted",
        "Referral not accepted: a child referred but never given a support plan",
    )
    REFERRAL = "referral", "Referrals: what the referrer wrote"
    CONSENT = "consent", "Consent records and the child's own views"
    ASSESSMENT = "assessment", "Assessments and Over to You"
    PANEL = "panel", "Panel records: written views, decisions and minutes about the child"
    PLAN = "plan", "Integrated support plans, reviews and goals"
    ACTION = "action", "Actions about the child"
    SAFEGUARDING = "safeguarding", "Safeguarding concerns"
    NOTIFICATION = "notification", "Notifications in people's inboxes"
    AUDIT_EVENT = "audit_event", "Audit trail entries"


class RetentionPeriod(BaseModel):
    """How long one kind of record is kept: `months` after the case closed (after it was sent,
    for notifications) and, where `until_age` is set, not before the child reaches that age.
    The defaults are seeded by migration 0002 and explained in docs/retention-and-rights.md."""

    record_type = models.CharField(max_length=32, choices=RecordType.choices, unique=True)
    months = models.PositiveIntegerField()
    until_age = models.PositiveSmallIntegerField(null=True, blank=True)
    why = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["record_type"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=MAX_RETENTION_MONTHS),
                name="retention_months_in_range",
            ),
            models.CheckConstraint(
                condition=Q(until_age__isnull=True)
                | Q(until_age__gte=MIN_UNTIL_AGE, until_age__lte=MAX_UNTIL_AGE),
                name="retention_until_age_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.months} months"

    @property
    def summary(self) -> str:
        years, months = divmod(self.months, 12)
        parts = []
        if years:
            parts.append(f"{years} year{'s' if years != 1 else ''}")
        if months:
            parts.append(f"{months} month{'s' if months != 1 else ''}")
        text = " and ".join(parts)
        if self.until_age:
            text += f", and at least until the child is {self.until_age}"
        return text


class AnonymisationRun(BaseModel):
    """One run of `manage.py apply_retention`: the day it applied the periods as of, whether it
    was a dry run, and its report: {"counts": {record type: n}, "children": [{"reference",
    "pseudonym", "record_types"}], "failures": [{"reference", "error"}], "notifications_deleted",
    "audit_entries_past_period"}. Children appear by reference and pseudonym only."""

    as_of = models.DateField()
    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict)
    started_by = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Retention run as of {self.as_of:%d %b %Y}{' (dry run)' if self.dry_run else ''}"

    @property
    def children_count(self) -> int:
        return len(self.report.get("children", []))

    @property
    def failure_count(self) -> int:
        return len(self.report.get("failures", []))


class RetentionApplied(models.Model):
    """That one kind of a child's records has been anonymised, and by which run: a second run
    skips it, so the job is safe to run twice."""

    id = models.BigAutoField(primary_key=True)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(max_length=32, choices=RecordType.choices)
    run = models.ForeignKey(AnonymisationRun, on_delete=models.PROTECT, related_name="applied")
    applied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "record_type"], name="retention_applied_once_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type} of {self.child_id}"


class Requester(models.TextChoices):
    CHILD = "child", "The child or young person"
    PARENT = "parent", "A parent or carer with parental responsibility"
    REPRESENTATIVE = "representative", "Someone acting for them (for example a solicitor)"


class SarStatus(models.TextChoices):
    OPEN = "open", "Open"
    RELEASED = "released", "Released"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReleaseMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure email"
    POST = "post", "Post"
    IN_PERSON = "in_person", "Collected in person"
    OTHER = "other", "Another way"


class SubjectAccessRequest(BaseModel):
    """A request for everything held about a child. Due one calendar month after it was
    received (UK GDPR article 12(3)); `redacted_names` are other people's names the officer
    decided to take out of the copy that is released."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="access_requests")
    requester_name = models.CharField(max_length=150)
    requester = models.CharField(max_length=20, choices=Requester.choices)
    received_on = models.DateField()
    due_on = models.DateField()
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=SarStatus.choices, default=SarStatus.OPEN)
    redacted_names = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    exported_at = models.DateTimeField(null=True, blank=True)
    # How the request ended: released (the day the copy was sent, how, to whom, and the names
    # redacted in it, frozen), or refused or withdrawn (the day and the reason).
    released_on = models.DateField(null=True, blank=True)
    release_method = models.CharField(max_length=20, choices=ReleaseMethod.choices, blank=True)
    release_method_other = models.CharField(max_length=200, blank=True)
    released_to = models.CharField(max_length=150, blank=True)
    released_redactions = models.JSONField(default=list, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="released") | Q(released_on__isnull=False),
                name="sar_released_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["refused", "withdrawn"]) | Q(closed_on__isnull=False),
                name="sar_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request {str(self.pk)[:8]}"

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8].upper()

    @property
    def is_open(self) -> bool:
        return self.status == SarStatus.OPEN

    @property
    def days_overdue(self) -> int:
        """Days past the due date while nothing has been released, refused or withdrawn."""
        if not self.is_open:
            return 0
        return max(0, (timezone.localdate() - self.due_on).days)

    @property
    def release_method_label(self) -> str:
        if self.release_method == ReleaseMethod.OTHER:
            return self.release_method_other
        return self.get_release_method_display()


class RectifiableField(models.TextChoices):
    GIVEN_NAME = "given_name", "Given name"
    FAMILY_NAME = "family_name", "Family name"
    PREFERRED_NAME = "preferred_name", "Preferred name"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    NHS_NUMBER = "nhs_number", "NHS number"
    SEX = "sex", "Sex"
    GENDER_AS_RECORDED = "gender_as_recorded", "Gender, in their words"
    ETHNICITY = "ethnicity", "Ethnicity"
    FIRST_LANGUAGE = "first_language", "First language"
    RELIGION = "religion", "Religion"


class MemberRectifiableField(models.TextChoices):
    """What may be corrected of a household member's details: the names of the model's fields,
    which are not the child's, so one `field` column says which of the two was corrected."""

    FULL_NAME = "full_name", "Their name"
    RELATIONSHIP = "relationship", "Relationship to the child"
    HAS_PARENTAL_RESPONSIBILITY = "has_parental_responsibility", "Parental responsibility"
    LIVES_WITH_CHILD = "lives_with_child", "Lives with the child"
    TELEPHONE = "telephone", "Telephone"


class Rectification(BaseModel):
    """A correction of the child's record asked for by the child or someone for them: which
    field was wrong, what it said, what it says now, who asked and why. With `household_member`
    set, the correction was of that member's details, and `field` is a member's field."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="rectifications")
    household_member = models.ForeignKey(
        HouseholdMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    field = models.CharField(
        max_length=32, choices=RectifiableField.choices + MemberRectifiableField.choices
    )
    old_value = models.CharField(max_length=150, blank=True)
    new_value = models.CharField(max_length=150, blank=True)
    requested_by = models.CharField(max_length=150)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_member__isnull=True, field__in=RectifiableField.values)
                | Q(household_member__isnull=False, field__in=MemberRectifiableField.values),
                name="rectification_field_of_child_or_member",
            )
        ]

    def __str__(self) -> str:
        return f"Rectification of {self.child}"

    @property
    def what_corrected(self) -> str:
        """Which part was corrected, in words; a member by relationship, never by name."""
        label = self.get_field_display()
        if self.household_member is None:
            return str(label)
        relationship = self.household_member.get_relationship_display().lower()
        return f"Household member ({relationship}): {str(label).lower()}"


class Restriction(BaseModel):
    """A restriction of processing (UK GDPR article 18): while it stands the child cannot be
    put on a panel agenda, referrals about them are held and no plan is opened; the data is
    kept but not used. Lifting it is recorded on the same row."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="restrictions")
    requested_by = models.CharField(max_length=150)
    reason = models.TextField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(lifted_at__isnull=True), name="one_restriction_live"
            )
        ]

    def __str__(self) -> str:
        return f"Restriction of processing for {self.child}"

    @property
    def is_live(self) -> bool:
        return self.lifted_at is None
