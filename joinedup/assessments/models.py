"""A structured assessment of what is going on in a child's life, modelled on the Youth Justice
Board's ONSET framework: each area of the child's life (a domain) rated 0 to 4 for how far it is
associated with the concerns, with the evidence for the rating, the protective factors and
strengths, and a short screening for concerns about serious harm to others. Beside it, never
instead of it, the child's and a parent's or carer's own view ("Over to You").

Assessments are versioned per child: an initial assessment, then reviews, then a final review.
A completed version is never changed; a later version shows the change per domain."""

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from joinedup.children.models import Child, HouseholdMember
from joinedup.core.models import BaseModel
from joinedup.organisations.models import Organisation


class DomainQuerySet(models.QuerySet["Domain"]):
    def for_panel(self, panel: Any) -> "DomainQuerySet":
        """The active domains an assessment for `panel` rates: the panel's own list if it has
        one, otherwise the default list every panel shares."""
        active = self.filter(is_active=True)
        if panel is not None and active.filter(panel=panel).exists():
            return active.filter(panel=panel)
        return active.filter(panel__isnull=True)


class Domain(BaseModel):
    """One area of the child's life that an assessment rates. Domains with no panel are the
    default list (ONSET's eleven, created by migration 0002); a panel with active domains of its
    own rates those instead. Retire a domain by making it inactive: ratings already given keep
    pointing at it."""

    panel = models.ForeignKey(
        "panels.Panel",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessment_domains",
        help_text="Leave blank for the default list, used by every panel without one of its own.",
    )
    key = models.CharField(
        max_length=40,
        validators=[
            RegexValidator(
                r"^[a-z][a-z0-9_]*$",
                "Use lower-case letters, numbers and underscores, starting with a letter.",
            )
        ],
        help_text="A short name used in the form, such as substance_use. Unique in its list.",
    )
    name = models.CharField(max_length=150)
    description = models.TextField(
        help_text="What to think about, in plain English: shown beside the rating as its hint."
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = DomainQuerySet.as_manager()

    class Meta:
        ordering = ["panel__name", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(panel__isnull=True), name="default_domain_key_once"
            ),
            models.UniqueConstraint(
                fields=["panel", "key"],
                condition=Q(panel__isnull=False),
                name="panel_domain_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", "Initial assessment"
    REVIEW = "review", "Review"
    FINAL = "final", "Final review"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


class Rating(models.IntegerChoices):
    """How far an area of the child's life is associated with the concerns. Lower is better."""

    NOT_ASSOCIATED = 0, "Not associated with the concerns"
    SLIGHTLY = 1, "Slightly associated with the concerns"
    MODERATELY = 2, "Moderately associated with the concerns"
    QUITE_STRONGLY = 3, "Quite strongly associated with the concerns"
    VERY_STRONGLY = 4, "Very strongly associated with the concerns"


RATING_HINTS: dict[int, str] = {
    Rating.NOT_ASSOCIATED: "No link with the concerns, or a strength in the child's life.",
    Rating.SLIGHTLY: "A small or occasional link with the concerns.",
    Rating.MODERATELY: "A clear link with the concerns, but not one of the main ones.",
    Rating.QUITE_STRONGLY: "One of the main things linked with the concerns.",
    Rating.VERY_STRONGLY: "Closely and directly linked with the concerns: likely to need "
    "support first.",
}


class SeriousHarm(models.TextChoices):
    """A screening, not a judgement about the child: whether anything known suggests a risk
    of serious harm to other people that needs a fuller look."""

    NONE = "none", "No concerns"
    SOME = "some", "Some concerns: worth looking at more closely"
    SIGNIFICANT = "significant", "Significant concerns: needs a fuller assessment now"


class Assessment(BaseModel):
    """One version of a child's assessment. `revision` goes up with every save, so that a
    save made on a page opened before someone else's save is refused (optimistic locking)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    # The panel whose domains were rated, fixed when the assessment was started.
    panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices)
    version = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    protective_factors = models.TextField(blank=True)
    serious_harm = models.CharField(max_length=12, choices=SeriousHarm.choices, blank=True)
    serious_harm_evidence = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["child", "-version"]
        # Covering the reports' read of a child's completed assessments in order
        # (joinedup/reports/figures.py, assessment changes).
        indexes = [
            models.Index(
                fields=["child", "status", "assessed_on", "version", "id"],
                name="assessment_child_order_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["child", "version"], name="assessment_version_once"),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status=AssessmentStatus.DRAFT),
                name="one_draft_assessment_per_child",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_from_1"),
            models.CheckConstraint(
                condition=(
                    Q(status=AssessmentStatus.DRAFT, completed_at__isnull=True)
                    | Q(status=AssessmentStatus.COMPLETED, completed_at__isnull=False)
                ),
                name="assessment_completed_when_it_says",
            ),
            models.CheckConstraint(
                condition=Q(serious_harm__in=["", SeriousHarm.NONE]) | ~Q(serious_harm_evidence=""),
                name="serious_harm_concern_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (version {self.version}) of {self.child}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def label(self) -> str:
        return f"Version {self.version}: {self.get_kind_display().lower()}"


class DomainRating(BaseModel):
    """The rating of one domain in one assessment, with its evidence. No rating yet while the
    assessment is a draft; completing it needs every domain rated."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(null=True, blank=True, choices=Rating.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["domain__order", "domain__name"]
        # Covering the reports' read of ratings, without the rows' evidence text.
        indexes = [
            models.Index(fields=["assessment", "domain", "rating"], name="rating_report_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="domain_rated_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__lte=4), name="rating_from_0_to_4"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating=0) | ~Q(evidence=""),
                name="rating_above_0_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} in {self.assessment}"


class Respondent(models.TextChoices):
    CHILD = "child", "The child"
    PARENT = "parent", "A parent or carer"


class Answer(models.TextChoices):
    AGREE = "agree", "Agree"
    NOT_SURE = "not_sure", "Not sure"
    DISAGREE = "disagree", "Disagree"


class OverToYou(BaseModel):
    """The child's or a parent's or carer's own view, in their words: statements they agree or
    disagree with (see questionnaires.py) and anything else they want to say. Kept beside the
    professional assessment, never instead of it: it is kept with the child's newest version
    when it is filled in (the draft in progress, or else the latest completed one)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="over_to_you")
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    household_member = models.ForeignKey(
        HouseholdMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="over_to_you",
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="views"
    )
    # Statement key -> Answer value; a statement left out was not answered.
    answers = models.JSONField(default=dict, blank=True)
    in_their_words = models.TextField(blank=True)
    helped_by = models.CharField(max_length=150)
    filled_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-filled_on", "-created_at"]
        verbose_name = "Over to You"
        verbose_name_plural = "Over to You"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(respondent=Respondent.PARENT, household_member__isnull=False)
                    | Q(respondent=Respondent.CHILD, household_member__isnull=True)
                ),
                name="over_to_you_parent_names_who",
            )
        ]

    def __str__(self) -> str:
        return f"Over to You ({self.get_respondent_display().lower()}) for {self.child}"

    @property
    def respondent_label(self) -> str:
        member = self.household_member
        if member is not None:
            return f"{member.full_name} ({member.get_relationship_display().lower()})"
        return "The child"
