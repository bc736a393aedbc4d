"""The dashboards' rows of the audit-trail table (tests/core/test_audit_trail.py)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.consent.models import Scope
from joinedup.dashboards import selectors
from joinedup.panels.models import PanelRole
from tests.dashboards.world import referral_to
from tests.factories import ConsentRecordFactory, PanelMemberFactory


def dashboard_calls(viewer: Any) -> dict[str, Any]:
    """`viewer` coordinates a panel with a referral waiting and consent about to end."""
    seat = PanelMemberFactory(user=viewer, role=PanelRole.COORDINATOR)
    referral = referral_to(seat.panel, days_ago=30)
    ConsentRecordFactory(
        child=referral.child,
        scope=Scope.CONTACT,
        expires_on=timezone.localdate() + timedelta(days=5),
    )
    return {
        "joinedup.dashboards.selectors.consents_to_renew": (
            lambda: selectors.consents_to_renew(viewer=viewer)
        ),
        "joinedup.dashboards.selectors.referrals_waiting": (
            lambda: selectors.referrals_waiting(viewer=viewer)
        ),
    }
