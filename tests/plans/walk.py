"""A plan with a goal and an intervention, for the tables that walk every URL
(tests/core/test_access_policy.py, tests/children/test_pseudonym_everywhere.py)."""

from typing import Any

from django.utils import timezone

from joinedup.plans.models import Goal, Intervention, Plan


def plan_rows(*, child: Any, keyworker: Any, organisation: Any) -> dict[str, Any]:
    today = timezone.localdate()
    plan = Plan.objects.create(
        child=child,
        keyworker=keyworker,
        keyworker_organisation=organisation,
        opened_on=today,
        next_review_on=today,
    )
    goal = Goal.objects.create(
        plan=plan, position=1, in_their_words="I want to get to school on time", said_by="child"
    )
    intervention = Intervention.objects.create(
        plan=plan,
        service="Mentoring",
        provider_name="Youth project",
        starts_on=today,
        frequency="Weekly",
    )
    return {"plan_id": plan.pk, "goal_id": goal.pk, "intervention_id": intervention.pk}
