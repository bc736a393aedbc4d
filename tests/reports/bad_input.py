"""The reports app's rows of the bad-input table (tests/accounts/test_bad_input.py): data
quality and the report page."""

from typing import Any

from django.urls import reverse

from tests.factories import PanelFactory


def grid_page(world: Any) -> str:
    PanelFactory(slug="a-quality-panel")
    return world.as_persona("strategic_manager", reverse("reports:data_quality"))


GRID_WRONG = (("months", "7"), ("months", "six"), ("panel", "no-such-panel"))


# The report page (docs/reports.md).


def report_page(world: Any) -> str:
    return world.as_persona("strategic_manager", reverse("reports:report"))


REPORT_WRONG = (
    ("scope", "nowhere"),
    ("scope", "panel:no-such-panel"),
    ("period", "2026-q9"),
    ("period", "1999-01"),
)
