"""The UK-style synthetic children set with twins, siblings, nicknames, transliterations,
day/month swaps, house moves and blanks: ours (with the sibling guard) against plain
Splink."""

from typing import Any

from benchmarks import plain_splink
from benchmarks.common import clustered_pairs, peak_memory_mb, scores_dict, timed
from joinedup.matching.batch import dedupe
from joinedup.matching.evaluation import pairs_within_clusters, pairwise_scores
from joinedup.matching.model import Model
from joinedup.matching.synthetic import generate_children

TARGETS = {"f1": 0.95}
# A different seed from the training set's, so the model is scored on unseen records.
EVALUATION_SEED = 99


def run(quick: bool) -> dict[str, Any]:
    sample = generate_children(1000 if quick else 3000, seed=EVALUATION_SEED)
    truth = pairs_within_clusters(sample.cluster_of)
    clustered, ours_seconds = timed(lambda: dedupe(sample.records, Model.load()))
    (splink_pairs, splink_steps), splink_seconds = timed(
        lambda: plain_splink.predict([sample.records])
    )
    ours = {
        **scores_dict(pairwise_scores(clustered_pairs(clustered), truth)),
        "wall_s": round(ours_seconds, 2),
    }
    return {
        "records": len(sample.records),
        "targets": TARGETS,
        "ours": ours,
        "plain_splink": {
            **scores_dict(pairwise_scores(splink_pairs, truth)),
            "wall_s": round(splink_seconds, 2),
            **{k: round(v, 2) for k, v in splink_steps.items()},
        },
        "peak_memory_mb": round(peak_memory_mb(), 1),
        "met": {"f1": ours["f1"] >= TARGETS["f1"]},
    }
