"""Funding cliffs (joinedup.directory.insight.funding_cliffs): services whose funding ends in the
window, nearest first, each stream shown, and the children in open plans who use them, counted
once per service and suppressed below 5 for strategic managers."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.dashboards.figures import FEWER, HELD_BACK
from joinedup.directory.insight import add_months, funding_cliffs, services_with_funding_ending
from joinedup.directory.models import ServiceStatus
from joinedup.directory.synthetic import generate_directory
from joinedup.plans.models import Intervention, InterventionStatus, Outcome, Plan, PlanStatus
from tests.conftest import make_person
from tests.factories import ChildFactory, FundingFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _in(days):
    return timezone.localdate() + timedelta(days=days)


def _plan(child=None, *, status=PlanStatus.OPEN):
    child = child or ChildFactory()
    keyworker = make_person(Role.KEYWORKER)
    organisation = keyworker.memberships.get().organisation
    today = timezone.localdate()
    closed = status == PlanStatus.CLOSED
    return Plan.objects.create(
        child=child,
        keyworker=keyworker,
        keyworker_organisation=organisation,
        opened_on=today - timedelta(days=90),
        next_review_on=today,
        status=status,
        closed_on=today if closed else None,
        outcome=Outcome.values[0] if closed else "",
    )


def _uses(service, plan, *, status=InterventionStatus.STARTED):
    return Intervention.objects.create(
        plan=plan,
        service=service.name,
        directory_service=service,
        provider_name=service.provider.name,
        starts_on=timezone.localdate(),
        frequency="Weekly",
        status=status,
        stopped_reason="Moved away" if status == InterventionStatus.STOPPED else "",
    )


@pytest.fixture
def coordinator():
    return make_person(Role.PANEL_COORDINATOR)


def test_services_are_on_the_cliff_for_the_window_asked_for(coordinator):
    soon = FundingFactory(ends_on=_in(20), service__name="Soon").service
    later = FundingFactory(ends_on=_in(150), service__name="Later").service
    FundingFactory(ends_on=_in(300), service__name="Next year")
    FundingFactory(ends_on=_in(500), service__name="Far off")
    FundingFactory(ends_on=_in(-5), service__name="Already ended")
    FundingFactory(ends_on=None, service__name="No end date")

    def names(months):
        return [
            row.service.name for row in funding_cliffs(viewer=coordinator, months=months).services
        ]

    assert names(3) == ["Soon"]
    assert names(6) == ["Soon", "Later"]
    assert names(12) == ["Soon", "Later", "Next year"]
    assert funding_cliffs(viewer=coordinator).months == 6
    assert {soon, later} == {row.service for row in funding_cliffs(viewer=coordinator).services}


def test_the_window_ends_on_the_same_day_months_later():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 1, 15), 12) == date(2026, 1, 15)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_a_service_closed_for_good_is_not_on_the_cliff(coordinator):
    FundingFactory(ends_on=_in(20), service__status=ServiceStatus.DEFUNCT)
    paused = FundingFactory(ends_on=_in(20), service__status=ServiceStatus.TEMPORARILY_CLOSED)

    assert [row.service for row in funding_cliffs(viewer=coordinator).services] == [paused.service]


def test_each_stream_of_a_service_is_shown_and_the_nearest_in_the_window_orders_it(coordinator):
    service = ServiceFactory(name="Two streams")
    FundingFactory(service=service, source="Lottery", ends_on=_in(400), amount=Decimal(9000))
    FundingFactory(service=service, source="Council", ends_on=_in(60), amount=Decimal(12000))
    FundingFactory(service=service, source="Old grant", ends_on=_in(-30))
    FundingFactory(ends_on=_in(30), service__name="Another")

    rows = funding_cliffs(viewer=coordinator).services

    assert [row.service.name for row in rows] == ["Another", "Two streams"]
    two = rows[1]
    assert two.ends_on == _in(60)
    assert [(s.funding.source, s.ends_in_window) for s in two.streams] == [
        ("Old grant", False),
        ("Council", True),
        ("Lottery", False),
    ]
    assert two.streams[0].ended
    assert two.amount_ending == Decimal(12000)


def test_children_are_counted_once_per_service_and_only_in_open_plans(coordinator):
    service = FundingFactory(ends_on=_in(30)).service
    child = ChildFactory()
    plan = _plan(child)
    # Two pieces of support from the same service for one child count once.
    _uses(service, plan)
    _uses(service, plan, status=InterventionStatus.PLANNED)
    _uses(service, _plan())
    # Finished or stopped support, and a closed plan, do not count.
    _uses(service, _plan(), status=InterventionStatus.FINISHED)
    _uses(service, _plan(), status=InterventionStatus.STOPPED)
    _uses(service, _plan(status=PlanStatus.CLOSED))

    [row] = funding_cliffs(viewer=coordinator).services

    assert row.children.value == 2
    assert row.children.text == "2"


def test_totals_per_month_count_each_child_once(coordinator):
    today = timezone.localdate()
    first_of_next = add_months(today.replace(day=1), 1)
    one = FundingFactory(ends_on=first_of_next, amount=Decimal(1000)).service
    two = FundingFactory(ends_on=first_of_next + timedelta(days=5), amount=None).service
    FundingFactory(ends_on=add_months(first_of_next, 2), amount=Decimal(500))
    child = ChildFactory()
    plan = _plan(child)
    _uses(one, plan)
    _uses(two, plan)

    cliffs = funding_cliffs(viewer=coordinator, months=6)

    months = {month.starts_on: month for month in cliffs.by_month}
    assert next(iter(months)) == today.replace(day=1)
    assert len(months) == 7
    month = months[first_of_next]
    assert (month.streams, month.services, month.amount, month.amount_unknown) == (
        2,
        2,
        Decimal(1000),
        1,
    )
    assert month.children.value == 1
    assert months[add_months(first_of_next, 2)].amount == Decimal(500)
    assert cliffs.amount == Decimal(1500)
    assert cliffs.children.value == 1


def test_strategic_managers_see_small_counts_suppressed(coordinator):
    few = FundingFactory(ends_on=_in(20), service__name="Few").service
    many = FundingFactory(ends_on=_in(25), service__name="Many").service
    for _ in range(3):
        _uses(few, _plan())
    for _ in range(6):
        _uses(many, _plan())

    manager = make_person(Role.STRATEGIC_MANAGER)
    shown = funding_cliffs(viewer=manager)
    assert [row.children.text for row in shown.services] == [FEWER, "6"]
    # 9 in all would give the 3 away beside the 6.
    assert shown.children.text == HELD_BACK
    assert not shown.exact

    exact = funding_cliffs(viewer=coordinator)
    assert [row.children.text for row in exact.services] == ["3", "6"]
    assert exact.children.text == "9"
    for role in (Role.PANEL_CHAIR, Role.SYSTEM_ADMIN):
        assert funding_cliffs(viewer=make_person(role)).exact


def test_the_number_of_queries_does_not_grow_with_the_directory(
    django_assert_num_queries, coordinator
):
    from joinedup.core.permissions import roles_of

    roles_of(coordinator)  # the viewer's roles are read once per request, not per service
    generate_directory(60, seed=4)
    with django_assert_num_queries(2):
        small = funding_cliffs(viewer=coordinator, months=12)
    generate_directory(600, seed=5)
    with django_assert_num_queries(2):
        large = funding_cliffs(viewer=coordinator, months=12)
    assert len(large.services) > len(small.services) > 0


def test_the_dashboard_count_is_of_services(coordinator):
    service = ServiceFactory()
    FundingFactory(service=service, ends_on=_in(20))
    FundingFactory(service=service, ends_on=_in(40))
    FundingFactory(ends_on=_in(400))

    assert services_with_funding_ending() == 1
    assert services_with_funding_ending(months=12) == 1


# The page.


def test_the_page_shows_the_cliff_and_changes_window(client, sign_in, coordinator):
    FundingFactory(
        ends_on=_in(20), source="Children's Fund", amount=Decimal(25000), service__name="Soon"
    )
    FundingFactory(ends_on=_in(250), service__name="Later")
    sign_in(coordinator)

    six = client.get(reverse("directory:funding")).content.decode()
    twelve = client.get(reverse("directory:funding"), {"months": "12"}).content.decode()

    assert "Soon" in six and "Later" not in six
    assert "£25,000" in six
    assert 'value="6" checked' in six
    assert "Soon" in twelve and "Later" in twelve


def test_the_page_says_when_no_funding_ends(client, sign_in):
    sign_in(make_person(Role.PANEL_CHAIR))

    page = client.get(reverse("directory:funding"), {"months": "3"})

    assert "No funding ends in the next 3 months" in page.content.decode()


def test_a_window_not_offered_is_named(client, sign_in, coordinator):
    sign_in(coordinator)

    page = client.get(reverse("directory:funding"), {"months": "7"})

    text = page.content.decode()
    assert page.status_code == 200
    assert 'href="#id_months_0">Select 3, 6 or 12 months' in text


def test_the_page_keeps_its_queries_constant(
    client, sign_in, django_assert_max_num_queries, coordinator
):
    sign_in(coordinator)
    generate_directory(600, seed=7)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("directory:funding"), {"months": "12"})
    assert page.status_code == 200


def test_the_spreadsheet_has_a_row_per_stream_and_no_formulas(client, sign_in):
    service = ServiceFactory(name='=HYPERLINK("http://bad.example")')
    FundingFactory(service=service, source="+Lottery", ends_on=_in(20), amount=Decimal(100))
    FundingFactory(service=service, source="Council", ends_on=_in(600))
    for _ in range(2):
        _uses(service, _plan())
    sign_in(make_person(Role.STRATEGIC_MANAGER))

    response = client.get(reverse("directory:funding_csv"), {"months": "3"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert rows[1][0].startswith("'=")
    assert rows[1][3] == "'+Lottery"
    assert [row[7] for row in rows[1:]] == ["Yes", "No"]
    assert rows[1][8] == FEWER


def test_the_coordinators_dashboard_links_to_the_funding_ending(client, sign_in, coordinator):
    from joinedup.panels.models import PanelRole
    from tests.factories import PanelMemberFactory

    PanelMemberFactory(user=coordinator, role=PanelRole.COORDINATOR)
    FundingFactory(ends_on=_in(20))
    FundingFactory(ends_on=_in(40))
    sign_in(coordinator)

    text = client.get(reverse("dashboards:coordinator")).content.decode()

    assert "2 services in the directory have funding that ends in the next 6 months" in text
    assert reverse("directory:funding") in text
