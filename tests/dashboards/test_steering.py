"""The steering groups' figures: counts for a locality or the whole city, never a child, small
numbers suppressed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.actions.models import ActionStatus
from joinedup.dashboards.figures import FEWER, HELD_BACK
from joinedup.plans.models import Outcome, Plan, PlanStatus
from tests.dashboards.world import plan_for, queries_for, referral_to
from tests.factories import (
    ActionFactory,
    ChildFactory,
    LocalityFactory,
    OrganisationFactory,
    PanelFactory,
)

URL = reverse("dashboards:steering")


@pytest.fixture
def world(db, strategic_manager, sign_in):
    easton = LocalityFactory(name="Easton", slug="easton")
    knowle = LocalityFactory(name="Knowle West", slug="knowle-west")
    return {
        "client": sign_in(strategic_manager),
        "easton": easton,
        "knowle": knowle,
        "easton_panel": PanelFactory(localities=[easton]),
        "knowle_panel": PanelFactory(localities=[knowle]),
    }


def _children(world, locality, count, *, days_ago=5, family_name="Quixwort"):
    panel = world["easton_panel"] if locality == world["easton"] else world["knowle_panel"]
    return [
        referral_to(
            panel,
            days_ago=days_ago,
            child=ChildFactory(locality=locality, family_name=family_name),
        )
        for _ in range(count)
    ]


def _quarter_counts(response):
    return [figure.text for _, figure in response.context["figures"].quarters]


def test_the_whole_city_then_one_locality_with_small_counts_suppressed(world):
    _children(world, world["easton"], 3)
    _children(world, world["knowle"], 6)

    city = world["client"].get(URL)
    assert city.context["figures"].area == "the whole city"
    assert _quarter_counts(city)[-1] == "9"
    assert city.context["figures"].referrals_total.text == "9"

    easton = world["client"].get(URL, {"area": "easton"})
    figures = easton.context["figures"]
    assert figures.area == "Easton"
    assert _quarter_counts(easton)[-1] == FEWER
    # The total would give the 3 away: it is held back too.
    assert figures.referrals_total.text in (FEWER, HELD_BACK)
    text = easton.content.decode()
    assert "fewer than 5" in text
    assert ">3<" not in text

    knowle = world["client"].get(URL, {"area": "knowle-west"})
    stages = {name: figure.text for name, _, figure in knowle.context["figures"].stages}
    assert stages["referred"] == "6"
    assert knowle.context["figures"].cases_total.text == "6"


def test_a_suppressed_stage_holds_the_table_total_back(world):
    referrals = _children(world, world["knowle"], 7)
    keyworker = referrals[0].referrer
    for referral in referrals[:2]:
        plan_for(keyworker, review_in_days=10, child=referral.child, in_team=False)
    figures = world["client"].get(URL).context["figures"]
    stages = {name: figure for name, _, figure in figures.stages}
    assert stages["referred"].text == "5"
    assert stages["plan"].text == FEWER
    assert figures.cases_total.text == HELD_BACK


def test_plans_opened_and_closed_with_outcomes(world):
    children = [ChildFactory(locality=world["easton"]) for _ in range(7)]
    keyworker = _children(world, world["easton"], 1)[0].referrer
    plans = [plan_for(keyworker, review_in_days=30, child=c, in_team=False) for c in children]
    today = timezone.localdate()
    Plan.objects.filter(pk__in=[p.pk for p in plans[:6]]).update(
        status=PlanStatus.CLOSED, closed_on=today - timedelta(days=3), outcome=Outcome.GOALS_MET
    )
    Plan.objects.filter(pk=plans[0].pk).update(outcome=Outcome.MOVED_AWAY)

    figures = world["client"].get(URL).context["figures"]

    assert figures.plans_opened.text == "7"
    assert figures.plans_open_now.text == FEWER
    outcomes = dict((label, f.text) for label, f in figures.closed_by_outcome)
    assert outcomes["Goals met"] == "5"
    assert outcomes["Moved away"] == FEWER
    assert outcomes["Other"] == "0"
    assert figures.plans_closed.text == HELD_BACK


def test_actions_completion_by_agency_hides_a_rate_that_would_give_a_count_away(world):
    today = timezone.localdate()
    police, school = OrganisationFactory(name="Police"), OrganisationFactory(name="School")
    for n in range(10):
        ActionFactory(
            panel=world["easton_panel"],
            organisation=police,
            due_on=today - timedelta(days=n + 1),
            status=ActionStatus.DONE if n < 6 else ActionStatus.OPEN,
            completed_at=timezone.now() if n < 6 else None,
        )
        ActionFactory(
            panel=world["knowle_panel"],
            organisation=school,
            due_on=today - timedelta(days=n + 1),
            status=ActionStatus.DONE if n < 2 else ActionStatus.OPEN,
            completed_at=timezone.now() if n < 2 else None,
        )
    figures = world["client"].get(URL).context["figures"]
    rows = {row.organisation: row for row in figures.actions}
    assert (rows["Police"].due.text, rows["Police"].done.text, rows["Police"].rate) == (
        "10",
        "6",
        60,
    )
    assert (rows["School"].done.text, rows["School"].rate) == (FEWER, None)
    easton = world["client"].get(URL, {"area": "easton"}).context["figures"]
    assert [row.organisation for row in easton.actions] == ["Police"]


def test_no_child_is_ever_named_or_referenced(world):
    referrals = _children(world, world["easton"], 6, family_name="Quixwort")
    text = world["client"].get(URL, {"area": "easton"}).content.decode()
    assert "Quixwort" not in text
    for referral in referrals:
        assert referral.child.reference not in text
        assert referral.child.pseudonym not in text


def test_an_unknown_area_is_an_error_naming_the_field(world):
    response = world["client"].get(URL, {"area": "atlantis"})
    assert response.status_code == 200
    assert response.context["figures"] is None
    text = response.content.decode()
    assert "Select an area from the list" in text
    assert 'href="#id_area"' in text


def test_an_empty_partnership_reads_plain_words(world):
    text = world["client"].get(URL).content.decode()
    assert "No panel actions were due in the last 12 months" in text


def test_the_figures_cost_the_same_queries_for_many_records(world, django_assert_num_queries):
    _children(world, world["easton"], 1)
    url = f"{URL}?area=easton"
    few = queries_for(world["client"], url)
    keyworker = _children(world, world["easton"], 1)[0].referrer
    for referral in _children(world, world["easton"], 30, days_ago=100):
        plan_for(keyworker, review_in_days=-2, child=referral.child, in_team=False)
        ActionFactory(panel=world["easton_panel"], due_on=timezone.localdate() - timedelta(1))
    with django_assert_num_queries(few):
        response = world["client"].get(url)
    assert response.context["figures"].reviews_overdue.text == "30"
