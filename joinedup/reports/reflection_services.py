"""Giving the anonymous pulse on a meeting (docs/reflections.md).

The record that a person answered (`PulseGiven`) and their answers (`PulseAnswer`, and their
reflection in `PulseReflection`) are written in one transaction, so one is never kept without
the other, but nothing links them: the answers hold the meeting and nothing else, no person
and no time. The audit entry says who answered which meeting, as the record of answering does,
and names no answer. The pattern, and the minimum of answers, are the partnership reviews'."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.panels.models import Attendance, AttendanceStatus, Meeting
from joinedup.reports.models_reflections import (
    CommittedToActions,
    PulseAnswer,
    PulseGiven,
    PulseReflection,
)

PULSE_DAYS = 14
REFLECTION_LENGTH = 1000


class PulseError(FieldError):
    pass


def attended(user: Any, meeting: Meeting) -> bool:
    """Whether `user` was at the meeting: a member marked present, or the deputy who came in
    a member's place."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Attendance.objects.filter(meeting=meeting)
        .filter(
            Q(status=AttendanceStatus.PRESENT, member__user=user)
            | Q(status=AttendanceStatus.DEPUTY, deputy__user=user)
        )
        .exists()
    )


def closes_at(meeting: Meeting) -> Any:
    return meeting.starts_at + timedelta(days=PULSE_DAYS)


def is_open(meeting: Meeting) -> bool:
    now = timezone.now()
    return meeting.starts_at <= now < closes_at(meeting)


def _score(value: Any, field: str, question: str) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise PulseError(f"Choose a number from 1 to 5 for {question}", field=field)
    return score


def pulse_give(
    *,
    actor: Any,
    meeting: Meeting,
    useful: Any,
    heard: Any,
    actions: str,
    reflection: str = "",
) -> None:
    if not attended(actor, meeting):
        raise PermissionDenied("Only the people who attended the meeting give its pulse")
    useful = _score(useful, "useful", "how useful the meeting was")
    heard = _score(heard, "heard", "how far you felt heard")
    if actions not in CommittedToActions.values:
        raise PulseError("Choose yes, partly or no", field="actions")
    reflection = reflection.strip()
    if len(reflection) > REFLECTION_LENGTH:
        raise PulseError(
            f"Your reflection must be {REFLECTION_LENGTH} characters or fewer", field="reflection"
        )
    now = timezone.now()
    if meeting.starts_at > now:
        raise PulseError("The meeting has not happened yet", field="useful")
    if now >= closes_at(meeting):
        raise PulseError(f"The pulse closed {PULSE_DAYS} days after the meeting", field="useful")
    with transaction.atomic():
        try:
            with transaction.atomic():
                given = PulseGiven.objects.create(meeting=meeting, user=actor)
        except IntegrityError as error:
            raise PulseError(
                "You have already given your pulse on this meeting", field="useful"
            ) from error
        PulseAnswer.objects.create(meeting=meeting, useful=useful, heard=heard, actions=actions)
        if reflection:
            PulseReflection.objects.create(meeting=meeting, text=reflection)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=given,
            detail={"meeting": str(meeting.pk)},
        )
