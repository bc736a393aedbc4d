"""Overlap in provision (joinedup.directory.insight.overlaps): which running services are grouped
as sharing a need, ages and an area, and which are not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.directory.insight import overlaps
from joinedup.directory.models import ServiceArea, ServiceStatus
from joinedup.directory.synthetic import generate_directory
from tests.conftest import make_person
from tests.factories import (
    FundingFactory,
    LocalityFactory,
    ProviderFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def _service(name, *, need, locality=None, ages=(8, 17), **fields):
    """A service for `need` in `locality` (None: the whole city)."""
    service = ServiceFactory(name=name, minimum_age=ages[0], maximum_age=ages[1], **fields)
    ServiceTermFactory(service=service, term=need)
    ServiceArea.objects.create(
        service=service, name=locality.name if locality else "Bristol", locality=locality
    )
    return service


@pytest.fixture
def places():
    return LocalityFactory(name="Easton", slug="easton"), LocalityFactory(
        name="Hartcliffe", slug="hartcliffe"
    )


@pytest.fixture
def outdoor():
    return TaxonomyTermFactory(name="Outdoor and adventure")


def _names(group):
    return [entry.service.name for entry in group.services]


def test_services_for_one_need_in_one_locality_with_overlapping_ages_are_grouped(places, outdoor):
    easton, _ = places
    _service("Climbing club", need=outdoor, locality=easton, ages=(10, 16))
    _service("Canoe trips", need=outdoor, locality=easton, ages=(12, 18))

    found = overlaps()

    assert len(found.groups) == 1
    group = found.groups[0]
    assert (group.need, group.locality) == (outdoor, easton)
    assert _names(group) == ["Canoe trips", "Climbing club"]
    assert group.shared_ages == (12, 16)
    assert group.providers == 2


def test_what_does_not_overlap_is_not_grouped(places, outdoor):
    easton, hartcliffe = places
    sport = TaxonomyTermFactory(name="Sport")
    _service("Climbing club", need=outdoor, locality=easton, ages=(10, 13))
    # Another need, other ages, another locality, not running: none overlaps with it.
    _service("Football", need=sport, locality=easton, ages=(10, 13))
    _service("Forest school", need=outdoor, locality=easton, ages=(4, 9))
    _service("Hill walking", need=outdoor, locality=hartcliffe, ages=(10, 13))
    _service(
        "Old sailing club",
        need=outdoor,
        locality=easton,
        ages=(10, 13),
        status=ServiceStatus.INACTIVE,
    )
    _service(
        "Closed camp", need=outdoor, locality=easton, ages=(10, 13), status=ServiceStatus.DEFUNCT
    )

    assert overlaps().groups == []


def test_a_city_wide_service_overlaps_with_each_localitys_services(places, outdoor):
    easton, hartcliffe = places
    _service("Climbing club", need=outdoor, locality=easton)
    _service("Hill walking", need=outdoor, locality=hartcliffe)
    _service("City sailing", need=outdoor)

    groups = overlaps().groups

    assert [(g.area, _names(g)) for g in groups] == [
        ("Easton", ["City sailing", "Climbing club"]),
        ("Hartcliffe", ["City sailing", "Hill walking"]),
    ]
    assert [entry.city_wide for entry in groups[0].services] == [True, False]


def test_city_wide_services_together_are_one_group_for_the_whole_city(places, outdoor):
    easton, _ = places
    _service("City sailing", need=outdoor)
    _service("City climbing", need=outdoor)
    _service("Climbing club", need=outdoor, locality=easton, ages=(0, 5))

    groups = overlaps().groups

    assert [(g.area, _names(g)) for g in groups] == [
        ("the whole city", ["City climbing", "City sailing"])
    ]


def test_ages_overlapping_in_a_chain_make_one_group_with_no_shared_age(places, outdoor):
    easton, _ = places
    _service("Juniors", need=outdoor, locality=easton, ages=(5, 10))
    _service("Middles", need=outdoor, locality=easton, ages=(9, 14))
    _service("Seniors", need=outdoor, locality=easton, ages=(13, 18))
    _service("Young adults", need=outdoor, locality=easton, ages=(20, 25))

    [group] = overlaps().groups

    assert _names(group) == ["Juniors", "Middles", "Seniors"]
    assert group.shared_ages is None
    assert group.ages_covered == (5, 18)


def test_a_service_with_no_ages_takes_every_age(places, outdoor):
    easton, _ = places
    _service("Anyone", need=outdoor, locality=easton, ages=(None, None))
    _service("Teens", need=outdoor, locality=easton, ages=(13, 19))

    [group] = overlaps().groups

    assert group.shared_ages == (13, 19)


def test_the_same_provider_twice_is_still_an_overlap(places, outdoor):
    easton, _ = places
    provider = ProviderFactory()
    _service("Climbing club", need=outdoor, locality=easton, provider=provider)
    _service("Climbing club two", need=outdoor, locality=easton, provider=provider)

    [group] = overlaps().groups

    assert group.providers == 1


def test_filters_by_locality_and_need(places, outdoor):
    easton, hartcliffe = places
    sport = TaxonomyTermFactory(name="Sport")
    for need in (outdoor, sport):
        for locality in (easton, hartcliffe):
            _service(f"{need.name} A {locality}", need=need, locality=locality)
            _service(f"{need.name} B {locality}", need=need, locality=locality)

    assert len(overlaps().groups) == 4
    only = overlaps(locality=easton, need=sport).groups
    assert [(g.need, g.locality) for g in only] == [(sport, easton)]
    assert {(g.need, g.locality) for g in overlaps(locality=hartcliffe).groups} == {
        (outdoor, hartcliffe),
        (sport, hartcliffe),
    }


def test_waiting_lists_say_whether_demand_is_high(places, outdoor):
    easton, hartcliffe = places
    _service("A", need=outdoor, locality=easton, capacity=10, waiting_list_count=6)
    _service("B", need=outdoor, locality=easton, capacity=10, waiting_list_count=0)
    _service("C", need=outdoor, locality=hartcliffe, waiting_list_count=0)
    _service("D", need=outdoor, locality=hartcliffe, waiting_list_count=0)

    easton_group, hartcliffe_group = overlaps().groups

    assert (easton_group.demand, easton_group.waiting, easton_group.with_waiting_list) == (
        "waiting",
        6,
        1,
    )
    assert hartcliffe_group.demand == "spare"


def test_each_service_shows_its_next_funding_end(places, outdoor):
    easton, _ = places
    today = timezone.localdate()
    first = _service("A", need=outdoor, locality=easton)
    _service("B", need=outdoor, locality=easton)
    FundingFactory(service=first, ends_on=today + timedelta(days=300))
    FundingFactory(service=first, ends_on=today + timedelta(days=40))
    FundingFactory(service=first, ends_on=today - timedelta(days=3))

    [group] = overlaps().groups

    assert [entry.funding_ends_on for entry in group.services] == [
        today + timedelta(days=40),
        None,
    ]


def test_the_number_of_queries_does_not_grow_with_the_directory(django_assert_num_queries, places):
    generate_directory(100, seed=1)
    with django_assert_num_queries(4):
        small = overlaps()
    generate_directory(600, seed=2)
    with django_assert_num_queries(4):
        large = overlaps()
    assert large.services > small.services > 0


def test_the_page_lists_the_groups_with_links_to_each_service(client, sign_in, places, outdoor):
    easton, _ = places
    first = _service("Climbing club", need=outdoor, locality=easton, waiting_list_count=3)
    _service("Canoe trips", need=outdoor, locality=easton)
    sign_in(make_person(Role.PANEL_COORDINATOR))

    page = client.get(reverse("directory:overlap"), {"locality": "easton"})

    text = page.content.decode()
    assert page.status_code == 200
    assert "Outdoor and adventure in Easton" in text
    assert f"/directory/services/{first.pk}/" in text or str(first.pk) in text
    assert "1 of them has a waiting list (3 waiting in all)" in text


def test_the_page_says_when_nothing_overlaps(client, sign_in):
    sign_in(make_person(Role.STRATEGIC_MANAGER))

    page = client.get(reverse("directory:overlap"))

    assert "No overlapping services" in page.content.decode()


def test_a_bad_filter_is_named(client, sign_in):
    sign_in(make_person(Role.PANEL_CHAIR))

    page = client.get(reverse("directory:overlap"), {"locality": "nowhere", "need": "x"})

    text = page.content.decode()
    assert "Select a locality from the list" in text
    assert "Select a need from the list" in text
    assert 'href="#id_locality"' in text


def test_the_page_keeps_its_queries_constant(
    client, sign_in, django_assert_max_num_queries, places
):
    sign_in(make_person(Role.SYSTEM_ADMIN))
    generate_directory(600, seed=3)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("directory:overlap"))
    assert page.status_code == 200
