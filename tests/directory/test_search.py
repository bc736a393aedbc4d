"""Directory search (joinedup/directory/search.py): each filter, filters together, nearest
first from a postcode, "open now" across day and midnight boundaries, and bad input."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from joinedup.core.errors import FieldError
from joinedup.directory.models import (
    PostcodeDistrict,
    ReferralRoute,
    Schedule,
    ServiceArea,
    ServiceLanguage,
    ServiceStatus,
)
from joinedup.directory.search import PAGE_SIZE, SearchCriteria, schedule_words, service_search
from tests.factories import (
    LocalityFactory,
    LocationFactory,
    ProviderFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Monday 2 March 2026, in London (GMT); 29 June 2026 is a Monday in British Summer Time.
MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)


def names(criteria: SearchCriteria, **kwargs) -> list[str]:
    return [result.service.name for result in service_search(criteria, **kwargs).results]


def at(service, district: str, lat: float, lng: float):
    PostcodeDistrict.objects.get_or_create(
        code=district, defaults={"latitude": lat, "longitude": lng}
    )
    location = LocationFactory(
        postal_code=f"{district} 1AA", postcode_district=district, latitude=lat, longitude=lng
    )
    return ServiceAtLocationFactory(service=service, location=location)


def test_an_empty_search_lists_running_services_by_name():
    ServiceFactory(name="Beta")
    ServiceFactory(name="Alpha")
    ServiceFactory(name="Closed", status=ServiceStatus.DEFUNCT)

    assert names(SearchCriteria()) == ["Alpha", "Beta"]
    assert names(SearchCriteria(include_inactive=True)) == ["Alpha", "Beta", "Closed"]


def test_words_match_the_name_description_provider_and_need():
    ServiceFactory(name="Football club")
    ServiceFactory(name="Second", description="Weekly football in the park")
    ServiceFactory(name="Third", provider=ProviderFactory(name="Footballers Trust"))
    needy = ServiceFactory(name="Fourth")
    ServiceTermFactory(service=needy, term=TaxonomyTermFactory(name="Football coaching"))
    ServiceFactory(name="Chess club")

    assert names(SearchCriteria(words="FOOTBALL")) == ["Football club", "Fourth", "Second", "Third"]
    assert names(SearchCriteria(words="football club")) == ["Football club"]


def test_need_finds_services_with_the_term_or_a_narrower_one():
    mentoring = TaxonomyTermFactory(name="Mentoring")
    peer = TaxonomyTermFactory(name="Peer mentoring", parent=mentoring)
    one, two = ServiceFactory(name="One"), ServiceFactory(name="Two")
    ServiceTermFactory(service=one, term=mentoring)
    ServiceTermFactory(service=two, term=peer)
    ServiceFactory(name="Three")

    assert names(SearchCriteria(need=mentoring.pk)) == ["One", "Two"]
    assert names(SearchCriteria(need=peer.pk)) == ["Two"]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (4, ["No limits", "Up to 10"]),
        (8, ["8 to 12", "No limits", "Up to 10"]),
        (12, ["8 to 12", "From 11", "No limits"]),
        (25, ["From 11", "No limits"]),
    ],
)
def test_age_finds_services_whose_range_includes_it_and_no_limit_means_none(age, expected):
    ServiceFactory(name="8 to 12", minimum_age=8, maximum_age=12)
    ServiceFactory(name="From 11", minimum_age=11, maximum_age=None)
    ServiceFactory(name="Up to 10", minimum_age=None, maximum_age=10)
    ServiceFactory(name="No limits", minimum_age=None, maximum_age=None)

    assert names(SearchCriteria(age=age)) == expected


def test_locality_finds_services_there_and_city_wide_ones():
    easton, knowle = LocalityFactory(name="Easton"), LocalityFactory(name="Knowle West")
    for name, locality in (("In Easton", easton), ("In Knowle", knowle), ("City-wide", None)):
        service = ServiceFactory(name=name)
        ServiceArea.objects.create(service=service, name=name, locality=locality)
    ServiceFactory(name="No area given")

    assert names(SearchCriteria(locality=easton.pk)) == ["City-wide", "In Easton"]


def test_postcode_and_distance_find_the_nearest_first_with_distance_words():
    PostcodeDistrict.objects.create(code="BS5", latitude=51.4640, longitude=-2.5540)
    at(ServiceFactory(name="Far"), "BS11", 51.4960, -2.6810)  # about 6 miles
    at(ServiceFactory(name="Near"), "BS5", 51.4650, -2.5550)
    middle = ServiceFactory(name="Middle")
    at(middle, "BS2", 51.4620, -2.5790)  # about 1.1 miles
    at(middle, "BS16", 51.4860, -2.5180)  # a second, farther place: the nearest counts
    ServiceFactory(name="Nowhere")

    results = service_search(SearchCriteria(postcode="bs5 0he", distance=2))

    assert [r.service.name for r in results.results] == ["Near", "Middle"]
    assert results.count == 2
    assert results.results[1].distance == "about 1.1 miles away"
    assert results.results[0].distance == "less than 0.1 miles away"
    assert str(results.origin) == "BS5 0HE"
    everything = service_search(SearchCriteria(postcode="BS5"))
    assert [r.service.name for r in everything.results] == ["Near", "Middle", "Far"]


def test_an_unknown_district_is_refused_naming_the_postcode_field():
    with pytest.raises(FieldError) as refused:
        service_search(SearchCriteria(postcode="BS99 1AA"))
    assert refused.value.field == "postcode"
    assert refused.value.message == (
        "We do not know where BS99 is; try a full postcode or choose a locality"
    )


def test_language_cost_and_referral_route():
    somali = ServiceFactory(name="Somali", referral_route=ReferralRoute.OPEN_ACCESS)
    ServiceLanguage.objects.create(service=somali, name="Somali", code="so")
    paid = ServiceFactory(name="Paid", is_free=False, referral_route=ReferralRoute.OPEN_ACCESS)
    ServiceLanguage.objects.create(service=paid, name="Somali", code="so")
    ServiceFactory(name="Panel only", referral_route=ReferralRoute.PANEL)

    assert names(SearchCriteria(language="Somali")) == ["Paid", "Somali"]
    assert names(SearchCriteria(language="Somali", free_only=True)) == ["Somali"]
    assert names(SearchCriteria(referral_route=ReferralRoute.PANEL)) == ["Panel only"]
    assert names(SearchCriteria(referral_route=ReferralRoute.OPEN_ACCESS, free_only=True)) == [
        "Somali"
    ]


def test_filters_combine():
    easton = LocalityFactory(name="Easton")
    term = TaxonomyTermFactory(name="Mentoring")
    PostcodeDistrict.objects.create(code="BS5", latitude=51.4640, longitude=-2.5540)
    for name, low, locality in (("Fits", 10, easton), ("Too old", 16, easton), ("Away", 10, None)):
        service = ServiceFactory(name=name, minimum_age=low, maximum_age=18)
        ServiceTermFactory(service=service, term=term)
        ServiceArea.objects.create(
            service=service, name="x", locality=locality if name != "Away" else LocalityFactory()
        )
        at(service, "BS5", 51.4645, -2.5545)

    criteria = SearchCriteria(need=term.pk, age=12, locality=easton.pk, postcode="BS5", distance=1)
    assert names(criteria) == ["Fits"]


def schedule(service, byday: str, opens: time, closes: time, **extra) -> Schedule:
    return Schedule.objects.create(
        service=service, byday=byday, opens_at=opens, closes_at=closes, **extra
    )


@pytest.mark.parametrize(
    ("now", "open_names"),
    [
        (datetime(2026, 3, 2, 8, 59, tzinfo=LONDON), ["Overnight"]),
        (datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), ["Monday daytime", "Overnight"]),
        (datetime(2026, 3, 2, 16, 59, tzinfo=LONDON), ["Monday daytime"]),
        (datetime(2026, 3, 2, 17, 0, tzinfo=LONDON), []),
        (datetime(2026, 3, 2, 22, 0, tzinfo=LONDON), ["Overnight"]),
        # Tuesday small hours: still open from Monday night.
        (datetime(2026, 3, 3, 1, 30, tzinfo=LONDON), ["Overnight"]),
        (datetime(2026, 3, 3, 2, 0, tzinfo=LONDON), []),
        # Sunday night before midnight, then Monday's first minute: the week wraps round.
        (datetime(2026, 3, 8, 23, 59, tzinfo=LONDON), ["Overnight"]),
        (datetime(2026, 3, 9, 0, 0, tzinfo=LONDON), ["Overnight"]),
        # The moment is compared in London time, whatever zone it comes in (BST: UTC+1).
        (datetime(2026, 6, 29, 8, 30, tzinfo=ZoneInfo("UTC")), ["Monday daytime"]),
    ],
)
def test_open_now_across_day_and_midnight_boundaries(now, open_names):
    schedule(ServiceFactory(name="Monday daytime"), "MO", time(9), time(17))
    # 8pm to 2am on Sundays and Mondays, and 8am to 10am on Mondays.
    overnight = ServiceFactory(name="Overnight")
    schedule(overnight, "SU,MO", time(20), time(2))
    schedule(overnight, "MO", time(6), time(9, 30))
    schedule(ServiceFactory(name="Weekends"), "SA,SU", time(10), time(16))

    assert names(SearchCriteria(open_now=True), now=now) == open_names


def test_open_now_counts_schedules_of_a_place_and_their_valid_dates():
    place = at(ServiceFactory(name="At a place"), "BS5", 51.46, -2.55)
    Schedule.objects.create(
        service_at_location=place, byday="MO", opens_at=time(10), closes_at=time(14)
    )
    ended = ServiceFactory(name="Ended")
    schedule(ended, "MO", time(10), time(14), valid_to=datetime(2026, 1, 1).date())

    assert names(SearchCriteria(open_now=True), now=MONDAY_NOON) == ["At a place"]


def test_results_come_in_pages_of_twenty_with_the_total():
    for n in range(PAGE_SIZE + 5):
        ServiceFactory(name=f"Service {n:02d}")

    first = service_search(SearchCriteria())
    second = service_search(SearchCriteria(page=2))
    beyond = service_search(SearchCriteria(page=9))

    assert (first.count, len(first.results), first.num_pages) == (25, 20, 2)
    assert first.has_next() and not first.has_previous()
    assert second.results[0].service.name == "Service 20"
    assert beyond.number == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"age": 26}, "age"),
        ({"age": -1}, "age"),
        ({"postcode": "not a postcode"}, "postcode"),
        ({"postcode": "BS5 0HEE"}, "postcode"),
        ({"distance": 2.0}, "postcode"),
        ({"postcode": "BS5", "distance": 0.0}, "distance"),
        ({"postcode": "BS5", "distance": 500.0}, "distance"),
        ({"referral_route": "by-pigeon"}, "referral_route"),
        ({"words": "x" * 201}, "words"),
        ({"page": 0}, "page"),
    ],
)
def test_bad_criteria_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(FieldError) as refused:
        SearchCriteria(**kwargs)
    assert refused.value.field == field


def test_opening_times_in_words():
    service = ServiceFactory()
    assert schedule_words(schedule(service, "MO,WE,FR", time(9), time(12))) == (
        "Monday, Wednesday and Friday, 9am to midday"
    )
    assert schedule_words(schedule(service, "SA", time(18, 30), time(0))) == (
        "Saturday, 6:30pm to midnight"
    )
