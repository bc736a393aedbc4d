"""The report builder's services and selectors: who may save a report on which scope, who sees
a saved or shared report, and each change with its audit entry."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from joinedup.reports import builder_selectors as selectors
from joinedup.reports import builder_services as services
from joinedup.reports.models_saved import (
    SavedReport,
    last_complete_month,
    last_complete_quarter,
)
from joinedup.reports.tables import Period, Scope
from tests.conftest import make_person
from tests.factories import LocalityFactory, PanelFactory, PanelMemberFactory
from tests.reports.builder_world import a_saved_report, coordinator_of, panel_settings


@pytest.fixture
def panel(db):
    return PanelFactory(name="North panel")


def test_a_coordinator_saves_a_report_on_their_panel_with_figures_in_catalogue_order(panel):
    coordinator = coordinator_of(panel)
    report = a_saved_report(coordinator, panel)
    report.refresh_from_db()
    assert report.owner == coordinator and report.panel == panel
    assert report.figures == ["referrals_by_month", "referrals_by_sector"]
    assert report.scope == Scope("panel", panel=panel)
    assert not report.shared
    entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(report.pk))
    assert entry.actor == coordinator


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"scope_kind": "planet"}, "scope_kind"),
        ({"scope_kind": "locality"}, "locality"),
        ({"panel": None}, "panel"),
        ({"period_rule": "fortnight"}, "period_rule"),
        ({"period_rule": "month", "year": None, "number": 3}, "year"),
        ({"period_rule": "month", "year": 1999, "number": 3}, "year"),
        ({"period_rule": "month", "year": 2026, "number": 13}, "number"),
        ({"period_rule": "quarter", "year": 2026, "number": 5}, "number"),
        ({"figures": ()}, "figures"),
        ({"figures": ("referrals_by_month", "a_secret_list")}, "figures"),
    ],
)
def test_bad_settings_are_refused_naming_the_field_and_nothing_is_saved(panel, changes, field):
    coordinator = coordinator_of(panel)
    changes = dict(changes)
    settings = panel_settings(changes.pop("panel", panel), **changes)
    with pytest.raises(services.ReportBuilderError) as refused:
        services.saved_report_create(actor=coordinator, settings=settings)
    assert refused.value.field == field
    assert not SavedReport.objects.exists()


def test_a_fixed_period_must_have_started(panel, monkeypatch):
    monkeypatch.setattr(services, "today_for_periods", lambda: date(2026, 5, 1))
    coordinator = coordinator_of(panel)
    future = panel_settings(panel, period_rule="quarter", year=2026, number=3)
    with pytest.raises(services.ReportBuilderError) as refused:
        services.saved_report_create(actor=coordinator, settings=future)
    assert (refused.value.field, refused.value.code) == ("number", "future")
    started = panel_settings(panel, period_rule="month", year=2026, number=5)
    assert services.saved_report_create(actor=coordinator, settings=started).number == 5


def test_a_coordinator_cannot_save_a_report_on_another_panel_or_the_city(panel):
    coordinator = coordinator_of(panel)
    other = PanelFactory()
    with pytest.raises(services.ReportBuilderError) as refused:
        services.saved_report_create(actor=coordinator, settings=panel_settings(other))
    assert refused.value.field == "panel"
    city = panel_settings(None, scope_kind="city")
    with pytest.raises(services.ReportBuilderError) as refused:
        services.saved_report_create(actor=coordinator, settings=city)
    assert refused.value.field == "scope_kind"
    assert not SavedReport.objects.exists()


@pytest.mark.parametrize("role", [Role.STRATEGIC_MANAGER, Role.SYSTEM_ADMIN])
def test_managers_and_administrators_report_on_any_scope(db, role):
    person = make_person(role)
    locality = LocalityFactory()
    report = services.saved_report_create(
        actor=person,
        settings=panel_settings(
            None,
            scope_kind="locality",
            locality=locality,
            period_rule="month",
            year=2025,
            number=2,
        ),
    )
    assert report.scope == Scope("locality", locality=locality)
    assert report.period(date(2026, 12, 7)) == Period.month(2025, 2)
    city = services.saved_report_create(
        actor=person, settings=panel_settings(None, scope_kind="city")
    )
    assert city.scope == Scope("city") and city.panel is None


@pytest.mark.parametrize(
    "today, month, quarter",
    [
        (date(2026, 12, 7), Period.month(2026, 11), Period.quarter(2026, 3)),
        (date(2026, 1, 1), Period.month(2025, 12), Period.quarter(2025, 4)),
        (date(2026, 4, 30), Period.month(2026, 3), Period.quarter(2026, 1)),
        (date(2026, 3, 31), Period.month(2026, 2), Period.quarter(2025, 4)),
    ],
)
def test_period_rules_move_on_with_the_calendar(today, month, quarter):
    assert last_complete_month(today) == month
    assert last_complete_quarter(today) == quarter


def test_a_fixed_quarter_stays_put(panel):
    report = a_saved_report(
        coordinator_of(panel), panel, period_rule="quarter", year=2025, number=2
    )
    assert report.period(date(2030, 1, 1)) == Period.quarter(2025, 2)
    assert report.period_description == "April to June 2025"


def test_a_person_sees_their_own_reports_and_shared_ones_on_scopes_they_may_see(
    panel, django_assert_max_num_queries
):
    owner = coordinator_of(panel)
    colleague = coordinator_of(panel)
    stranger = coordinator_of(PanelFactory())
    manager = make_person(Role.STRATEGIC_MANAGER)
    private = a_saved_report(owner, panel, name="Private")
    shared = a_saved_report(owner, panel, name="Shared", shared=True)
    city = a_saved_report(manager, None, scope_kind="city", name="City", shared=True)
    with django_assert_max_num_queries(4):
        mine = selectors.saved_reports_for(viewer=owner)
        assert [r.name for r in mine] == ["Private", "Shared"]
        assert [str(r.scope.label) for r in mine] == ["North panel", "North panel"]
    assert selectors.saved_reports_for(viewer=colleague) == [shared]
    assert selectors.saved_reports_for(viewer=stranger) == []
    assert set(selectors.saved_reports_for(viewer=manager)) == {shared, city}
    assert selectors.saved_report_for(viewer=colleague, report_id=shared.pk) == shared
    for viewer, report in [(colleague, private), (stranger, shared), (owner, city)]:
        with pytest.raises(Http404):
            selectors.saved_report_for(viewer=viewer, report_id=report.pk)
    with pytest.raises(Http404):
        selectors.saved_report_for(viewer=owner, report_id="not-an-id")


def test_a_coordinator_whose_seat_ended_no_longer_sees_their_panel_report(panel):
    owner = coordinator_of(panel)
    report = a_saved_report(owner, panel)
    owner.panel_seats.update(ended_on=date(2000, 1, 1))
    with pytest.raises(Http404):
        selectors.saved_report_for(viewer=owner, report_id=report.pk)


def test_only_the_owner_changes_a_report_and_the_audit_says_what_changed(panel):
    owner = coordinator_of(panel)
    colleague = coordinator_of(panel)
    report = a_saved_report(owner, panel, shared=True)
    with pytest.raises(PermissionDenied):
        services.saved_report_change(
            actor=colleague, report=report, settings=panel_settings(panel, name="Mine now")
        )
    services.saved_report_change(
        actor=owner,
        report=report,
        settings=panel_settings(panel, name="Renamed", shared=True),
    )
    report.refresh_from_db()
    assert report.name == "Renamed"
    entry = AuditEntry.objects.get(verb=AuditVerb.UPDATE, target_id=str(report.pk))
    assert entry.fields == ["name"]


def test_deleting_hides_a_report_from_everyone_and_undo_brings_it_back(panel):
    owner = coordinator_of(panel)
    colleague = coordinator_of(panel)
    report = a_saved_report(owner, panel, shared=True)
    with pytest.raises(PermissionDenied):
        services.saved_report_delete(actor=colleague, report=report)
    services.saved_report_delete(actor=owner, report=report)
    assert selectors.saved_reports_for(viewer=owner) == []
    assert selectors.saved_reports_for(viewer=colleague) == []
    with pytest.raises(Http404):
        selectors.deleted_report_for(viewer=colleague, report_id=report.pk)
    deleted = selectors.deleted_report_for(viewer=owner, report_id=report.pk)
    services.saved_report_restore(actor=owner, report=deleted)
    assert selectors.saved_reports_for(viewer=colleague) == [report]
    verbs = list(
        AuditEntry.objects.filter(target_id=str(report.pk))
        .order_by("at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs == [AuditVerb.CREATE, AuditVerb.DELETE, AuditVerb.UPDATE]


def test_a_copy_is_private_to_whoever_made_it(panel):
    owner = coordinator_of(panel)
    colleague = coordinator_of(panel)
    report = a_saved_report(owner, panel, shared=True, period_rule="month", year=2025, number=6)
    copy = services.saved_report_duplicate(actor=colleague, report=report)
    assert copy.owner == colleague and not copy.shared
    assert copy.name == "Copy of North panel quarterly return"
    assert (copy.panel, copy.period_rule, copy.year, copy.number, copy.figures) == (
        panel,
        "month",
        2025,
        6,
        report.figures,
    )
    stranger = coordinator_of(PanelFactory())
    with pytest.raises(PermissionDenied):
        services.saved_report_duplicate(actor=stranger, report=report)


@pytest.mark.parametrize(
    "role, city, panels",
    [
        (Role.STRATEGIC_MANAGER, True, 2),
        (Role.SYSTEM_ADMIN, True, 2),
        (Role.PANEL_COORDINATOR, False, 1),
        (Role.PANEL_CHAIR, False, 1),
        (Role.KEYWORKER, False, 0),
    ],
)
def test_scope_choices_by_role(panel, role, city, panels):
    PanelFactory()
    person = make_person(role)
    if role == Role.PANEL_COORDINATOR:
        person = coordinator_of(panel)
    if role == Role.PANEL_CHAIR:
        PanelMemberFactory(panel=panel, user=person, role=PanelRole.CHAIR)
    sees_city, _, their_panels = selectors.scope_choices(viewer=person)
    assert (sees_city, len(their_panels)) == (city, panels)
