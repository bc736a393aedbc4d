"""The data-quality pages (docs/data-quality.md): thin, the reads are in quality_selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.reports import quality_selectors
from joinedup.reports.quality_forms import DEFAULT_MONTHS, QualityFilterForm


@require_GET
def data_quality(request: HttpRequest) -> HttpResponse:
    panels = quality_selectors.grid_panels(request.user)
    form = QualityFilterForm(request.GET or None, panels=panels)
    grid = None
    if not request.GET:
        grid = quality_selectors.quality_grid(viewer=request.user, months=DEFAULT_MONTHS)
    elif form.is_valid():
        grid = quality_selectors.quality_grid(
            viewer=request.user,
            months=form.cleaned_data["months"] or DEFAULT_MONTHS,
            panel=form.cleaned_data["panel"],
        )
    return render(
        request,
        "reports/data_quality.html",
        {"form": form, "grid": grid, "has_panels": bool(panels)},
    )


@require_GET
def data_quality_records(
    request: HttpRequest, slug: str, field_key: str, year: int, month: int
) -> HttpResponse:
    records = quality_selectors.quality_records(
        viewer=request.user,
        panel_slug=slug,
        field_key=field_key,
        year=year,
        month=month,
        purpose="Data quality: records to fix",
    )
    return render(request, "reports/data_quality_records.html", {"records": records})
