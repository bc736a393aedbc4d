"""The search and service pages: open signed out and signed in, errors naming the field, the
empty state, everything on the service page, and queries that do not grow with the data."""

from datetime import time

import pytest
from django.urls import reverse

from joinedup.core.navigation import navigation_for
from joinedup.core.roles import Role
from joinedup.directory.models import (
    Contact,
    PostcodeDistrict,
    ReferralRoute,
    Schedule,
    ServiceLanguage,
    ServiceStatus,
)
from joinedup.directory.postcodes import postcode_districts_ensure_defaults
from tests.accounts.pages import error_summary, summary_names_field
from tests.conftest import make_person
from tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = "/directory/"


def test_the_search_page_is_at_the_directory_root():
    assert reverse("directory:search") == SEARCH


def test_a_family_searches_signed_out_by_postcode_and_age(client):
    postcode_districts_ensure_defaults()
    near = ServiceFactory(name="Easton Youth Club", minimum_age=10, maximum_age=16)
    ServiceAtLocationFactory(service=near)
    ServiceFactory(name="Toddler Group", minimum_age=0, maximum_age=4)

    response = client.get(SEARCH, {"postcode": "bs5 0he", "distance": "2", "age": "12"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "1 service near BS5 0HE, nearest first" in content
    assert "Easton Youth Club" in content
    assert "Toddler Group" not in content
    assert "miles away" in content or "mile away" in content
    assert "10 to 16 years" in content


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"age": "twelve"}, "age", "Age must be a number, like 12"),
        ({"age": "30"}, "age", "Age must be between 0 and 25"),
        ({"postcode": "hello"}, "postcode", "Enter a real postcode"),
        (
            {"postcode": "BS99"},
            "postcode",
            "We do not know where BS99 is; try a full postcode or choose a locality",
        ),
        ({"distance": "2"}, "postcode", "Enter a postcode to search by distance"),
    ],
)
def test_bad_input_gets_an_error_naming_the_field(client, query, field, message):
    response = client.get(SEARCH, query)

    assert response.status_code == 200
    assert summary_names_field(response, f"id_{field}")
    assert any(message in text for _, text in error_summary(response))
    assert response.context["page"] is None


def test_no_results_suggests_what_to_change(client):
    ServiceFactory(name="Chess club")

    content = client.get(SEARCH, {"q": "trampolining"}).content.decode()

    assert "0 services" in content
    assert "No services match your search." in content
    assert "use fewer or different words" in content


def test_a_practitioner_searches_by_need_signed_in(sign_in):
    term = TaxonomyTermFactory(name="Mentoring")
    ServiceTermFactory(service=ServiceFactory(name="Mentors"), term=term)
    ServiceFactory(name="Football")
    client = sign_in(make_person(Role.KEYWORKER))

    content = client.get(SEARCH, {"need": str(term.pk)}).content.decode()

    assert "Mentors" in content
    assert "Football" not in content
    assert "Find a service" in content


def test_signed_in_people_have_find_a_service_in_the_menu():
    user = make_person(Role.KEYWORKER)
    assert "directory:search" in [link.url_name for link in navigation_for(user)]


def test_results_come_in_pages_with_links_that_keep_the_filters(client):
    for n in range(25):
        ServiceFactory(name=f"Club {n:02d}")

    content = client.get(SEARCH, {"q": "club"}).content.decode()

    assert "25 services" in content
    assert "Page 1 of 2" in content
    assert "?q=club&amp;page=2" in content


def test_the_service_page_shows_how_to_refer_where_when_and_who_to_contact(client):
    service = ServiceFactory(
        name="Easton Youth Club",
        referral_route=ReferralRoute.OPEN_ACCESS,
        how_to_refer="Just come along on a Tuesday.",
        is_free=False,
        fees="£1 a session",
        waiting_weeks=2,
    )
    place = ServiceAtLocationFactory(
        service=service, location=LocationFactory(accessibility="Step-free entrance")
    )
    Schedule.objects.create(
        service_at_location=place, byday="TU", opens_at=time(18), closes_at=time(20)
    )
    Contact.objects.create(service=service, title="Youth worker", phone="0117 496 0001")
    ServiceLanguage.objects.create(service=service, name="Somali", code="so")

    response = client.get(reverse("directory:service", kwargs={"service_id": service.pk}))

    content = response.content.decode()
    assert response.status_code == 200
    assert "How to get support" in content
    assert "Just come along on a Tuesday." in content
    assert "Tuesday, 6pm to 8pm" in content
    assert "Step-free entrance" in content
    assert "0117 496 0001" in content
    assert "Somali" in content
    assert "£1 a session" in content
    assert "The wait is about 2 weeks" in content
    assert "Last checked by the provider on" in content
    assert "not taking anyone" not in content


def test_the_service_page_says_when_a_service_is_not_running(client):
    service = ServiceFactory(status=ServiceStatus.TEMPORARILY_CLOSED)

    content = client.get(reverse("directory:service", kwargs={"service_id": service.pk}))

    assert "Temporarily closed. This service is not taking anyone" in content.content.decode()


def test_an_unknown_service_is_not_found(client):
    response = client.get("/directory/services/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404


def _add_services(count: int) -> None:
    term = TaxonomyTermFactory()
    for _ in range(count):
        service = ServiceFactory()
        ServiceTermFactory(service=service, term=term)
        ServiceLanguage.objects.create(service=service, name="English", code="en")
        Schedule.objects.create(service=service, byday="MO", opens_at=time(9), closes_at=time(12))
        ServiceAtLocationFactory(service=service)


@pytest.mark.parametrize("query", [{}, {"postcode": "BS5", "distance": "3"}])
def test_the_search_page_makes_the_same_queries_however_many_services(
    client, django_assert_num_queries, query
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PostcodeDistrict.objects.create(code="BS5", latitude=51.464, longitude=-2.554)
    _add_services(3)
    # The first search after a change reads the directory into the search index again.
    with CaptureQueriesContext(connection) as first_after_change:
        client.get(SEARCH, query)
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH, query)
    _add_services(30)

    with django_assert_num_queries(len(first_after_change)):
        client.get(SEARCH, query)
    with django_assert_num_queries(len(few)):
        response = client.get(SEARCH, query)
    assert len(response.context["page"].results) == 20
