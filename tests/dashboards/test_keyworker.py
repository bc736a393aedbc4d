"""The keyworker's dashboard: caseload, next reviews and actions owed, on one page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.actions.models import ActionStatus
from joinedup.core.models import AuditEntry, AuditVerb
from tests.dashboards.world import plan_for, queries_for
from tests.factories import ActionFactory, ChildFactory

URL = reverse("dashboards:keyworker")


@pytest.fixture
def keyworker_client(keyworker, sign_in):
    return sign_in(keyworker)


def test_reviews_overdue_or_due_within_28_days_come_overdue_first_in_words(
    keyworker, keyworker_client
):
    due_soon = plan_for(keyworker, review_in_days=5, child=ChildFactory(given_name="Ayo"))
    overdue = plan_for(keyworker, review_in_days=-3, child=ChildFactory(given_name="Bea"))
    later = plan_for(keyworker, review_in_days=40, child=ChildFactory(given_name="Cal"))

    response = keyworker_client.get(URL)

    assert response.status_code == 200
    assert response.context["caseload"] == 3
    assert response.context["reviews"] == [overdue, due_soon]
    text = response.content.decode()
    assert "Overdue by 3 days" in text
    assert "In 5 days" in text
    assert reverse("plans:my_caseload") in text
    assert (
        reverse(
            "plans:plan_detail",
            kwargs={"reference": overdue.child.reference, "plan_id": overdue.pk},
        )
        in text
    )
    assert later.child.reference not in text


def test_a_child_the_keyworker_is_no_longer_working_with_shows_by_pseudonym(
    keyworker, keyworker_client
):
    plan = plan_for(
        keyworker,
        review_in_days=1,
        child=ChildFactory(given_name="Zebedee", family_name="Quixwort"),
        in_team=False,
    )
    text = keyworker_client.get(URL).content.decode()
    assert "Quixwort" not in text
    assert plan.child.pseudonym in text


def test_actions_owed_come_overdue_first_with_their_due_dates(keyworker, keyworker_client):
    today = timezone.localdate()
    later = ActionFactory(owner=keyworker, title="Ring the school", due_on=today + timedelta(5))
    overdue = ActionFactory(owner=keyworker, title="Book a visit", due_on=today - timedelta(2))
    ActionFactory(
        owner=keyworker,
        title="Finished already",
        status=ActionStatus.DONE,
        completed_at=timezone.now(),
    )
    ActionFactory(title="Someone else's")

    response = keyworker_client.get(URL)

    assert response.context["actions"] == [overdue, later]
    text = response.content.decode()
    assert "Overdue by 2 days" in text
    assert "In 5 days" in text
    assert reverse("actions:action_detail", kwargs={"action_id": overdue.pk}) in text
    assert "Finished already" not in text
    assert "Someone else" not in text


def test_a_new_keyworker_reads_what_will_appear_here(keyworker_client):
    text = keyworker_client.get(URL).content.decode()
    assert "You do not lead any open plans" in text
    assert "No reviews due in the next 28 days" in text
    assert "You have no open actions" in text


def test_reading_the_dashboard_is_in_the_audit_trail(keyworker, keyworker_client):
    plan = plan_for(keyworker, review_in_days=2)
    keyworker_client.get(URL)
    assert AuditEntry.objects.filter(
        actor=keyworker, verb=AuditVerb.READ, target_id=str(plan.pk), path=URL
    ).exists()


def test_the_dashboard_costs_the_same_queries_for_many_plans_and_actions(
    keyworker, keyworker_client, django_assert_num_queries
):
    plan_for(keyworker, review_in_days=-1)
    ActionFactory(owner=keyworker)
    few = queries_for(keyworker_client, URL)
    for days in range(-10, 30, 2):
        plan_for(keyworker, review_in_days=days)
        ActionFactory(owner=keyworker, due_on=timezone.localdate() + timedelta(days))
    with django_assert_num_queries(few):
        response = keyworker_client.get(URL)
    assert len(response.context["reviews"]) > 10
