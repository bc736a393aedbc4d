"""The comparison point: a plain Splink 5 model over the raw CSV columns, trained the
usual way (u by random sampling, m by EM, prior from deterministic rules)."""

import logging
import time
from collections.abc import Sequence

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from joinedup.matching.clustering import connected_components
from joinedup.matching.records import PersonRecord

THRESHOLD = 0.9


def _frame(records: Sequence[PersonRecord], source: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "unique_id": [record.record_id for record in records],
            "given_name": [record.given_name.lower() or None for record in records],
            "family_name": [record.family_name.lower() or None for record in records],
            "date_of_birth": [
                record.date_of_birth.isoformat() if record.date_of_birth else None
                for record in records
            ],
            "sex": [record.sex or None for record in records],
            "postcode": [record.postcode or None for record in records],
            "address": [record.address.lower() or None for record in records],
            "school": [record.school or None for record in records],
        }
    )
    if source:
        frame["source_dataset"] = source
    return frame


def predict(
    datasets: Sequence[Sequence[PersonRecord]],
) -> tuple[list[tuple[str, str]], dict[str, float]]:
    """Links at the threshold (clusters for one dataset) and the seconds each step took."""
    started = time.perf_counter()
    link_type = "dedupe_only" if len(datasets) == 1 else "link_only"
    settings = SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("family_name", [0.92, 0.8]),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.JaroWinklerAtThresholds("address", [0.92, 0.8]),
            cl.ExactMatch("school"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("family_name", "substr(date_of_birth, 1, 4)"),
        ],
    )
    database = DuckDBAPI()
    frames = [
        database.register(_frame(records, f"d{index}" if len(datasets) > 1 else ""))
        for index, records in enumerate(datasets)
    ]
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name")
    )
    trained = time.perf_counter()
    predictions = linker.inference.predict(
        threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    pairs = list(zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True))
    if len(datasets) == 1:
        ids = [record.record_id for record in datasets[0]]
        cluster_of = connected_components(ids, pairs)
        members: dict[str, list[str]] = {}
        for record_id, cluster in cluster_of.items():
            members.setdefault(cluster, []).append(record_id)
        pairs = [
            (first, second)
            for group in members.values()
            for index, first in enumerate(group)
            for second in group[index + 1 :]
        ]
    finished = time.perf_counter()
    return pairs, {"train_s": trained - started, "predict_s": finished - trained}
