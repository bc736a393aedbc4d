"""The demo partnership shows an open plan: Mohammed Ali's, led by the demo keyworker."""

from django.test import Client
from django.urls import reverse

from joinedup.children.need_to_know import sees_identity
from joinedup.demo.loader import load_demo_data
from joinedup.plans.models import Plan, PlanStatus
from tests.conftest import sign_in_client


def test_mohammed_has_an_open_plan_with_goals_in_his_words_support_and_a_review_once(db):
    load_demo_data()
    load_demo_data()
    plan = Plan.objects.get(child__given_name="Mohammed", child__family_name="Ali")
    assert plan.status == PlanStatus.OPEN
    assert plan.keyworker.email == "keyworker@demo.joinedup.test"
    assert plan.panel is not None
    assert plan.goals.count() == 3
    assert plan.goals.filter(said_by="child").count() == 2
    assert plan.interventions.count() == 3
    review = plan.reviews.get()
    assert review.progress.count() == 3
    assert plan.next_review_on == review.next_review_on
    assert sees_identity(plan.keyworker, plan.child)

    client = sign_in_client(Client(), plan.keyworker)
    caseload = client.get(reverse("plans:my_caseload")).content.decode()
    assert "Mohammed Ali" in caseload
    copy = client.get(
        reverse(
            "plans:young_person_copy",
            kwargs={"reference": plan.child.reference, "plan_id": plan.pk},
        )
    ).content.decode()
    assert "I want to go back to football on Saturdays" in copy
