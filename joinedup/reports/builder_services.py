"""Writes for the report builder (docs/report-exports.md): saving, changing, deleting (with
undo) and copying a saved report, and recording each download in the audit trail. Each write is
one transaction with its audit entry; a refusal names the field at fault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Locality
from joinedup.panels.models import Panel
from joinedup.reports.builder_selectors import may_see_scope
from joinedup.reports.catalogue import FIGURES
from joinedup.reports.models_saved import PeriodRule, SavedReport, ScopeKind
from joinedup.reports.tables import Period, Scope

FIGURE_ORDER = [figure.key for figure in FIGURES]
FIRST_YEAR = 2000
NAME_MAX = 120
FIELDS = ["name", "scope", "period", "figures", "shared"]


class ReportBuilderError(FieldError):
    pass


@dataclass(frozen=True)
class ReportSettings:
    """What a person chooses for a saved report."""

    name: str
    scope_kind: str
    period_rule: str
    figures: tuple[str, ...]
    locality: Locality | None = None
    panel: Panel | None = None
    year: int | None = None
    number: int | None = None
    shared: bool = False


def _scope(settings: ReportSettings) -> Scope:
    if settings.scope_kind == ScopeKind.LOCALITY:
        if settings.locality is None:
            raise ReportBuilderError("Select the locality", field="locality", code="required")
        return Scope("locality", locality=settings.locality)
    if settings.scope_kind == ScopeKind.PANEL:
        if settings.panel is None:
            raise ReportBuilderError("Select the panel", field="panel", code="required")
        return Scope("panel", panel=settings.panel)
    if settings.scope_kind == ScopeKind.CITY:
        return Scope("city")
    raise ReportBuilderError("Select what the report covers", field="scope_kind", code="invalid")


def today_for_periods() -> date:
    return timezone.localdate()


def _check_period(settings: ReportSettings) -> None:
    if settings.period_rule not in PeriodRule.values:
        raise ReportBuilderError(
            "Select the period the report covers", field="period_rule", code="invalid"
        )
    if settings.period_rule in (PeriodRule.LAST_MONTH, PeriodRule.LAST_QUARTER):
        return
    today = today_for_periods()
    if settings.year is None or not FIRST_YEAR <= settings.year <= today.year:
        raise ReportBuilderError(
            f"Enter a year from {FIRST_YEAR} to {today.year}", field="year", code="invalid"
        )
    if settings.period_rule == PeriodRule.MONTH:
        if settings.number is None or not 1 <= settings.number <= 12:
            raise ReportBuilderError("Enter a month from 1 to 12", field="number", code="invalid")
        period = Period.month(settings.year, settings.number)
    else:
        if settings.number is None or not 1 <= settings.number <= 4:
            raise ReportBuilderError("Enter a quarter from 1 to 4", field="number", code="invalid")
        period = Period.quarter(settings.year, settings.number)
    if period.start > today:
        raise ReportBuilderError(
            "The period must have started: choose one that is not in the future",
            field="number",
            code="future",
        )


def _clean(actor: Any, settings: ReportSettings) -> tuple[str, list[str]]:
    name = " ".join((settings.name or "").split())
    if not name:
        raise ReportBuilderError("Enter a name for the report", field="name", code="required")
    if len(name) > NAME_MAX:
        raise ReportBuilderError(
            f"The name must be {NAME_MAX} characters or fewer", field="name", code="too_long"
        )
    scope = _scope(settings)
    if not may_see_scope(viewer=actor, scope=scope):
        field = {"locality": "locality", "panel": "panel"}.get(scope.kind, "scope_kind")
        raise ReportBuilderError(
            "You can only report on the panels you coordinate", field=field, code="not_allowed"
        )
    _check_period(settings)
    chosen = set(settings.figures)
    unknown = chosen - set(FIGURE_ORDER)
    if unknown:
        raise ReportBuilderError(
            "Select figures from the list", field="figures", code="unknown_figure"
        )
    if not chosen:
        raise ReportBuilderError(
            "Select at least one figure for the report", field="figures", code="required"
        )
    return name, [key for key in FIGURE_ORDER if key in chosen]


def _apply(report: SavedReport, settings: ReportSettings, name: str, figures: list[str]) -> None:
    fixed = settings.period_rule in (PeriodRule.MONTH, PeriodRule.QUARTER)
    report.name = name
    report.scope_kind = settings.scope_kind
    report.locality = settings.locality if settings.scope_kind == ScopeKind.LOCALITY else None
    report.panel = settings.panel if settings.scope_kind == ScopeKind.PANEL else None
    report.period_rule = settings.period_rule
    report.year = settings.year if fixed else None
    report.number = settings.number if fixed else None
    report.figures = figures
    report.shared = bool(settings.shared)


def may_change(actor: Any, report: SavedReport) -> bool:
    return bool(report.owner_id == getattr(actor, "pk", None))


def _owner_check(actor: Any, report: SavedReport) -> None:
    if not may_change(actor, report):
        raise PermissionDenied("Only the person who saved a report changes or deletes it")


def saved_report_create(*, actor: Any, settings: ReportSettings) -> SavedReport:
    name, figures = _clean(actor, settings)
    report = SavedReport(owner=actor)
    _apply(report, settings, name, figures)
    with transaction.atomic():
        report.save()
        audit.record(actor=actor, verb=AuditVerb.CREATE, target=report, fields=FIELDS)
    return report


def saved_report_change(
    *, actor: Any, report: SavedReport, settings: ReportSettings
) -> SavedReport:
    _owner_check(actor, report)
    name, figures = _clean(actor, settings)
    before = report.as_dict()
    _apply(report, settings, name, figures)
    changed = [key for key, value in report.as_dict().items() if before[key] != value]
    with transaction.atomic():
        report.save()
        audit.record(actor=actor, verb=AuditVerb.UPDATE, target=report, fields=changed)
    return report


def saved_report_delete(*, actor: Any, report: SavedReport) -> SavedReport:
    """Deletes for everyone it was shared with; kept so the owner can undo it."""
    _owner_check(actor, report)
    with transaction.atomic():
        report.deleted_at = timezone.now()
        report.save(update_fields=["deleted_at", "updated_at"])
        audit.record(actor=actor, verb=AuditVerb.DELETE, target=report)
    return report


def saved_report_restore(*, actor: Any, report: SavedReport) -> SavedReport:
    """Undo a deletion."""
    _owner_check(actor, report)
    if report.deleted_at is None:
        return report
    with transaction.atomic():
        report.deleted_at = None
        report.save(update_fields=["deleted_at", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=report,
            fields=["deleted_at"],
            purpose="Undid the deletion",
        )
    return report


def saved_report_duplicate(*, actor: Any, report: SavedReport) -> SavedReport:
    """A private copy for the actor, who must be able to see the report (its scope checked
    again: a coordinator copies only reports on their panels)."""
    if not may_see_scope(viewer=actor, scope=report.scope):
        raise PermissionDenied("You cannot see this report's scope")
    settings = ReportSettings(
        name=f"Copy of {report.name}"[:NAME_MAX],
        scope_kind=report.scope_kind,
        locality=report.locality,
        panel=report.panel,
        period_rule=report.period_rule,
        year=report.year,
        number=report.number,
        figures=tuple(report.figures),
        shared=False,
    )
    return saved_report_create(actor=actor, settings=settings)


EXPORT_FORMATS = {
    "csv": "quarterly return (CSV)",
    "xlsx": "quarterly return (XLSX)",
    "pdf": "steering group report (PDF)",
}


def export_recorded(
    *,
    actor: Any,
    export_format: str,
    scope: Scope,
    period: Period,
    saved: SavedReport | None = None,
) -> None:
    """One audit entry per download: which file, for which scope and period (ids, no names)."""
    audit.record(
        actor=actor,
        verb=AuditVerb.EXPORT,
        target=saved,
        purpose=f"Downloaded the {EXPORT_FORMATS[export_format]}",
        detail={
            "format": export_format,
            "scope": scope.kind,
            "locality": str(getattr(scope.locality, "pk", "") or ""),
            "panel": str(getattr(scope.panel, "pk", "") or ""),
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
        },
    )
