"""Whole-file deduplication and linking: Splink predicts with our model, the sibling
guard caps the pairs it must, then records are clustered."""

from collections.abc import Sequence
from dataclasses import dataclass

from joinedup.matching.clustering import connected_components
from joinedup.matching.model import Model
from joinedup.matching.records import PersonRecord
from joinedup.matching.splink_backend import predict_pairs

# Pairs at or above this probability are the same child. Clusters are connected
# components over these links, so the threshold is set high: one wrong link joins two
# children's whole clusters.
DEDUPE_THRESHOLD = 0.9
LINK_THRESHOLD = 0.9


@dataclass(frozen=True)
class ClusteredRecord:
    record_id: str
    cluster_id: str
    match_probability: float | None  # the strongest link into its cluster; None if alone


@dataclass(frozen=True)
class Link:
    a_record_id: str
    b_record_id: str
    match_probability: float


def dedupe(
    records: Sequence[PersonRecord],
    model: Model,
    *,
    threshold: float = DEDUPE_THRESHOLD,
    sibling_guard: bool = True,
) -> list[ClusteredRecord]:
    pairs = predict_pairs([records], model, threshold=threshold, sibling_guard=sibling_guard)
    best: dict[str, float] = {}
    for left, right, probability in pairs.itertuples(index=False):
        best[left] = max(best.get(left, 0.0), probability)
        best[right] = max(best.get(right, 0.0), probability)
    record_ids = [record.record_id for record in records]
    cluster_of = connected_components(
        record_ids, zip(pairs["record_id_l"], pairs["record_id_r"], strict=True)
    )
    return [
        ClusteredRecord(record_id, cluster_of[record_id], best.get(record_id))
        for record_id in record_ids
    ]


def link(
    first: Sequence[PersonRecord],
    second: Sequence[PersonRecord],
    model: Model,
    *,
    threshold: float = LINK_THRESHOLD,
    sibling_guard: bool = True,
    one_to_one: bool = False,
) -> list[Link]:
    pairs = predict_pairs([first, second], model, threshold=threshold, sibling_guard=sibling_guard)
    links = [
        Link(str(left), str(right), float(probability))
        for left, right, probability in pairs.itertuples(index=False)
    ]
    if one_to_one:
        links = strongest_one_to_one(links)
    links.sort(key=lambda found: (found.a_record_id, -found.match_probability))
    return links


def strongest_one_to_one(links: Sequence[Link]) -> list[Link]:
    """At most one link per record on either side, strongest first: for two files that
    each list a child once, a record's weaker links can only be wrong. Greedy rather than
    an optimal assignment, so a link is kept or dropped for a reason a person can check."""
    taken_a: set[str] = set()
    taken_b: set[str] = set()
    kept = []
    for found in sorted(
        links, key=lambda each: (-each.match_probability, each.a_record_id, each.b_record_id)
    ):
        if found.a_record_id in taken_a or found.b_record_id in taken_b:
            continue
        taken_a.add(found.a_record_id)
        taken_b.add(found.b_record_id)
        kept.append(found)
    return kept
