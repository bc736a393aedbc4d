"""The partnership map (joinedup/partnerships/map.py, the map, data.json and table views):
nodes and edges from hand-built network data, what each filter keeps, positions that do not
move when a filter hides other nodes, the table rows, and the pages' queries staying fixed as
the network grows."""

import math
from datetime import date

import pytest
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.partnerships.map import (
    MEMBERSHIP,
    RELATIONSHIP,
    REPRESENTATION,
    MapFilters,
    filter_network,
    map_elements,
    map_table,
    positions,
)
from joinedup.partnerships.network import Membership, NetworkData, Node, Relationship
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    LocalityFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
)

MAP = reverse("partnerships:map")
DATA = reverse("partnerships:map_data")
TABLE = reverse("partnerships:map_table")
VCF = "Voluntary, community and faith"


def _easton() -> NetworkData:
    """Two partnerships: Easton's steering group (the council and a youth club) and the
    city-wide board (the council and a mosque). A charity in Lockleaze sits on neither but has
    worked with the youth club twice."""
    return NetworkData(
        organisations=[
            Node(
                "council",
                "City Council",
                sector="Statutory",
                kind="local_authority",
                locality="Easton",
            ),
            Node(
                "club",
                "Easton Youth Club",
                sector=VCF,
                kind="voluntary",
                locality="Easton; Lockleaze",
            ),
            Node("mosque", "Easton Mosque", sector=VCF, kind="faith"),
            Node(
                "charity", "Lockleaze Charity", sector="Other", kind="other", locality="Lockleaze"
            ),
        ],
        people=[
            Node("morag", "Morag Ellison", kind="Head of early help"),
            Node("sam", "Sam Okafor", kind="Youth worker"),
        ],
        partnerships=[
            Node(
                "steering",
                "Easton steering group",
                kind="steering_group",
                level="local_steering_group",
                locality="Easton",
            ),
            Node("board", "City board", kind="board", level="city_wide_steering_group"),
        ],
        memberships=[
            Membership("steering", "council", "morag", "chair", delegated_authority=True),
            Membership("steering", "club", "sam", "member"),
            Membership("board", "council", "morag", "member"),
            Membership("board", "mosque", None, "member"),
        ],
        relationships=[
            Relationship("club", "charity", "introduction", date(2026, 1, 5)),
            Relationship("charity", "club", "joint work", date(2026, 3, 1)),
            Relationship("council", "council", "joint work", date(2026, 2, 1)),
            Relationship("mosque", "council", "introduction", None),
        ],
    )


def _by_type(elements, kind):
    """The edges of one kind, keyed by the names of the two nodes they join."""
    names = {n["id"]: n["name"] for n in elements["nodes"]}
    return {
        (names[e["source"]], names[e["target"]]): e for e in elements["edges"] if e["type"] == kind
    }


# --------------------------------------------------------------------------- the drawing


def test_every_organisation_person_and_partnership_is_a_node_with_a_place():
    elements = map_elements(_easton())

    nodes = {n["name"]: n for n in elements["nodes"]}
    assert len(nodes) == 4 + 2 + 2
    assert len({n["id"] for n in nodes.values()}) == 8
    assert elements["counts"] == {"organisations": 4, "people": 2, "partnerships": 2, "edges": 8}
    assert nodes["Easton Youth Club"]["type"] == "organisation"
    assert nodes["Easton Youth Club"]["localities"] == ["Easton", "Lockleaze"]
    assert nodes["City Council"]["kind"] == "Local authority"
    assert nodes["Sam Okafor"]["type"] == "person"
    assert nodes["City board"]["locality"] == "City-wide"
    assert nodes["City board"]["level_label"] == "City-wide steering group"
    places = {(n["x"], n["y"]) for n in nodes.values()}
    assert len(places) == len(nodes)
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in nodes.values())


def test_seats_representatives_and_logged_relationships_are_edges():
    elements = map_elements(_easton())
    ids = {n["name"]: n["id"] for n in elements["nodes"]}

    seats = _by_type(elements, MEMBERSHIP)
    assert len(seats) == 4
    chair = seats[("City Council", "Easton steering group")]
    assert chair["roles"] == ["Chair"]
    assert chair["delegated_authority"] is True
    assert chair["people"] == [ids["Morag Ellison"]]
    assert seats[("Easton Mosque", "City board")]["people"] == []

    # Morag sits for the council twice: one line between her and the council.
    assert set(_by_type(elements, REPRESENTATION)) == {
        ("Morag Ellison", "City Council"),
        ("Sam Okafor", "Easton Youth Club"),
    }

    # Either way round makes one line; the council's note about itself makes none.
    logged = {frozenset(pair): edge for pair, edge in _by_type(elements, RELATIONSHIP).items()}
    assert set(logged) == {
        frozenset(("Lockleaze Charity", "Easton Youth Club")),
        frozenset(("City Council", "Easton Mosque")),
    }
    pair = logged[frozenset(("Lockleaze Charity", "Easton Youth Club"))]
    assert pair["count"] == 2
    assert pair["kinds"] == ["introduction", "joint work"]
    assert pair["latest"] == "2026-03-01"
    assert [entry["date"] for entry in pair["logged"]] == ["2026-03-01", "2026-01-05"]
    assert logged[frozenset(("City Council", "Easton Mosque"))]["latest"] == ""


def test_the_version_changes_with_the_networks_nodes_only():
    data = _easton()
    grown = NetworkData(
        organisations=[*data.organisations, Node("new", "New Group")],
        people=data.people,
        partnerships=data.partnerships,
        memberships=data.memberships,
    )

    whole = map_elements(data)["version"]
    assert map_elements(data, filter_network(data, MapFilters(sector=VCF)))["version"] == whole
    assert map_elements(grown)["version"] != whole


def test_an_organisation_on_two_partnerships_sits_between_them():
    placed = positions(_easton())

    steering, board = placed["partnership:steering"], placed["partnership:board"]
    council = placed["organisation:council"]
    middle = ((steering[0] + board[0]) / 2, (steering[1] + board[1]) / 2)
    apart = math.dist(steering, board)
    assert math.dist(council, middle) < apart / 2


def test_filtering_hides_nodes_without_moving_the_others():
    data = _easton()
    whole = {n["id"]: (n["x"], n["y"]) for n in map_elements(data)["nodes"]}

    part = map_elements(data, filter_network(data, MapFilters(locality="Easton")))

    assert part["nodes"]
    for node in part["nodes"]:
        assert (node["x"], node["y"]) == whole[node["id"]]


def test_an_empty_network_draws_nothing():
    elements = map_elements(NetworkData())
    assert elements["nodes"] == [] and elements["edges"] == []


# --------------------------------------------------------------------------- filters


def _ids(data: NetworkData) -> tuple[set[str], set[str], set[str]]:
    return (
        {o.id for o in data.organisations},
        {p.id for p in data.partnerships},
        {p.id for p in data.people},
    )


@pytest.mark.parametrize(
    ("filters", "organisations", "partnerships", "people", "relationships"),
    [
        # The locality's partnerships, their members and the organisations working there.
        (MapFilters(locality="Easton"), {"council", "club"}, {"steering"}, {"morag", "sam"}, 0),
        # Lockleaze has no partnership: its organisations, and the joint work between them.
        (MapFilters(locality="Lockleaze"), {"club", "charity"}, set(), set(), 2),
        # The sector's organisations and only the partnerships where one sits.
        (MapFilters(sector=VCF), {"club", "mosque"}, {"steering", "board"}, {"sam"}, 0),
        (MapFilters(sector="Other"), {"charity"}, set(), set(), 0),
        # A level or one partnership: only who sits there.
        (
            MapFilters(level="city_wide_steering_group"),
            {"council", "mosque"},
            {"board"},
            {"morag"},
            1,
        ),
        (
            MapFilters(partnership="steering"),
            {"council", "club"},
            {"steering"},
            {"morag", "sam"},
            0,
        ),
        (
            MapFilters(partnership="steering", sector="Statutory"),
            {"council"},
            {"steering"},
            {"morag"},
            0,
        ),
        (MapFilters(level="keyworkers"), set(), set(), set(), 0),
    ],
)
def test_each_filter_keeps_its_part_of_the_network(
    filters, organisations, partnerships, people, relationships
):
    shown = filter_network(_easton(), filters)

    assert _ids(shown) == (organisations, partnerships, people)
    assert sum(r.from_org != r.to_org for r in shown.relationships) == relationships
    for seat in shown.memberships:
        assert seat.organisation_id in organisations and seat.partnership_id in partnerships


# --------------------------------------------------------------------------- the table


def test_the_table_lists_organisations_with_their_seats_and_representatives():
    table = map_table(_easton(), urls={"steering": "/partnerships/easton/"})

    assert [row.name for row in table.organisations] == [
        "City Council",
        "Easton Mosque",
        "Easton Youth Club",
        "Lockleaze Charity",
    ]
    council = table.organisations[0]
    assert [(s.partnership, s.roles, s.delegated_authority, s.url) for s in council.seats] == [
        ("City board", ["Member"], False, ""),
        ("Easton steering group", ["Chair"], True, "/partnerships/easton/"),
    ]
    assert council.representatives == ["Morag Ellison"]
    assert table.organisations[3].seats == []
    # Newest first, an undated one last; the council's note about itself is left out.
    assert [(r.first, r.second, r.kind) for r in table.relationships] == [
        ("Lockleaze Charity", "Easton Youth Club", "joint work"),
        ("Easton Youth Club", "Lockleaze Charity", "introduction"),
        ("Easton Mosque", "City Council", "introduction"),
    ]


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("mosque", ["Easton Mosque"]),
        ("SAM OKAFOR", ["Easton Youth Club"]),  # a representative's name
        ("steering", ["City Council", "Easton Youth Club"]),  # a partnership's name
        ("nobody", []),
    ],
)
def test_the_table_search_finds_organisations_their_partnerships_and_people(q, names):
    table = map_table(_easton(), q=q)

    assert [row.name for row in table.organisations] == names


# --------------------------------------------------------------------------- the pages


@pytest.fixture
def signed_in(client, db):
    return sign_in_client(client, make_person(Role.KEYWORKER))


def _forum_in(locality, members=2):
    forum = PartnershipFactory(locality=locality, level="local_steering_group")
    for _ in range(members):
        PartnershipMemberFactory(partnership=forum)
    return forum


def test_the_data_holds_the_partnerships_members_and_their_localities(signed_in):
    easton = LocalityFactory(name="Easton", slug="easton")
    school = OrganisationFactory(name="Easton Primary")
    school.localities.add(easton)
    forum = PartnershipFactory(name="Easton forum", slug="easton-forum", locality=easton)
    PartnershipMemberFactory(
        partnership=forum, organisation=school, person=PersonFactory(organisation=school)
    )

    response = signed_in.get(DATA)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["counts"] == {"organisations": 1, "people": 1, "partnerships": 1, "edges": 2}
    nodes = {n["name"]: n for n in data["nodes"]}
    assert nodes["Easton Primary"]["localities"] == ["Easton"]
    assert nodes["Easton forum"]["url"] == reverse(
        "partnerships:partnership_detail", kwargs={"slug": "easton-forum"}
    )


def test_the_data_answers_the_filters_by_their_slugs(signed_in):
    easton, lockleaze = LocalityFactory(slug="easton"), LocalityFactory(slug="lockleaze")
    _forum_in(easton)
    board = _forum_in(lockleaze, members=3)

    by_locality = signed_in.get(DATA, {"locality": "lockleaze"}).json()
    by_partnership = signed_in.get(DATA, {"partnership": board.slug}).json()

    assert by_locality["counts"]["partnerships"] == 1
    assert by_locality["counts"]["organisations"] == 3
    assert by_partnership["counts"]["organisations"] == 3


@pytest.mark.parametrize(
    ("name", "value"),
    [("locality", "atlantis"), ("sector", "galaxy"), ("level", "moon"), ("partnership", "nope")],
)
def test_a_wrong_filter_gets_a_400_naming_it_never_a_500(signed_in, name, value):
    response = signed_in.get(DATA, {name: value})

    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_the_map_page_links_to_the_table_with_the_same_filters(signed_in):
    LocalityFactory(slug="easton")

    text = signed_in.get(MAP, {"locality": "easton", "page": "2"}).content.decode()

    assert 'href="/partnerships/map/table/?locality=easton"' in text
    assert 'data-map-url="/partnerships/map/data.json"' in text
    # Asked for as the page loads, with the filters the script will ask for.
    assert '<link rel="preload" href="/partnerships/map/data.json?locality=easton"' in text
    assert "partnership-map.js" in text
    assert "cytoscape.min.js" in text


def test_the_table_links_back_to_the_map_and_says_when_there_is_nothing(signed_in):
    text = signed_in.get(TABLE).content.decode()

    assert 'href="/partnerships/map/"' in text
    assert "No organisation sits on a partnership yet" in text
    assert "No joint work or introductions have been logged" in text


def test_the_table_says_when_no_organisation_matches(signed_in):
    _forum_in(LocalityFactory(slug="easton"))

    text = signed_in.get(TABLE, {"sector": "other"}).content.decode()

    assert "No organisations match these filters" in text


def test_the_table_is_paged(signed_in):
    forum = PartnershipFactory()
    for n in range(30):
        PartnershipMemberFactory(
            partnership=forum, organisation=OrganisationFactory(name=f"Org {n:02}")
        )

    first = signed_in.get(TABLE).content.decode()
    second = signed_in.get(TABLE, {"page": 2}).content.decode()

    assert "30 organisations" in first
    assert "Org 00" in first and "Org 29" not in first
    assert "Org 29" in second and "Page 2 of 2" in second


def test_the_network_page_and_the_partnerships_list_link_to_the_map(signed_in):
    for url in (reverse("partnerships:network"), reverse("partnerships:partnership_list")):
        assert f'href="{MAP}"' in signed_in.get(url).content.decode()


@pytest.mark.parametrize("url", [DATA, TABLE])
@pytest.mark.parametrize("partnerships", [2, 12])
def test_the_queries_stay_the_same_as_the_network_grows(
    signed_in, url, partnerships, django_assert_num_queries
):
    locality = LocalityFactory(slug="easton")
    for _ in range(partnerships):
        _forum_in(locality, members=3)
    signed_in.get(url)  # warm the session and roles

    # Session, user, two-factor device and roles; the filter form's locality; the partnerships,
    # the seats, the logged relationships, the organisations' localities, the organisations,
    # the people and the partnerships' addresses. The table adds the menu's notifications and
    # the filter form's lists of localities and partnerships.
    with django_assert_num_queries(15 if url == TABLE else 12):
        assert signed_in.get(url, {"locality": "easton"}).status_code == 200
