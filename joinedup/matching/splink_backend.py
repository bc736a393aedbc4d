"""Splink 5 (DuckDB) over the derived fields: batch prediction with our model, and the
untrained settings that training estimates. Comparisons come from the same rules the
real-time scorer uses, so a pair gets the same levels in both."""

import logging
from collections.abc import Sequence
from typing import Any

import pandas as pd
from splink import DuckDBAPI, Linker

from joinedup.matching.comparisons import COMPARISON_RULES, NULL_LEVEL, ComparisonRule
from joinedup.matching.features import features_row, record_features
from joinedup.matching.model import Model, guard_probability_cap
from joinedup.matching.records import PersonRecord

# Blocking rules for batch prediction, mirroring the intake keys in keys.py: a date of
# birth (or its day/month swap) with either name's phonetic code, both names' codes in
# either order, a postcode with an initial, or an NHS number.
PREDICTION_BLOCKING_RULES = (
    "l.dob = r.dob AND l.given_phonetic = r.given_phonetic",
    "l.dob = r.dob AND l.family_phonetic = r.family_phonetic",
    "l.dob = r.dob AND l.given_phonetic = r.family_phonetic",
    "l.dob = r.dob AND l.family_phonetic = r.given_phonetic",
    "l.dob_swapped = r.dob AND l.family_phonetic = r.family_phonetic",
    "l.dob = r.dob_swapped AND l.family_phonetic = r.family_phonetic",
    "l.dob_swapped = r.dob AND l.given_phonetic = r.given_phonetic",
    "l.dob = r.dob_swapped AND l.given_phonetic = r.given_phonetic",
    "l.given_phonetic = r.given_phonetic AND l.family_phonetic = r.family_phonetic",
    "l.given_phonetic = r.family_phonetic AND l.family_phonetic = r.given_phonetic",
    "l.postcode = r.postcode AND substr(l.given_forms, 1, 1) = substr(r.given_forms, 1, 1)",
    "l.postcode = r.postcode AND substr(l.family_forms, 1, 1) = substr(r.family_forms, 1, 1)",
    "l.nhs_number = r.nhs_number",
    "l.dob = r.dob AND l.postcode = r.postcode",
    "l.family_phonetic = r.family_phonetic AND l.postcode = r.postcode",
)
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


def features_frame(records: Sequence[PersonRecord], source_dataset: str = "") -> pd.DataFrame:
    rows = [features_row(record.record_id, record_features(record)) for record in records]
    frame = pd.DataFrame(rows, columns=list(features_row("", record_features(_EMPTY)).keys()))
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


def splink_settings(model: Model | None, link_type: str) -> dict[str, Any]:
    """Splink settings with our comparisons; with a model, its m, u and prior."""
    settings: dict[str, Any] = {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [_comparison_settings(rule, model) for rule in COMPARISON_RULES],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in PREDICTION_BLOCKING_RULES
        ],
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
    frames = [
        features_frame(records, source_dataset=f"d{index}" if len(datasets) > 1 else "")
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
        for position, (given_weight, nhs_weight) in enumerate(
            zip(predictions["mw_given_name"], predictions["mw_nhs_number"], strict=True)
        ):
            cap = guard_probability_cap(
                {
                    "given_name": _level_of_weight(model, "given_name", given_weight),
                    "nhs_number": _level_of_weight(model, "nhs_number", nhs_weight),
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
