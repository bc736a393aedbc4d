"""Who may see which report scope, and which saved reports a person sees
(docs/report-exports.md).

Reports hold only published counts, never a child, so these reads are not audited one by one;
downloading a report is (builder_services.export_recorded)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from joinedup.core import audit
from joinedup.organisations.models import Locality
from joinedup.panels.models import Panel
from joinedup.reports.models_saved import SavedReport, ScopeKind
from joinedup.reports.selectors import may_report_on, panels_led_by, sees_every_scope
from joinedup.reports.tables import Scope


@audit.audit_exempt(reason="Answers yes or no for the viewer; reads no record's contents.")
def may_see_scope(*, viewer: Any, scope: Scope) -> bool:
    """The report page's rule (selectors.may_report_on): strategic managers and system
    administrators see any scope; panel coordinators and chairs the panels they lead now."""
    return may_report_on(viewer, scope)


@audit.audit_exempt(reason="Localities and panels a report can cover; no personal data.")
def scope_choices(*, viewer: Any) -> tuple[bool, list[Locality], list[Panel]]:
    """(whether the whole city may be chosen, the localities, the panels) the viewer may
    report on."""
    if sees_every_scope(viewer):
        return True, list(Locality.objects.order_by("name")), list(Panel.objects.order_by("name"))
    return False, [], list(panels_led_by(viewer))


@audit.audit_exempt(reason="Opens the report scope an address names; no personal data.")
def scope_from(*, viewer: Any, kind: str, slug: str) -> Scope:
    """The scope an address names by slug, or 404 when it names nothing or one the viewer may
    not see (not 403: a panel's existence is not told to those who do not coordinate it)."""
    if kind == ScopeKind.LOCALITY:
        locality = Locality.objects.filter(slug=slug).first()
        scope = Scope("locality", locality=locality) if locality else None
    elif kind == ScopeKind.PANEL:
        panel = Panel.objects.filter(slug=slug).first()
        scope = Scope("panel", panel=panel) if panel else None
    else:
        scope = Scope("city") if kind == ScopeKind.CITY else None
    if scope is None or not may_see_scope(viewer=viewer, scope=scope):
        raise Http404("No such panel or area")
    return scope


def _visible(viewer: Any) -> Any:
    shared = Q(shared=True)
    if not sees_every_scope(viewer):
        shared &= Q(scope_kind=ScopeKind.PANEL, panel__in=panels_led_by(viewer))
    return SavedReport.objects.live().filter(Q(owner=viewer) | shared)


@audit.audit_exempt(reason="Saved reports' settings: a scope, a period, figure names.")
def saved_reports_for(*, viewer: Any) -> list[SavedReport]:
    """The viewer's own saved reports and those shared with them (shared ones of a scope they
    may see), by name."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(_visible(viewer).select_related("owner", "locality", "panel"))


@audit.audit_exempt(reason="A saved report's settings: a scope, a period, figure names.")
def saved_report_for(*, viewer: Any, report_id: Any) -> SavedReport:
    """One saved report the viewer may see, or 404. A report whose scope the owner may no
    longer see (their coordinator seat ended) answers 404 too."""
    try:
        report = _visible(viewer).select_related("owner", "locality", "panel").get(pk=report_id)
    except (SavedReport.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404("No such saved report") from error
    if not may_see_scope(viewer=viewer, scope=report.scope):
        raise Http404("No such saved report")
    return report


@audit.audit_exempt(reason="The viewer's own deleted report, to undo the deletion.")
def deleted_report_for(*, viewer: Any, report_id: Any) -> SavedReport:
    try:
        return SavedReport.objects.get(pk=report_id, owner=viewer, deleted_at__isnull=False)
    except (SavedReport.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404("No such deleted report") from error
