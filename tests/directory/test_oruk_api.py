"""The ORUK API (/api/oruk/): every endpoint's JSON validated against the official ORUK UK
profile schemas (tests/directory/oruk_support.py reads them locally), paging, filters, bad
parameters, CORS, and a constant number of queries for a page of 50 services."""

import copy
import uuid
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.directory.models import Schedule, Service, ServiceStatus
from tests.directory.oruk_support import errors, full_service, page_validator, validator
from tests.factories import ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return full_service()


def _get(client, url, **params):
    response = client.get(url, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_the_root_says_which_version_of_the_standard_it_speaks(client):
    response = _get(client, "/api/oruk/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "HSDS-UK-3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"].startswith("https://")


def test_a_fully_populated_service_validates_and_carries_every_table(client, service):
    body = _get(client, f"/api/oruk/services/{service.id}").json()
    assert errors(validator("compiled/service.json"), body) == []
    assert body["id"] == str(service.id)
    for key in (
        "organization",
        "service_areas",
        "service_at_locations",
        "languages",
        "cost_options",
        "funding",
        "contacts",
        "schedules",
        "attributes",
    ):
        assert body[key], key
    place = body["service_at_locations"][0]
    assert place["location"]["addresses"][0]["postal_code"] == "BS5 6AW"
    assert place["location"]["accessibility"][0]["description"].startswith("Step-free")
    assert place["schedules"][0]["byday"] == "TU"
    assert body["contacts"][0]["phones"][0]["number"] == "0117 496 0000"
    assert body["attributes"][0]["taxonomy_term"]["name"] == "Mentoring"
    assert body["organization"]["organization_identifiers"][0]["identifier"] == "1234567"
    # The extensions, as extra properties.
    assert body["x_waiting_weeks"] == 3
    assert body["x_culturally_specific_for"] == "Somali families"
    assert body["funding"][0]["x_ends_on"] == "2026-03-31"
    assert body["cost_options"][0]["amount"] == 2.5
    assert body["attributes"][0]["taxonomy_term"]["x_purpose"] == "mentoring"


def test_the_validator_rejects_a_broken_document(client, service):
    """Otherwise the tests above would pass whatever the API said."""
    body = _get(client, f"/api/oruk/services/{service.id}").json()
    broken = copy.deepcopy(body)
    broken["id"] = "not-a-uuid"
    broken["service_at_locations"][0]["location"]["id"] = "12345"
    broken["status"] = "open"
    del broken["name"]
    found = errors(validator("compiled/service.json"), broken)
    assert any(e.startswith(": 'name' is a required") for e in found), found
    assert any(e.startswith("id: ") and "uuid" in e for e in found), found
    assert any(e.startswith("service_at_locations/0/location/id") for e in found), found
    assert any(e.startswith("status") for e in found), found
    page = _get(client, "/api/oruk/services").json()
    page["contents"][0]["organization_id"] = "nope"
    del page["total_items"]
    found = errors(page_validator("compiled/service_list.json"), page)
    assert any("organization_id" in e for e in found), found
    assert any("total_items" in e for e in found), found


def test_services_list_is_a_valid_page(client, service):
    body = _get(client, "/api/oruk/services").json()
    assert errors(page_validator("compiled/service_list.json"), body) == []
    assert errors(page_validator("compiled/service.json"), body) == []
    assert body["total_items"] == 1
    assert body["first_page"] and body["last_page"] and not body["empty"]


def test_organizations_validate(client, service):
    page = _get(client, "/api/oruk/organizations").json()
    assert errors(page_validator("compiled/organization_list.json"), page) == []
    assert page["total_items"] == 2
    one = _get(client, f"/api/oruk/organizations/{service.provider_id}").json()
    assert errors(validator("compiled/organization.json"), one) == []
    assert [s["id"] for s in one["services"]] == [str(service.id)]


def test_taxonomies_and_terms_validate(client, service):
    term = service.service_terms.get().term
    page = _get(client, "/api/oruk/taxonomies").json()
    assert errors(page_validator("taxonomy.json"), page) == []
    assert len(page["contents"][0]["taxonomy_terms"]) == 2
    one = _get(client, f"/api/oruk/taxonomies/{term.taxonomy_id}").json()
    assert errors(validator("taxonomy.json"), one) == []
    terms = _get(client, "/api/oruk/taxonomy_terms", taxonomy_id=term.taxonomy_id).json()
    assert errors(page_validator("taxonomy_term.json"), terms) == []
    assert terms["total_items"] == 2
    one = _get(client, f"/api/oruk/taxonomy_terms/{term.id}").json()
    assert errors(validator("taxonomy_term.json"), one) == []
    assert one["parent_id"] == str(term.parent_id)


def test_service_at_locations_validate(client, service):
    page = _get(client, "/api/oruk/service_at_locations").json()
    assert errors(page_validator("compiled/service_at_location_list.json"), page) == []
    place = page["contents"][0]
    one = _get(client, f"/api/oruk/service_at_locations/{place['id']}").json()
    assert errors(validator("compiled/service_at_location.json"), one) == []
    assert one["service"]["contacts"]


@pytest.mark.parametrize(
    "path",
    ["services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"],
)
def test_unknown_and_malformed_ids_answer_404_in_json(client, path):
    for bad in (str(uuid.uuid4()), "not-a-uuid", "1"):
        response = _get(client, f"/api/oruk/{path}/{bad}")
        assert response.status_code == 404
        assert response.json()["error"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("page", "0"),
        ("page", "two"),
        ("per_page", "-1"),
        ("per_page", "1e9x"),
        ("taxonomy_term_id", "mentoring"),
        ("taxonomy_id", "123"),
        ("organization_id", "x"),
        ("minimum_age", "ten"),
        ("maximum_age", "nan"),
        ("maximum_age", "-3"),
        ("age", "old"),
        ("day", "Funday"),
        ("start_time", "25:00"),
        ("end_time", "teatime"),
        ("modified_after", "yesterday"),
        ("modified_after", "2025-13-45"),
        ("status", "open"),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(client, parameter, value):
    response = _get(client, "/api/oruk/services", **{parameter: value})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_the_api_is_read_only_and_answers_preflight(client):
    assert _get(client, "/api/oruk/services").status_code == 200
    assert client.post("/api/oruk/services")["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/oruk/services").status_code == 405
    assert client.delete("/api/oruk/services").status_code == 405
    assert client.head("/api/oruk/services").status_code == 200
    response = client.options("/api/oruk/services")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_paging_follows_the_page_wrapper_and_caps_per_page(client):
    ServiceFactory.create_batch(5)
    body = _get(client, "/api/oruk/services", per_page=2, page=2).json()
    assert body["total_items"] == 5 and body["total_pages"] == 3
    assert body["page_number"] == 2 and body["size"] == 2
    assert not body["first_page"] and not body["last_page"]
    last = _get(client, "/api/oruk/services", per_page=2, page=3).json()
    assert last["last_page"] and last["size"] == 1
    beyond = _get(client, "/api/oruk/services", per_page=2, page=9).json()
    assert beyond["empty"] and beyond["contents"] == []
    assert _get(client, "/api/oruk/services", per_page=10_000).json()["size"] == 5


def test_filters(client, service):
    other = ServiceFactory(name="Sports club", minimum_age=5, maximum_age=11)
    Schedule.objects.create(service=other, byday="SA", opens_at=time(10), closes_at=time(12))
    term = service.service_terms.get().term

    def ids(**params):
        return {s["id"] for s in _get(client, "/api/oruk/services", **params).json()["contents"]}

    mine, theirs = str(service.id), str(other.id)
    assert ids(search="mentoring") == {mine}
    assert ids(search="SPORTS") == {theirs}
    assert ids(taxonomy_term_id=term.id) == {mine}
    assert ids(taxonomy_term_id=TaxonomyTermFactory().id) == set()
    assert ids(taxonomy_id=term.taxonomy_id) == {mine}
    assert ids(organization_id=other.provider_id) == {theirs}
    assert ids(minimum_age=8) == {mine}
    assert ids(maximum_age=12) == {theirs}
    assert ids(age=15) == {mine}
    assert ids(day="SA") == {theirs}
    assert ids(day="tuesday") == {mine}  # a schedule at the service's location
    assert ids(day="MO", start_time="15:00", end_time="18:00") == {mine}
    assert ids(day="MO", start_time="16:30") == set()
    later = timezone.now() + timedelta(hours=1)
    assert ids(modified_after=later.isoformat()) == set()
    assert ids(modified_after="2000-01-01") == {mine, theirs}


def test_defunct_services_are_left_out_of_the_list_but_still_answer_by_id(client, service):
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.DEFUNCT)
    assert _get(client, "/api/oruk/services").json()["total_items"] == 0
    listed = _get(client, "/api/oruk/services", status="defunct").json()
    assert [s["id"] for s in listed["contents"]] == [str(service.id)]
    one = _get(client, f"/api/oruk/services/{service.id}").json()
    assert one["status"] == "defunct"


def test_a_page_of_fifty_services_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    for n in range(50):
        full_service(name=f"Service {n:02d}")
    url = reverse("oruk:services")
    with django_assert_max_num_queries(12):
        body = client.get(url, {"per_page": 50}).json()
    assert body["size"] == 50
    assert errors(page_validator("compiled/service.json"), body) == []
    with django_assert_max_num_queries(14):
        client.get(url, {"per_page": 50, "day": "MO", "age": 12, "search": "Service"})
