"""Splink 5 (DuckDB) over the derived fields: batch prediction with our model, and the
untrained settings that training estimates. Comparisons come from the same rules the
real-time scorer uses, so a pair gets the same levels in both."""

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pandas as pd
from splink import DuckDBAPI, Linker

from joinedup.matching.comparisons import COMPARISON_RULES, NULL_LEVEL, ComparisonRule
from joinedup.matching.features import features_row, record_features
from joinedup.matching.keys import blocking_keys
from joinedup.matching.model import GUARDED_COMPARISONS, Model, guard_probability_cap
from joinedup.matching.records import PersonRecord

# Batch prediction compares every pair of records that share an intake key (keys.py), so
# the batch commands and intake search find the same candidates. Each record's keys are an
# array column that Splink explodes and joins on; keys shared by more records than the
# block limit are dropped first, as intake skips them (the record's rarer keys remain).
KEYS_COLUMN = "blocking_keys"
BATCH_MAX_BLOCK = 1000
PREDICTION_BLOCKING_RULE = {
    "blocking_rule": f"l.{KEYS_COLUMN} = r.{KEYS_COLUMN}",
    "arrays_to_explode": [KEYS_COLUMN],
    "sql_dialect": "duckdb",
}
# Rules for expectation maximisation: each leaves enough comparisons free to estimate,
# and between them every comparison is estimated at least once.
TRAINING_BLOCKING_RULES = (
    "l.dob = r.dob",
    "l.given_phonetic = r.given_phonetic AND l.family_phonetic = r.family_phonetic",
)
# Rules that almost only admit true matches, for estimating the prior.
DETERMINISTIC_RULES = (
    "l.given = r.given AND l.family = r.family AND l.dob = r.dob",
    "l.nhs_number = r.nhs_number",
)
SPLINK_LOG_LEVEL = logging.WARNING


def features_frame(
    records: Sequence[PersonRecord],
    source_dataset: str = "",
    keys: Sequence[set[str]] | None = None,
) -> pd.DataFrame:
    features = [record_features(record) for record in records]
    rows = [
        features_row(record.record_id, each) for record, each in zip(records, features, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=list(features_row("", record_features(_EMPTY)).keys()))
    if keys is not None:
        frame[KEYS_COLUMN] = [sorted(record_keys) for record_keys in keys]
    if source_dataset:
        frame["source_dataset"] = source_dataset
    # Whole-number columns stay integers in DuckDB even when some values are blank.
    for column in ("dob_year", "dob_month", "dob_day"):
        frame[column] = frame[column].astype("Int64")
    return frame


_EMPTY = PersonRecord(record_id="", given_name="", family_name="", date_of_birth=None)


def _comparison_settings(rule: ComparisonRule, model: Model | None) -> dict[str, Any]:
    levels = []
    for index, level in enumerate(rule.levels):
        entry: dict[str, Any] = {
            "sql_condition": level.sql,
            "label_for_charts": level.name,
        }
        if level.name == NULL_LEVEL:
            entry["is_null_level"] = True
        elif model is not None:
            parameters = model.comparisons[rule.name][index]
            entry["m_probability"] = parameters.m_probability
            entry["u_probability"] = parameters.u_probability
        levels.append(entry)
    return {"output_column_name": rule.name, "comparison_levels": levels}


def splink_settings(
    model: Model | None, link_type: str, *, for_prediction: bool = True
) -> dict[str, Any]:
    """Splink settings with our comparisons; with a model, its m, u and prior. Training
    has no key column and needs no prediction blocking."""
    settings: dict[str, Any] = {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [_comparison_settings(rule, model) for rule in COMPARISON_RULES],
        "blocking_rules_to_generate_predictions": (
            [PREDICTION_BLOCKING_RULE] if for_prediction else []
        ),
        "retain_matching_columns": False,
        # The sibling guard reads each comparison's weight (mw_ columns) of each pair.
        "retain_intermediate_calculation_columns": True,
    }
    if model is not None:
        settings["probability_two_random_records_match"] = (
            model.probability_two_random_records_match
        )
    return settings


def make_linker(frames: Sequence[pd.DataFrame], settings: dict[str, Any]) -> Linker:
    database = DuckDBAPI()
    registered = [
        database.register(frame, dataset_display_name=f"input_{index}")
        for index, frame in enumerate(frames)
    ]
    return Linker(
        registered if len(registered) > 1 else registered[0],
        settings,
        log_level=SPLINK_LOG_LEVEL,
    )


def common_keys_dropped(keys: Sequence[Sequence[set[str]]], max_block: int) -> list[list[set[str]]]:
    """Each record's keys without those more than `max_block` records share; a record
    whose keys are all that common keeps its rarest."""
    counts = Counter(key for dataset in keys for record_keys in dataset for key in record_keys)
    kept = []
    for dataset in keys:
        kept_dataset = []
        for record_keys in dataset:
            rare = {key for key in record_keys if counts[key] <= max_block}
            if not rare and record_keys:
                rare = {min(record_keys, key=lambda key: (counts[key], key))}
            kept_dataset.append(rare)
        kept.append(kept_dataset)
    return kept


def _level_of_weight(model: Model, comparison: str, match_weight: float) -> str:
    """The level a pair reached, read back from its weight: Splink 5 does not return
    comparison levels (gamma) from predict, but each level's weight is distinct."""
    if match_weight == 0.0:
        return NULL_LEVEL
    levels = model.comparisons[comparison]
    nearest = min(levels, key=lambda level: abs(level.match_weight - match_weight))
    return nearest.name


def predict_pairs(
    datasets: Sequence[Sequence[PersonRecord]],
    model: Model,
    *,
    threshold: float,
    sibling_guard: bool = True,
) -> pd.DataFrame:
    """Scored pairs at or above `threshold` after the sibling guard: columns
    `record_id_l`, `record_id_r`, `match_probability` (and, when linking two datasets,
    `record_id_l` is always from the first)."""
    link_type = "dedupe_only" if len(datasets) == 1 else "link_only"
    keys = common_keys_dropped(
        [[blocking_keys(record) for record in records] for records in datasets], BATCH_MAX_BLOCK
    )
    frames = [
        features_frame(
            records, source_dataset=f"d{index}" if len(datasets) > 1 else "", keys=keys[index]
        )
        for index, records in enumerate(datasets)
    ]
    linker = make_linker(frames, splink_settings(model, link_type))
    # The guard only lowers probabilities, so filtering first loses nothing.
    predictions = linker.inference.predict(
        threshold_match_probability=threshold
    ).as_pandas_dataframe()
    if predictions.empty:
        return pd.DataFrame(columns=["record_id_l", "record_id_r", "match_probability"])
    probabilities = predictions["match_probability"].tolist()
    if sibling_guard:
        weight_columns = [predictions[f"mw_{name}"].tolist() for name in GUARDED_COMPARISONS]
        for position, weights in enumerate(zip(*weight_columns, strict=True)):
            cap = guard_probability_cap(
                {
                    name: _level_of_weight(model, name, weight)
                    for name, weight in zip(GUARDED_COMPARISONS, weights, strict=True)
                }
            )
            if cap is not None:
                probabilities[position] = min(probabilities[position], cap)
    left, right = predictions["unique_id_l"], predictions["unique_id_r"]
    if link_type == "link_only":
        # Put the first dataset's id on the left whichever way Splink ordered the pair.
        from_first = predictions["source_dataset_l"] == "d0"
        left, right = left.where(from_first, right), right.where(from_first, left)
    result = pd.DataFrame(
        {"record_id_l": left, "record_id_r": right, "match_probability": probabilities}
    )
    return result[result["match_probability"] >= threshold].reset_index(drop=True)
