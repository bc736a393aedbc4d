"""Reads of review rounds. A round shows how many have answered, never who: rounds and counts
are about the partnership, not about people."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from joinedup.core import audit
from joinedup.partnerships.models import Partnership, PartnershipMember
from joinedup.reviews import services
from joinedup.reviews.models import Participation, ReviewRound


@audit.audit_exempt(reason="Looks a partnership up by its address; partnerships are not people.")
def partnership_for_rounds(*, viewer: Any, slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.select_related("locality"), slug=slug)


@dataclass(frozen=True)
class RoundSummary:
    review_round: ReviewRound
    answered: int
    seats: int
    status: str
    answered_by_viewer: bool


def _seat_count(partnership_id: Any) -> int:
    return (
        PartnershipMember.objects.current()
        .filter(partnership_id=partnership_id, person__isnull=False)
        .values("person")
        .distinct()
        .count()
    )


def _with_answered(rounds: QuerySet[ReviewRound], viewer: Any) -> QuerySet[ReviewRound]:
    mine = Participation.objects.filter(round=OuterRef("pk"), person__user=viewer)
    return rounds.annotate(answered=Count("participations"), mine=Exists(mine))


@audit.audit_exempt(reason="Rounds and counts of answers describe a partnership, not a person.")
def partnership_rounds(*, viewer: Any, partnership: Partnership) -> list[RoundSummary]:
    today = timezone.localdate()
    seats = _seat_count(partnership.pk)
    rounds = _with_answered(
        ReviewRound.objects.filter(partnership=partnership).select_related("partnership"), viewer
    )
    return [
        RoundSummary(r, r.answered, seats, r.status(today), r.mine)  # type: ignore[attr-defined]
        for r in rounds
    ]


@audit.audit_exempt(reason="Rounds and counts of answers describe a partnership, not a person.")
def round_detail(*, viewer: Any, round_id: UUID | str) -> RoundSummary:
    """The round if `viewer` may see it; 404 otherwise, so that a round's existence is not
    told to people outside the partnership."""
    review_round = (
        _with_answered(ReviewRound.objects.select_related("partnership"), viewer)
        .filter(pk=round_id)
        .first()
    )
    if review_round is None or not services.may_see_round(viewer, review_round):
        raise Http404("No such round")
    return RoundSummary(
        review_round,
        review_round.answered,  # type: ignore[attr-defined]
        _seat_count(review_round.partnership_id),
        review_round.status(timezone.localdate()),
        review_round.mine,  # type: ignore[attr-defined]
    )


@audit.audit_exempt(reason="Rounds and counts of answers describe a partnership, not a person.")
def rounds_for_member(*, viewer: Any) -> list[RoundSummary]:
    """The rounds of the partnerships `viewer` sits on, open ones first, then the latest."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    partnership_ids = set(
        PartnershipMember.objects.current()
        .filter(person__user=viewer)
        .values_list("partnership_id", flat=True)
    )
    today = timezone.localdate()
    rounds = list(
        _with_answered(
            ReviewRound.objects.filter(partnership_id__in=partnership_ids).select_related(
                "partnership"
            ),
            viewer,
        )
    )
    seats = dict(
        PartnershipMember.objects.current()
        .filter(partnership_id__in=partnership_ids, person__isnull=False)
        .values("partnership_id")
        .annotate(people=Count("person", distinct=True))
        .values_list("partnership_id", "people")
    )
    summaries = [
        RoundSummary(
            r,
            r.answered,  # type: ignore[attr-defined]
            seats.get(r.partnership_id, 0),
            r.status(today),
            r.mine,  # type: ignore[attr-defined]
        )
        for r in rounds
    ]
    summaries.sort(key=lambda s: (s.status != "Open", -s.review_round.opens_on.toordinal()))
    return summaries
