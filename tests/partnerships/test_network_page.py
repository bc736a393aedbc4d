"""The partnership network page and its downloads (joinedup/partnerships/views.py network,
network_export): the measures of the partnerships as they are in the database, the empty
state, the files parsing back, and a fixed number of queries however large the network."""

import csv
import io
from datetime import timedelta

import networkx as nx
import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
NETWORK = reverse("partnerships:network")


@pytest.fixture
def signed_in(client):
    return sign_in_client(client, make_person(Role.KEYWORKER))


def _two_forums_sharing_a_school():
    school = OrganisationFactory(name="Easton Primary")
    forum = PartnershipFactory(name="Easton youth forum", purpose="Youth clubs in Easton")
    network = PartnershipFactory(name="Easton youth network", purpose="Youth clubs in Easton")
    hats = PersonFactory(name="Amina Hassan", organisation=school)
    for partnership in (forum, network):
        PartnershipMemberFactory(partnership=partnership, organisation=school, person=hats)
    PartnershipMemberFactory(partnership=forum, organisation=OrganisationFactory(name="Police"))
    PartnershipMemberFactory(partnership=network, organisation=OrganisationFactory(name="Mosque"))
    return forum, network


def test_with_no_members_the_page_says_there_is_no_network_yet(signed_in):
    PartnershipFactory()

    text = signed_in.get(NETWORK).content.decode()

    assert "No organisation sits on a partnership yet" in text


def test_the_page_shows_the_measures_of_the_partnerships_as_they_are(signed_in):
    _two_forums_sharing_a_school()
    ended = PartnershipMemberFactory(organisation=OrganisationFactory(name="Gone Ltd"))
    ended.left_on = timezone.localdate() - timedelta(days=1)
    ended.save()

    response = signed_in.get(NETWORK)

    text = response.content.decode()
    assert response.status_code == 200
    assert "3 organisations, 2 links" in text  # the school links the police and the mosque
    assert "Easton Primary" in text
    assert "Easton youth" in text and " and Easton youth " in text
    assert "Likely duplicate" in text
    assert "Gone Ltd" not in text


@pytest.mark.parametrize(
    ("export_format", "read"),
    [
        ("graphml", lambda body: nx.read_graphml(io.BytesIO(body))),
        ("gexf", lambda body: nx.read_gexf(io.BytesIO(body))),
    ],
)
def test_the_graph_files_hold_every_organisation_person_and_partnership(
    signed_in, export_format, read
):
    _two_forums_sharing_a_school()

    response = signed_in.get(reverse("partnerships:network_export", args=[export_format]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    graph = read(response.content)
    # 3 organisations, 3 people (one on both), 2 partnerships.
    assert graph.number_of_nodes() == 8


def test_the_spreadsheets_list_nodes_and_who_sits_where(signed_in):
    _two_forums_sharing_a_school()

    nodes = signed_in.get(reverse("partnerships:network_export", args=["nodes.csv"]))
    edges = signed_in.get(reverse("partnerships:network_export", args=["edges.csv"]))

    node_rows = list(csv.reader(io.StringIO(nodes.content.decode())))
    edge_rows = list(csv.reader(io.StringIO(edges.content.decode())))
    assert len(node_rows) == 1 + 8
    assert len(edge_rows) > 1
    assert any("Amina Hassan" in row for row in node_rows)


def test_an_unknown_format_is_not_found(signed_in):
    response = signed_in.get(reverse("partnerships:network_export", args=["pdf"]))
    assert response.status_code == 404


def test_a_partnership_called_network_does_not_hide_the_page(signed_in, admin_user):
    from joinedup.partnerships.services import partnership_create

    partnership = partnership_create(
        actor=admin_user,
        name="Network",
        kind="network",
        level="other",
        purpose="Meeting",
    )

    assert partnership.slug != "network"
    assert "The partnership network" in signed_in.get(NETWORK).content.decode()


@pytest.mark.parametrize("partnerships", [2, 12])
def test_the_page_costs_the_same_queries_however_large_the_network(
    signed_in, partnerships, django_assert_num_queries
):
    for _ in range(partnerships):
        partnership = PartnershipFactory()
        for _ in range(3):
            PartnershipMemberFactory(partnership=partnership)
    signed_in.get(NETWORK)  # warm the session and roles

    # Session, user and roles for the page and its menu, then the partnerships, the seats, the
    # logged relationships, the organisations, their localities and the people: the same for
    # 2 partnerships as for 12.
    with django_assert_num_queries(11):
        assert signed_in.get(NETWORK).status_code == 200
