"""Reflections after a panel meeting (docs/reflections.md): a short anonymous pulse from each
person who attended.

Who gave a pulse (`PulseGiven`: so that each gives it once, and is not reminded after) is kept
apart from what they answered. The answers (`PulseAnswer`) and the free-text reflections
(`PulseReflection`, kept apart from the scores as the health check keeps its hopes and fears)
are plain rows with a random key, the meeting and nothing else: no person, no link to the
record of who answered, no time. The pattern is the partnership reviews' (joinedup/reviews)."""

import uuid

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel


class CommittedToActions(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class PulseGiven(BaseModel):
    """That a person gave their pulse on a meeting: never what they answered."""

    meeting = models.ForeignKey(
        "panels.Meeting", on_delete=models.CASCADE, related_name="pulses_given"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_pulse_per_person")
        ]

    def __str__(self) -> str:
        return "A pulse given"


class PulseAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        "panels.Meeting", on_delete=models.CASCADE, related_name="pulse_answers"
    )
    useful = models.PositiveSmallIntegerField()
    heard = models.PositiveSmallIntegerField()
    actions = models.CharField(max_length=8, choices=CommittedToActions.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(useful__gte=1, useful__lte=5, heard__gte=1, heard__lte=5),
                name="pulse_scores_on_the_scale",
            )
        ]

    def __str__(self) -> str:
        return "A pulse"


class PulseReflection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        "panels.Meeting", on_delete=models.CASCADE, related_name="pulse_reflections"
    )
    text = models.TextField()

    def __str__(self) -> str:
        return "A reflection"
