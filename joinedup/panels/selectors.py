from typing import Any

from joinedup.core import audit
from joinedup.organisations.models import Locality
from joinedup.panels.models import Panel, PanelMember, PanelRole


@audit.audit_exempt(reason="Reads a panel's public settings; no personal data.")
def panel_serving(locality: Locality | None) -> Panel | None:
    """The active panel that takes referrals for children living in a locality."""
    if locality is None:
        return None
    return Panel.objects.filter(localities=locality, is_active=True).order_by("name").first()


@audit.audit_exempt(reason="Answers yes or no for the viewer; reads no record's contents.")
def coordinates(*, viewer: Any, panel_id: Any) -> bool:
    return (
        PanelMember.objects.current()
        .filter(user=viewer, role=PanelRole.COORDINATOR, panel_id=panel_id)
        .exists()
    )
