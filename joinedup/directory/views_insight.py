"""Overlap in provision and funding cliffs (docs/directory-overlap-and-funding.md): two read-only
pages for panel coordinators, panel chairs, strategic managers and system administrators."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.core.forms import GovukForm
from joinedup.core.spreadsheets import safe_cell
from joinedup.directory import insight
from joinedup.directory.models import TaxonomyTerm
from joinedup.organisations.models import Locality


class NeedChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        # A value that is not even an id gets the same message as an unknown one, rather than
        # the database's words about UUIDs.
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def label_from_instance(self, obj: Any) -> str:
        term: TaxonomyTerm = obj
        return f"{term.name} ({term.taxonomy.name})" if term.taxonomy else term.name


class OverlapForm(GovukForm):
    """Which overlaps to show: one locality's or everywhere, one need or every need."""

    locality = forms.ModelChoiceField(
        label="Locality",
        help_text="Services in one locality, with the services that cover the whole city.",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="Every locality",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
    need = NeedChoiceField(
        label="Need",
        help_text="What the services help with, from the directory's list of needs.",
        required=False,
        queryset=TaxonomyTerm.objects.select_related("taxonomy").order_by("name"),
        empty_label="Every need",
        error_messages={"invalid_choice": "Select a need from the list"},
    )


class FundingForm(GovukForm):
    months = forms.TypedChoiceField(
        label="Funding that ends in the next",
        help_text="Services with a funding stream that ends within this time.",
        required=False,
        coerce=int,
        choices=[(months, f"{months} months") for months in insight.WINDOWS],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select 3, 6 or 12 months"},
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and not data.get("months"):
            # With no answer yet, the radios show the window the page uses.
            data = data.copy()
            data["months"] = str(insight.DEFAULT_WINDOW)
        super().__init__(data, **kwargs)


@require_GET
def overlap(request: HttpRequest) -> HttpResponse:
    form = OverlapForm(request.GET)
    found = None
    if form.is_valid():
        found = insight.overlaps(
            locality=form.cleaned_data["locality"], need=form.cleaned_data["need"]
        )
    return render(request, "directory/overlap.html", {"form": form, "overlap": found})


def _months(form: FundingForm) -> int | None:
    if not form.is_valid():
        return None
    months: int = form.cleaned_data["months"] or insight.DEFAULT_WINDOW
    return months


@require_GET
def funding(request: HttpRequest) -> HttpResponse:
    form = FundingForm(request.GET)
    months = _months(form)
    cliffs = None if months is None else insight.funding_cliffs(viewer=request.user, months=months)
    return render(request, "directory/funding.html", {"form": form, "cliffs": cliffs})


@require_GET
def funding_csv(request: HttpRequest) -> HttpResponse:
    """The funding cliff list as a spreadsheet: one row per funding stream of each service on
    the list, with the service's count of children as the page shows it to this person."""
    form = FundingForm(request.GET)
    months = _months(form)
    if months is None:
        return render(request, "directory/funding.html", {"form": form, "cliffs": None})
    cliffs = insight.funding_cliffs(viewer=request.user, months=months)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="funding-ending-next-{months}-months.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "Service",
            "Provider",
            "Service status",
            "Funding source",
            "Amount (GBP)",
            "Starts on",
            "Ends on",
            f"Ends in the next {months} months",
            "Children in open plans using the service",
        ]
    )
    for row in cliffs.services:
        for stream in row.streams:
            writer.writerow(
                [
                    safe_cell(row.service.name),
                    safe_cell(row.service.provider.name),
                    safe_cell(row.service.get_status_display()),
                    safe_cell(stream.funding.source),
                    safe_cell(stream.funding.amount),
                    safe_cell(stream.funding.starts_on),
                    safe_cell(stream.funding.ends_on),
                    "Yes" if stream.ends_in_window else "No",
                    safe_cell(row.children.text),
                ]
            )
    return response
