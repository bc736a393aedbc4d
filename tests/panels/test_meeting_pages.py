"""The meeting pages: what the chair needs in order on the meeting page (in a fixed number of
queries however many cases), attendance, declarations, decisions with the rule's evaluation
shown, minutes, and who may open what."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.panels import conduct, minutes
from joinedup.panels.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    Declaration,
    Minutes,
    PrioritisationRule,
    QuorumRule,
)
from tests.conftest import make_person, sign_in_client
from tests.panels.meeting_world import meeting_world
from tests.referrals.journey import text_of


@pytest.fixture
def world(db):
    return meeting_world()


def words(response):
    """The page's text without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def as_(client, user):
    return sign_in_client(client, user)


def meeting_url(world, name="panels:meeting_detail", meeting=None):
    return reverse(name, kwargs={"meeting_id": (meeting or world.meeting).pk})


def decide(world, item, **details):
    values = {"outcome": DecisionOutcome.NO_FURTHER_ACTION, "rationale": "Settled at home."}
    values.update(details)
    return conduct.decision_record(
        actor=world.coordinator, item=item, details=conduct.DecisionDetails(**values)
    )


def test_the_meeting_page_shows_what_the_chair_needs_in_order(client, world):
    world.everyone_present()
    decide(world, world.items[0])
    page = text_of(as_(client, world.chair).get(meeting_url(world)))

    headings = ["Attendance", "Quorum", "Declarations of interest", "Agenda", "Minutes"]
    positions = [page.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    assert "Quorate: 4 members from 4 agencies" in page
    assert "No further action" in page and "See or correct the decision" in page
    assert world.items[0].child.given_name not in page


def test_the_meeting_page_asks_the_same_queries_however_many_cases(client, world):
    world.everyone_present()
    as_(client, world.chair)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(meeting_url(world)).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for _ in range(5):
        item = world.add_case()
        conduct.declaration_record(
            actor=world.coordinator,
            meeting=world.meeting,
            member=world.seats["deputy"],
            item=item,
            interest="Neighbour",
        )
        decide(world, item)
    assert queries() == one


def test_the_coordinator_records_attendance_on_the_page(client, world):
    as_(client, world.coordinator)
    url = meeting_url(world, "panels:attendance_record")
    seats = world.seats
    response = client.post(
        url,
        {
            f"seat_{seats['coordinator'].pk}": "present",
            f"seat_{seats['chair'].pk}": "present",
            f"seat_{seats['police'].pk}": f"deputy:{seats['deputy'].pk}",
            f"seat_{seats['school'].pk}": "apologies",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(member=seats["police"]).status == AttendanceStatus.DEPUTY
    page = text_of(client.get(meeting_url(world)))
    assert "Dee Deputy attended as deputy" in page
    assert "Not quorate: 3 members from 3 agencies; needs 4 members taking part" in page


def test_a_member_declares_their_own_interest(client, world):
    member = world.seats["school"]
    as_(client, member.user)
    url = meeting_url(world, "panels:declaration_add")
    assert f'value="{world.seats["police"].pk}"' not in client.get(url).content.decode()

    response = client.post(
        url,
        {"member": str(member.pk), "item": str(world.items[0].pk), "interest": "Teaches a sibling"},
    )

    assert response.status_code == 302
    assert Declaration.objects.get().member == member
    assert "Teaches a sibling" in text_of(client.get(meeting_url(world)))


def test_the_decision_form_shows_the_rule_with_its_numbers_and_records_the_decision(client, world):
    world.everyone_present()
    item = world.items[0]
    as_(client, world.chair)
    url = reverse("panels:decision_record", kwargs={"item_id": item.pk})

    page = words(client.get(url))
    assert "2 or more agencies concerned" in page and "Rule not met" in page
    assert "Agencies concerned 1: " in page
    assert "0: no completed assessment" in page

    refused = client.post(url, {"outcome": "support_plan", "rationale": "Needs a keyworker."})
    assert refused.status_code == 200
    assert "goes against the panel's prioritisation rule" in text_of(refused)
    assert not Decision.objects.exists()

    ticked = client.post(
        url,
        {"outcome": "support_plan", "rationale": "Needs a keyworker.", "parents_concerned": "on"},
    )
    assert ticked.status_code == 302
    decision = Decision.objects.get()
    assert decision.rule_snapshot["met"] and decision.rule_snapshot["parents_ticked"]

    correction = text_of(client.get(url))
    assert "Correct the decision" in correction and "Integrated support plan" in correction


def test_a_decision_refused_for_quorum_is_shown_on_the_form(client, world):
    as_(client, world.coordinator)
    url = reverse("panels:decision_record", kwargs={"item_id": world.items[0].pk})
    response = client.post(url, {"outcome": "defer", "rationale": "x", "defer_reason": "Report"})
    assert response.status_code == 200
    assert "attendance has not been recorded" in text_of(response)


def test_only_the_coordinator_or_chair_opens_the_decision_form(client, world):
    url = reverse("panels:decision_record", kwargs={"item_id": world.items[0].pk})
    assert as_(client, world.seats["school"].user).get(url).status_code == 403
    outsider = make_person(Role.PANEL_CHAIR)
    for name in ("panels:meeting_detail", "panels:minutes_detail", "panels:declaration_add"):
        assert as_(client, outsider).get(meeting_url(world, name)).status_code == 404
    assert as_(client, outsider).get(url).status_code == 404


def test_minutes_through_the_pages(client, world):
    world.everyone_present()
    decide(world, world.items[0])
    as_(client, world.coordinator)

    assert client.post(meeting_url(world, "panels:minutes_generate")).status_code == 302
    draft = Minutes.objects.get()
    assert world.items[0].child.reference in text_of(
        client.get(meeting_url(world, "panels:minutes_detail"))
    )
    edited = client.post(
        meeting_url(world, "panels:minutes_edit"),
        {"text": draft.text + "Next meeting in four weeks.", "revision": draft.revision},
    )
    assert edited.status_code == 302

    warned = client.post(meeting_url(world, "panels:minutes_generate"))
    assert warned.status_code == 200 and "Replace the edits" in text_of(warned)
    assert Minutes.objects.get().is_edited

    world.next_meeting.starts_at = timezone.now() - timedelta(minutes=1)
    world.next_meeting.save()
    approve = meeting_url(world, "panels:minutes_approve", world.next_meeting)
    assert "Record approval of the minutes" in text_of(
        client.get(meeting_url(world, meeting=world.next_meeting))
    )
    assert client.post(approve, {"minutes": str(draft.pk)}).status_code == 302
    page = text_of(client.get(meeting_url(world, "panels:minutes_detail")))
    assert "Approved" in page and "Edit the draft" not in page


def test_a_member_reads_the_minutes_but_cannot_generate_them(client, world):
    minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)
    member = as_(client, world.seats["school"].user)
    assert member.get(meeting_url(world, "panels:minutes_detail")).status_code == 200
    assert member.post(meeting_url(world, "panels:minutes_generate")).status_code == 403


def test_the_attendance_report_is_for_the_chair_and_coordinator(client, world):
    world.everyone_present()
    url = reverse("panels:attendance_report", kwargs={"slug": world.panel.slug})
    page = text_of(as_(client, world.chair).get(url + "?last=abc"))
    assert "Avon and Somerset Police" in page and "100%" in page
    assert as_(client, world.seats["school"].user).get(url).status_code == 403


def test_the_panel_rules_are_read_by_members_and_changed_by_the_coordinator(client, world):
    quorum_url = reverse("panels:quorum_rule", kwargs={"slug": world.panel.slug})
    rule_url = reverse("panels:prioritisation_rule", kwargs={"slug": world.panel.slug})
    member = as_(client, world.seats["school"].user)
    page = text_of(member.get(quorum_url))
    assert "at least 4 members from 3 agencies" in page and "Save the quorum" not in page
    assert member.post(quorum_url, {"minimum_members": "2"}).status_code == 403
    assert "Youth Inclusion and Support Panel" in text_of(member.get(rule_url))

    coordinator = as_(client, world.coordinator)
    assert (
        coordinator.post(
            quorum_url,
            {
                "minimum_members": "3",
                "minimum_agencies": "2",
                "chair_required": "no",
                "delegated_authority_required": "yes",
            },
        ).status_code
        == 302
    )
    assert QuorumRule.objects.get().minimum_members == 3
    response = coordinator.post(
        rule_url,
        {
            "minimum_agencies": "3",
            "parents_concerned_qualifies": "yes",
            "minimum_risk_factors": "4",
            "risk_rating_from": "2",
            "change_summary": "Three agencies, as the partnership agreed",
        },
    )
    assert response.status_code == 302
    assert PrioritisationRule.objects.get().version == 1
    assert re.search(r"3 or more agencies", text_of(coordinator.get(rule_url)))
