"""Stories (docs/stories.md): a practitioner's short account of a child they work with, with the
child's or family's own words where they consent, anonymised before anyone else reads it.

The research's ethics protocol treats people as the owners of their own accounts: they review
and amend them, and can withdraw them. A withdrawn story keeps only the fact that it was
withdrawn, by whom (the author or the family) and when: its words are erased."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from joinedup.core.models import BaseModel
from joinedup.reports.catalogue import FIGURES


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    WITH_FAMILY = "with_family", "With the family to review"
    AGREED = "agreed", "Agreed by the family"
    SUBMITTED = "submitted", "Waiting for review"
    RETURNED = "returned", "Returned with comments"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class StoryScope(models.TextChoices):
    CITY = "city", "The whole city"
    LOCALITY = "locality", "A locality"
    PANEL = "panel", "A panel"


class ConsentGiver(models.TextChoices):
    CHILD = "child", "The child or young person"
    PARENT_CARER = "parent_carer", "A parent or carer"
    BOTH = "both", "The child and a parent or carer"


class ConsentHow(models.TextChoices):
    IN_PERSON = "in_person", "In person, and I noted it"
    IN_WRITING = "in_writing", "In writing (a signed form or a letter)"
    PHONE = "phone", "By telephone, and I noted it"
    MESSAGE = "message", "By email or text message"


class FamilyResponse(models.TextChoices):
    AGREED = "agreed", "They agreed to it as it is"
    CHANGES = "changes", "They asked for changes"
    WITHDREW = "withdrew", "They withdrew it"


class WithdrawnBy(models.TextChoices):
    AUTHOR = "author", "The author"
    FAMILY = "family", "The child or family"


FIGURE_CHOICES = [(figure.key, figure.title) for figure in FIGURES]


class Story(BaseModel):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stories"
    )
    # Emptied when the story is withdrawn: nothing then says whose story it was.
    child = models.ForeignKey(
        "children.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    figure = models.CharField(max_length=64, choices=FIGURE_CHOICES)
    scope = models.CharField(max_length=16, choices=StoryScope.choices, default=StoryScope.CITY)
    locality = models.ForeignKey(
        "organisations.Locality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=120, blank=True)
    # As the author wrote them: read only by the author, and by a reviewer who may see the child.
    text = models.TextField(blank=True)
    own_words = models.TextField(blank=True)
    # What everyone else reads, worked out from the child's record, then edited by the author.
    anonymised_title = models.CharField(max_length=200, blank=True)
    anonymised_text = models.TextField(blank=True)
    anonymised_own_words = models.TextField(blank=True)
    anonymised_edited = models.BooleanField(default=False)
    # Consent to use the child's or family's own words.
    consent_given_by = models.CharField(max_length=16, choices=ConsentGiver.choices, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_how = models.CharField(max_length=16, choices=ConsentHow.choices, blank=True)
    status = models.CharField(
        max_length=16, choices=StoryStatus.choices, default=StoryStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comments = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=8, choices=WithdrawnBy.choices, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["status", "figure"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="city", locality__isnull=True, panel__isnull=True)
                | Q(scope="locality", locality__isnull=False, panel__isnull=True)
                | Q(scope="panel", panel__isnull=False, locality__isnull=True),
                name="story_scope_names_its_place",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn")
                | Q(text="", own_words="", anonymised_text="", anonymised_own_words="", title=""),
                name="withdrawn_story_keeps_no_words",
            ),
        ]

    def __str__(self) -> str:
        if self.status == StoryStatus.WITHDRAWN:
            return "A withdrawn story"
        return self.anonymised_title or "A story"

    @property
    def scope_label(self) -> str:
        if self.scope == StoryScope.LOCALITY and self.locality is not None:
            return str(self.locality)
        if self.scope == StoryScope.PANEL and self.panel is not None:
            return str(self.panel)
        return StoryScope.CITY.label

    @property
    def editable(self) -> bool:
        return self.status in (StoryStatus.DRAFT, StoryStatus.RETURNED)


class StoryFamilyReview(BaseModel):
    """What the family said when the author shared the story with them, as the author recorded
    it. The note is erased with the story if it is withdrawn."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="family_reviews")
    response = models.CharField(max_length=16, choices=FamilyResponse.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["story", "-created_at"]

    def __str__(self) -> str:
        return self.get_response_display()
