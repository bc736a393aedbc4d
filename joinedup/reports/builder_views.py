"""The report builder and the downloads (docs/report-exports.md): saved reports (list, build,
change, delete with undo, copy, view) and the quarterly return (CSV, XLSX) and steering group
report (PDF) for a saved report or for any scope and period the viewer may see.

Who may: panel coordinators for the panels they coordinate, strategic managers and system
administrators for any scope (builder_selectors.may_see_scope); everyone else is refused by
the page policy. Every download is recorded in the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.reports import builder_selectors, builder_services, exports, selectors
from joinedup.reports.builder_forms import SavedReportForm, initial_for
from joinedup.reports.catalogue import FIGURE_TITLES
from joinedup.reports.charts import svg_chart
from joinedup.reports.models_saved import SavedReport, last_complete_quarter
from joinedup.reports.tables import Period, Report, Scope

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
WRITERS: dict[str, Callable[[Report], bytes]] = {
    "csv": exports.quarterly_return_csv,
    "xlsx": exports.quarterly_return_xlsx,
    "pdf": exports.steering_report_pdf,
}


def build_report(*, viewer: Any, scope: Scope, period: Period, keys: Any = None) -> Report:
    """The figures, through the reports app's one permission-checked builder; a saved report
    keeps only the figures the catalogue still has."""
    if keys is not None:
        keys = [key for key in keys if key in FIGURE_TITLES]
    return selectors.build_report(viewer=viewer, scope=scope, period=period, keys=keys)


@require_GET
def saved_list(request: HttpRequest) -> HttpResponse:
    reports = builder_selectors.saved_reports_for(viewer=request.user)
    return render(
        request,
        "reports/builder_list.html",
        {
            "own": [r for r in reports if r.owner_id == request.user.pk],
            "shared": [r for r in reports if r.owner_id != request.user.pk],
            "deleted": _deleted(request),
            "may_build": any(builder_selectors.scope_choices(viewer=request.user)),
        },
    )


def _deleted(request: HttpRequest) -> SavedReport | None:
    deleted_id = request.GET.get("deleted")
    if not deleted_id:
        return None
    try:
        return builder_selectors.deleted_report_for(viewer=request.user, report_id=deleted_id)
    except Http404:
        return None


def _form_page(request: HttpRequest, report: SavedReport | None) -> HttpResponse:
    initial = initial_for(report) if report else {"period_rule": "last_quarter"}
    form = SavedReportForm(
        request.POST if request.method == "POST" else None, initial=initial, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            if report is None:
                report = builder_services.saved_report_create(
                    actor=request.user, settings=form.settings()
                )
                messages.success(request, f"Saved “{report.name}”.")
            else:
                report = builder_services.saved_report_change(
                    actor=request.user, report=report, settings=form.settings()
                )
                messages.success(request, f"Changed “{report.name}”.")
        except builder_services.ReportBuilderError as error:
            add_domain_error(form, error)
        else:
            return redirect("reports:saved_detail", saved_report_id=report.pk)
    return render(
        request,
        "reports/builder_form.html",
        {"form": form, "report": report, "may_build": form.may_build},
    )


@require_http_methods(["GET", "POST"])
def saved_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


def _own(request: HttpRequest, saved_report_id: Any) -> SavedReport:
    report = builder_selectors.saved_report_for(viewer=request.user, report_id=saved_report_id)
    if not builder_services.may_change(request.user, report):
        raise PermissionDenied("Only the person who saved a report changes or deletes it")
    return report


@require_http_methods(["GET", "POST"])
def saved_edit(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    return _form_page(request, _own(request, saved_report_id))


@require_POST
def saved_delete(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    report = builder_services.saved_report_delete(
        actor=request.user, report=_own(request, saved_report_id)
    )
    return redirect(f"{reverse('reports:saved_list')}?deleted={report.pk}")


@require_POST
def saved_restore(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    report = builder_selectors.deleted_report_for(viewer=request.user, report_id=saved_report_id)
    builder_services.saved_report_restore(actor=request.user, report=report)
    messages.success(request, f"“{report.name}” is back.")
    return redirect("reports:saved_detail", saved_report_id=report.pk)


@require_POST
def saved_duplicate(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    report = builder_selectors.saved_report_for(viewer=request.user, report_id=saved_report_id)
    copy = builder_services.saved_report_duplicate(actor=request.user, report=report)
    messages.success(request, f"Made “{copy.name}”, private to you. Change it as you need.")
    return redirect("reports:saved_edit", saved_report_id=copy.pk)


@require_GET
def saved_detail(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    saved = builder_selectors.saved_report_for(viewer=request.user, report_id=saved_report_id)
    period = saved.period(timezone.localdate())
    report = build_report(
        viewer=request.user, scope=saved.scope, period=period, keys=list(saved.figures)
    )
    return render(
        request,
        "reports/builder_detail.html",
        {
            "saved": saved,
            "report": report,
            "figures": [(table, svg_chart(table)) for table in report.tables],
            "may_change": builder_services.may_change(request.user, saved),
        },
    )


def _download(
    request: HttpRequest,
    export_format: str,
    *,
    scope: Scope,
    period: Period,
    keys: Any = None,
    saved: SavedReport | None = None,
) -> HttpResponse:
    report = build_report(viewer=request.user, scope=scope, period=period, keys=keys)
    content = WRITERS[export_format](report)
    builder_services.export_recorded(
        actor=request.user, export_format=export_format, scope=scope, period=period, saved=saved
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    kind = "steering-group-report" if export_format == "pdf" else "quarterly-return"
    place = slugify(scope.label) or "report"
    response["Content-Disposition"] = (
        f'attachment; filename="{kind}-{place}-{period.start:%Y-%m}.{export_format}"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _saved_download(request: HttpRequest, saved_report_id: Any, export_format: str) -> HttpResponse:
    saved = builder_selectors.saved_report_for(viewer=request.user, report_id=saved_report_id)
    return _download(
        request,
        export_format,
        scope=saved.scope,
        period=saved.period(timezone.localdate()),
        keys=list(saved.figures),
        saved=saved,
    )


@require_GET
def saved_csv(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    return _saved_download(request, saved_report_id, "csv")


@require_GET
def saved_xlsx(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    return _saved_download(request, saved_report_id, "xlsx")


@require_GET
def saved_pdf(request: HttpRequest, saved_report_id: Any) -> HttpResponse:
    return _saved_download(request, saved_report_id, "pdf")


PERIOD = re.compile(r"^(\d{4})-(q[1-4]|0[1-9]|1[0-2])$")
SCOPE = re.compile(r"^(city|locality|panel)(?::([-\w]{1,80}))?$")


def scope_and_period(request: HttpRequest) -> tuple[Scope, Period]:
    """The scope and period the query names, in the report page's words (`scope`: "city",
    "locality:<slug>" or "panel:<slug>"; `period`: "2026-q3" or "2026-09"), or 404. Without
    them: the whole city, or a coordinator's first panel, and the last complete quarter."""
    wanted_scope = request.GET.get("scope", "")
    if not wanted_scope:
        city, _, panels = builder_selectors.scope_choices(viewer=request.user)
        if not city and not panels:
            raise Http404("You coordinate no panel")
        wanted_scope = "city" if city else f"panel:{panels[0].slug}"
    scope_match = SCOPE.match(wanted_scope)
    if not scope_match or (scope_match[1] == "city") == bool(scope_match[2]):
        raise Http404("No such panel or area")
    scope = builder_selectors.scope_from(
        viewer=request.user, kind=scope_match[1], slug=scope_match[2] or ""
    )
    today = timezone.localdate()
    wanted_period = request.GET.get("period", "")
    if not wanted_period:
        return scope, last_complete_quarter(today)
    period_match = PERIOD.match(wanted_period)
    if not period_match:
        raise Http404("No such period")
    year, part = int(period_match[1]), period_match[2]
    period = (
        Period.quarter(year, int(part[1]))
        if part.startswith("q")
        else Period.month(year, int(part))
    )
    if period.start > today or year < builder_services.FIRST_YEAR:
        raise Http404("That period has not started")
    return scope, period


@require_GET
def return_csv(request: HttpRequest) -> HttpResponse:
    scope, period = scope_and_period(request)
    return _download(request, "csv", scope=scope, period=period)


@require_GET
def return_xlsx(request: HttpRequest) -> HttpResponse:
    scope, period = scope_and_period(request)
    return _download(request, "xlsx", scope=scope, period=period)


@require_GET
def steering_pdf(request: HttpRequest) -> HttpResponse:
    scope, period = scope_and_period(request)
    return _download(request, "pdf", scope=scope, period=period)
