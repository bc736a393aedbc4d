"""The demo's meeting reflections (docs/reflections.md). On the Easton panel: its meeting four
weeks ago, whose three attendees all answered (enough to show), and one eight weeks ago with two
answers (too few to show). On the Lockleaze panel, a meeting five days ago whose pulse is still
open, so that the people who attended (the demo keyworker, coordinator and chair) are reminded
on their home pages. It is Lockleaze's, not Easton's: the other demo loaders build on Easton's
latest past meeting, and a newer one would have them add their rows again on a second load.
Invented answers; loaded once (nothing is added once Easton's meetings have any).

The older meetings' answers are written directly, with no time on them, as the service writes
them: the service takes answers only while a meeting's pulse is open."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from joinedup.demo.catalogue import LOCALITIES
from joinedup.panels.models import Attendance, AttendanceStatus, Meeting, Panel
from joinedup.reports import reflection_services
from joinedup.reports.models_reflections import PulseAnswer, PulseGiven, PulseReflection

# (useful, heard, actions, reflection) for each attendee, in seat order.
FOUR_WEEKS_AGO = (
    (4, 4, "yes", "Every case ended with an owner and a date. That has not always happened."),
    (3, 2, "partly", "The statutory agencies did most of the talking again."),
    (4, 3, "yes", ""),
)
EIGHT_WEEKS_AGO = (
    (2, 3, "no", "We ran out of time for the last two cases."),
    (3, 3, "partly", ""),
)


def _meeting(panel: Panel, days_ago: int) -> Meeting:
    day = timezone.localdate() - timedelta(days=days_ago)
    meeting, _ = Meeting.objects.get_or_create(
        panel=panel,
        starts_at=timezone.make_aware(datetime.combine(day, time(16, 0))),
        defaults={"location": f"{panel.localities.first()} community centre"},
    )
    return meeting


def _attended_by_all(meeting: Meeting, seats: list) -> None:
    for seat in seats:
        Attendance.objects.get_or_create(
            meeting=meeting, member=seat, defaults={"status": AttendanceStatus.PRESENT}
        )


def _answered(meeting: Meeting, seats: list, answers: tuple) -> None:
    for seat, (useful, heard, actions, text) in zip(seats, answers, strict=False):
        PulseGiven.objects.create(meeting=meeting, user=seat.user)
        PulseAnswer.objects.create(meeting=meeting, useful=useful, heard=heard, actions=actions)
        if text:
            PulseReflection.objects.create(meeting=meeting, text=text)


def load_demo_reflections() -> None:
    panel = Panel.objects.filter(slug=LOCALITIES[0].slug).first() or (
        Panel.objects.filter(localities__slug=LOCALITIES[0].slug).first()
    )
    if panel is None or PulseGiven.objects.filter(meeting__panel=panel).exists():
        return
    seats = list(
        panel.members.current()
        .filter(deputy_for__isnull=True)
        .select_related("user")
        .order_by("role", "started_on")
    )
    if not seats:
        return
    last = (
        Meeting.objects.filter(panel=panel, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    if last is not None and reflection_services.is_open(last):
        last = None
    four_weeks = last or _meeting(panel, 28)
    _attended_by_all(four_weeks, seats)
    _answered(four_weeks, seats, FOUR_WEEKS_AGO)
    eight_weeks = _meeting(panel, 56)
    _attended_by_all(eight_weeks, seats)
    _answered(eight_weeks, seats, EIGHT_WEEKS_AGO)
    lockleaze = Panel.objects.filter(slug=LOCALITIES[1].slug).first()
    if lockleaze is not None:
        lockleaze_seats = list(
            lockleaze.members.current().filter(deputy_for__isnull=True).order_by("role")
        )
        # The demo seats start the day the demo loads; the panel sat before this meeting.
        lockleaze.members.filter(started_on__gt=timezone.localdate() - timedelta(days=5)).update(
            started_on=timezone.localdate() - timedelta(days=365)
        )
        _attended_by_all(_meeting(lockleaze, 5), lockleaze_seats)
