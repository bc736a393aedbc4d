import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.children.models import InvolvementRole
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from joinedup.plans import services
from joinedup.plans.models import Plan, PlanStatus
from tests.accounts.pages import messages_shown, summary_text
from tests.conftest import make_person, sign_in_client
from tests.factories import ChildFactory, ConsentRecordFactory, InvolvementFactory
from tests.plans.conftest import add_goal

TODAY = timezone.localdate


def _url(name, plan, **kwargs):
    return reverse(
        f"plans:{name}", kwargs={"reference": plan.child.reference, "plan_id": plan.pk, **kwargs}
    )


def _date(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _client(user):
    return sign_in_client(Client(), user)


def test_a_coordinator_of_the_childs_panel_starts_the_plan_from_the_childs_record(world):
    client = _client(world.coordinator)
    reference = world.child.reference
    record = client.get(reverse("children:child_detail", kwargs={"reference": reference}))
    plans_url = reverse("plans:plan_list", kwargs={"reference": world.child.reference})
    assert plans_url in record.content.decode()
    page = client.get(plans_url)
    start_url = reverse("plans:plan_start", kwargs={"reference": world.child.reference})
    assert start_url in page.content.decode()
    membership = world.keyworker.memberships.get(role=Role.KEYWORKER)

    response = client.post(
        start_url,
        {
            "keyworker": str(membership.pk),
            **_date("opened_on", TODAY()),
            "contingency": "Call Hodan first",
            "review_interval_weeks": "8",
        },
    )

    plan = Plan.objects.get(child=world.child)
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", plan)
    assert plan.keyworker == world.keyworker
    assert plan.next_review_on == TODAY() + timedelta(weeks=8)
    # The keyworker now sees the child and the plan.
    detail = _client(world.keyworker).get(_url("plan_detail", plan))
    assert detail.status_code == 200
    assert "Amina Yusuf" in detail.content.decode()


def test_the_start_page_is_for_the_panels_coordinator_only(world, keyworker):
    InvolvementFactory(child=world.child, worker=keyworker)
    url = reverse("plans:plan_start", kwargs={"reference": world.child.reference})
    other = make_person(Role.PANEL_COORDINATOR)
    assert _client(other).get(url).status_code == 404  # not the child's panel: need to know
    assert _client(keyworker).get(url).status_code == 403  # role policy
    assert not Plan.objects.exists()


def test_someone_outside_the_team_gets_404_on_every_plan_page(world, plan):
    goal = add_goal(plan)
    outsider = _client(make_person(Role.KEYWORKER))
    urls = [
        reverse("plans:plan_list", kwargs={"reference": world.child.reference}),
        *[
            _url(name, plan)
            for name in (
                "plan_detail",
                "young_person_copy",
                "plan_edit",
                "goal_add",
                "intervention_add",
                "review_add",
                "plan_close",
            )
        ],
        _url("goal_edit", plan, goal_id=goal.pk),
    ]
    for url in urls:
        response = outsider.get(url)
        assert response.status_code == 404, url
        assert "Amina" not in response.content.decode()
        posted = outsider.post(url, {"revision": "2"})
        # Pages that only show the plan answer a POST with 405 before reading anything.
        assert posted.status_code in (404, 405), url
        assert "Amina" not in posted.content.decode()


def test_the_team_around_the_child_reads_but_only_the_keyworker_and_coordinator_edit(world, plan):
    teacher = make_person(Role.REFERRER)
    InvolvementFactory(child=world.child, worker=teacher, role=InvolvementRole.REFERRER)
    client = _client(teacher)
    detail = client.get(_url("plan_detail", plan))
    assert detail.status_code == 200
    assert _url("goal_add", plan) not in detail.content.decode()
    assert client.get(_url("goal_add", plan)).status_code == 403
    assert client.post(_url("goal_add", plan), {"revision": "1"}).status_code == 403
    for editor in (world.keyworker, world.coordinator):
        page = _client(editor).get(_url("plan_detail", plan))
        assert _url("goal_add", plan) in page.content.decode()


def test_the_keyworker_adds_a_goal_in_the_childs_words(world, plan):
    client = _client(world.keyworker)
    words = "I want to stop getting sent out of maths"
    response = client.post(
        _url("goal_add", plan), {"revision": "1", "in_their_words": words, "said_by": "child"}
    )
    assert response.status_code == 302
    detail = client.get(_url("plan_detail", plan)).content.decode()
    assert f"“{words}”" in detail
    copy = client.get(_url("young_person_copy", plan)).content.decode()
    assert f"“{words}”" in copy
    assert "You said this." in copy


def test_the_young_persons_copy_says_who_helps_when_and_when_the_review_is(world, plan):
    add_goal(plan)
    services.intervention_add(
        actor=world.keyworker,
        plan=plan,
        revision=2,
        details=services.InterventionDetails(
            service="Football club",
            starts_on=TODAY(),
            frequency="Saturdays at 10",
            provider_name="Easton Leisure Centre",
        ),
    )
    response = _client(world.keyworker).get(_url("young_person_copy", plan))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">My plan</h1>' in page
    assert "This is your plan, Amina." in page
    assert "Football club" in page and "Saturdays at 10" in page
    assert world.keyworker.display_name in page
    assert f"{plan.next_review_on:%-d %B %Y}" in page
    assert "plans/young-person-print.css" in page
    assert 'media="print"' in page


def test_a_stale_save_is_refused_showing_theirs_and_keeping_yours(world, plan):
    """Two people open the plan at revision 1; the keyworker adds a goal, then the coordinator
    saves the plan page they opened before it: refused, with the keyworker's goal shown and the
    coordinator's own typing still in the form; saving again then goes through."""
    coordinator = _client(world.coordinator)
    form_page = coordinator.get(_url("plan_edit", plan)).content.decode()
    assert 'name="revision" value="1"' in form_page
    membership = world.keyworker.memberships.get(role=Role.KEYWORKER)
    keyworker = _client(world.keyworker)
    keyworker.post(
        _url("goal_add", plan),
        {"revision": "1", "in_their_words": "Be home by nine", "said_by": "family"},
    )
    answers = {
        "revision": "1",
        "keyworker": str(membership.pk),
        "contingency": "Ring the duty team on 0117 496 0000",
        "review_interval_weeks": "10",
        **_date("next_review_on", plan.next_review_on),
    }

    response = coordinator.post(_url("plan_edit", plan), answers)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this plan while you were editing" in summary_text(response)
    assert "nothing was lost" in summary_text(response)
    assert "What they saved" in page
    assert "Be home by nine" in page
    assert "Ring the duty team on 0117 496 0000" in page
    assert 'name="revision" value="2"' in page
    plan.refresh_from_db()
    assert plan.contingency == "" and plan.revision == 2
    assert list(plan.goals.values_list("in_their_words", flat=True)) == ["Be home by nine"]

    again = coordinator.post(_url("plan_edit", plan), {**answers, "revision": "2"})

    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.contingency == "Ring the duty team on 0117 496 0000"
    assert plan.review_interval_weeks == 10
    assert list(plan.goals.values_list("in_their_words", flat=True)) == ["Be home by nine"]


def test_a_stale_closure_is_refused_too(world, plan):
    add_goal(plan)
    response = _client(world.keyworker).post(
        _url("plan_close", plan),
        {
            "revision": "1",
            **_date("closed_on", TODAY()),
            "outcome": "goals_met",
            "outcome_reason": "Done",
            "what_changed": "Lots",
            "child_view": "Good",
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this plan" in summary_text(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.OPEN


def test_the_keyworker_records_a_review_and_closes_the_plan(world, plan):
    goal = add_goal(plan)
    client = _client(world.keyworker)
    response = client.post(
        _url("review_add", plan),
        {
            "revision": "2",
            **_date("held_on", TODAY()),
            f"progress_{goal.pk}": "3",
            f"words_{goal.pk}": "Went every week",
            "child_view": "It is going well",
            "family_view": "",
            "assessment": "",
        },
    )
    assert response.status_code == 302, summary_text(response)
    detail = client.get(_url("plan_detail", plan)).content.decode()
    assert "Good progress" in detail and "It is going well" in detail

    closed = client.post(
        _url("plan_close", plan),
        {
            "revision": "3",
            **_date("closed_on", TODAY()),
            "outcome": "goals_met",
            "outcome_reason": "Back in school",
            "what_changed": "Attends every day",
            "child_view": "Happier",
        },
    )
    # The keyworker leaves the team around the child when the plan closes.
    assert closed.status_code == 302
    assert closed["Location"] == reverse("plans:my_caseload")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert plan.follow_up_on == TODAY() + timedelta(days=91)
    summary = _client(world.coordinator).get(_url("plan_detail", plan)).content.decode()
    assert "Closure summary" in summary and "Back in school" in summary
    assert _url("goal_add", plan) not in summary


def test_a_closed_plan_is_read_only(world, plan):
    services.plan_close(
        actor=world.keyworker,
        plan=plan,
        revision=1,
        closure=services.Closure(
            closed_on=TODAY(),
            outcome="moved_away",
            outcome_reason="Moved to Leeds",
            what_changed="-",
            child_view="Bye",
        ),
    )
    client = _client(world.coordinator)
    response = client.get(_url("goal_add", plan))
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", plan)
    assert "cannot be changed" in " ".join(messages_shown(response))
    posted = client.post(
        _url("goal_add", plan), {"revision": "2", "in_their_words": "x", "said_by": "child"}
    )
    assert posted.status_code == 302
    assert not plan.goals.exists()


def test_without_consent_to_contact_the_form_says_so_and_saves_nothing(world, plan):
    world.contact.withdrawn_on = TODAY()
    world.contact.withdrawal_recorded_at = timezone.now()
    world.contact.save()
    client = _client(world.keyworker)
    page = client.get(_url("goal_add", plan)).content.decode()
    assert "No consent to contact by services is in force" in page
    response = client.post(
        _url("goal_add", plan), {"revision": "1", "in_their_words": "x", "said_by": "child"}
    )
    assert response.status_code == 200
    assert "withdrawn" in summary_text(response)
    assert not plan.goals.exists()


def test_a_review_is_overdue_on_the_plan_page(world, plan):
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY() - timedelta(days=2))
    page = _client(world.keyworker).get(_url("plan_detail", plan)).content.decode()
    assert "is overdue" in page


# My caseload -------------------------------------------------------------------------------


def _plans_for(keyworker, organisation, count):
    for n in range(count):
        child = ChildFactory()
        ConsentRecordFactory(child=child, scope="contact")
        InvolvementFactory(child=child, worker=keyworker, organisation=organisation)
        plan = services.plan_open(
            actor=None, child=child, keyworker=keyworker, keyworker_organisation=organisation
        )
        services.intervention_add(
            actor=None,
            plan=plan,
            revision=1,
            details=services.InterventionDetails(
                service="Mentoring", starts_on=TODAY(), frequency="Weekly", provider_name="YMCA"
            ),
        )
        if n % 2:
            Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY() - timedelta(days=1))


def _queries_for_caseload(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("plans:my_caseload"))
    assert response.status_code == 200
    return len(captured), response


def test_my_caseload_lists_open_plans_with_a_constant_number_of_queries(
    world, keyworker, django_assert_num_queries
):
    client = _client(keyworker)
    _plans_for(keyworker, world.organisation, 5)
    five, response = _queries_for_caseload(client)
    assert response.content.decode().count("govuk-tag--red") == 2
    _plans_for(keyworker, world.organisation, 35)
    with django_assert_num_queries(five):
        response = client.get(reverse("plans:my_caseload"))
    page = response.content.decode()
    assert "40 open plans" in page
    assert "19 reviews overdue" in page
    assert len(re.findall(r'<td class="govuk-table__cell">1</td>', page)) == 40


def test_my_caseload_shows_names_only_for_children_in_the_keyworkers_team(world, plan):
    client = _client(world.keyworker)
    page = client.get(reverse("plans:my_caseload")).content.decode()
    assert "Amina Yusuf" in page
    plan.keyworker_involvement.ended_on = TODAY()
    plan.keyworker_involvement.save()
    page = client.get(reverse("plans:my_caseload")).content.decode()
    assert "Amina" not in page
    assert world.child.pseudonym in page


def test_keyworkers_find_my_caseload_in_the_navigation(world):
    page = _client(world.keyworker).get(reverse("core:start")).content.decode()
    assert reverse("plans:my_caseload") in page
    referrer_page = _client(make_person(Role.REFERRER)).get(reverse("core:start"))
    assert reverse("plans:my_caseload") not in referrer_page.content.decode()


@pytest.mark.parametrize("role", [PanelRole.CHAIR, PanelRole.MEMBER])
def test_other_panel_seats_do_not_edit(world, plan, role):
    from tests.factories import PanelMemberFactory

    person = make_person(Role.PANEL_MEMBER)
    PanelMemberFactory(panel=world.panel, user=person, role=role)
    InvolvementFactory(child=world.child, worker=person)
    assert _client(person).get(_url("plan_edit", plan)).status_code == 403
