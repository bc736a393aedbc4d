"""The plan selectors' rows of the audit-trail table (tests/core/test_audit_trail.py)."""

from typing import Any

from django.utils import timezone

from joinedup.assessments.models import AssessmentKind, AssessmentStatus
from joinedup.plans import selectors
from joinedup.plans.models import Plan
from tests.factories import AssessmentFactory, OrganisationFactory


def plan_calls(viewer: Any, child: Any) -> dict[str, Any]:
    """`viewer` works with `child` and leads their plan."""
    today = timezone.localdate()
    plan = Plan.objects.create(
        child=child,
        keyworker=viewer,
        keyworker_organisation=OrganisationFactory(),
        opened_on=today,
        next_review_on=today,
    )
    AssessmentFactory(
        child=child,
        version=9,
        kind=AssessmentKind.REVIEW,
        status=AssessmentStatus.COMPLETED,
        completed_at=timezone.now(),
    )
    on_child = {"viewer": viewer, "reference": child.reference}
    return {
        "joinedup.plans.selectors.plan_child": lambda: selectors.plan_child(**on_child),
        "joinedup.plans.selectors.plans_of": lambda: selectors.plans_of(**on_child),
        "joinedup.plans.selectors.plan_detail": (
            lambda: selectors.plan_detail(**on_child, plan_id=plan.pk)
        ),
        "joinedup.plans.selectors.caseload": lambda: selectors.caseload(viewer=viewer),
        "joinedup.plans.selectors.review_assessments": (
            lambda: selectors.review_assessments(viewer=viewer, plan=plan)
        ),
    }
