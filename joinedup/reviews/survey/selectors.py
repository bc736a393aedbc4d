"""Reads for the relationship survey. What they return is about organisations and the
partnership, never about a person: the answers' tables hold no person, and the results are
totals that `scores.results` has already thinned to what may be shown."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from joinedup.core import audit
from joinedup.organisations.models import Organisation
from joinedup.reviews import selectors as rounds
from joinedup.reviews import services as round_services
from joinedup.reviews.models import ReviewKind, ReviewRound
from joinedup.reviews.survey import scores
from joinedup.reviews.survey.models import (
    INTENSITY_HELP,
    MEASURES,
    Contribution,
    Intensity,
    SurveyAnswer,
    SurveyContribution,
    SurveyRating,
)
from joinedup.reviews.survey.services import partners_of


@audit.audit_exempt(reason="A round and its count of answers describe a partnership, not a person.")
def survey_round(*, viewer: Any, round_id: UUID | str) -> rounds.RoundSummary:
    """The round if it is a relationship survey that `viewer` may see; 404 otherwise."""
    summary = rounds.round_detail(viewer=viewer, round_id=round_id)
    if summary.review_round.kind != ReviewKind.RELATIONSHIPS:
        raise Http404("No such survey")
    return summary


@audit.audit_exempt(
    reason="Lists the organisations on a partnership; organisations are not people."
)
def partners_to_rate(*, viewer: Any, review_round: ReviewRound) -> list[Organisation]:
    """The partnership's member organisations other than the one `viewer` answers for."""
    seat = round_services.respondent_seat(viewer, review_round)
    partners = partners_of(review_round)
    if seat is not None:
        partners = partners.exclude(pk=seat.organisation_id)
    return list(partners)


def _signed(change: float | None) -> str:
    """A change for the page: "+0.3", "\u22120.3" (a minus sign) or "no change"; empty when
    none is shown."""
    if change is None:
        return ""
    rounded = round(change, 1)
    if rounded == 0:
        return "no change"
    return f"+{rounded:.1f}" if rounded > 0 else f"\u2212{abs(rounded):.1f}"


@dataclass(frozen=True)
class OrganisationRow:
    organisation: Organisation
    score: scores.Score
    change: scores.Change | None

    @property
    def value_change(self) -> str:
        return _signed(self.change.value) if self.change else ""

    @property
    def trust_change(self) -> str:
        return _signed(self.change.trust) if self.change else ""


@dataclass(frozen=True)
class Level:
    label: str
    help: str
    count: int


@dataclass(frozen=True)
class SurveyResults:
    results: scores.Results
    rows: list[OrganisationRow]
    previous: ReviewRound | None
    intensity: list[Level]
    contributions: list[Level]

    @property
    def network_value_change(self) -> str:
        change = self.results.network_change
        return _signed(change.value) if change else ""

    @property
    def network_trust_change(self) -> str:
        change = self.results.network_change
        return _signed(change.trust) if change else ""

    @property
    def enough_answered(self) -> bool:
        return self.results.intensity is not None


def _round_results(review_round: ReviewRound, previous: scores.Results | None) -> scores.Results:
    ratings = [
        scores.Rating(*row)
        for row in SurveyRating.objects.filter(answer__round=review_round).values_list(
            "answer__organisation_id", "rated_id", *MEASURES, "intensity"
        )
    ]
    contributions = SurveyContribution.objects.filter(answer__round=review_round).values_list(
        "answer__organisation_id", "kind"
    )
    answering = SurveyAnswer.objects.filter(round=review_round).values_list(
        "organisation_id", flat=True
    )
    return scores.results(ratings, contributions, answering, previous=previous)


def _previous_round(review_round: ReviewRound, today: date) -> ReviewRound | None:
    """The partnership's latest relationship survey that opened before this one and has
    ended: the one to compare with."""
    return (
        ReviewRound.objects.filter(
            partnership_id=review_round.partnership_id,
            kind=ReviewKind.RELATIONSHIPS,
            opens_on__lt=review_round.opens_on,
        )
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
        .order_by("-opens_on", "-created_at")
        .first()
    )


@audit.audit_exempt(
    reason="Totals of answers about organisations, over enough answers that no one person's "
    "answer shows; no person is named."
)
def survey_results(*, viewer: Any, review_round: ReviewRound) -> SurveyResults:
    earlier = _previous_round(review_round, timezone.localdate())
    before = _round_results(earlier, None) if earlier is not None else None
    found = _round_results(review_round, before)
    members = set(partners_of(review_round).values_list("pk", flat=True))
    organisations = Organisation.objects.filter(pk__in=members | set(found.organisations)).order_by(
        "name"
    )
    hidden = scores.Score(value=None, trust=None, raters=0)
    rows = [
        OrganisationRow(
            organisation=organisation,
            score=found.organisations.get(organisation.pk, hidden),
            change=found.organisation_change.get(organisation.pk),
        )
        for organisation in organisations
    ]
    intensity = [
        Level(level.label, INTENSITY_HELP[level], (found.intensity or {}).get(level.value, 0))
        for level in Intensity
    ]
    contributions = [
        Level(kind.label, "", (found.contributions or {}).get(kind.value, 0))
        for kind in Contribution
    ]
    return SurveyResults(
        results=found,
        rows=rows,
        previous=earlier,
        intensity=intensity,
        contributions=contributions,
    )
