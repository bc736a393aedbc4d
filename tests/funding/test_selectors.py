"""The funding reads on hand-built data: the list's filters, the timeline's quarters and
counts, the small-number rule for strategic managers, and query counts that stay the same as
the data grows."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from joinedup.core.roles import Role
from joinedup.dashboards.figures import FEWER
from joinedup.funding import selectors
from joinedup.funding.models import FundedPost, FundedService
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    FunderFactory,
    FundingStreamFactory,
    LocalityFactory,
    PostFactory,
    ServiceFactory,
)
from tests.funding.helpers import children_using, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_person(Role.PANEL_COORDINATOR)


@pytest.fixture
def manager():
    return make_person(Role.STRATEGIC_MANAGER)


def _fund(stream, *services, posts=()):
    for service in services:
        FundedService.objects.create(stream=stream, service=service)
    for post in posts:
        FundedPost.objects.create(stream=stream, post=post)
    return stream


def test_the_list_filters_by_funder_locality_window_and_words(coordinator):
    council = FunderFactory(name="Bristol City Council")
    easton = LocalityFactory(name="Easton")
    FundingStreamFactory(funder=council, name="Early help grant", ends_on=in_days(40))
    FundingStreamFactory(name="Youth grant", ends_on=in_days(150), locality=easton)
    FundingStreamFactory(name="Bereavement", purpose="Grief support", ends_on=in_days(300))
    FundingStreamFactory(name="Old", ends_on=in_days(-3))

    def names(**filters):
        return [s.name for s in selectors.stream_list(viewer=coordinator, **filters)]

    assert names() == ["Old", "Early help grant", "Youth grant", "Bereavement"]
    assert names(funder=council) == ["Early help grant"]
    assert names(locality=easton) == ["Youth grant"]
    assert names(months=3) == ["Early help grant"]
    assert names(months=6) == ["Early help grant", "Youth grant"]
    assert names(months=12) == ["Early help grant", "Youth grant", "Bereavement"]
    assert names(query="grief") == ["Bereavement"]
    assert names(query="bristol help") == ["Early help grant"]


def test_the_list_counts_services_and_posts_in_one_query(coordinator, django_assert_num_queries):
    for _ in range(3):
        _fund(FundingStreamFactory(), ServiceFactory(), ServiceFactory(), posts=[PostFactory()])
    with django_assert_num_queries(1):
        streams = selectors.stream_list(viewer=coordinator)
    assert [(s.service_count, s.post_count) for s in streams] == [(2, 1)] * 3


def test_the_timeline_groups_streams_by_the_quarter_they_end_in(coordinator, monkeypatch):
    # Only the timeline's today: the coordinator's role is held from the real today.
    monkeypatch.setattr(selectors, "timezone", SimpleNamespace(localdate=lambda: date(2026, 1, 10)))
    club, mentoring, boxing = ServiceFactory(), ServiceFactory(), ServiceFactory()
    worker = PostFactory(hours_per_week=Decimal("18.5"))
    FundingStreamFactory(name="Ended", starts_on=date(2025, 1, 1), ends_on=date(2026, 1, 9))
    first = _fund(
        FundingStreamFactory(
            name="March", starts_on=date(2025, 1, 1), ends_on=date(2026, 3, 31), amount=1000
        ),
        club,
        mentoring,
        posts=[worker],
    )
    _fund(
        FundingStreamFactory(
            name="February", starts_on=date(2025, 1, 1), ends_on=date(2026, 2, 1), amount=500
        ),
        mentoring,
    )
    _fund(
        FundingStreamFactory(name="July", starts_on=date(2025, 1, 1), ends_on=date(2026, 7, 1)),
        boxing,
    )
    shared = ChildFactory()
    children_using(club, 2, children=[shared, ChildFactory()])
    children_using(mentoring, 1, children=[shared])
    children_using(boxing, 6)

    timeline = selectors.funding_timeline(viewer=coordinator)

    assert [q.label for q in timeline.quarters] == [
        "January to March 2026",
        "July to September 2026",
    ]
    winter, summer = timeline.quarters
    assert [e.stream.name for e in winter.entries] == ["February", "March"]
    assert winter.amount == Decimal(1500)
    assert (winter.services, winter.posts, winter.hours) == (2, 1, Decimal("18.5"))
    # The child using both services is counted once.
    assert winter.children.text == "2"
    march = winter.entries[1]
    assert march.stream == first
    assert sorted(line.children.text for line in march.services) == ["1", "2"]
    assert march.children.text == "2"
    assert [link.post for link in march.posts] == [worker]
    assert summer.children.text == "6"
    assert [q.label for q in selectors.funding_timeline(viewer=coordinator, months=3).quarters] == [
        "January to March 2026"
    ]


def test_strategic_managers_see_small_counts_suppressed_as_on_the_directory_page(manager):
    few, many = ServiceFactory(), ServiceFactory()
    _fund(FundingStreamFactory(ends_on=in_days(30)), few, many)
    children_using(few, 3)
    children_using(many, 7)

    entry = selectors.funding_timeline(viewer=manager).quarters[0].entries[0]

    counts = {line.link.service_id: line.children for line in entry.services}
    assert counts[few.pk].text == FEWER
    assert counts[many.pk].text == "7"
    # 10 children, but with a part suppressed the total would give it away.
    assert entry.children.suppressed or entry.children.held_back
    exact = selectors.funding_timeline(viewer=make_person(Role.SYSTEM_ADMIN))
    assert exact.quarters[0].entries[0].children.text == "10"


def _grow(count):
    for _ in range(count):
        service = ServiceFactory()
        stream = _fund(FundingStreamFactory(ends_on=in_days(20)), service, posts=[PostFactory()])
        children_using(service, 1)
        assert stream


def test_the_timeline_and_the_stream_page_cost_the_same_queries_as_data_grows(
    coordinator, django_assert_num_queries
):
    _grow(2)
    selectors.funding_timeline(viewer=coordinator)  # the viewer's roles, read once
    with django_assert_num_queries(4):
        selectors.funding_timeline(viewer=coordinator)
    _grow(5)
    with django_assert_num_queries(4):
        timeline = selectors.funding_timeline(viewer=coordinator)
    assert timeline.streams == 7
    stream_id = timeline.quarters[0].entries[0].stream.pk
    with django_assert_num_queries(4):
        selectors.stream_detail(viewer=coordinator, stream_id=stream_id)
