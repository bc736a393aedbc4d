"""Saved reports (docs/report-exports.md): a coordinator's or manager's chosen scope, period rule
and figures, kept to be opened and downloaded again. Private to its owner unless shared, and a
shared report is seen only by people who may see its scope (reports/builder_selectors.py)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel
from joinedup.reports.tables import Period, Scope


class ScopeKind(models.TextChoices):
    CITY = "city", "The whole city"
    LOCALITY = "locality", "One locality"
    PANEL = "panel", "One panel"


class PeriodRule(models.TextChoices):
    LAST_MONTH = "last_month", "The last complete month"
    LAST_QUARTER = "last_quarter", "The last complete quarter"
    MONTH = "month", "A month I choose"
    QUARTER = "quarter", "A quarter I choose"


def last_complete_month(today: date) -> Period:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return Period.month(year, month)


def last_complete_quarter(today: date) -> Period:
    quarter = (today.month - 1) // 3  # the quarter before today's, 0 meaning last year's 4th
    return Period.quarter(today.year, quarter) if quarter else Period.quarter(today.year - 1, 4)


class SavedReportQuerySet(models.QuerySet["SavedReport"]):
    def live(self) -> SavedReportQuerySet:
        return self.filter(deleted_at__isnull=True)


class SavedReport(BaseModel):
    name = models.CharField(max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_reports"
    )
    scope_kind = models.CharField(max_length=16, choices=ScopeKind.choices)
    locality = models.ForeignKey(
        "organisations.Locality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_rule = models.CharField(max_length=16, choices=PeriodRule.choices)
    # For a fixed period: the year, and the month (1 to 12) or the quarter (1 to 4).
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    # catalogue.FIGURES keys, in the order the report shows them.
    figures = models.JSONField(default=list)
    shared = models.BooleanField(
        default=False, help_text="Shared with others who may see the report's scope."
    )
    # Deleted reports are kept a while so that a deletion can be undone.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = SavedReportQuerySet.as_manager()

    class Meta:
        ordering = ["name", "created_at"]
        constraints = [
            models.CheckConstraint(
                name="saved_report_scope_matches_kind",
                condition=(
                    models.Q(scope_kind="city", locality__isnull=True, panel__isnull=True)
                    | models.Q(scope_kind="locality", locality__isnull=False, panel__isnull=True)
                    | models.Q(scope_kind="panel", locality__isnull=True, panel__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self) -> Scope:
        if self.scope_kind == ScopeKind.LOCALITY:
            return Scope("locality", locality=self.locality)
        if self.scope_kind == ScopeKind.PANEL:
            return Scope("panel", panel=self.panel)
        return Scope("city")

    def period(self, today: date) -> Period:
        if self.period_rule == PeriodRule.LAST_MONTH:
            return last_complete_month(today)
        if self.period_rule == PeriodRule.LAST_QUARTER:
            return last_complete_quarter(today)
        assert self.year is not None and self.number is not None
        if self.period_rule == PeriodRule.MONTH:
            return Period.month(self.year, self.number)
        return Period.quarter(self.year, self.number)

    @property
    def period_description(self) -> str:
        if self.period_rule == PeriodRule.MONTH and self.year and self.number:
            return f"{calendar.month_name[self.number]} {self.year}"
        if self.period_rule == PeriodRule.QUARTER and self.year and self.number:
            return Period.quarter(self.year, self.number).label
        return str(PeriodRule(self.period_rule).label)

    def figure_titles(self) -> list[str]:
        from joinedup.reports.catalogue import FIGURE_TITLES

        return [FIGURE_TITLES[key] for key in self.figures if key in FIGURE_TITLES]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scope_kind": self.scope_kind,
            "locality": str(self.locality_id or ""),
            "panel": str(self.panel_id or ""),
            "period_rule": self.period_rule,
            "year": self.year,
            "number": self.number,
            "figures": list(self.figures),
            "shared": self.shared,
        }
