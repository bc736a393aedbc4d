"""Answering a partnership health check (docs/partnership-health-check.md).

The ratings go on an answer sheet and the hopes and fears into separate rows; none of them
names the person, their participation or a time, and nothing is written to the audit trail
about them beyond what `services.answer_round` records: that the person answered."""

from typing import Any

from joinedup.partnerships.models import PartnershipMember
from joinedup.reviews import health, services
from joinedup.reviews.health_forms import REFLECTION_LENGTH
from joinedup.reviews.models import (
    HealthRating,
    HealthReflection,
    HealthReflectionKind,
    HealthSheet,
    ReviewKind,
    ReviewRound,
)


def round_version(review_round: ReviewRound) -> int:
    """The version of the statements this round is answered in: the one its first answer used,
    so that new wording released mid-round does not split its answers."""
    used = HealthSheet.objects.filter(round=review_round).values_list("version", flat=True).first()
    return used if used is not None else health.CURRENT_VERSION


def _checked_ratings(ratings: dict[str, int | None], version: int) -> dict[str, int | None]:
    expected = health.statement_keys(version)
    for number, key in enumerate(expected, start=1):
        if key not in ratings:
            raise services.ReviewError(
                f"Select how far you agree with statement {number}, or “Don't know”", field=key
            )
        value = ratings[key]
        if value is not None and value not in health.SCALE_POINTS:
            raise services.ReviewError(
                f"Statement {number}: choose one of the answers shown, or “Don't know”",
                field=key,
            )
    unknown = sorted(set(ratings) - set(expected))
    if unknown:
        raise services.ReviewError(
            "The statements have changed since this page was opened: answer them again",
            field="round",
        )
    return {key: ratings[key] for key in expected}


def _checked_reflection(text: str, field: str, label: str) -> str:
    text = (text or "").strip()
    if len(text) > REFLECTION_LENGTH:
        raise services.ReviewError(
            f"{label} must be {REFLECTION_LENGTH} characters or fewer", field=field
        )
    return text


def health_answer(
    *,
    actor: Any,
    review_round: ReviewRound,
    ratings: dict[str, int | None],
    hopes: str = "",
    fears: str = "",
    version: int | None = None,
) -> None:
    """Save one member's health check: every statement rated (or "don't know"), with
    optional hopes and fears. `version` is the wording the person saw; if the round has
    moved to other wording meanwhile, they are asked to answer again."""
    if review_round.kind != ReviewKind.HEALTH:
        raise services.ReviewError("That round is not a health check", field="kind")
    hopes = _checked_reflection(hopes, "hopes", "Your hopes for the partnership")
    fears = _checked_reflection(fears, "fears", "Your fears for the partnership")

    def save_answers(seat: PartnershipMember) -> None:
        # Inside answer_round's transaction, with the round locked: the version cannot move.
        used = round_version(review_round)
        if version is not None and version != used:
            raise services.ReviewError(
                "The statements have changed since this page was opened: answer them again",
                field="round",
            )
        checked = _checked_ratings(ratings, used)
        sheet = HealthSheet.objects.create(round=review_round, version=used)
        HealthRating.objects.bulk_create(
            HealthRating(sheet=sheet, statement=key, score=value) for key, value in checked.items()
        )
        written = ((HealthReflectionKind.HOPE, hopes), (HealthReflectionKind.FEAR, fears))
        reflections = [
            HealthReflection(round=review_round, kind=kind, text=text)
            for kind, text in written
            if text
        ]
        HealthReflection.objects.bulk_create(reflections)

    services.answer_round(actor=actor, review_round=review_round, save_answers=save_answers)
