"""The tracking selectors' rows of the audit-trail table (tests/core/test_audit_trail.py)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from joinedup.referrals.models import Referral
from joinedup.tracking import selectors
from tests.factories import ChildFactory, MembershipFactory, PanelMemberFactory, ReferralFactory


def tracking_calls(viewer: Any) -> dict[str, Any]:
    """Makes `viewer` the coordinator of a panel with a child referred 100 days ago and
    nothing recorded since: a flag to read."""
    MembershipFactory(user=viewer, role=Role.PANEL_COORDINATOR)
    viewer.__dict__.pop("_joinedup_roles", None)
    seat = PanelMemberFactory(user=viewer, role=PanelRole.COORDINATOR)
    child = ChildFactory()
    referral = ReferralFactory(child=child, panel=seat.panel)
    Referral.objects.filter(pk=referral.pk).update(
        submitted_at=timezone.now() - timedelta(days=100)
    )
    on_child = {"viewer": viewer, "reference": child.reference}
    return {
        "joinedup.tracking.selectors.flag_board": lambda: selectors.flag_board(viewer=viewer),
        "joinedup.tracking.selectors.flag_to_look_at": (
            lambda: selectors.flag_to_look_at(**on_child, kind="gap")
        ),
        "joinedup.tracking.selectors.case_child": lambda: selectors.case_child(**on_child),
    }
