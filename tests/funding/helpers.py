"""Children in open plans using a directory service, for the funding counts."""

from datetime import timedelta

from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.plans.models import Intervention, InterventionStatus, Plan, PlanStatus
from tests.conftest import make_person
from tests.factories import ChildFactory


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def children_using(service, count: int, *, children=None) -> list:
    """`count` children (or `children`), each in an open plan with support from `service`."""
    keyworker = make_person(Role.KEYWORKER)
    organisation = keyworker.memberships.get().organisation
    today = timezone.localdate()
    found = list(children or [ChildFactory() for _ in range(count)])
    for child in found:
        plan = Plan.objects.filter(child=child, status=PlanStatus.OPEN).first() or (
            Plan.objects.create(
                child=child,
                keyworker=keyworker,
                keyworker_organisation=organisation,
                opened_on=today - timedelta(days=30),
                next_review_on=today,
                status=PlanStatus.OPEN,
            )
        )
        Intervention.objects.create(
            plan=plan,
            service=service.name,
            directory_service=service,
            provider_name=service.provider.name,
            starts_on=today,
            frequency="Weekly",
            status=InterventionStatus.STARTED,
        )
    return found
