"""Meeting reflections: given once, by those who attended, stored with no link to who gave
them, and shown only as totals over enough answers once the pulse has closed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry
from joinedup.core.roles import Role
from joinedup.panels.models import Attendance, AttendanceStatus, PanelRole
from joinedup.reports import reflection_selectors, reflection_services
from joinedup.reports.models_reflections import PulseAnswer, PulseGiven, PulseReflection
from joinedup.reports.reflection_services import PulseError
from tests.conftest import make_person, sign_in_client
from tests.factories import MeetingFactory, PanelFactory, PanelMemberFactory, PartnershipFactory


class Panel:
    """A panel with five members who attended a meeting `days_ago` days ago, one who sent
    apologies and one who sent a deputy."""

    def __init__(self, days_ago: int = 3) -> None:
        self.panel = PanelFactory(slug="easton-panel", name="Easton panel")
        self.meeting = MeetingFactory(
            panel=self.panel, starts_at=timezone.now() - timedelta(days=days_ago)
        )
        self.present = []
        for number in range(5):
            user = make_person(Role.PANEL_MEMBER, full_name=f"Member {number}")
            seat = PanelMemberFactory(panel=self.panel, user=user, role=PanelRole.MEMBER)
            seat.started_on = timezone.localdate() - timedelta(days=100)
            seat.save()
            Attendance.objects.create(
                meeting=self.meeting, member=seat, status=AttendanceStatus.PRESENT
            )
            self.present.append(user)
        self.away = make_person(Role.PANEL_MEMBER, full_name="Away Member")
        away_seat = PanelMemberFactory(panel=self.panel, user=self.away, role=PanelRole.MEMBER)
        Attendance.objects.create(
            meeting=self.meeting, member=away_seat, status=AttendanceStatus.APOLOGIES
        )
        self.deputy = make_person(Role.PANEL_MEMBER, full_name="Deputy Member")
        represented = PanelMemberFactory(panel=self.panel, role=PanelRole.MEMBER)
        deputy_seat = PanelMemberFactory(
            panel=self.panel, user=self.deputy, role=PanelRole.MEMBER, deputy_for=represented
        )
        Attendance.objects.create(
            meeting=self.meeting,
            member=represented,
            status=AttendanceStatus.DEPUTY,
            deputy=deputy_seat,
        )

    def give(self, user, useful=4, heard=3, actions="yes", reflection=""):
        reflection_services.pulse_give(
            actor=user,
            meeting=self.meeting,
            useful=useful,
            heard=heard,
            actions=actions,
            reflection=reflection,
        )

    def close(self):
        self.meeting.starts_at = timezone.now() - timedelta(days=15)
        self.meeting.save()


@pytest.fixture
def panel(db):
    return Panel()


def test_each_person_who_attended_gives_their_pulse_once(panel):
    panel.give(panel.present[0])
    with pytest.raises(PulseError):
        panel.give(panel.present[0])
    assert PulseGiven.objects.count() == 1
    assert PulseAnswer.objects.count() == 1


def test_a_deputy_who_came_gives_a_pulse_and_someone_who_sent_apologies_does_not(panel):
    panel.give(panel.deputy)
    with pytest.raises(PermissionDenied):
        panel.give(panel.away)


def test_the_pulse_closes_fourteen_days_after_the_meeting(panel):
    panel.close()
    with pytest.raises(PulseError):
        panel.give(panel.present[0])


def test_a_meeting_still_to_come_takes_no_pulse(db):
    panel = Panel(days_ago=-2)
    with pytest.raises(PulseError):
        panel.give(panel.present[0])


@pytest.mark.parametrize(
    ("change", "field"),
    [({"useful": 6}, "useful"), ({"heard": 0}, "heard"), ({"actions": "maybe"}, "actions")],
)
def test_answers_off_the_scale_are_refused_and_nothing_is_saved(panel, change, field):
    with pytest.raises(PulseError) as error:
        panel.give(panel.present[0], **change)
    assert error.value.field == field
    assert not PulseGiven.objects.exists()
    assert not PulseAnswer.objects.exists()


def test_an_answer_cannot_be_linked_to_its_author(panel):
    panel.give(panel.present[0], useful=5, heard=5, reflection="Good chairing.")
    # The answers' tables hold the meeting and the answer only: no person, no time, no link.
    for model in (PulseAnswer, PulseReflection):
        relations = {
            f.related_model for f in model._meta.get_fields() if f.is_relation and f.concrete
        }
        assert relations == {panel.meeting.__class__}, model
        assert not any(
            isinstance(f, models.DateTimeField | models.DateField) for f in model._meta.fields
        ), model
    # The record of who answered says nothing of the answer.
    given_fields = {f.name for f in PulseGiven._meta.fields}
    assert given_fields == {"id", "created_at", "updated_at", "meeting", "user"}
    # Nor does the audit trail.
    entry = AuditEntry.objects.get(target_type="reports.pulsegiven")
    assert entry.detail == {"meeting": str(panel.meeting.pk)}
    assert "Good chairing" not in str(entry.__dict__)


def test_nothing_is_shown_while_the_pulse_is_open(panel):
    for user in panel.present:
        panel.give(user)
    [result] = reflection_selectors.panel_reflections(
        viewer=panel.present[0], slug=panel.panel.slug
    ).meetings
    assert result.open
    assert not result.shown
    assert result.useful is None


def test_below_the_minimum_no_score_and_no_reflection_is_shown(panel, settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    panel.give(panel.present[0], reflection="Too long.")
    panel.give(panel.present[1], reflection="Fine.")
    panel.close()
    [result] = reflection_selectors.panel_reflections(
        viewer=panel.present[0], slug=panel.panel.slug
    ).meetings
    assert result.answers == 2
    assert not result.shown
    assert (result.useful, result.heard, result.yes_percent, result.reflections) == (
        None,
        None,
        None,
        [],
    )


def test_at_the_minimum_the_totals_and_the_words_are_shown(panel, settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    panel.give(panel.present[0], useful=5, heard=4, actions="yes", reflection="Clear actions.")
    panel.give(panel.present[1], useful=4, heard=2, actions="partly", reflection="Rushed.")
    panel.give(panel.present[2], useful=2, heard=3, actions="yes")
    panel.give(panel.deputy, useful=3, heard=1, actions="no", reflection="I was not asked.")
    panel.close()
    found = reflection_selectors.panel_reflections(viewer=panel.present[0], slug=panel.panel.slug)
    [result] = found.meetings
    assert result.shown
    assert result.answers == 4
    assert result.useful == 3.5  # (5 + 4 + 2 + 3) / 4
    assert result.heard == 2.5  # (4 + 2 + 3 + 1) / 4
    assert (result.yes_percent, result.partly_percent, result.no_percent) == (50, 25, 25)
    assert sorted(result.reflections) == ["Clear actions.", "I was not asked.", "Rushed."]
    # The same order each time: it depends on the words, not on who wrote them or when.
    again = reflection_selectors.panel_reflections(viewer=panel.present[1], slug=panel.panel.slug)
    assert again.meetings[0].reflections == result.reflections


def test_results_are_for_the_panels_seats_and_strategic_managers_only(panel):
    outsider = make_person(Role.PANEL_MEMBER)
    with pytest.raises(Exception) as error:
        reflection_selectors.panel_reflections(viewer=outsider, slug=panel.panel.slug)
    assert error.typename == "Http404"
    manager = make_person(Role.STRATEGIC_MANAGER)
    assert reflection_selectors.panel_reflections(viewer=manager, slug=panel.panel.slug)
    assert reflection_selectors.reflection_panels(viewer=manager) == [panel.panel]
    assert reflection_selectors.reflection_panels(viewer=outsider) == []


def test_a_partnership_on_the_panel_shares_its_meetings_reflections(panel):
    partnership = PartnershipFactory(name="Easton YISP partnership", panel=panel.panel)
    found = reflection_selectors.panel_reflections(viewer=panel.present[0], slug=panel.panel.slug)
    assert found.partnership == partnership


def test_the_reminder_lists_recent_meetings_attended_and_not_yet_answered(panel):
    assert reflection_selectors.meetings_to_reflect_on(viewer=panel.present[0]) == [panel.meeting]
    assert reflection_selectors.meetings_to_reflect_on(viewer=panel.away) == []
    panel.give(panel.present[0])
    assert reflection_selectors.meetings_to_reflect_on(viewer=panel.present[0]) == []
    panel.close()
    assert reflection_selectors.meetings_to_reflect_on(viewer=panel.present[1]) == []


def test_giving_the_pulse_through_its_page(panel, client):
    sign_in_client(client, panel.present[0])
    home = client.get(reverse("core:start")).content.decode()
    url = reverse("reports:pulse_give", kwargs={"meeting_id": panel.meeting.pk})
    assert url in home
    meeting_page = client.get(
        reverse("panels:meeting_detail", kwargs={"meeting_id": panel.meeting.pk})
    )
    assert url in meeting_page.content.decode()
    response = client.post(
        url, {"useful": "4", "heard": "5", "actions": "partly", "reflection": "Good."}
    )
    assert response.status_code == 302
    assert PulseAnswer.objects.get().heard == 5
    assert "You have given your pulse" in client.get(url).content.decode()
    assert url not in client.get(reverse("core:start")).content.decode()


def test_the_pulse_page_is_404_for_someone_not_on_the_panel(panel, client):
    sign_in_client(client, make_person(Role.PANEL_MEMBER))
    url = reverse("reports:pulse_give", kwargs={"meeting_id": panel.meeting.pk})
    assert client.get(url).status_code == 404


def test_a_seat_holder_who_was_away_sees_the_page_but_cannot_answer(panel, client):
    sign_in_client(client, panel.away)
    url = reverse("reports:pulse_give", kwargs={"meeting_id": panel.meeting.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Only the people who attended" in page.content.decode()
    assert client.post(url, {"useful": "4", "heard": "4", "actions": "yes"}).status_code == 403
    assert not PulseAnswer.objects.exists()


def test_the_results_page_says_when_there_are_too_few_answers(panel, client, settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    panel.give(panel.present[0], reflection="Only me.")
    panel.close()
    sign_in_client(client, panel.present[1])
    page = client.get(reverse("reports:reflections_panel", kwargs={"slug": panel.panel.slug}))
    content = page.content.decode()
    assert "Too few answers to show without identifying anyone" in content
    assert "Only me." not in content


def test_the_results_page_costs_a_fixed_number_of_queries(
    panel, client, django_assert_max_num_queries
):
    for days in range(20, 200, 30):
        MeetingFactory(panel=panel.panel, starts_at=timezone.now() - timedelta(days=days))
    for user in panel.present:
        panel.give(user, reflection=f"From {user.pk}")
    panel.close()
    manager = make_person(Role.STRATEGIC_MANAGER)
    sign_in_client(client, manager)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:reflections_panel", kwargs={"slug": panel.panel.slug}))
    assert page.status_code == 200
    assert len(page.context["found"].meetings) == 7
