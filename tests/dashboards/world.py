"""Records for the dashboards' tests, straight into the database. Each helper works the
child's pipeline stage out again, as the services that would have written them do."""

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.children.models import InvolvementRole
from joinedup.panels.models import AgendaItem
from joinedup.panels.pipeline import cases_refresh
from joinedup.plans.models import Plan
from joinedup.referrals.models import Referral
from tests.factories import ChildFactory, InvolvementFactory, OrganisationFactory, ReferralFactory


def queries_for(client: Client, url: str) -> int:
    """How many queries the page costs; it must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def plan_for(keyworker: Any, *, review_in_days: int, child: Any = None, in_team: bool = True):
    today = timezone.localdate()
    child = child or ChildFactory()
    if in_team:
        InvolvementFactory(child=child, worker=keyworker, role=InvolvementRole.KEYWORKER)
    plan = Plan.objects.create(
        child=child,
        keyworker=keyworker,
        keyworker_organisation=OrganisationFactory(),
        opened_on=today - timedelta(days=60),
        next_review_on=today + timedelta(days=review_in_days),
    )
    cases_refresh(child)
    return plan


def referral_to(panel: Any, *, days_ago: int, child: Any = None, **fields: Any) -> Referral:
    referral = ReferralFactory(panel=panel, child=child or ChildFactory(), **fields)
    Referral.objects.filter(pk=referral.pk).update(
        submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    referral.refresh_from_db()
    cases_refresh(referral.child)
    return referral


def on_agenda(meeting: Any, referral: Referral) -> AgendaItem:
    item = AgendaItem.objects.create(meeting=meeting, child=referral.child, referral=referral)
    cases_refresh(referral.child)
    return item
