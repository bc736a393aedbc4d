"""The coordinator's dashboard: the pipeline's counts, consents to renew, packs to build and
referrals waiting, for the panels they coordinate only."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.assessments.models import AssessmentStatus
from joinedup.consent.models import Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import Contribution, PanelRole
from tests.conftest import make_person, sign_in_client
from tests.dashboards.world import on_agenda, plan_for, queries_for, referral_to
from tests.factories import (
    AssessmentFactory,
    ChildFactory,
    ConsentRecordFactory,
    MeetingFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ParentFactory,
)
from tests.tracking.builders import make_world

URL = reverse("dashboards:coordinator")


@pytest.fixture
def world(db, client):
    panel = PanelFactory(name="Easton panel")
    coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    return SimpleNamespace(
        panel=panel,
        coordinator=coordinator,
        client=sign_in_client(client, coordinator),
        other_panel=PanelFactory(name="Another panel"),
    )


def _consent(child, *, expires_in: int, scope=Scope.PANEL_DISCUSSION, **fields):
    today = timezone.localdate()
    return ConsentRecordFactory(
        child=child,
        scope=scope,
        given_on=today - timedelta(days=400),
        expires_on=today + timedelta(days=expires_in),
        **fields,
    )


def test_the_pipeline_counts_link_into_the_pipeline_at_each_stage(world):
    referral_to(world.panel, days_ago=2)
    referral_to(world.other_panel, days_ago=2)
    response = world.client.get(URL)
    assert response.context["counts"]["referred"] == 1
    assert response.context["counts"]["all"] == 1
    text = response.content.decode()
    assert f"{reverse('panels:pipeline')}?stage=referred" in text
    assert f"{reverse('panels:pipeline')}?stage=plan" in text


def test_consents_ending_soon_or_ended_on_an_open_case_are_listed_expired_first(world):
    soon = referral_to(world.panel, days_ago=30, child=ChildFactory(family_name="Soon")).child
    _consent(soon, expires_in=10, scope=Scope.CONTACT)
    ended = referral_to(world.panel, days_ago=90, child=ChildFactory(family_name="Ended")).child
    _consent(ended, expires_in=-5)
    plan_for(make_person(Role.KEYWORKER), review_in_days=20, child=ended)
    # Ended, but the case is not open: nothing to renew.
    closed = referral_to(world.panel, days_ago=90).child
    _consent(closed, expires_in=-5)
    # One parent's consent ends soon, the other's stands for months: still in force.
    covered = referral_to(world.panel, days_ago=30).child
    _consent(covered, expires_in=10)
    _consent(covered, expires_in=200, household_member=ParentFactory(child=covered))
    # Far off, or a child of another panel.
    _consent(referral_to(world.panel, days_ago=30).child, expires_in=90)
    _consent(referral_to(world.other_panel, days_ago=30).child, expires_in=10)

    response = world.client.get(URL)

    consents = response.context["consents"]
    assert [child.pk for child in consents] == [ended.pk, soon.pk]
    assert consents.total == 2
    assert consents[0].alerts[0].expired
    assert consents[1].alerts[0].what == "Contact by services"
    text = response.content.decode()
    assert "Ended 5 days ago" in text
    assert "in 10 days" in text
    assert reverse("consent:child_consent", kwargs={"reference": soon.reference}) in text


def test_packs_to_build_count_cases_missing_assessments_and_written_views(world):
    meeting = MeetingFactory(panel=world.panel, starts_at=timezone.now() + timedelta(days=7))
    assessed = on_agenda(meeting, referral_to(world.panel, days_ago=20))
    AssessmentFactory(
        child=assessed.child, status=AssessmentStatus.COMPLETED, completed_at=timezone.now()
    )
    not_assessed = on_agenda(meeting, referral_to(world.panel, days_ago=20))
    Contribution.objects.create(
        agenda_item=not_assessed,
        author=make_person(Role.KEYWORKER),
        organisation=OrganisationFactory(),
        role="Learning mentor",
        view="Doing better at school.",
        will_attend=False,
    )
    MeetingFactory(panel=world.panel, starts_at=timezone.now() + timedelta(days=30))
    MeetingFactory(panel=world.other_panel, starts_at=timezone.now() + timedelta(days=7))

    response = world.client.get(URL)

    [pack] = response.context["packs"]
    assert (pack.pk, pack.cases, pack.without_assessment, pack.contributions) == (
        meeting.pk,
        2,
        1,
        1,
    )
    text = response.content.decode()
    assert reverse("panels:pack", kwargs={"meeting_id": meeting.pk}) in text
    assert reverse("panels:meeting_detail", kwargs={"meeting_id": meeting.pk}) in text


def test_referrals_waiting_more_than_14_days_without_an_agenda(world):
    waiting = referral_to(world.panel, days_ago=20)
    recent = referral_to(world.panel, days_ago=3)
    placed = referral_to(world.panel, days_ago=20)
    on_agenda(MeetingFactory(panel=world.panel), placed)
    elsewhere = referral_to(world.other_panel, days_ago=20)

    response = world.client.get(URL)

    assert [r.pk for r in response.context["waiting"]] == [waiting.pk]
    text = response.content.decode()
    assert reverse("referrals:referral_review", kwargs={"referral_id": waiting.pk}) in text
    assert "20 days ago" in text
    for other in (recent, placed, elsewhere):
        assert other.child.reference not in text.split("Referrals waiting")[1]


def test_the_duplication_and_gap_flags_have_their_place(world):
    response = world.client.get(URL)
    assert "dashboards/includes/coordinator_flags.html" in [t.name for t in response.templates]


def test_a_coordinator_without_a_panel_reads_why_the_page_is_empty(db, client):
    user = make_person(Role.PANEL_COORDINATOR)
    text = sign_in_client(client, user).get(URL).content.decode()
    assert "You do not coordinate a panel at the moment" in text


def test_an_empty_panel_reads_what_will_appear(world):
    text = world.client.get(URL).content.decode()
    assert "No open cases yet" in text
    assert "No consent ends in the next 30 days" in text
    assert "No meetings of your panels in the next 21 days" in text
    assert "No referral has waited more than 14 days" in text


def test_the_children_shown_are_in_the_audit_trail(world):
    waiting = referral_to(world.panel, days_ago=20)
    _consent(waiting.child, expires_in=3)
    world.client.get(URL)
    reads = AuditEntry.objects.filter(actor=world.coordinator, verb=AuditVerb.READ, path=URL)
    assert reads.filter(target_id=str(waiting.pk), fields=["child", "submitted_at"]).exists()
    assert reads.filter(target_id=str(waiting.child.pk), fields=["consent"]).exists()


def test_the_dashboard_costs_the_same_queries_for_many_cases(world, django_assert_num_queries):
    def a_case(days_ago: int, expires_in: int) -> None:
        referral = referral_to(world.panel, days_ago=days_ago)
        _consent(referral.child, expires_in=expires_in)
        on_agenda(meeting, referral_to(world.panel, days_ago=days_ago))

    meeting = MeetingFactory(panel=world.panel, starts_at=timezone.now() + timedelta(days=5))
    a_case(20, 3)
    few = queries_for(world.client, URL)
    for n in range(25):
        a_case(15 + n, 1 + n)
        MeetingFactory(panel=world.panel, starts_at=timezone.now() + timedelta(days=1 + n % 20))
    with django_assert_num_queries(few):
        response = world.client.get(URL)
    assert response.context["waiting"].total == 26
    assert response.context["waiting"].more == 6


def test_the_flags_on_duplication_and_gaps_are_summed_up_with_a_link(db, client):
    tracking = make_world()
    child = tracking.child()
    tracking.refer(child, by=OrganisationFactory(name="Oakfield School"), days=50)
    sign_in_client(client, tracking.coordinator)

    page = client.get(URL).content.decode()

    assert "Duplication and gaps" in page
    assert "1 flag on duplication and gaps needs a look" in page
    assert f'href="{reverse("tracking:flags")}?kind=gap"' in page


def test_with_no_flags_the_summary_says_so(world):
    page = world.client.get(URL).content.decode()

    assert "No flags on duplication and gaps need a look" in page
