"""Actions about the child on the child's timeline: agreed, done and cancelled, shown by the
actions app's own rule of who may see an action, and linked to the action's page."""

from datetime import date

import pytest
from django.urls import reverse

from joinedup.actions import services
from joinedup.children import selectors
from joinedup.children.models import InvolvementRole
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from tests.actions.world import panel_world, person_at
from tests.conftest import sign_in_client
from tests.factories import InvolvementFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return panel_world()


def _in_team(world, person, organisation):
    InvolvementFactory(
        child=world.child, organisation=organisation, worker=person, role=InvolvementRole.SERVICE
    )


def _events(viewer, world):
    return selectors.child_timeline(viewer=viewer, reference=world.child.reference).events


def _action_events(viewer, world):
    return [event for event in _events(viewer, world) if event.what.startswith("Action ")]


def test_an_action_agreed_shows_what_who_which_agency_and_when_it_is_due(world):
    action = world.create(title="Ask the school about attendance", due_on=date(2099, 3, 4))

    [event] = _action_events(world.coordinator, world)

    assert event.what == (
        "Action agreed: Ask the school about attendance — Sam Sergeant, "
        "Avon and Somerset Police, due 4 March 2099"
    )
    assert event.kind == "panel"
    assert event.who == "Cora Coordinator"
    assert event.url == reverse("actions:action_detail", kwargs={"action_id": action.pk})
    assert "Zebedee" not in event.what


def test_completing_and_cancelling_appear_too(world):
    done = world.create(title="Call the family")
    cancelled = world.create(title="Book a room")
    services.action_complete(
        actor=world.sergeant, action=done, revision=done.revision, outcome="Called them"
    )
    services.action_cancel(
        actor=world.chair, action=cancelled, revision=cancelled.revision, reason="Not needed"
    )

    whats = [event.what for event in _action_events(world.coordinator, world)]

    assert "Action completed: Call the family" in whats
    assert "Action cancelled: Book a room" in whats
    completed = next(e for e in _events(world.coordinator, world) if "completed" in e.what)
    assert completed.who == "Sam Sergeant"
    assert completed.organisation == "Avon and Somerset Police"


def test_the_owner_in_the_team_sees_their_action(world):
    world.create()
    _in_team(world, world.sergeant, world.police)

    assert len(_action_events(world.sergeant, world)) == 1


def test_someone_in_the_team_who_may_not_see_the_action_is_not_told_of_it(world):
    world.create(title="Ask the school about attendance")
    _in_team(world, world.teacher, world.school)

    events = _events(world.teacher, world)

    assert events  # the teacher sees the child's timeline ...
    assert not [e for e in events if "attendance" in e.what]  # ... but not the action


def test_a_former_panel_member_no_longer_sees_the_panels_actions(world):
    world.create()
    former = person_at(world.school, Role.PANEL_MEMBER, full_name="Fay Former")
    seat = PanelMemberFactory(panel=world.panel, user=former, role=PanelRole.MEMBER)
    _in_team(world, former, world.school)
    assert len(_action_events(former, world)) == 1

    seat.ended_on = date(2000, 1, 1)
    seat.save()

    assert _action_events(former, world) == []


def test_the_timeline_page_links_the_action(world, client):
    action = world.create(title="Ask the school about attendance")
    sign_in_client(client, world.coordinator)

    page = client.get(reverse("children:timeline", args=[world.child.reference]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Action agreed: Ask the school about attendance" in html
    assert reverse("actions:action_detail", kwargs={"action_id": action.pk}) in html
