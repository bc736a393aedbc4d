"""The network measures of issue 7, point 3, on graphs small enough to check by hand. Pure
Python: no database."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import networkx as nx
import pytest

from joinedup.core.spreadsheets import FORMULA_STARTS
from joinedup.partnerships import network
from joinedup.partnerships.network import (
    Membership,
    NetworkData,
    Node,
    Relationship,
)


def linked(
    edges: list[tuple[str, str]], *, alone: tuple[str, ...] = (), first: str | None = None
) -> NetworkData:
    """Organisations linked by logged relationships only, named after their ids."""
    ids = list(dict.fromkeys([*([first] if first else []), *(o for e in edges for o in e), *alone]))
    return NetworkData(
        organisations=[Node(i, f"Org {i}") for i in ids],
        relationships=[Relationship(a, b, "joint work") for a, b in edges],
    )


def graph_of(edges: list[tuple[str, str]], *, alone: tuple[str, ...] = ()) -> nx.Graph:
    return network.organisation_graph(linked(edges, alone=alone))


STAR = [("hub", leaf) for leaf in "abcd"]
RING = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "a")]
COMPLETE = [(a, b) for i, a in enumerate("abcde") for b in "abcde"[i + 1 :]]
# Two triangles joined through a single go-between, m:  a1 a2 a3 - m - b1 b2 b3.
BARBELL = [
    ("a1", "a2"),
    ("a1", "a3"),
    ("a2", "a3"),
    ("a3", "m"),
    ("m", "b1"),
    ("b1", "b2"),
    ("b1", "b3"),
    ("b2", "b3"),
]


# --- density ---------------------------------------------------------------------------------


def test_density_of_a_path_of_four_is_half():
    # 4 organisations: 4 x 3 / 2 = 6 possible links, 3 present.
    measure = network.density(graph_of([("a", "b"), ("b", "c"), ("c", "d")]))
    assert measure.value == pytest.approx(0.5)
    assert "6 links that could exist" in measure.explanation
    assert "3 do (50%)" in measure.explanation


def test_density_counts_shared_partnerships_as_links():
    data = NetworkData(
        organisations=[Node(i, i) for i in "abcd"],
        partnerships=[Node("p", "Panel"), Node("q", "Forum")],
        memberships=[
            Membership("p", "a"),
            Membership("p", "b"),
            Membership("p", "c"),
            Membership("q", "c"),
            Membership("q", "d"),
        ],
    )
    # p links a-b, a-c, b-c; q links c-d: 4 of 6.
    assert network.density(network.organisation_graph(data)).value == pytest.approx(4 / 6)


def test_density_of_fewer_than_two_organisations_is_zero():
    assert network.density(graph_of([], alone=("a",))).value == 0.0


# --- Freeman's degree centralisation --------------------------------------------------------


def test_a_star_is_fully_centralised():
    assert network.degree_centralisation(graph_of(STAR)) == pytest.approx(1.0)


@pytest.mark.parametrize("edges", [RING, COMPLETE], ids=["ring", "complete"])
def test_a_ring_or_a_complete_graph_is_not_centralised(edges):
    assert network.degree_centralisation(graph_of(edges)) == pytest.approx(0.0)


def test_centralisation_of_a_mixed_graph_by_hand():
    # a-b, a-c, a-d, b-c, d-e. Degrees: a 3, b 2, c 2, d 2, e 1; the largest is 3.
    # Σ (3 - d) = 0 + 1 + 1 + 1 + 2 = 5. Largest possible sum for n = 5: (5 - 1)(5 - 2) = 12.
    # C = 5 / 12.
    edges = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("d", "e")]
    measure = network.centralisation(graph_of(edges))
    assert measure.value == pytest.approx(5 / 12)
    assert "0.42" in measure.explanation


def test_centralisation_with_fewer_than_three_organisations_is_zero():
    assert network.degree_centralisation(graph_of([("a", "b")])) == 0.0
    assert network.degree_centralisation(graph_of([], alone=("a",))) == 0.0
    assert network.degree_centralisation(nx.Graph()) == 0.0


def test_an_isolated_organisation_counts_in_centralisation():
    # Star of 3 (hub, a, b) plus an organisation with no link: degrees 2, 1, 1, 0.
    # Σ (2 - d) = 0 + 1 + 1 + 2 = 4; (4 - 1)(4 - 2) = 6.
    graph = graph_of([("hub", "a"), ("hub", "b")], alone=("z",))
    assert network.degree_centralisation(graph) == pytest.approx(4 / 6)


# --- central and bridging organisations -----------------------------------------------------


def test_most_central_is_the_hub_of_a_star():
    ranking = network.most_central(graph_of(STAR), top=2)
    assert [r.id for r in ranking.organisations] == ["hub", "a"]
    assert ranking.organisations[0].value == pytest.approx(1.0)
    assert "Org hub is linked to 4 of the other 4 (100%)" in ranking.explanation


def test_bridging_on_a_barbell():
    # 7 organisations, 6 x 5 / 2 = 15 pairs of others for each. m is on every route between the
    # two triangles: 3 x 3 = 9 pairs, 9/15. a3 (and b1) are on the routes from the other two of
    # their triangle to m and the far triangle: 2 x 4 = 8 pairs, 8/15. a1, a2, b2, b3: none.
    ranking = network.bridging(graph_of(BARBELL))
    values = {r.id: r.value for r in ranking.organisations}
    assert values == {
        "m": pytest.approx(9 / 15, abs=1e-4),
        "a3": pytest.approx(8 / 15, abs=1e-4),
        "b1": pytest.approx(8 / 15, abs=1e-4),
    }
    assert ranking.organisations[0].id == "m"
    assert "estimated" not in ranking.explanation


@pytest.mark.parametrize(
    "first", ["a1", "m", "a3"], ids=["leaf-first", "go-between-first", "cut-first"]
)
def test_cut_points_on_a_barbell_and_who_they_cut_off(first):
    # Whichever organisation the search starts from (the root is a special case).
    graph = network.organisation_graph(linked(BARBELL, first=first))
    assert next(iter(graph)) == first
    ranking = network.cut_points(graph)
    # Without m: 3 and 3, so 3 lose touch with the larger (equal) part. Without a3: a1 and a2
    # are cut off from the other 4. Likewise b1.
    assert {r.id: r.cut_off for r in ranking.organisations} == {"m": 3, "a3": 2, "b1": 2}
    assert ranking.organisations[0].id == "m"
    assert "Without Org m, 3 organisations would be cut off" in ranking.explanation


def test_no_cut_points_in_a_ring():
    ranking = network.cut_points(graph_of(RING))
    assert ranking.organisations == []
    assert "No single organisation" in ranking.explanation


def test_cut_points_match_networkx_on_random_graphs():
    rng = random.Random(3)
    for n in (5, 20, 60):
        for p in (0.05, 0.1, 0.3):
            graph = nx.gnp_random_graph(n, p, seed=rng.randrange(10_000))
            graph = nx.relabel_nodes(graph, str)
            cuts = network._cut_points(graph)
            assert set(cuts) == set(nx.articulation_points(graph))
            for node, cut_off in cuts.items():
                rest = graph.copy()
                rest.remove_node(node)
                component = len(nx.node_connected_component(graph, node)) - 1
                pieces = [len(c) for c in nx.connected_components(rest) if c & set(graph[node])]
                assert cut_off == component - max(pieces)


def test_betweenness_is_sampled_only_for_large_networks():
    assert network.betweenness_sample(graph_of(BARBELL)) is None
    big = nx.gnm_random_graph(3000, 100_000, seed=1)
    sample = network.betweenness_sample(big)
    assert sample == network.BETWEENNESS_MIN_SAMPLE


# --- who is left out -------------------------------------------------------------------------


def test_isolated_and_peripheral_organisations():
    graph = graph_of([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")], alone=("lonely",))
    isolated = network.isolated(graph)
    assert [r.id for r in isolated.organisations] == ["lonely"]
    assert isolated.explanation.startswith("1 organisation ")
    peripheral = network.peripheral(graph)
    assert [r.id for r in peripheral.organisations] == ["d"]
    assert "only one other" in peripheral.explanation


def test_nobody_left_out():
    assert network.isolated(graph_of(RING)).organisations == []
    assert "Every organisation" in network.isolated(graph_of(RING)).explanation
    assert network.peripheral(graph_of(RING)).organisations == []


def test_core_of_a_barbell_is_the_two_triangles():
    # Each triangle member has 2 links inside its triangle; m has 2 links but only to the
    # triangles' ends, and a 2-core keeps it too (a3 - m - b1 each keep degree ≥ 2).
    ranking = network.core(graph_of([*BARBELL, ("b3", "tail")]))
    assert {r.id for r in ranking.organisations} == {"a1", "a2", "a3", "m", "b1", "b2", "b3"}
    assert "at least 2 others" in ranking.explanation


def test_core_numbers_match_networkx():
    for seed in range(5):
        graph = nx.relabel_nodes(nx.gnm_random_graph(80, 300, seed=seed), str)
        assert network.core_numbers(graph) == nx.core_number(graph)


# --- people with many hats -------------------------------------------------------------------


def hats_data() -> NetworkData:
    return NetworkData(
        organisations=[Node("school", "Hill School"), Node("police", "Police")],
        people=[Node("amy", "Amy Shah"), Node("ben", "Ben Ode"), Node("cat", "Cat Lee")],
        partnerships=[Node(p, f"Partnership {p}") for p in "pqrs"],
        memberships=[
            Membership("p", "school", "amy", "chair", True),
            Membership("q", "school", "amy", "member"),
            Membership("r", "police", "amy", "secretary"),
            Membership("s", "school", "amy", "member"),
            Membership("p", "police", "ben", "member"),
            Membership("q", "police", "ben", "member"),
            Membership("r", "police", "ben", "member"),
            Membership("s", "police", "cat", "member"),
            Membership("p", "police", "cat", "member"),
        ],
    )


def test_people_holding_many_roles():
    hats = network.many_hats(hats_data(), threshold=3)
    assert [(p.name, p.partnerships) for p in hats.people] == [("Amy Shah", 4), ("Ben Ode", 3)]
    amy = hats.people[0]
    assert amy.roles == ["chair", "member", "secretary"]
    assert amy.organisations == ["Hill School", "Police"]
    assert amy.partnership_names == [f"Partnership {p}" for p in "pqrs"]
    assert "2 people sit on 3 or more partnerships" in hats.explanation
    assert [p.name for p in network.many_hats(hats_data(), threshold=2).people] == [
        "Amy Shah",
        "Ben Ode",
        "Cat Lee",
    ]
    assert network.many_hats(hats_data(), threshold=5).people == []


# --- overlap between partnerships ------------------------------------------------------------


def overlap_data() -> NetworkData:
    return NetworkData(
        organisations=[Node(o, o.title()) for o in ("a", "b", "c", "d", "e")],
        people=[Node("amy", "Amy"), Node("ben", "Ben")],
        partnerships=[
            Node(
                "yisp-north",
                "North YISP panel",
                purpose=(
                    "Identify children at risk of offending and agree support plans with families"
                ),
            ),
            Node(
                "north-forum",
                "North children's forum",
                purpose="Agree support plans with families of children at risk of offending",
            ),
            Node("allotment", "Allotment group", purpose="Run the community garden"),
        ],
        memberships=[
            Membership("yisp-north", "a", "amy"),
            Membership("yisp-north", "b"),
            Membership("yisp-north", "c", "ben"),
            Membership("north-forum", "b"),
            Membership("north-forum", "c", "ben"),
            Membership("north-forum", "d"),
            Membership("allotment", "e"),
        ],
    )


def test_overlap_of_members_by_hand():
    pairs = network.overlaps(overlap_data()).pairs
    # Only the two north partnerships share anything: the allotment group shares no member,
    # no person and (below) not enough purpose.
    assert len(pairs) == 1
    pair = pairs[0]
    assert {pair.first_id, pair.second_id} == {"yisp-north", "north-forum"}
    # Members {a, b, c} and {b, c, d}: 2 shared of 4 in all.
    assert pair.shared_organisations == 2
    assert pair.organisation_jaccard == pytest.approx(2 / 4)
    assert pair.shared_people == 1


def test_purpose_similarity_flags_the_near_duplicate_only():
    # Purpose words without common words, plurals made singular:
    #   identify children risk offending agree support plan family          (8)
    #   agree support plan family children risk offending                    (7)
    # 7 shared of 8 in all: 7/8. The allotment group shares none of them.
    result = network.overlaps(overlap_data(), threshold=0.5)
    pair = result.pairs[0]
    assert pair.purpose_similarity == pytest.approx(7 / 8)
    assert pair.likely_duplicate
    assert pair.shared_purpose_words == [
        "agree",
        "children",
        "family",
        "offending",
        "plan",
        "risk",
        "support",
    ]
    assert [(p.first_id, p.second_id) for p in result.likely_duplicates] == [
        ("north-forum", "yisp-north")
    ]
    assert "1 pair flagged" in result.explanation


def test_similar_purpose_without_shared_members_is_still_flagged():
    data = NetworkData(
        partnerships=[
            Node("x", "Parenting forum", purpose="Support for parents of teenagers"),
            Node("y", "Parents' network", purpose="Supporting parents of teenagers."),
            Node("z", "Sports club", purpose="Football on Saturdays"),
        ],
    )
    result = network.overlaps(data, threshold=0.5)
    # {support, parent, teenager} against {supporting, parent, teenager}: 2 of 4.
    assert [(p.first_id, p.second_id, p.purpose_similarity) for p in result.pairs] == [
        ("x", "y", pytest.approx(0.5))
    ]
    assert result.pairs[0].shared_organisations == 0
    assert network.overlaps(data, threshold=0.6).pairs == []


def test_jaccard_of_nothing_is_zero():
    assert network.jaccard(set(), set()) == 0.0
    assert network.purpose_words("The and of") == frozenset()


# --- the whole map and the measures together -------------------------------------------------


def test_build_graph_has_every_kind_of_node_and_edge():
    data = hats_data()
    data.relationships.append(Relationship("school", "police", "introduction", date(2026, 3, 1)))
    data.relationships.append(Relationship("police", "school", "joint work", None))
    graph = network.build_graph(data)
    kinds = nx.get_node_attributes(graph, "type")
    assert sorted(kinds.values()).count("person") == 3
    assert sorted(kinds.values()).count("partnership") == 4
    assert sorted(kinds.values()).count("organisation") == 2
    amy_p = graph.edges["person:amy", "partnership:p"]
    assert amy_p["kind"] == "sits_on"
    assert amy_p["role"] == "chair"
    assert amy_p["delegated_authority"] is True
    assert graph.edges["person:amy", "organisation:school"]["kind"] == "represents"
    assert graph.edges["organisation:school", "partnership:p"]["kind"] == "member"
    rel = graph.edges["organisation:police", "organisation:school"]
    assert rel["kind"] == "relationship"
    assert rel["relationships"] == 2
    assert rel["relationship_kinds"] == "introduction; joint work"
    assert rel["latest"] == "2026-03-01"


def test_organisation_graph_weights_add_partnerships_and_relationships():
    data = hats_data()
    data.relationships.append(Relationship("school", "police", "introduction"))
    edge = network.organisation_graph(data).edges["school", "police"]
    # School and police are both on p, q, r? School is on p, q, s (through Amy) and police on
    # p, q, r, s: shared p, q, s = 3, plus one logged relationship.
    assert edge["shared_partnerships"] == 3
    assert edge["relationships"] == 1
    assert edge["weight"] == 4


def test_unknown_ids_are_refused():
    with pytest.raises(ValueError, match="unknown organisation: ghost"):
        network.build_graph(
            NetworkData(
                organisations=[Node("a", "A")],
                partnerships=[Node("p", "P")],
                memberships=[Membership("p", "ghost")],
            )
        )
    with pytest.raises(ValueError, match="unknown organisation: ghost"):
        network.organisation_graph(
            NetworkData(organisations=[Node("a", "A")], relationships=[Relationship("a", "ghost")])
        )


def test_measures_bring_every_figure_with_an_explanation():
    result = network.measures(overlap_data(), many_hats_threshold=1)
    assert result.organisations == 5
    assert result.links == 5  # a-b, a-c, b-c from one panel; b-c, b-d, c-d from the forum
    for part in (
        result.density,
        result.centralisation,
        result.most_central,
        result.bridging,
        result.cut_points,
        result.isolated,
        result.peripheral,
        result.core,
        result.many_hats,
        result.overlaps,
    ):
        assert part.explanation.strip()
    assert [r.id for r in result.isolated.organisations] == ["e"]
    assert {r.id for r in result.bridging.organisations} == {"b", "c"}


def city(seed: int = 1) -> NetworkData:
    """A city's size, as issue 7 sets the target: 2,000 organisations, 5,000 people and 300
    partnerships, with a few organisations on many partnerships as in life."""
    rng = random.Random(seed)
    orgs = [
        Node(f"o{i}", f"Org {i}", sector="statutory", locality=f"L{i % 6}") for i in range(2000)
    ]
    people = [Node(f"p{i}", f"Person {i}") for i in range(5000)]
    words = [
        "children",
        "young",
        "people",
        "families",
        "school",
        "exclusion",
        "offending",
        "support",
        "panel",
        "steering",
        "group",
        "youth",
        "inclusion",
        "health",
        "housing",
        "education",
        "parents",
        "mentoring",
        "city",
        "local",
    ]
    partnerships = [
        Node(f"s{i}", f"Partnership {i}", purpose=" ".join(rng.sample(words, 6)))
        for i in range(300)
    ]
    weights = [1 / (i + 1) ** 0.6 for i in range(2000)]
    memberships = []
    for person in people:
        for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 4)):
            org = rng.choices(orgs, weights)[0]
            memberships.append(Membership(f"s{rng.randrange(300)}", org.id, person.id, "member"))
    relationships = [
        Relationship(f"o{rng.randrange(2000)}", f"o{rng.randrange(2000)}", "introduction")
        for _ in range(1500)
    ]
    return NetworkData(orgs, people, partnerships, memberships, relationships)


def test_measures_at_a_citys_size():
    # A size check, not a timing (timings belong to the benchmarks): at this size betweenness
    # is estimated from a sample, and the explanation says so.
    data = city()
    result = network.measures(data)
    assert result.organisations == 2000
    assert result.links > 50_000
    assert "estimated from routes starting at" in result.bridging.explanation
    assert len(result.most_central.organisations) == 10
    assert len(result.bridging.organisations) == 10
    assert result.overlaps.likely_duplicates


# --- exports ---------------------------------------------------------------------------------


def export_data() -> NetworkData:
    data = hats_data()
    data.relationships.append(Relationship("school", "police", "introduction", None))
    data.partnerships.append(Node("t", "Empty group"))
    return data


@pytest.mark.parametrize(
    ("write", "read"),
    [(network.to_graphml, nx.read_graphml), (network.to_gexf, nx.read_gexf)],
    ids=["graphml", "gexf"],
)
def test_exports_read_back_with_the_same_nodes_and_edges(write, read):
    graph = network.build_graph(export_data())
    back = read(io.BytesIO(write(graph)))
    assert set(back.nodes) == set(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    assert back.nodes["person:amy"]["name"] == "Amy Shah"
    assert back.edges["person:amy", "partnership:p"]["role"] == "chair"


def test_exports_take_none_and_dates():
    graph = nx.Graph()
    graph.add_node("a", name=None, since=date(2026, 1, 2))
    graph.add_edge("a", "b", note=None)
    back = nx.read_graphml(io.BytesIO(network.to_graphml(graph)))
    assert back.nodes["a"]["since"] == "2026-01-02"
    assert back.nodes["a"]["name"] == ""
    nx.read_gexf(io.BytesIO(network.to_gexf(graph)))


def test_csv_export_neutralises_formulas():
    data = NetworkData(
        organisations=[
            Node("a", '=HYPERLINK("http://evil")', sector="+1"),
            Node("b", "@SUM(A1)", locality="-2"),
            Node("c", "Plain Trust"),
        ],
        partnerships=[Node("p", "Panel", purpose="\tTabbed")],
        memberships=[Membership("p", "a", role="=cmd"), Membership("p", "b")],
    )
    nodes_csv, edges_csv = network.to_csv(data)
    nodes = {row["id"]: row for row in csv.DictReader(io.StringIO(nodes_csv))}
    assert nodes["organisation:a"]["name"] == '\'=HYPERLINK("http://evil")'
    assert nodes["organisation:a"]["sector"] == "'+1"
    assert nodes["organisation:b"]["name"] == "'@SUM(A1)"
    assert nodes["organisation:b"]["locality"] == "'-2"
    assert nodes["organisation:c"]["name"] == "Plain Trust"
    assert nodes["partnership:p"]["purpose"] == "'\tTabbed"
    edges = list(csv.DictReader(io.StringIO(edges_csv)))
    assert {e["role"] for e in edges} == {"'=cmd", ""}
    assert {e["delegated_authority"] for e in edges} == {"no"}
    assert all(e["kind"] == "member" for e in edges)
    for text in (nodes_csv, edges_csv):
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row)


def _random_partnerships(rng: random.Random, count: int) -> NetworkData:
    vocabulary = [f"word{i}" for i in range(12)]
    partnerships = [
        Node(
            f"p{i}", f"Partnership {i}", purpose=" ".join(rng.sample(vocabulary, rng.randint(0, 6)))
        )
        for i in range(count)
    ]
    memberships = [
        Membership(f"p{i}", f"o{rng.randrange(15)}") for i in range(count) for _ in range(2)
    ]
    organisations = [Node(f"o{i}", f"Organisation {i}") for i in range(15)]
    return NetworkData(
        organisations=organisations, partnerships=partnerships, memberships=memberships
    )


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.75, 1.0])
def test_every_likely_duplicate_is_found_as_comparing_every_pair_would(threshold):
    rng = random.Random(threshold)
    data = _random_partnerships(rng, 40)
    words = {p.id: network.purpose_words(p.purpose) for p in data.partnerships}
    expected = {
        (a, b)
        for a in words
        for b in words
        if a < b and network.jaccard(words[a], words[b]) >= threshold and (words[a] | words[b])
    }
    found = network.overlaps(data, threshold=threshold, top=0).likely_duplicates
    assert {(p.first_id, p.second_id) for p in found} == expected


def test_the_list_keeps_every_duplicate_then_the_most_alike_pairs():
    # Eight partnerships on which one organisation sits: 28 pairs share a member. Two of them
    # have the same purpose.
    data = NetworkData(
        organisations=[Node("hub", "Community hub")],
        partnerships=[
            Node(f"p{i}", f"Partnership {i}", purpose=activity)
            for i, activity in enumerate(
                ["Football", "Gardening", "Homework club", "Cooking", "Music", "Drama"]
            )
        ]
        + [
            Node("twin-a", "Twin A", purpose="Support young carers at school"),
            Node("twin-b", "Twin B", purpose="Support young carers at school"),
        ],
        memberships=[Membership(f"p{i}", "hub") for i in range(6)]
        + [Membership("twin-a", "hub"), Membership("twin-b", "hub")],
    )
    result = network.overlaps(data, threshold=0.5, top=5)
    assert len(result.pairs) == 5
    assert (result.pairs[0].first_id, result.pairs[0].second_id) == ("twin-a", "twin-b")
    assert [p.likely_duplicate for p in result.pairs] == [True, False, False, False, False]
    assert "28 pairs share members or purpose; the 5 most alike are listed." in result.explanation
    assert len(network.overlaps(data, threshold=0.5, top=50).pairs) == 28
