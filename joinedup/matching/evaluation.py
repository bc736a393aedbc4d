"""Pairwise precision, recall and F1 of a clustering or a set of predicted links."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

Pair = tuple[str, str]


@dataclass(frozen=True)
class PairwiseScores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def ordered_pair(first: str, second: str) -> Pair:
    return (first, second) if first <= second else (second, first)


def pairs_within_clusters(cluster_of: Mapping[str, str]) -> set[Pair]:
    """Every pair of records that share a cluster."""
    members: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster_id in cluster_of.items():
        members[cluster_id].append(record_id)
    return {
        ordered_pair(first, second)
        for cluster in members.values()
        for first, second in combinations(cluster, 2)
    }


def pairwise_scores(predicted: Iterable[Pair], truth: Iterable[Pair]) -> PairwiseScores:
    predicted_set = {ordered_pair(*pair) for pair in predicted}
    truth_set = {ordered_pair(*pair) for pair in truth}
    true_positives = len(predicted_set & truth_set)
    false_positives = len(predicted_set - truth_set)
    false_negatives = len(truth_set - predicted_set)
    precision = true_positives / len(predicted_set) if predicted_set else 1.0
    recall = true_positives / len(truth_set) if truth_set else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScores(
        precision=precision,
        recall=recall,
        f1=f1,
        true_positives=true_positives,
        false_positives=false_positives,
        false_negatives=false_negatives,
    )
