"""The funding pages: who may open and change what, the forms, the undo after removing, the
timeline and its CSV (formula-proof), and constant queries on the list pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.funding.models import FundedPost, FundedService, Funder, FundingStream
from tests.conftest import make_person, sign_in_client
from tests.factories import FunderFactory, FundingStreamFactory, PostFactory, ServiceFactory
from tests.funding.helpers import children_using, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    return sign_in_client(client, make_person(Role.STRATEGIC_MANAGER))


@pytest.fixture
def coordinator(client):
    return sign_in_client(client, make_person(Role.PANEL_COORDINATOR))


def test_the_list_has_an_empty_state_and_the_menu_link(manager):
    response = manager.get(reverse("funding:stream_list"))
    assert response.status_code == 200
    assert "No funding streams yet" in response.content.decode()
    assert f'href="{reverse("funding:stream_list")}"' in response.content.decode()


def test_a_coordinator_reads_but_cannot_change(coordinator):
    stream = FundingStreamFactory(name="Early help grant")
    page = coordinator.get(reverse("funding:stream_detail", kwargs={"stream_id": stream.pk}))
    assert page.status_code == 200
    assert "Early help grant" in page.content.decode()
    assert "Change the stream" not in page.content.decode()
    assert coordinator.get(reverse("funding:stream_create")).status_code == 403
    assert (
        coordinator.post(
            reverse("funding:stream_end", kwargs={"stream_id": stream.pk}), {}
        ).status_code
        == 403
    )


def test_a_keyworker_cannot_open_funding(client):
    sign_in_client(client, make_person(Role.KEYWORKER))
    assert client.get(reverse("funding:timeline")).status_code == 403


def test_a_funder_and_a_stream_are_added_through_the_forms(manager):
    response = manager.post(
        reverse("funding:funder_create"),
        {"name": "Bristol City Council", "kind": "local_authority"},
    )
    assert response.status_code == 302
    funder = Funder.objects.get()
    response = manager.post(
        reverse("funding:stream_create"),
        {
            "funder": funder.pk,
            "name": "Early help grant",
            "amount": "240000",
            "starts_on_day": "1",
            "starts_on_month": "4",
            "starts_on_year": "2025",
            "ends_on_day": "31",
            "ends_on_month": "3",
            "ends_on_year": "2027",
            "is_renewable": "on",
        },
    )
    stream = FundingStream.objects.get()
    assert response["Location"] == reverse("funding:stream_detail", kwargs={"stream_id": stream.pk})
    assert stream.amount == Decimal(240000)
    assert stream.is_renewable


def test_a_duplicate_funder_name_is_shown_beside_the_field(manager):
    FunderFactory(name="Bristol City Council")
    response = manager.post(
        reverse("funding:funder_create"), {"name": "BRISTOL city council", "kind": "other"}
    )
    assert response.status_code == 200
    assert "There is already a funder called" in response.content.decode()
    assert Funder.objects.count() == 1


def test_a_service_is_found_by_name_attached_removed_and_put_back(manager):
    stream = FundingStreamFactory()
    service = ServiceFactory(name="Junior boxing")
    attach = reverse("funding:service_attach", kwargs={"stream_id": stream.pk})
    found = manager.get(attach, {"q": "boxing"})
    assert "Junior boxing" in found.content.decode()
    assert manager.post(attach, {"service": service.pk, "amount": "1500"}).status_code == 302
    assert FundedService.objects.get().amount == Decimal(1500)

    removed = manager.post(
        reverse(
            "funding:service_detach", kwargs={"stream_id": stream.pk, "service_id": service.pk}
        ),
        follow=True,
    )
    assert not FundedService.objects.exists()
    assert "Undo: fund it again" in removed.content.decode()
    assert manager.post(attach, {"service": service.pk}).status_code == 302
    assert FundedService.objects.get().service == service


def test_a_post_is_added_removed_and_put_back(manager):
    stream = FundingStreamFactory()
    post = PostFactory(title="Youth worker")
    url = reverse("funding:post_attach", kwargs={"stream_id": stream.pk})
    assert manager.post(url, {"post": post.pk}).status_code == 302
    removed = manager.post(
        reverse("funding:post_detach", kwargs={"stream_id": stream.pk, "post_id": post.pk}),
        follow=True,
    )
    assert not FundedPost.objects.exists()
    assert "Youth worker" in removed.content.decode()


def test_the_timeline_shows_quarters_and_suppresses_small_counts(manager):
    service = ServiceFactory(name="Junior boxing")
    stream = FundingStreamFactory(name="Community safety fund", ends_on=in_days(20))
    FundedService.objects.create(stream=stream, service=service)
    children_using(service, 2)
    page = manager.get(reverse("funding:timeline")).content.decode()
    assert "Community safety fund" in page
    assert "Junior boxing (fewer than 5)" in page
    assert "govuk-table__caption" in page


def test_the_timeline_csv_neutralises_formulas(client):
    sign_in_client(client, make_person(Role.SYSTEM_ADMIN))
    service = ServiceFactory(name="=HYPERLINK(1)")
    stream = FundingStreamFactory(name="+Grant", ends_on=in_days(20))
    FundedService.objects.create(stream=stream, service=service)
    children_using(service, 2)
    response = client.get(reverse("funding:timeline_csv"), {"months": "3"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][2] == "'+Grant"
    assert rows[1][8] == "'=HYPERLINK(1)"
    assert rows[1][11] == "2"


def test_the_list_and_timeline_pages_cost_the_same_queries_as_streams_grow(
    manager, django_assert_max_num_queries
):
    def grow():
        for _ in range(4):
            stream = FundingStreamFactory(ends_on=in_days(30))
            FundedService.objects.create(stream=stream, service=ServiceFactory())
            FundedPost.objects.create(stream=stream, post=PostFactory())

    grow()
    for name in ("funding:stream_list", "funding:timeline"):
        manager.get(reverse(name))
        with django_assert_max_num_queries(20) as small:
            manager.get(reverse(name))
        grow()
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert manager.get(reverse(name)).status_code == 200
