"""Opening, closing and answering review rounds. Each kind of review saves its answers inside
`answer_round`'s transaction, so that an answer and the record that its author has answered
are written together or not at all."""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.partnerships.models import Partnership, PartnershipMember
from joinedup.partnerships.services import may_manage
from joinedup.reviews import confidential
from joinedup.reviews.models import Participation, ReviewKind, ReviewRound

T = TypeVar("T")

LONGEST_ROUND_DAYS = 366


class ReviewError(FieldError):
    pass


def may_run_rounds(user: Any, partnership: Partnership) -> bool:
    """The people who keep the partnership (its chair, strategic managers, system
    administrators) open and close its rounds."""
    return may_manage(user, partnership)


def respondent_seat(user: Any, review_round: ReviewRound) -> PartnershipMember | None:
    """The seat `user` answers for: their current membership of the round's partnership."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PartnershipMember.objects.current()
        .filter(partnership_id=review_round.partnership_id, person__user=user)
        .select_related("person", "organisation")
        .order_by("joined_on", "organisation__name")
        .first()
    )


def may_see_round(user: Any, review_round: ReviewRound) -> bool:
    """The partnership's current members and the people who keep it see its rounds and
    their results; nobody else needs to."""
    return may_run_rounds(user, review_round.partnership) or (
        respondent_seat(user, review_round) is not None
    )


def _check_dates(opens_on: date | None, closes_on: date | None) -> tuple[date, date]:
    if opens_on is None:
        raise ReviewError("Enter the date the round opens", field="opens_on")
    if closes_on is None:
        raise ReviewError("Enter the date the round closes", field="closes_on")
    if closes_on < opens_on:
        raise ReviewError(
            "The closing date must be on or after the opening date", field="closes_on"
        )
    if (closes_on - opens_on).days > LONGEST_ROUND_DAYS:
        raise ReviewError("A round can be open for a year at most", field="closes_on")
    if closes_on < timezone.localdate():
        raise ReviewError("The closing date must be today or later", field="closes_on")
    return opens_on, closes_on


def round_open(
    *,
    actor: Any,
    partnership: Partnership,
    kind: str,
    title: str,
    opens_on: date | None,
    closes_on: date | None,
) -> ReviewRound:
    if not may_run_rounds(actor, partnership):
        raise PermissionDenied("Only the partnership's chair and managers can open a round")
    if kind not in ReviewKind.values:
        raise ReviewError("Choose which review this round is for", field="kind")
    title = title.strip()
    if not title:
        raise ReviewError("Enter a title for the round", field="title")
    opens_on, closes_on = _check_dates(opens_on, closes_on)
    with transaction.atomic():
        # Two rounds of one review running at once would split the partnership's answers.
        clash = (
            ReviewRound.objects.select_for_update()
            .filter(partnership=partnership, kind=kind, closed_at__isnull=True)
            .filter(opens_on__lte=closes_on, closes_on__gte=opens_on)
            .first()
        )
        if clash is not None:
            raise ReviewError(
                f"“{clash.title}” runs over those dates: close it first or choose other dates",
                field="opens_on",
            )
        review_round = ReviewRound.objects.create(
            partnership=partnership,
            kind=kind,
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
            opened_by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=review_round,
            fields=["kind", "title", "opens_on", "closes_on"],
            detail={"partnership": str(partnership.pk)},
        )
    return review_round


def round_close(*, actor: Any, review_round: ReviewRound) -> ReviewRound:
    """Stop taking answers now. Reopening is the undo while the closing date has not passed."""
    if not may_run_rounds(actor, review_round.partnership):
        raise PermissionDenied("Only the partnership's chair and managers can close a round")
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if review_round.closed_at is not None:
            raise ReviewError("That round is already closed", field="closed_at")
        review_round.closed_at = timezone.now()
        review_round.save(update_fields=["closed_at", "updated_at"])
        audit.record(actor=actor, verb=AuditVerb.UPDATE, target=review_round, fields=["closed_at"])
    return review_round


def may_reopen_answered(answered: int) -> bool:
    """Results are shown once a round has closed with enough answers; reopening it then would
    let anyone who compares the results before and after work out the later answers."""
    return not confidential.enough(answered)


def round_reopen(*, actor: Any, review_round: ReviewRound) -> ReviewRound:
    if not may_run_rounds(actor, review_round.partnership):
        raise PermissionDenied("Only the partnership's chair and managers can reopen a round")
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if review_round.closed_at is None:
            raise ReviewError("That round is not closed", field="closed_at")
        if review_round.closes_on < timezone.localdate():
            raise ReviewError(
                "Its closing date has passed: open a new round instead", field="closes_on"
            )
        if not may_reopen_answered(review_round.participations.count()):
            raise ReviewError(
                "Its results have been shown since it closed: answers added now could be told "
                "apart by comparing the results before and after. Set up a new round instead",
                field="closed_at",
            )
        review_round.closed_at = None
        review_round.save(update_fields=["closed_at", "updated_at"])
        audit.record(actor=actor, verb=AuditVerb.UPDATE, target=review_round, fields=["closed_at"])
    return review_round


def answer_round(
    *,
    actor: Any,
    review_round: ReviewRound,
    save_answers: Callable[[PartnershipMember], T],
) -> T:
    """Check that `actor` may answer `review_round` now and has not answered it before, then
    call `save_answers(seat)` and record that they answered, in one transaction.

    The record of answering is written without anything that ties it to the answers: the
    answers' own tables carry no person, no participation and no time."""
    if review_round.kind not in ReviewKind.values:
        raise ReviewError("That round is for a review this system does not know", field="kind")
    seat = respondent_seat(actor, review_round)
    if seat is None or seat.person is None:
        raise PermissionDenied("Only the partnership's current members can answer its rounds")
    with transaction.atomic():
        # Locked so that an answer cannot land in a round being closed at the same moment.
        review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        today = timezone.localdate()
        if not review_round.is_open(today):
            message = (
                "That round has not opened yet"
                if today < review_round.opens_on
                else "That round has closed: answers can no longer be given"
            )
            raise ReviewError(message, field="round")
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    round=review_round, person=seat.person, organisation=seat.organisation
                )
        except IntegrityError as error:
            raise ReviewError("You have already answered this round", field="round") from error
        saved = save_answers(seat)
        # The entry says who answered and when, as the participation does; it names no answer,
        # and the answers' tables carry no time to match it against.
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=participation,
            detail={"round": str(review_round.pk)},
        )
    return saved
