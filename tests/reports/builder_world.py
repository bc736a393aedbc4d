"""People and saved reports for the report builder's tests."""

from joinedup.core.roles import Role
from joinedup.reports.builder_services import ReportSettings, saved_report_create
from tests.conftest import make_person
from tests.factories import PanelFactory, PanelMemberFactory


def coordinator_of(panel, **fields):
    person = make_person(Role.PANEL_COORDINATOR, **fields)
    PanelMemberFactory(panel=panel, user=person)
    return person


def panel_settings(panel, **changes) -> ReportSettings:
    fields = {
        "name": "North panel quarterly return",
        "scope_kind": "panel",
        "panel": panel,
        "period_rule": "last_quarter",
        "figures": ("referrals_by_sector", "referrals_by_month"),
    }
    fields.update(changes)
    return ReportSettings(**fields)


def a_saved_report(owner, panel=None, **changes):
    panel = panel or PanelFactory()
    return saved_report_create(actor=owner, settings=panel_settings(panel, **changes))
