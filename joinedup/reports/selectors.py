"""The report's permission-checked reads: which scopes a person may report on, and the report
itself, every table through disclosure control (docs/reports.md).

Strategic managers and system administrators may read any scope: the city, a locality, a
panel. Panel coordinators and chairs may read the panels they coordinate or chair now. No
report ever names or lists a child: only counts and measures leave here, protected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.http import Http404
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality
from joinedup.panels.models import Panel, PanelMember, PanelRole
from joinedup.reports.catalogue import FIGURES
from joinedup.reports.disclosure import NO_RECORDS, protect
from joinedup.reports.figures import COUNTERS, sharing
from joinedup.reports.quality import completeness_many
from joinedup.reports.story_selectors import published_for
from joinedup.reports.tables import Period, Report, Scope

WHOLE_CITY = Scope("city")


@audit.audit_exempt(reason="Reads the viewer's own roles; no child's data.")
def sees_every_scope(viewer: Any) -> bool:
    return has_role(viewer, Role.STRATEGIC_MANAGER, Role.SYSTEM_ADMIN)


@audit.audit_exempt(reason="The panels the viewer leads; no child's data.")
def panels_led_by(viewer: Any) -> Any:
    """The panels a person coordinates or chairs now."""
    return Panel.objects.filter(
        pk__in=PanelMember.objects.current()
        .filter(user=viewer, role__in=(PanelRole.COORDINATOR, PanelRole.CHAIR))
        .values("panel")
    ).order_by("name")


@audit.audit_exempt(reason="Names of the city, localities and panels; no child's data.")
def scopes_for(*, viewer: Any) -> list[Scope]:
    """Every scope the viewer may report on, the widest first."""
    if sees_every_scope(viewer):
        return [
            WHOLE_CITY,
            *(Scope("locality", locality=loc) for loc in Locality.objects.order_by("name")),
            *(
                Scope("panel", panel=panel)
                for panel in Panel.objects.filter(is_active=True).order_by("name")
            ),
        ]
    if has_role(viewer, Role.PANEL_COORDINATOR, Role.PANEL_CHAIR):
        return [Scope("panel", panel=panel) for panel in panels_led_by(viewer)]
    return []


@audit.audit_exempt(reason="Whether the viewer may report on a scope; no child's data.")
def may_report_on(viewer: Any, scope: Scope) -> bool:
    if sees_every_scope(viewer):
        return True
    if scope.kind != "panel" or scope.panel is None:
        return False
    if not has_role(viewer, Role.PANEL_COORDINATOR, Role.PANEL_CHAIR):
        return False
    return bool(panels_led_by(viewer).filter(pk=scope.panel.pk).exists())


@audit.audit_exempt(
    reason="Counts and measures for a panel, a locality or the city, small numbers "
    "suppressed and protected from being worked out; never a child."
)
def build_report(
    *,
    viewer: Any,
    scope: Scope,
    period: Period,
    keys: Sequence[str] | None = None,
) -> Report:
    """The report's figures (all of catalogue.FIGURES, or those in `keys`, in the catalogue's
    order) for the scope and period, each protected (disclosure.protect). Raises Http404 when
    the viewer may not report on the scope: a panel they do not lead is not theirs to know of.
    A bounded number of queries per figure, however many records there are."""
    if not may_report_on(viewer, scope):
        raise Http404("You cannot see reports for this panel or area.")
    wanted = set(keys) if keys is not None else None
    unknown = (wanted or set()) - set(COUNTERS)
    if unknown:
        raise ValueError(f"Unknown figures: {', '.join(sorted(unknown))}")
    chosen = [spec for spec in FIGURES if wanted is None or spec.key in wanted]
    # How complete the fields behind each figure are: one query per kind of record for the
    # whole report (quality.completeness_many), not one per figure.
    complete = completeness_many(
        {spec.key: spec.fields for spec in chosen}, scope=scope, period=period
    )
    # Figures built from the same reads (decisions per referral, assessment changes) share
    # them within this report.
    with sharing():
        tables = tuple(
            replace(protect(COUNTERS[spec.key](scope, period)), completeness=complete[spec.key])
            for spec in chosen
        )
    return Report(
        scope=scope,
        period=period,
        tables=tables,
        generated_at=timezone.now(),
        # Published, anonymised stories beside the figures they illustrate.
        stories=published_for([spec.key for spec in chosen], scope=scope),
    )


@audit.audit_exempt(reason="Reads only a report already protected; no query.")
def report_is_empty(report: Report) -> bool:
    """Whether nothing at all happened in the scope in the period: every count 0 and every
    measure without records. (A hidden cell is never 0.)"""
    for table in report.tables:
        for _, cells in table.rows:
            for cell in cells:
                if table.kind == "measure":
                    if cell.text != NO_RECORDS:
                        return False
                elif cell.value != 0:
                    return False
    return True
