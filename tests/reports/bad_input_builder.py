"""The report builder's rows of the bad-input table (tests/accounts/test_bad_input.py). `world`
is that module's World; a strategic manager builds reports, on any scope."""

from typing import Any

from django.urls import reverse

from joinedup.reports.models_saved import SavedReport
from tests.factories import LocalityFactory, PanelFactory

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def _scopes(world: Any) -> None:
    if "report_panel" not in world.__dict__:
        world.report_locality = LocalityFactory(name="Report locality")
        world.report_panel = PanelFactory(name="Report panel")


def create_page(world: Any) -> str:
    _scopes(world)
    return world.as_persona("strategic_manager", reverse("reports:saved_create"))


def edit_page(world: Any) -> str:
    _scopes(world)
    world.as_persona("strategic_manager", "")
    report = SavedReport.objects.create(
        name="City figures",
        owner=world.persona("strategic_manager"),
        scope_kind="city",
        period_rule="last_quarter",
        figures=["referrals_by_month"],
    )
    return reverse("reports:saved_edit", kwargs={"saved_report_id": report.pk})


def answers(world: Any) -> dict[str, Any]:
    return {
        "name": "City quarterly return",
        "scope_kind": "city",
        "period_rule": "quarter",
        "year": "2025",
        "number": "2",
        "figures": ["referrals_by_month", "referrals_by_sector"],
    }


SAVED_WRONG = (
    ("scope_kind", "galaxy"),
    ("locality", UNKNOWN_ID),
    ("locality", "not-an-id"),
    ("panel", UNKNOWN_ID),
    ("period_rule", "fortnight"),
    ("year", "twenty"),
    ("year", "1999"),
    ("number", "five"),
    ("number", "9"),
    ("figures", ["no_such_figure"]),
)


def saved_as_saved(world: Any) -> Any:
    return list(SavedReport.objects.order_by("pk").values_list("name", "figures", "year"))
