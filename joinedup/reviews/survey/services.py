"""Answering the relationship survey. The answer is saved inside `reviews.services.answer_round`,
which checks that the person may answer and records that they have, in the same transaction.

Nothing here is audited on its own: an audit entry naming the answer would tie it to its author
and a time, which is what the survey's tables are built not to hold. The participation's entry
(in `answer_round`) says who answered and when, and names no answer."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from joinedup.organisations.models import Organisation
from joinedup.partnerships.models import PartnershipMember
from joinedup.reviews import services as rounds
from joinedup.reviews.models import ReviewKind, ReviewRound
from joinedup.reviews.survey.models import (
    MEASURES,
    Contribution,
    Intensity,
    Scale,
    SurveyAnswer,
    SurveyContribution,
    SurveyRating,
)


@dataclass(frozen=True)
class PartnerRating:
    """The answering organisation's ratings of one partner, each 1 to 4."""

    power: int
    involvement: int
    resources: int
    reliability: int
    mission: int
    openness: int
    intensity: int


def field_name(organisation: Organisation, measure: str) -> str:
    """The form field for one rating of one partner; services name it in their errors so that
    the page can put the message beside the right question."""
    return f"{organisation.slug}-{measure}"


def partners_of(review_round: ReviewRound) -> QuerySet[Organisation]:
    """The organisations that currently sit on the round's partnership, by name."""
    return Organisation.objects.filter(
        pk__in=PartnershipMember.objects.current()
        .filter(partnership_id=review_round.partnership_id)
        .values("organisation_id")
    ).order_by("name")


def survey_answer(
    *,
    actor: Any,
    review_round: ReviewRound,
    ratings: Mapping[Organisation, PartnerRating],
    contributions: Sequence[str],
) -> SurveyAnswer:
    """Save `actor`'s answer for their organisation: `ratings` of the partners it works with
    (those left out are ones it does not work with) and what it contributes. All or nothing."""
    if review_round.kind != ReviewKind.RELATIONSHIPS:
        raise rounds.ReviewError("That round is not a relationship survey", field="round")
    unknown = [kind for kind in contributions if kind not in Contribution.values]
    if unknown:
        raise rounds.ReviewError(
            "Select what your organisation contributes from the list", field="contributions"
        )
    for organisation, rating in ratings.items():
        for measure in MEASURES:
            if getattr(rating, measure) not in Scale.values:
                raise rounds.ReviewError(
                    f"Rate {organisation.name} from 1 (not at all) to 4 (a great deal)",
                    field=field_name(organisation, measure),
                )
        if rating.intensity not in Intensity.values:
            raise rounds.ReviewError(
                f"Select how closely you work with {organisation.name}",
                field=field_name(organisation, "intensity"),
            )

    def save(seat: PartnershipMember) -> SurveyAnswer:
        members = set(partners_of(review_round).values_list("pk", flat=True))
        for organisation in ratings:
            if organisation.pk == seat.organisation_id:
                raise rounds.ReviewError(
                    "Rate the other organisations in the partnership, not your own",
                    field="partners",
                )
            if organisation.pk not in members:
                raise rounds.ReviewError(
                    f"{organisation.name} is no longer a member of the partnership: "
                    "choose the partners again",
                    field="partners",
                )
        answer = SurveyAnswer.objects.create(round=review_round, organisation=seat.organisation)
        SurveyRating.objects.bulk_create(
            SurveyRating(answer=answer, rated=organisation, **rating.__dict__)
            for organisation, rating in ratings.items()
        )
        SurveyContribution.objects.bulk_create(
            SurveyContribution(answer=answer, kind=kind) for kind in sorted(set(contributions))
        )
        return answer

    return rounds.answer_round(actor=actor, review_round=review_round, save_answers=save)
