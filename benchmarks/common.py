"""Shared measurement and result writing for the benchmark modules."""

import json
import resource
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from joinedup.matching.batch import ClusteredRecord
from joinedup.matching.evaluation import PairwiseScores, pairs_within_clusters

RESULTS_DIRECTORY = Path(__file__).with_name("results")


def migrated_database(path: Path) -> Path:
    """An empty, migrated SQLite database at `path`: a copy of the migrated template the test
    suite uses (tests/database_template.py), built once per version of the code. Migrating
    costs about 25 s, which each of seven benchmarks used to pay, twice the time they measure
    in `make bench-quick`."""
    from tests.database_template import build_sqlite

    shutil.copyfile(build_sqlite(), path)
    return path


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


def p95(values: list[float]) -> float:
    """The 95th percentile of values sorted in ascending order (nearest rank)."""
    return values[max(0, round(0.95 * len(values)) - 1)]


def latency_results(measured: dict[str, dict[str, Any]], target_ms: float) -> dict[str, Any]:
    """For each measurement (sorted "wall" and "cpu" milliseconds, and "queries": each distinct
    number of queries a request made): p50, p95, slowest and CPU figures; the machine's load;
    and whether each met the p95 target with one fixed number of queries."""
    import os
    import statistics

    result: dict[str, Any] = {}
    for name, timings in measured.items():
        wall, cpu = timings["wall"], timings["cpu"]
        result[name] = {
            "p50_ms": round(statistics.median(wall), 1),
            "p95_ms": round(p95(wall), 1),
            "max_ms": round(wall[-1], 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(p95(cpu), 1),
            # One number means a fixed cost, whatever the data.
            "queries": timings["queries"],
        }
    result.update(
        load_average_1min=round(os.getloadavg()[0], 2),
        cpus=os.cpu_count(),
        targets={f"{name}_p95_ms": target_ms for name in measured},
        met={
            f"{name}_p95_ms": result[name]["p95_ms"] < target_ms
            and len(result[name]["queries"]) == 1
            for name in measured
        },
    )
    return result
