"""Data quality's rows of the audit-trail table (tests/core/test_audit_trail.py)."""

from typing import Any

from django.utils import timezone

from joinedup.children.models import Ethnicity
from joinedup.panels.models import PanelRole
from joinedup.reports import quality_selectors
from tests.factories import ChildFactory, PanelMemberFactory, ReferralFactory


def quality_calls(viewer: Any) -> dict[str, Any]:
    """`viewer` coordinates a panel with a referral this month whose child's ethnicity is not
    recorded: one record to fix."""
    seat = PanelMemberFactory(user=viewer, role=PanelRole.COORDINATOR)
    ReferralFactory(panel=seat.panel, child=ChildFactory(ethnicity=Ethnicity.NOT_RECORDED))
    today = timezone.localdate()
    return {
        "joinedup.reports.quality_selectors.quality_records": (
            lambda: quality_selectors.quality_records(
                viewer=viewer,
                panel_slug=seat.panel.slug,
                field_key="child.ethnicity",
                year=today.year,
                month=today.month,
            )
        )
    }
