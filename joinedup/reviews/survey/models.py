"""Answers to the relationship survey. Imported by joinedup/reviews/models.py, so that they
belong to the reviews app and its migrations.

No table here links to the person who answered, to their `Participation` or to a time: the
organisation a person answered for is kept (the scores are about organisations), and nothing
else. These are plain models with random UUID keys rather than `BaseModel`, whose timestamps
could be matched against the time of a participation."""

import uuid

from django.db import models
from django.db.models import Q


class Scale(models.IntegerChoices):
    """PARTNER's four-point scale, with its words."""

    NOT_AT_ALL = 1, "Not at all"
    A_SMALL_AMOUNT = 2, "A small amount"
    A_FAIR_AMOUNT = 3, "A fair amount"
    A_GREAT_DEAL = 4, "A great deal"


class Intensity(models.IntegerChoices):
    """How closely two organisations work together, from PARTNER's levels of collaboration."""

    AWARENESS = 1, "Awareness"
    COOPERATION = 2, "Cooperation"
    COORDINATION = 3, "Coordination"
    INTEGRATION = 4, "Integration"


INTENSITY_HELP = {
    Intensity.AWARENESS: "We know what they do, and share information now and then.",
    Intensity.COOPERATION: "We take part in each other's work, by referring or attending.",
    Intensity.COORDINATION: "We plan work together and share resources for it.",
    Intensity.INTEGRATION: "We run joint work with shared aims, staff or money.",
}


class Contribution(models.TextChoices):
    FUNDING = "funding", "Funding"
    IN_KIND = "in_kind", "In-kind resources, such as rooms or equipment"
    PAID_STAFF = "paid_staff", "Paid staff"
    VOLUNTEERS = "volunteers", "Volunteers"
    DATA = "data", "Data and information"
    EXPERTISE = "expertise", "Specialist expertise"
    COMMUNITY = "community", "Connections with communities"
    LEADERSHIP = "leadership", "Leadership"
    ADVOCACY = "advocacy", "Advocacy"
    OTHER = "other", "Something else"


# The three value ratings and the three trust ratings, in the order the survey asks them.
VALUE_MEASURES = ("power", "involvement", "resources")
TRUST_MEASURES = ("reliability", "mission", "openness")
MEASURES = (*VALUE_MEASURES, *TRUST_MEASURES)


def _on_scale(field: str) -> Q:
    return Q(**{f"{field}__gte": 1, f"{field}__lte": 4})


class SurveyAnswer(models.Model):
    """One person's answer to a round, for their organisation: what that organisation brings
    to the partnership; its ratings of each partner are `SurveyRating` rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        "reviews.ReviewRound", on_delete=models.CASCADE, related_name="survey_answers"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"An answer for {self.organisation}"


class SurveyContribution(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(SurveyAnswer, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=32, choices=Contribution.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "kind"], name="survey_contribution_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SurveyRating(models.Model):
    """How the answering organisation rates one partner it works with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(SurveyAnswer, on_delete=models.CASCADE, related_name="ratings")
    rated = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    power = models.PositiveSmallIntegerField(choices=Scale.choices)
    involvement = models.PositiveSmallIntegerField(choices=Scale.choices)
    resources = models.PositiveSmallIntegerField(choices=Scale.choices)
    reliability = models.PositiveSmallIntegerField(choices=Scale.choices)
    mission = models.PositiveSmallIntegerField(choices=Scale.choices)
    openness = models.PositiveSmallIntegerField(choices=Scale.choices)
    intensity = models.PositiveSmallIntegerField(choices=Intensity.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "rated"], name="survey_rating_once"),
            models.CheckConstraint(
                condition=_on_scale("power")
                & _on_scale("involvement")
                & _on_scale("resources")
                & _on_scale("reliability")
                & _on_scale("mission")
                & _on_scale("openness")
                & _on_scale("intensity"),
                name="survey_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"A rating of {self.rated}"
