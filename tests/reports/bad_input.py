"""Data quality's rows of the bad-input table (tests/accounts/test_bad_input.py)."""

from typing import Any

from django.urls import reverse

from tests.factories import PanelFactory


def grid_page(world: Any) -> str:
    PanelFactory(slug="a-quality-panel")
    return world.as_persona("strategic_manager", reverse("reports:data_quality"))


GRID_WRONG = (("months", "7"), ("months", "six"), ("panel", "no-such-panel"))
