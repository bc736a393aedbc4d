"""Shared measurement and result writing for the benchmark modules."""

import json
import resource
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from joinedup.matching.batch import ClusteredRecord
from joinedup.matching.evaluation import PairwiseScores, pairs_within_clusters

RESULTS_DIRECTORY = Path(__file__).with_name("results")


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def clustered_pairs(clustered: list[ClusteredRecord]) -> set[tuple[str, str]]:
    return pairs_within_clusters({row.record_id: row.cluster_id for row in clustered})


def scores_dict(scores: PairwiseScores) -> dict[str, Any]:
    return {
        key: round(value, 5) if isinstance(value, float) else value
        for key, value in asdict(scores).items()
    }


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS_DIRECTORY.mkdir(exist_ok=True)
    path = RESULTS_DIRECTORY / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path
