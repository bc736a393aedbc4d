"""Hand-built cases for the duplication and gap flags: a panel with its coordinator, and
children referred, planned for and supported on chosen days."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from joinedup.plans.models import Intervention, InterventionStatus, Plan, PlanStatus, Purpose
from joinedup.referrals.models import Referral, ReferralStatus
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)


def days_ago(days: int) -> Any:
    return timezone.localdate() - timedelta(days=days)


@dataclass
class World:
    panel: Any
    coordinator: Any
    keyworker: Any

    def child(self, **fields: Any) -> Any:
        return ChildFactory(locality=self.panel.localities.get(), **fields)

    def refer(
        self,
        child: Any,
        *,
        by: Any = None,
        days: int = 1,
        status: str = ReferralStatus.RECEIVED,
        panel: Any = None,
    ) -> Referral:
        referral = ReferralFactory(
            child=child,
            panel=panel or self.panel,
            referring_organisation=by or OrganisationFactory(),
            status=status,
        )
        # submitted_at is set on save; the case needs it in the past.
        Referral.objects.filter(pk=referral.pk).update(
            submitted_at=timezone.now() - timedelta(days=days)
        )
        referral.refresh_from_db()
        return referral

    def plan(self, child: Any, *, days: int = 1, status: str = PlanStatus.OPEN) -> Plan:
        closed = status == PlanStatus.CLOSED
        return Plan.objects.create(
            child=child,
            keyworker=self.keyworker,
            keyworker_organisation=self.keyworker.memberships.get().organisation,
            panel=self.panel,
            opened_on=days_ago(days),
            next_review_on=days_ago(days - 84),
            status=status,
            closed_on=days_ago(0) if closed else None,
            outcome="goals_met" if closed else "",
        )

    def support(
        self,
        plan: Plan,
        *,
        purpose: str = Purpose.MENTORING,
        organisation: Any = None,
        name: str = "",
        status: str = InterventionStatus.STARTED,
        days: int = 7,
        service: str = "Weekly mentoring",
    ) -> Intervention:
        if organisation is None and not name:
            organisation = OrganisationFactory()
        return Intervention.objects.create(
            plan=plan,
            service=service,
            purpose=purpose,
            provider_organisation=organisation,
            provider_name=name,
            starts_on=days_ago(days),
            frequency="Weekly",
            status=status,
            stopped_reason="Moved" if status == InterventionStatus.STOPPED else "",
        )


def make_world() -> World:
    panel = PanelFactory()
    coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    keyworker = make_person(Role.KEYWORKER, full_name="Kit Keyworker")
    return World(panel=panel, coordinator=coordinator, keyworker=keyworker)
