"""Reads of meeting reflections: totals per meeting over at least the minimum number of answers
(joinedup.reviews.confidential), shown once the meeting's pulse has closed, so that nobody's
answer can be worked out by comparing the results before and after they gave it."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.panels.models import Meeting, Panel, PanelMember
from joinedup.reports.models_reflections import PulseAnswer, PulseGiven, PulseReflection
from joinedup.reports.reflection_services import PULSE_DAYS, attended, closes_at, is_open
from joinedup.reviews import confidential

MEETINGS_SHOWN = 24


def _sees_all_panels(viewer: Any) -> bool:
    return has_role(viewer, Role.STRATEGIC_MANAGER)


def _seated(viewer: Any) -> Any:
    return PanelMember.objects.current().filter(user=viewer).values("panel")


@audit.audit_exempt(reason="Meetings the viewer attended: dates and panels, no personal data")
def meetings_to_reflect_on(*, viewer: Any) -> list[Meeting]:
    """The meetings of the last 14 days the viewer attended and has not given a pulse on: the
    reminder on their home page."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    now = timezone.now()
    return list(
        Meeting.objects.filter(starts_at__lte=now, starts_at__gt=now - timedelta(days=PULSE_DAYS))
        .filter(
            Q(attendance__status="present", attendance__member__user=viewer)
            | Q(attendance__status="deputy", attendance__deputy__user=viewer)
        )
        .exclude(pulses_given__user=viewer)
        .select_related("panel")
        .distinct()
        .order_by("-starts_at")
    )


@dataclass(frozen=True)
class PulsePage:
    meeting: Meeting
    attended: bool
    given: bool
    open: bool
    closes_at: datetime

    @property
    def may_give(self) -> bool:
        return self.attended and not self.given and self.open


@audit.audit_exempt(reason="A meeting and whether the viewer answered; no one else's data")
def pulse_page(*, viewer: Any, meeting_id: Any) -> PulsePage:
    """The pulse page of a meeting of a panel the viewer sits on, or that they attended
    (404 otherwise)."""
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("panel").first()
    if meeting is None:
        raise Http404("No such meeting")
    was_there = attended(viewer, meeting)
    if (
        not was_there
        and not PanelMember.objects.current()
        .filter(user=viewer, panel_id=meeting.panel_id)
        .exists()
    ):
        raise Http404("No meeting of a panel you sit on with this id")
    return PulsePage(
        meeting=meeting,
        attended=was_there,
        given=PulseGiven.objects.filter(meeting=meeting, user=viewer).exists(),
        open=is_open(meeting),
        closes_at=closes_at(meeting),
    )


@audit.audit_exempt(reason="Panels whose reflections the viewer may see; no personal data")
def reflection_panels(*, viewer: Any) -> list[Panel]:
    panels = Panel.objects.filter(is_active=True)
    if not _sees_all_panels(viewer):
        panels = panels.filter(pk__in=_seated(viewer))
    return list(panels.select_related("partnership").order_by("name"))


@dataclass(frozen=True)
class MeetingResult:
    meeting: Meeting
    answers: int
    open: bool
    closes_at: datetime
    shown: bool
    useful: float | None = None
    heard: float | None = None
    yes_percent: int | None = None
    partly_percent: int | None = None
    no_percent: int | None = None
    reflections: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PanelReflections:
    panel: Panel
    partnership: Any
    minimum: int
    meetings: list[MeetingResult]


def _shuffled(meeting_id: Any, texts: list[str]) -> list[str]:
    """In an order set by a hash of the words: it tells nothing of who wrote which, or when,
    and stays the same each time the page opens."""
    return sorted(
        texts, key=lambda text: hashlib.sha256(f"{meeting_id}:{text}".encode()).hexdigest()
    )


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@audit.audit_exempt(
    reason=(
        "Totals over at least the minimum number of answers, and reflections stored with no "
        "link to their authors: nothing here is about an identifiable person"
    )
)
def panel_reflections(*, viewer: Any, slug: str) -> PanelReflections:
    """A panel's meetings with their pulse results, newest first, for its members, chair and
    coordinators and for strategic managers (404 for anyone else)."""
    panels = Panel.objects.filter(slug=slug)
    if not _sees_all_panels(viewer):
        panels = panels.filter(pk__in=_seated(viewer))
    panel = panels.select_related("partnership").first()
    if panel is None:
        raise Http404("No panel whose reflections you may see with this name")
    minimum = confidential.min_answers()
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(panel=panel, starts_at__lte=now).order_by("-starts_at")[
            :MEETINGS_SHOWN
        ]
    )
    totals = {
        row["meeting"]: row
        for row in PulseAnswer.objects.filter(meeting__in=meetings)
        .values("meeting")
        .annotate(
            n=Count("id"),
            useful=Avg("useful"),
            heard=Avg("heard"),
            yes=Count("id", filter=Q(actions="yes")),
            partly=Count("id", filter=Q(actions="partly")),
            no=Count("id", filter=Q(actions="no")),
        )
    }
    shown_ids = [
        meeting.pk
        for meeting in meetings
        if not is_open(meeting) and confidential.enough(totals.get(meeting.pk, {}).get("n", 0))
    ]
    texts: dict[Any, list[str]] = {}
    for meeting_id, text in PulseReflection.objects.filter(meeting__in=shown_ids).values_list(
        "meeting", "text"
    ):
        texts.setdefault(meeting_id, []).append(text)
    results = []
    for meeting in meetings:
        row = totals.get(meeting.pk, {})
        answers = int(row.get("n", 0))
        if meeting.pk not in shown_ids:
            results.append(
                MeetingResult(meeting, answers, is_open(meeting), closes_at(meeting), False)
            )
            continue
        results.append(
            MeetingResult(
                meeting,
                answers,
                False,
                closes_at(meeting),
                True,
                useful=round(float(row["useful"]), 1),
                heard=round(float(row["heard"]), 1),
                yes_percent=_percent(row["yes"], answers),
                partly_percent=_percent(row["partly"], answers),
                no_percent=_percent(row["no"], answers),
                reflections=_shuffled(meeting.pk, texts.get(meeting.pk, [])),
            )
        )
    partnership = getattr(panel, "partnership", None)
    return PanelReflections(panel, partnership, minimum, results)
