"""The report page's choice of scope and period (a GET form: bad input names the field)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.core.forms import GovukForm
from joinedup.reports.tables import Period, Scope

QUARTERS_BACK = 8
MONTHS_BACK = 12


def _scope_value(scope: Scope) -> str:
    if scope.kind == "locality":
        return f"locality:{scope.locality.slug}"
    if scope.kind == "panel":
        return f"panel:{scope.panel.slug}"
    return "city"


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def last_complete_quarter(today: date) -> tuple[int, int]:
    year, quarter = _quarter_of(today)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def period_choices(today: date) -> list[tuple[str, str, Period]]:
    """(value, label, period): quarters first, the current one so far, then months."""
    found = []
    year, quarter = _quarter_of(today)
    for back in range(QUARTERS_BACK):
        period = Period.quarter(year, quarter)
        so_far = " (so far)" if back == 0 else ""
        found.append((f"{year}-q{quarter}", f"{period.label}{so_far}", period))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    month = today.replace(day=1)
    for back in range(MONTHS_BACK):
        period = Period.month(month.year, month.month)
        so_far = " (so far)" if back == 0 else ""
        found.append((f"{month:%Y-%m}", f"{period.label}{so_far}", period))
        month = (month - timedelta(days=1)).replace(day=1)
    return found


class ReportForm(GovukForm):
    scope = forms.ChoiceField(
        label="Panel or area",
        help_text="A panel, a locality or the whole city, as far as your role lets you see.",
        error_messages={
            "invalid_choice": "Select a panel or area from the list",
            "required": "Select a panel or area",
        },
    )
    period = forms.ChoiceField(
        label="Period",
        help_text="A quarter (January to March is the first) or a month.",
        error_messages={
            "invalid_choice": "Select a period from the list",
            "required": "Select a period",
        },
    )

    def __init__(self, *args: Any, scopes: list[Scope], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.scopes = {_scope_value(scope): scope for scope in scopes}
        self.periods = {value: period for value, _, period in period_choices(today)}
        scope_field: Any = self.fields["scope"]
        scope_field.choices = [(value, scope.label) for value, scope in self.scopes.items()]
        period_field: Any = self.fields["period"]
        period_field.choices = [(value, label) for value, label, _ in period_choices(today)]

    @classmethod
    def defaults(cls, scopes: list[Scope]) -> dict[str, str]:
        year, quarter = last_complete_quarter(timezone.localdate())
        return {
            "scope": _scope_value(scopes[0]) if scopes else "",
            "period": f"{year}-q{quarter}",
        }

    def chosen(self) -> tuple[Scope, Period]:
        data = self.cleaned_data
        return self.scopes[data["scope"]], self.periods[data["period"]]
