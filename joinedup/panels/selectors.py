from joinedup.core import audit
from joinedup.organisations.models import Locality
from joinedup.panels.models import Panel


@audit.audit_exempt(reason="Reads a panel's public settings; no personal data.")
def panel_serving(locality: Locality | None) -> Panel | None:
    """The active panel that takes referrals for children living in a locality."""
    if locality is None:
        return None
    return Panel.objects.filter(localities=locality, is_active=True).order_by("name").first()
