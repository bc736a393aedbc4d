"""The demo's Easton panel has a last meeting as the chair would find it: everyone present and
quorate by the panel's own quorum, draft minutes to approve at the next meeting."""

from joinedup.demo.loader import load_demo_data
from joinedup.panels import selectors
from joinedup.panels.models import Attendance, Minutes


def test_the_demo_panel_has_a_quorate_last_meeting_with_draft_minutes(db):
    load_demo_data()
    load_demo_data()  # twice: nothing is added the second time

    minutes = Minutes.objects.select_related("meeting").get()
    assert not minutes.is_approved and "Present" in minutes.text
    assert Attendance.objects.filter(meeting=minutes.meeting).count() == 3
    state = selectors.quorum_of(meeting=minutes.meeting)
    assert state.summary == "Quorate: 3 members from 3 agencies"
