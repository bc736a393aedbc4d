"""Reads of the partnership health check: totals over enough answers, and the hopes and
fears in an order that says nothing of who wrote them or when."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from joinedup.core import audit
from joinedup.reviews import confidential, health, selectors
from joinedup.reviews.health_services import round_version
from joinedup.reviews.models import (
    HealthRating,
    HealthReflection,
    HealthReflectionKind,
    ReviewKind,
    ReviewRound,
)


@audit.audit_exempt(reason="A round and its counts of answers describe a partnership, not a person")
def health_round(*, viewer: Any, round_id: UUID | str) -> selectors.RoundSummary:
    """A health-check round `viewer` may see; 404 for any other round, or one of another kind."""
    summary = selectors.round_detail(viewer=viewer, round_id=round_id)
    if summary.review_round.kind != ReviewKind.HEALTH:
        raise Http404("No such health check")
    return summary


def _sheets(review_round: ReviewRound) -> list[health.Sheet]:
    rows = HealthRating.objects.filter(sheet__round=review_round).values_list(
        "sheet_id", "statement", "score"
    )
    return health.sheets_from_rows(rows)


def _version(review_round: ReviewRound) -> int:
    version = round_version(review_round)
    # A version taken out of the code would make old rounds unreadable: keep every version.
    return version if version in health.VERSIONS else health.CURRENT_VERSION


@audit.audit_exempt(reason="Finds a partnership's earlier round; rounds are not people")
def previous_round(review_round: ReviewRound) -> ReviewRound | None:
    """The partnership's latest health check that opened before this one and has ended."""
    return (
        ReviewRound.objects.filter(
            partnership_id=review_round.partnership_id,
            kind=ReviewKind.HEALTH,
            opens_on__lt=review_round.opens_on,
        )
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=timezone.localdate()))
        .exclude(pk=review_round.pk)
        .order_by("-opens_on", "-created_at")
        .first()
    )


@dataclass(frozen=True)
class HealthResults:
    review_round: ReviewRound
    ended: bool
    minimum: int
    results: health.Results | None
    previous: ReviewRound | None
    hopes: list[str]
    fears: list[str]
    reflections_why: str


@audit.audit_exempt(
    reason=(
        "Totals over at least the minimum number of answers, and hopes and fears stored with "
        "no link to their authors: nothing here is about an identifiable person."
    )
)
def health_results(*, viewer: Any, review_round: ReviewRound) -> HealthResults:
    """The round's figures once it has ended. While it is open nothing is shown: comparing
    the figures before and after one person answered would tell their answers."""
    minimum = confidential.min_answers()
    today = timezone.localdate()
    if not review_round.has_ended(today):
        return HealthResults(review_round, False, minimum, None, None, [], [], "")
    version = _version(review_round)
    results = health.score(_sheets(review_round), version=version, minimum=minimum)
    previous = previous_round(review_round)
    if previous is not None:
        earlier = health.score(_sheets(previous), version=_version(previous), minimum=minimum)
        results = health.compared(results, earlier)
    hopes: list[str] = []
    fears: list[str] = []
    why = ""
    if confidential.enough(results.respondents):
        # Sorted by their words, so the order tells nothing of who wrote which, or when.
        for kind, text in sorted(
            HealthReflection.objects.filter(round=review_round).values_list("kind", "text"),
            key=lambda row: (row[1].casefold(), row[1]),
        ):
            (hopes if kind == HealthReflectionKind.HOPE else fears).append(text)
    else:
        why = (
            f"Hopes and fears are shown once at least {minimum} people have answered, so that "
            "nobody's words can be told apart from the few others'."
        )
    return HealthResults(review_round, True, minimum, results, previous, hopes, fears, why)
