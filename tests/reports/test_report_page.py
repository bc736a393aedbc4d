"""The report page: who may see which panel or area, choosing the period, the empty state, and
a bounded number of queries however much data there is."""

from datetime import date

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from joinedup.reports.catalogue import FIGURES
from joinedup.reports.forms import last_complete_quarter
from joinedup.reports.selectors import build_report, scopes_for
from joinedup.reports.tables import Scope
from tests.conftest import make_person
from tests.factories import PanelMemberFactory
from tests.reports import world as hand_built

URL = reverse("reports:report")
Q1 = {"period": "2026-q1"}


@pytest.fixture
def world(db):
    return hand_built.build()


def lead(world, role=Role.PANEL_COORDINATOR, panel_role=PanelRole.COORDINATOR):
    person = make_person(role)
    PanelMemberFactory(
        panel=world.easton_panel, user=person, role=panel_role, started_on=date(2020, 1, 1)
    )
    return person


def test_a_strategic_manager_may_choose_the_city_a_locality_or_any_panel(
    world, strategic_manager, sign_in
):
    client = sign_in(strategic_manager)
    page = client.get(URL, {**Q1, "scope": "city"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "The whole city: January to March 2026" in text
    assert 'role="img"' in text
    assert "Referrals by sector" in text
    choices = [label for _, label in page.context["form"].fields["scope"].choices]
    assert choices == ["The whole city", "Easton", "Knowle West", "Easton panel", "Knowle panel"]
    locality = client.get(URL, {**Q1, "scope": "locality:easton"})
    assert "Easton: January to March 2026" in locality.content.decode()
    # Never a child's name.
    assert "Zarrowby" not in text and "Quillon" not in text
    for child in world.children.values():
        assert child.reference not in text


def test_the_default_is_the_last_complete_quarter_of_the_first_scope(
    world, strategic_manager, sign_in
):
    page = sign_in(strategic_manager).get(URL)
    assert page.status_code == 200
    year, quarter = last_complete_quarter(date.today())
    assert page.context["form"]["period"].value() == f"{year}-q{quarter}"
    assert page.context["report"].scope.kind == "city"


@pytest.mark.parametrize(
    ("role", "panel_role"),
    [(Role.PANEL_COORDINATOR, PanelRole.COORDINATOR), (Role.PANEL_CHAIR, PanelRole.CHAIR)],
)
def test_a_coordinator_or_chair_sees_only_their_own_panels(world, sign_in, role, panel_role):
    person = lead(world, role, panel_role)
    assert [s.panel for s in scopes_for(viewer=person)] == [world.easton_panel]
    client = sign_in(person)
    own = client.get(URL, {**Q1, "scope": "panel:easton-panel"})
    assert own.status_code == 200
    assert "Easton panel: January to March 2026" in own.content.decode()
    other = client.get(URL, {**Q1, "scope": "panel:knowle-panel"})
    assert other.status_code == 200
    assert other.context["report"] is None
    assert "Select a panel or area from the list" in other.content.decode()
    for scope in ("city", "locality:easton"):
        assert client.get(URL, {**Q1, "scope": scope}).context["report"] is None
    with pytest.raises(Http404):
        build_report(
            viewer=person, scope=Scope("panel", panel=world.knowle_panel), period=hand_built.QUARTER
        )
    with pytest.raises(Http404):
        build_report(viewer=person, scope=Scope("city"), period=hand_built.QUARTER)


def test_a_coordinator_of_no_panel_is_told_there_is_no_report(db, sign_in):
    page = sign_in(make_person(Role.PANEL_COORDINATOR)).get(URL)
    assert page.status_code == 200
    assert "You do not coordinate or chair a panel" in page.content.decode()


def test_a_keyworker_cannot_open_reports(db, keyworker, sign_in):
    assert sign_in(keyworker).get(URL).status_code == 403


def test_bad_input_names_the_field(world, strategic_manager, sign_in):
    page = sign_in(strategic_manager).get(URL, {"period": "2026-q9", "scope": "nowhere"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "Select a period from the list" in text
    assert "Select a panel or area from the list" in text
    # With no report, the heading alone says where you are: no caption repeating it.
    assert '<h1 class="govuk-heading-xl">Reports</h1>' in text
    assert '<span class="govuk-caption-l">Reports</span>' not in text


def test_a_period_with_nothing_in_it_says_so(db, strategic_manager, sign_in):
    page = sign_in(strategic_manager).get(URL, {"scope": "city"})
    assert page.status_code == 200
    assert "Nothing to report" in page.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_data(world, strategic_manager):
    def count():
        with CaptureQueriesContext(connection) as captured:
            build_report(viewer=strategic_manager, scope=Scope("city"), period=hand_built.QUARTER)
        return len(captured)

    count()  # the viewer's roles are read once, then remembered
    before = count()
    # As much again: a second copy of every record in other panels and places.
    hand_built.build(prefix="second ")
    after = count()
    assert after == before
    # Two or three queries a figure, with the completeness of the fields behind it.
    assert before <= 3 * len(FIGURES)
