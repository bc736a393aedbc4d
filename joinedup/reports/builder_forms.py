"""The report builder's forms: GOV.UK components, each error naming its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from joinedup.core.forms import GovukForm
from joinedup.organisations.models import Locality
from joinedup.panels.models import Panel
from joinedup.reports import builder_selectors
from joinedup.reports.builder_services import ReportSettings
from joinedup.reports.catalogue import FIGURES
from joinedup.reports.models_saved import PeriodRule, SavedReport, ScopeKind


class QuietModelChoiceField(forms.ModelChoiceField):
    """A choice that is not even an id gets the same message as an unknown one."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class SavedReportForm(GovukForm):
    name = forms.CharField(
        label="Name of the report",
        help_text="For example, “North panel quarterly return”.",
        max_length=120,
    )
    scope_kind = forms.ChoiceField(
        label="What the report covers", choices=ScopeKind.choices, widget=forms.RadioSelect
    )
    locality = QuietModelChoiceField(
        label="Locality",
        queryset=Locality.objects.none(),
        required=False,
        empty_label="Choose a locality",
        help_text="Only when the report covers one locality.",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
    panel = QuietModelChoiceField(
        label="Panel",
        queryset=Panel.objects.none(),
        required=False,
        empty_label="Choose a panel",
        help_text="Only when the report covers one panel.",
        error_messages={"invalid_choice": "Select a panel from the list"},
    )
    period_rule = forms.ChoiceField(
        label="Period",
        choices=PeriodRule.choices,
        widget=forms.RadioSelect,
        help_text="A rule moves on by itself: “the last complete quarter” is always the latest.",
    )
    year = forms.IntegerField(
        label="Year",
        required=False,
        help_text="Only for a month or quarter you choose, for example 2026.",
        error_messages={"invalid": "Year must be a number, like 2026"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )
    number = forms.IntegerField(
        label="Month or quarter",
        required=False,
        help_text="A month from 1 (January) to 12, or a quarter from 1 (January to March) to 4.",
        error_messages={"invalid": "Month or quarter must be a number, like 3"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
    )
    figures = forms.MultipleChoiceField(
        label="Figures",
        choices=[(figure.key, figure.title) for figure in FIGURES],
        widget=forms.CheckboxSelectMultiple,
        help_text="The report shows them in this order.",
        error_messages={"invalid_choice": "Select figures from the list"},
    )
    shared = forms.BooleanField(
        label="Share with others who may see what the report covers",
        required=False,
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city, localities, panels = builder_selectors.scope_choices(viewer=viewer)
        fields: Any = self.fields
        fields["locality"].queryset = Locality.objects.filter(pk__in=[x.pk for x in localities])
        fields["panel"].queryset = Panel.objects.filter(pk__in=[x.pk for x in panels])
        allowed = [
            (value, label)
            for value, label in ScopeKind.choices
            if (value == ScopeKind.CITY and city)
            or (value == ScopeKind.LOCALITY and localities)
            or (value == ScopeKind.PANEL and panels)
        ]
        fields["scope_kind"].choices = allowed
        self.may_build = bool(allowed)
        if not localities:
            del fields["locality"]
        if not panels:
            del fields["panel"]

    def settings(self) -> ReportSettings:
        data = self.cleaned_data
        return ReportSettings(
            name=data["name"],
            scope_kind=data["scope_kind"],
            locality=data.get("locality"),
            panel=data.get("panel"),
            period_rule=data["period_rule"],
            year=data.get("year"),
            number=data.get("number"),
            figures=tuple(data["figures"]),
            shared=data["shared"],
        )


def initial_for(report: SavedReport) -> dict[str, Any]:
    return {
        "name": report.name,
        "scope_kind": report.scope_kind,
        "locality": report.locality_id,
        "panel": report.panel_id,
        "period_rule": report.period_rule,
        "year": report.year,
        "number": report.number,
        "figures": list(report.figures),
        "shared": report.shared,
    }
