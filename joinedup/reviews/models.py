"""Rounds of a partnership's confidential reviews (docs/partnership-reviews.md).

A round asks the members of one partnership to answer one kind of review. Who has answered is
kept (`Participation`) so that nobody answers twice and the partnership can see how many have;
what they answered is kept by each kind of review in its own tables, with no link back to the
person, and shown only as totals over enough answers (`confidential.py`)."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel


class ReviewKind(models.TextChoices):
    RELATIONSHIPS = "relationships", "Relationship survey"
    HEALTH = "health", "Partnership health check"


class ReviewRound(BaseModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="review_rounds"
    )
    kind = models.CharField(max_length=32, choices=ReviewKind.choices)
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField()
    # Set when someone closes the round before its closing date; cleared by reopening it.
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-created_at"]
        indexes = [models.Index(fields=["partnership", "kind", "opens_on"])]

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: date) -> bool:
        return self.closed_at is None and self.opens_on <= on <= self.closes_on

    def has_ended(self, on: date) -> bool:
        return self.closed_at is not None or on > self.closes_on

    def status(self, on: date) -> str:
        if self.is_open(on):
            return "Open"
        if self.has_ended(on):
            return "Closed"
        return "Not open yet"


class Participation(BaseModel):
    """That a person answered a round, and for which organisation's seat: never what they
    answered. Answers are stored without a link to this row or to the person."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        "partnerships.Person", on_delete=models.PROTECT, related_name="review_participations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_answer_per_person")
        ]


# --------------------------------------------------------------------------- the health check
# Plain models, not BaseModel: no timestamps, no person, no participation, so that nothing in
# these rows says who answered or when (docs/partnership-health-check.md).


class HealthReflectionKind(models.TextChoices):
    HOPE = "hope", "Hope"
    FEAR = "fear", "Fear"


class HealthSheet(models.Model):
    """One person's ratings in a health-check round, with nothing to say whose they are."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="health_sheets")
    # The version of the statements (joinedup/reviews/health.py) the sheet was answered in.
    version = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return "An answer sheet"


class HealthRating(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sheet = models.ForeignKey(HealthSheet, on_delete=models.CASCADE, related_name="ratings")
    statement = models.CharField(max_length=40)
    # 1 (strongly disagree) to 5 (strongly agree); empty for "don't know", which is not counted.
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "statement"], name="one_rating_per_statement"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="health_score_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.statement


class HealthReflection(models.Model):
    """A hope or a fear, kept apart from the ratings: it shares no sheet with them, so a
    reflection cannot be matched to the ratings of the person who wrote it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="health_reflections"
    )
    kind = models.CharField(max_length=8, choices=HealthReflectionKind.choices)
    text = models.TextField()

    def __str__(self) -> str:
        return self.get_kind_display()


# The relationship survey's answers live beside its other code; importing them here makes them
# part of this app and its migrations.
from joinedup.reviews.survey.models import (  # noqa: E402
    SurveyAnswer,
    SurveyContribution,
    SurveyRating,
)

__all__ = [
    "HealthRating",
    "HealthReflection",
    "HealthReflectionKind",
    "HealthSheet",
    "Participation",
    "ReviewKind",
    "ReviewRound",
    "SurveyAnswer",
    "SurveyContribution",
    "SurveyRating",
]
