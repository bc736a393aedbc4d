"""The Easton panel's last meeting as it was recorded: who attended, the quorum the small demo
panel set itself (three members from three agencies), and draft minutes waiting for approval at
the next meeting. Loaded once: nothing is added once the meeting has attendance. Every person
is made up."""

from datetime import timedelta

from django.utils import timezone

from joinedup.demo.catalogue import LOCALITIES
from joinedup.panels import conduct, minutes
from joinedup.panels.models import Attendance, AttendanceStatus, Meeting, Panel, PanelRole


def load_demo_meetings() -> None:
    panel = Panel.objects.filter(localities__slug=LOCALITIES[0].slug).first()
    if panel is None:
        return
    last = (
        Meeting.objects.filter(panel=panel, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    if last is None or Attendance.objects.filter(meeting=last).exists():
        return
    coordinator = (
        panel.members.current().filter(role=PanelRole.COORDINATOR).select_related("user").first()
    )
    if coordinator is None:
        return
    actor = coordinator.user
    # The demo seats are made the day the demo loads; the panel sat long before its last meeting.
    meeting_day = timezone.localtime(last.starts_at).date()
    panel.members.filter(started_on__gt=meeting_day).update(
        started_on=meeting_day - timedelta(days=365)
    )
    conduct.quorum_rule_set(
        actor=actor,
        panel=panel,
        settings=conduct.QuorumSettings(
            minimum_members=3,
            minimum_agencies=3,
            chair_required=True,
            delegated_authority_required=True,
        ),
    )
    conduct.attendance_record(
        actor=actor,
        meeting=last,
        entries={
            seat: conduct.AttendanceEntry(AttendanceStatus.PRESENT)
            for seat in conduct.seats_on(last)
            if seat.deputy_for_id is None
        },
    )
    minutes.minutes_generate(actor=actor, meeting=last)
