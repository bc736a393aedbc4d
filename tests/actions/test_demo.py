from django.utils import timezone

from joinedup.actions.models import Action, ActionStatus
from joinedup.demo.loader import load_demo_data


def test_the_demo_has_done_open_and_overdue_actions_for_several_agencies(db):
    load_demo_data()
    load_demo_data()  # a second load adds nothing
    actions = list(Action.objects.select_related("meeting"))
    assert len(actions) == 7
    assert {a.status for a in actions} == {ActionStatus.OPEN, ActionStatus.DONE}
    assert any(a.is_overdue for a in actions)
    assert len({a.organisation_id for a in actions}) >= 4
    assert all(a.meeting.starts_at < timezone.now() for a in actions)
    assert not any("Mohammed" in a.title for a in actions)
