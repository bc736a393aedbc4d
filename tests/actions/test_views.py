"""The action pages: Actions for me, recording an action from a meeting, an action's page and
its changes, the panel's report per agency, and the meeting's actions section."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.actions import selectors, services
from joinedup.actions.models import Action, ActionStatus
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.notifications.models import Notification
from joinedup.panels.models import PanelRole
from tests.accounts.pages import error_summary, summary_text
from tests.actions.world import panel_world, person_at
from tests.conftest import make_person, sign_in_client
from tests.factories import ActionFactory, InvolvementFactory, MeetingFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def world():
    return panel_world()


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def _overdue(world, days: int, **fields) -> Action:
    action = world.create(**fields)
    Action.objects.filter(pk=action.pk).update(due_on=TODAY() - timedelta(days=days))
    return action


def test_actions_for_me_lists_overdue_first_then_done_recently(client, world):
    later = world.create(title="Later action", due_on=TODAY() + timedelta(days=20))
    soon = world.create(title="Soon action", due_on=TODAY() + timedelta(days=2))
    late = _overdue(world, 4, title="Late action")
    done = world.create(title="Finished action")
    services.action_complete(actor=world.sergeant, action=done, revision=1, outcome="Done")
    world.create(owner=world.teacher, organisation=world.school, title="Someone else's")
    client = sign_in_client(client, world.sergeant)

    response = client.get(reverse("actions:my_actions"))

    page = response.content.decode()
    assert [a.pk for a in response.context["mine"].open] == [late.pk, soon.pk, later.pk]
    assert "Overdue" in page and "4 days overdue" in page
    assert "Finished action" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert "Zebedee" not in page and world.child.pseudonym in page


def test_actions_for_me_takes_the_same_queries_for_two_actions_or_twenty(client, world):
    client = sign_in_client(client, world.sergeant)
    for _ in range(2):
        world.create()
    few = _queries(client, reverse("actions:my_actions"))
    for _ in range(18):
        world.create()
    _overdue(world, 3)
    assert _queries(client, reverse("actions:my_actions")) == few


def test_the_navigation_leads_to_actions_for_me_and_the_header_counts_new_notices(client, world):
    world.create()
    client = sign_in_client(client, world.sergeant)
    page = client.get(reverse("core:start")).content.decode()
    assert reverse("actions:my_actions") in page
    assert "Actions for me" in page
    assert 'app-header__count">1<' in page


def test_the_create_page_is_prefilled_from_the_meeting_and_the_case(client, world):
    client = sign_in_client(client, world.coordinator)
    url = reverse("actions:action_create")
    response = client.get(url, {"meeting": world.meeting.pk, "item": world.item.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert world.child.pseudonym in page and "Zebedee" not in page
    assert response.context["form"].initial["agenda_item"] == str(world.item.pk)
    owner = world.sergeant.memberships.get()
    response = client.post(
        f"{url}?meeting={world.meeting.pk}&item={world.item.pk}",
        {
            "title": "Ask the school about attendance",
            "agenda_item": str(world.item.pk),
            "detail": "",
            "owner": str(owner.pk),
            "due_on_day": str((TODAY() + timedelta(days=3)).day),
            "due_on_month": str((TODAY() + timedelta(days=3)).month),
            "due_on_year": str((TODAY() + timedelta(days=3)).year),
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:action_detail", kwargs={"action_id": action.pk})
    assert (action.meeting, action.agenda_item, action.owner) == (
        world.meeting,
        world.item,
        world.sergeant,
    )


def test_a_service_refusal_is_shown_on_the_form_and_nothing_is_saved(client, world):
    client = sign_in_client(client, world.coordinator)
    owner = world.sergeant.memberships.get()
    yesterday = TODAY() - timedelta(days=1)
    response = client.post(
        f"{reverse('actions:action_create')}?meeting={world.meeting.pk}",
        {
            "title": "Phone Zebedee's mother",
            "agenda_item": str(world.item.pk),
            "owner": str(owner.pk),
            "due_on_day": yesterday.day,
            "due_on_month": yesterday.month,
            "due_on_year": yesterday.year,
        },
    )
    assert response.status_code == 200
    assert "not the child's name" in summary_text(response)
    assert error_summary(response)[0][0] == "#id_title"
    assert not Action.objects.exists()


@pytest.mark.parametrize("meeting", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_meeting_answers_404(client, world, meeting):
    client = sign_in_client(client, world.coordinator)
    assert client.get(reverse("actions:action_create"), {"meeting": meeting}).status_code == 404


def test_a_coordinator_not_on_the_panel_gets_404_for_its_meeting(client, world):
    outsider = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(user=outsider, role=PanelRole.COORDINATOR)
    client = sign_in_client(client, outsider)
    url = reverse("actions:action_create")
    assert client.get(url, {"meeting": world.meeting.pk}).status_code == 404


def test_the_action_page_names_the_child_only_to_the_team_around_the_child(client, world):
    action = world.create()
    url = reverse("actions:action_detail", kwargs={"action_id": action.pk})
    page = sign_in_client(client, world.sergeant).get(url).content.decode()
    assert world.child.pseudonym in page and "Zebedee" not in page
    InvolvementFactory(child=world.child, worker=world.sergeant)
    page = client.get(url).content.decode()
    assert "Zebedee Quixwort" in page
    assert AuditEntry.objects.filter(verb=AuditVerb.READ, target_id=str(action.pk)).count() == 2


def test_someone_with_no_part_in_the_action_gets_404(client, world):
    action = world.create()
    url = reverse("actions:action_detail", kwargs={"action_id": action.pk})
    assert sign_in_client(client, world.teacher).get(url).status_code == 404
    assert client.get(reverse("actions:action_complete", args=[action.pk])).status_code == 404


def test_the_owner_records_it_done_from_the_page(client, world):
    action = world.create()
    client = sign_in_client(client, world.sergeant)
    url = reverse("actions:action_complete", kwargs={"action_id": action.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"revision": "1", "outcome": "Met the head teacher."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_a_stale_page_is_refused_with_a_clear_message_and_the_first_change_kept(client, world):
    action = world.create()
    services.action_change_due_date(
        actor=world.coordinator,
        action=action,
        revision=1,
        due_on=TODAY() + timedelta(days=30),
        reason="Holidays",
    )
    client = sign_in_client(client, world.sergeant)
    response = client.post(
        reverse("actions:action_complete", kwargs={"action_id": action.pk}),
        {"revision": "1", "outcome": "Done"},
    )
    assert response.status_code == 200
    assert "Someone changed this action since you opened it" in summary_text(response)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.due_on == TODAY() + timedelta(days=30)


def test_the_owner_cannot_open_the_coordinators_changes(client, world):
    action = world.create()
    client = sign_in_client(client, world.sergeant)
    response = client.get(reverse("actions:action_cancel", kwargs={"action_id": action.pk}))
    assert response.status_code == 403
    response = client.post(
        reverse("actions:action_cancel", kwargs={"action_id": action.pk}),
        {"revision": "1", "reason": "Not mine"},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_coordinator_reassigns_re_dates_and_cancels_from_the_pages(client, world):
    action = world.create()
    client = sign_in_client(client, world.coordinator)
    teacher = world.teacher.memberships.get()
    assert (
        client.post(
            reverse("actions:action_reassign", args=[action.pk]),
            {"revision": "1", "owner": str(teacher.pk), "reason": "The school knows them"},
        ).status_code
        == 302
    )
    new_date = TODAY() + timedelta(days=12)
    assert (
        client.post(
            reverse("actions:action_due_date", args=[action.pk]),
            {
                "revision": "2",
                "due_on_day": new_date.day,
                "due_on_month": new_date.month,
                "due_on_year": new_date.year,
                "reason": "After half term",
            },
        ).status_code
        == 302
    )
    page = client.get(reverse("actions:action_detail", args=[action.pk])).content.decode()
    assert "After half term" in page and "The school knows them" in page
    assert (
        client.post(
            reverse("actions:action_cancel", args=[action.pk]),
            {"revision": "3", "reason": "The family moved away"},
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert (action.owner, action.due_on, action.status) == (
        world.teacher,
        new_date,
        ActionStatus.CANCELLED,
    )


def test_the_report_shows_each_agencys_completion_rate_and_overdue_count(client, world):
    for _ in range(3):
        done = world.create()
        services.action_complete(actor=world.sergeant, action=done, revision=1, outcome="Done")
    world.create()  # open, not yet due
    _overdue(world, 2, owner=world.teacher, organisation=world.school)
    cancelled = world.create()
    services.action_cancel(actor=world.chair, action=cancelled, revision=1, reason="No need")
    client = sign_in_client(client, world.chair)

    period = {
        "start_day": TODAY().day,
        "start_month": TODAY().month,
        "start_year": TODAY().year - 1,
        "end_day": TODAY().day,
        "end_month": TODAY().month,
        "end_year": TODAY().year + 1,
    }
    response = client.get(reverse("actions:panel_report", args=[world.panel.slug]), period)

    agencies = {a.organisation: a for a in response.context["report"].agencies}
    police, school = agencies["Avon and Somerset Police"], agencies["Easton Primary School"]
    assert (police.due, police.done, police.completion_rate, police.overdue) == (4, 3, 75, 0)
    assert (school.due, school.done, school.completion_rate, school.overdue) == (1, 0, 0, 1)
    page = response.content.decode()
    assert "75%" in page
    assert "To review at the next meeting" in page
    assert response.context["report"].overdue_count == 1
    assert "Zebedee" not in page


def test_the_report_period_leaves_out_actions_due_outside_it(client, world):
    world.create(due_on=TODAY() + timedelta(days=60))
    client = sign_in_client(client, world.coordinator)
    response = client.get(reverse("actions:panel_report", args=[world.panel.slug]))
    assert response.context["report"].agencies == []
    assert len(response.context["report"].to_review) == 1


def test_a_bad_report_period_is_named_and_nothing_is_shown(client, world):
    client = sign_in_client(client, world.coordinator)
    response = client.get(
        reverse("actions:panel_report", args=[world.panel.slug]),
        {"start_day": "31", "start_month": "2", "start_year": "2026"},
    )
    assert response.status_code == 200
    assert error_summary(response)[0][0] == "#id_start_day"
    assert response.context["report"] is None


def test_a_member_who_does_not_lead_the_panel_gets_404_for_its_report(client, world):
    member = person_at(world.police, Role.PANEL_CHAIR)
    PanelMemberFactory(panel=world.panel, user=member, role=PanelRole.MEMBER)
    client = sign_in_client(client, member)
    assert client.get(reverse("actions:panel_report", args=[world.panel.slug])).status_code == 404


def test_the_report_takes_the_same_queries_for_few_actions_or_many(client, world):
    client = sign_in_client(client, world.coordinator)
    url = reverse("actions:panel_report", args=[world.panel.slug])
    world.create()
    few = _queries(client, url)
    for _ in range(10):
        world.create(owner=world.teacher, organisation=world.school)
        _overdue(world, 1)
    assert _queries(client, url) == few


def _render_meeting_section(viewer, meeting) -> str:
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template("{% load actions %}{% meeting_actions meeting %}")
    return template.render(Context({"request": request, "meeting": meeting}))


def test_the_meeting_section_shows_actions_agreed_there_and_those_still_open_from_before(world):
    earlier = world.create(title="From the earlier meeting")
    Action.objects.filter(pk=earlier.pk).update(due_on=TODAY() - timedelta(days=1))
    next_meeting = MeetingFactory(panel=world.panel)
    agreed = ActionFactory(meeting=next_meeting, title="Agreed at the next meeting")

    found = selectors.actions_for_meeting(viewer=world.chair, meeting=next_meeting)
    assert [a.pk for a in found.agreed_here] == [agreed.pk]
    assert [a.pk for a in found.still_open_from_earlier] == [earlier.pk]
    assert found.overdue_count == 1 and found.may_record

    html = _render_meeting_section(world.chair, next_meeting)
    assert "Agreed at the next meeting" in html and "From the earlier meeting" in html
    assert "app-actions__overdue" in html
    assert f"?meeting={next_meeting.pk}" in html
    assert "Record an action" not in _render_meeting_section(world.sergeant, next_meeting)
    assert "From the earlier" not in _render_meeting_section(world.teacher, next_meeting)


def test_the_meeting_section_takes_the_same_queries_for_few_actions_or_many(world):
    next_meeting = MeetingFactory(panel=world.panel)
    world.create()
    with CaptureQueriesContext(connection) as few:
        _render_meeting_section(world.coordinator, next_meeting)
    for _ in range(10):
        world.create()
        ActionFactory(meeting=next_meeting, owner=world.teacher, organisation=world.school)
    with CaptureQueriesContext(connection) as many:
        _render_meeting_section(world.coordinator, next_meeting)
    assert len(many) == len(few)


def test_a_notice_of_a_new_action_leads_to_it_and_is_then_read(client, world):
    action = world.create()
    notice = Notification.objects.get(recipient=world.sergeant)
    client = sign_in_client(client, world.sergeant)
    response = client.get(reverse("notifications:notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("actions:action_detail", args=[action.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_members_outside_the_team_read_the_childs_school_not_its_name(world):
    """The panel pack hides the school beside a pseudonym; the meeting's actions do too."""
    world.child.school = world.school
    world.child.save()
    world.create(owner=world.teacher, title="Share the attendance figures")

    outside = _render_meeting_section(world.sergeant, world.meeting)
    assert "Share the attendance figures" in outside
    assert "The child&#x27;s school" in outside
    assert "Easton Primary School" not in outside
    # The team around the child (here the coordinator of the child's panel) reads the name.
    assert "Easton Primary School" in _render_meeting_section(world.coordinator, world.meeting)
