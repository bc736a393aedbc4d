"""The child's timeline: every app's records on one page, newest first, filtered by kind and by
what the viewer may see, in a fixed number of queries however long the child's story."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.assessments.models import Assessment
from joinedup.children import selectors, timeline
from joinedup.children.models import HouseholdMember, InvolvementRole
from joinedup.children.services import child_merge
from joinedup.consent.models import ChildView
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import AgendaItem, Decision, DecisionOutcome, PanelRole
from joinedup.plans.models import Intervention, Plan, Review
from joinedup.safeguarding.services import concern_acknowledge, concern_raise
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    ActionFactory,
    AssessmentFactory,
    ChildFactory,
    ConsentRecordFactory,
    InvolvementFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OverToYouFactory,
    PanelFactory,
    PanelMemberFactory,
    ParentFactory,
    ReferralFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from tests.plans.walk import plan_rows


def _lead(organisation):
    user = UserFactory(full_name="Lee Lead")
    MembershipFactory(user=user, organisation=organisation, role=Role.SAFEGUARDING_LEAD)
    TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def world(db) -> SimpleNamespace:
    panel = PanelFactory(name="Easton panel")
    project = OrganisationFactory(name="Easton Families Project")
    keyworker = UserFactory(full_name="Kit Keyworker")
    MembershipFactory(user=keyworker, organisation=project, role=Role.KEYWORKER)
    TOTPDeviceFactory(user=keyworker)
    coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    child = ChildFactory(given_name="Zebedee", family_name="Quixwort")
    InvolvementFactory(
        child=child, organisation=project, worker=keyworker, role=InvolvementRole.KEYWORKER
    )
    return SimpleNamespace(
        panel=panel,
        project=project,
        keyworker=keyworker,
        coordinator=coordinator,
        child=child,
        lead=_lead(project),
    )


def add_story(world: SimpleNamespace, times: int = 1) -> None:
    """One of each kind of event (`times` over), from every app."""
    child = world.child
    for n in range(times):
        referral = ReferralFactory(child=child, panel=world.panel, referrer=world.keyworker)
        parent = ParentFactory(child=child, full_name=f"Philippa Quixwort {n}")
        ConsentRecordFactory(child=child, household_member=parent, recorded_by=world.keyworker)
        ChildView.objects.create(
            child=child, in_their_words="Fine by me", recorded_on=timezone.localdate()
        )
        AssessmentFactory(
            child=child,
            version=Assessment.objects.filter(child=child).count() + 1,
            assessed_by=world.keyworker,
            status="completed",
            completed_at=timezone.now(),
        )
        OverToYouFactory(child=child)
        meeting = MeetingFactory(panel=world.panel)
        item = AgendaItem.objects.create(
            meeting=meeting, child=child, referral=referral, added_by=world.coordinator
        )
        Decision.objects.create(
            item=item,
            outcome=DecisionOutcome.SUPPORT_PLAN,
            rationale="Several agencies worried",
            decided_by=world.coordinator,
        )
        ActionFactory(
            child=child,
            meeting=meeting,
            agenda_item=item,
            owner=world.keyworker,
            organisation=world.project,
            created_by=world.coordinator,
        )
        # One plan is open at a time: the one before closes first.
        Plan.objects.filter(child=child, status="open").update(
            status="closed", closed_on=timezone.localdate(), outcome="goals_met"
        )
        plan = plan_rows(child=child, keyworker=world.keyworker, organisation=world.project)
        Review.objects.create(
            plan_id=plan["plan_id"],
            held_on=timezone.localdate(),
            child_view="Going well",
            next_review_on=timezone.localdate() + timedelta(weeks=12),
            recorded_by=world.keyworker,
        )
        concern_raise(
            actor=world.keyworker,
            child=child,
            organisation=world.project,
            details="Said something worrying at the session.",
        )


def _whats(events) -> list[str]:
    return [event.what for event in events]


def test_the_team_sees_every_kind_of_event_newest_first(world):
    add_story(world)

    events = selectors.child_timeline(
        viewer=world.keyworker, reference=world.child.reference
    ).events

    assert {event.kind for event in events} == set(timeline.Kind.values) - {"record"}
    ats = [event.at for event in events]
    assert ats == sorted(ats, reverse=True)
    text = " / ".join(_whats(events))
    for expected in (
        "Referred to the Easton panel",
        "Consent given by Philippa Quixwort 0",
        "The child's own say recorded",
        "Assessment started (version 1, initial assessment)",
        "Over to You filled in by The child",
        "Put on the agenda of the Easton panel meeting",
        "Panel decision: Integrated support plan",
        "Integrated support plan opened, led by Kit Keyworker",
        "Goal 1 set by the child",
        "Service planned to start: Mentoring (Weekly)",
        "Plan reviewed",
        "Safeguarding concern raised",
        "Started working with the child (keyworker)",
        "Philippa Quixwort 0 (mother) added to the household",
    ):
        assert expected in text, expected
    # The child's name is the page heading's, never an event's.
    assert "Zebedee" not in text


def test_each_event_says_who_did_it_and_for_which_organisation(world):
    add_story(world)

    events = selectors.child_timeline(
        viewer=world.keyworker, reference=world.child.reference
    ).events

    referral = next(e for e in events if e.what.startswith("Referred"))
    assert referral.who == "Kit Keyworker"
    assert referral.organisation  # the referring organisation the record names
    consent = next(e for e in events if e.what.startswith("Consent given"))
    # The record names only the person: their organisation is looked up.
    assert (consent.who, consent.organisation) == ("Kit Keyworker", "Easton Families Project")
    assert consent.url == reverse("consent:child_consent", args=[world.child.reference])


def test_oldest_first_and_a_filter_by_kind(world):
    add_story(world)

    events = selectors.child_timeline(
        viewer=world.keyworker,
        reference=world.child.reference,
        kinds=["panel", "plan"],
        oldest_first=True,
    ).events

    assert {event.kind for event in events} == {"panel", "plan"}
    ats = [event.at for event in events]
    assert ats == sorted(ats)


def test_corrections_service_ends_merges_and_withdrawals_are_on_the_timeline(world):
    add_story(world)
    child = world.child
    decision = Decision.objects.get(item__child=child)
    decision.superseded_at = timezone.now()
    decision.save()
    Decision.objects.create(
        item=decision.item,
        version=2,
        outcome=DecisionOutcome.SIGNPOST,
        signpost_to="Youth club",
        rationale="Corrected",
        correction_reason="Typo",
    )
    intervention = Intervention.objects.get(plan__child=child)
    intervention.status = "stopped"
    intervention.stopped_reason = "The family moved"
    intervention.save()
    record = child.consent_records.get()
    record.withdrawn_on = timezone.localdate()
    record.withdrawal_recorded_at = timezone.now()
    record.save()
    item = AgendaItem.objects.get(child=child)
    item.removed_at = timezone.now()
    item.save()
    other = ChildFactory(given_name="Zeb", family_name="Quixwort")
    child_merge(actor=None, survivor=child, merged=other, reason="Same date of birth and mother")

    text = " / ".join(
        _whats(selectors.child_timeline(viewer=world.keyworker, reference=child.reference).events)
    )

    assert (
        "Panel decision corrected (version 2): Signpost to a mainstream service (Youth club)"
        in text
    )
    assert "Service stopped early: Mentoring" in text
    assert "Consent withdrawn" in text
    assert "Taken off the agenda" in text
    assert f"Found to be the same child as record {other.reference}" in text
    assert "Zeb " not in text  # the other record's names are not shown


def test_a_concern_appears_only_to_who_raised_it_and_the_leads_it_was_sent_to(world):
    child = world.child
    colleague = UserFactory(full_name="Other Worker")
    MembershipFactory(user=colleague, organisation=world.project, role=Role.KEYWORKER)
    InvolvementFactory(child=child, organisation=world.project, worker=colleague)
    concern = concern_raise(
        actor=world.keyworker, child=child, organisation=world.project, details="Bruises."
    )
    concern_acknowledge(actor=world.lead, concern=concern)

    def safeguarding_for(viewer):
        return [
            e.what
            for e in selectors.child_timeline(
                viewer=viewer, reference=child.reference, kinds=["safeguarding"]
            ).events
        ]

    assert safeguarding_for(colleague) == []
    assert "Safeguarding concern raised" in safeguarding_for(world.keyworker)
    assert "Safeguarding concern acknowledged by a safeguarding lead" in safeguarding_for(
        world.keyworker
    )
    assert "Safeguarding concern raised" in safeguarding_for(world.lead)


@pytest.mark.parametrize("who", ["another keyworker", "panel member", "the panel's chair"])
def test_people_outside_the_team_cannot_open_the_timeline(world, client, who):
    add_story(world)
    if who == "another keyworker":
        person = make_person(Role.KEYWORKER)
    else:
        role = PanelRole.MEMBER if who == "panel member" else PanelRole.CHAIR
        person = make_person(Role.PANEL_MEMBER if role == PanelRole.MEMBER else Role.PANEL_CHAIR)
        # Even sitting on the panel whose agenda the child is on.
        PanelMemberFactory(panel=world.panel, user=person, role=role)
    sign_in_client(client, person)

    response = client.get(reverse("children:timeline", args=[world.child.reference]))

    assert response.status_code == 404
    assert "Quixwort" not in response.content.decode()


def test_the_coordinator_of_the_childs_panel_sees_it_with_links_to_the_panel(world, client):
    add_story(world)
    sign_in_client(client, world.coordinator)

    response = client.get(reverse("children:timeline", args=[world.child.reference]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Zebedee Quixwort" in content
    meeting = AgendaItem.objects.get(child=world.child).meeting
    assert reverse("panels:meeting_detail", args=[meeting.pk]) in content
    # The coordinator did not raise the concern and is no lead: it is not theirs to see.
    assert "Safeguarding concern raised" not in content


def test_the_page_filters_orders_and_is_linked_from_the_record(world, client):
    add_story(world)
    sign_in_client(client, world.keyworker)
    url = reverse("children:timeline", args=[world.child.reference])

    record = client.get(reverse("children:child_detail", args=[world.child.reference]))
    assert url in record.content.decode()
    response = client.get(url, {"kind": ["consent"], "order": "oldest"})

    assert response.status_code == 200
    assert {e.kind for e in response.context["page"].object_list} == {"consent"}
    assert "Show everything" in response.content.decode()
    bad = client.get(url, {"kind": "nonsense"})
    assert bad.status_code == 200
    assert "Select kinds of event from the list" in bad.content.decode()


def test_an_empty_timeline_says_so(world, client):
    child = ChildFactory()
    InvolvementFactory(child=child, worker=world.keyworker)
    HouseholdMember.objects.filter(child=child).delete()
    sign_in_client(client, world.keyworker)

    response = client.get(
        reverse("children:timeline", args=[child.reference]), {"kind": ["safeguarding"]}
    )

    assert "Nothing of these kinds is recorded for this child yet" in response.content.decode()


def test_an_old_reference_leads_to_the_surviving_records_timeline(world, client):
    other = ChildFactory()
    child_merge(actor=None, survivor=world.child, merged=other, reason="Same child")
    sign_in_client(client, world.keyworker)

    response = client.get(reverse("children:timeline", args=[other.reference]))

    assert response.status_code == 302
    assert response["Location"] == reverse("children:timeline", args=[world.child.reference])


def test_reading_the_timeline_is_audited(world):
    add_story(world)

    selectors.child_timeline(viewer=world.keyworker, reference=world.child.reference)

    entry = AuditEntry.objects.filter(
        verb=AuditVerb.READ, actor=world.keyworker, target_id=str(world.child.pk)
    ).latest("at")
    assert entry.fields[0] == "timeline"
    assert "safeguarding" in entry.fields


# Reading the child and the viewer (2), the audit entry (1), the viewer's panels (2), each
# source's queries (16 here, 1 for transfers, 3 for corrections, restrictions and
# anonymisation, 1 for actions) and the organisations of the people named (1).
TIMELINE_QUERIES = 27


def test_the_number_of_queries_does_not_grow_with_the_childs_story(
    world, django_assert_num_queries
):
    add_story(world)
    with django_assert_num_queries(TIMELINE_QUERIES):
        few = selectors.child_timeline(viewer=world.lead, reference=world.child.reference)
    add_story(world, times=6)
    with django_assert_num_queries(TIMELINE_QUERIES):
        many = selectors.child_timeline(viewer=world.lead, reference=world.child.reference)
    assert len(many.events) > 4 * len(few.events)


def test_another_app_can_add_a_source(world):
    @timeline.source
    def transfers(context):
        return [
            timeline.Event(at=timezone.now(), kind="record", what="Moved to the Lockleaze panel")
        ]

    try:
        events = selectors.child_timeline(
            viewer=world.keyworker, reference=world.child.reference
        ).events
    finally:
        timeline.SOURCES.remove(transfers)

    assert events[0].what == "Moved to the Lockleaze panel"
