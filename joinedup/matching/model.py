"""The Fellegi-Sunter model: m and u probabilities per comparison level, stored as JSON,
and the real-time scorer that explains itself to a coordinator."""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from joinedup.matching.comparisons import (
    COMPARISON_RULES,
    CROSSED_LEVEL,
    ELSE_LEVEL,
    NULL_LEVEL,
    comparison_levels,
)
from joinedup.matching.features import RecordFeatures, record_features
from joinedup.matching.records import PersonRecord

DEFAULT_MODEL_PATH = Path(__file__).with_name("model.json")
MODEL_FORMAT = "joinedup-matching-model/1"

# The sibling guard. Twins and siblings agree on family name, address, postcode, school
# and sometimes date of birth, which together outweigh one disagreeing given name in a
# Fellegi-Sunter sum. Different children are what the coordinator must never merge, so a
# clear given-name difference caps the probability, whatever else agrees, unless an NHS
# number (one per child) agrees. Two different valid NHS numbers are two children.
SIBLING_GUARD_PROBABILITY_CAP = 0.05
DIFFERENT_NHS_NUMBER_PROBABILITY_CAP = 0.01
# A sibling's given name can also be close to the child's (Charlie and Charlotte, Abdi and
# Abdirahman, Aleksander and Aleksandra); then a date of birth that differs in more than
# one part is what tells them apart. Such a pair goes to a person to check (intake shows
# candidates from 0.5) but is never linked by a batch run (0.9).
DIFFERENT_BIRTH_DATE_PROBABILITY_CAP = 0.5
# The comparisons the guard reads.
GUARDED_COMPARISONS = ("given_name", "nhs_number", "date_of_birth")


@dataclass(frozen=True)
class LevelParameters:
    name: str
    m_probability: float | None
    u_probability: float | None

    @property
    def match_weight(self) -> float:
        """log2(m/u): the evidence this level adds; null levels add none."""
        if self.m_probability is None or self.u_probability is None:
            return 0.0
        return math.log2(self.m_probability / self.u_probability)


@dataclass(frozen=True)
class MatchScore:
    probability: float
    match_weight: float
    reasons: tuple[str, ...]


def probability_from_weight(match_weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-match_weight))


def weight_from_probability(probability: float) -> float:
    return math.log2(probability / (1.0 - probability))


def _pair_text(first: str, second: str) -> str:
    return f"{first.title()} / {second.title()}"


def _name_reason(field: str, level: str, first: str, second: str) -> str:
    pair = _pair_text(first, second)
    capitalised = field.capitalize()
    return {
        "exact": f"Same {field} ({first.title()})",
        "variant": f"{capitalised}s are the same name in another spelling or a nickname ({pair})",
        "jaro_winkler_0_92": f"{capitalised}s differ by a small typing error ({pair})",
        "jaro_winkler_0_88": f"{capitalised}s are spelt similarly ({pair})",
        "swapped": "Given and family names appear to be the other way round",
        "close": f"{capitalised}s are spelt somewhat alike ({pair})",
        CROSSED_LEVEL: "One record's family name is the other's given name",
        ELSE_LEVEL: (
            "Different given names: likely a sibling, not the same child " + f"({pair})"
            if field == "given name"
            else f"Different {field}s ({pair})"
        ),
    }[level]


def _reason(comparison: str, level: str, a: RecordFeatures, b: RecordFeatures) -> str:
    if comparison == "given_name":
        return _name_reason("given name", level, a.given, b.given)
    if comparison == "family_name":
        return _name_reason("family name", level, a.family, b.family)
    if comparison == "date_of_birth":
        return {
            "exact": "Same date of birth",
            "day_month_swapped": "Dates of birth match with day and month swapped",
            "one_part_differs": "Dates of birth differ in only the day, month or year",
            ELSE_LEVEL: "Different dates of birth",
        }[level]
    labels = {
        "sex": ("Same sex recorded", "Different sex recorded"),
        "postcode": ("Same postcode", "Different postcodes: the family may have moved"),
        "address": ("Same address", "Different addresses: the family may have moved"),
        "school": ("Same school", "Different schools"),
        "nhs_number": ("Same NHS number", "Different NHS numbers: two different children"),
    }
    same, different = labels[comparison]
    return {
        "exact": same,
        "same_outward_code": "Postcodes in the same area (outward code)",
        "one_character_differs": "Postcodes differ by one character, or two swapped",
        "jaro_winkler_0_92": "Addresses nearly the same",
        "jaro_winkler_0_80": "Addresses similar",
        "jaro_winkler_0_90": "School names nearly the same",
        ELSE_LEVEL: different,
    }[level]


@dataclass(frozen=True)
class Model:
    probability_two_random_records_match: float
    comparisons: Mapping[str, tuple[LevelParameters, ...]]
    trained_on: str = ""

    @classmethod
    def load(cls, path: Path | str | None = None) -> "Model":
        with Path(path or DEFAULT_MODEL_PATH).open(encoding="utf-8") as model_file:
            return cls.from_dict(json.load(model_file))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Model":
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"Not a {MODEL_FORMAT} model file")
        stored = {comparison["name"]: comparison for comparison in data["comparisons"]}
        comparisons: dict[str, tuple[LevelParameters, ...]] = {}
        for rule in COMPARISON_RULES:
            if rule.name not in stored:
                raise ValueError(f"The model has no {rule.name!r} comparison")
            levels = tuple(
                LevelParameters(level["name"], level["m_probability"], level["u_probability"])
                for level in stored[rule.name]["levels"]
            )
            if tuple(level.name for level in levels) != rule.level_names:
                raise ValueError(f"The model's {rule.name!r} levels are not {rule.level_names}")
            comparisons[rule.name] = levels
        return cls(
            probability_two_random_records_match=float(
                data["probability_two_random_records_match"]
            ),
            comparisons=comparisons,
            trained_on=str(data.get("trained_on", "")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "trained_on": self.trained_on,
            "probability_two_random_records_match": self.probability_two_random_records_match,
            "comparisons": [
                {
                    "name": name,
                    "levels": [
                        {
                            "name": level.name,
                            "m_probability": level.m_probability,
                            "u_probability": level.u_probability,
                        }
                        for level in levels
                    ],
                }
                for name, levels in self.comparisons.items()
            ],
        }

    def save(self, path: Path | str) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @property
    def prior_weight(self) -> float:
        return weight_from_probability(self.probability_two_random_records_match)

    @cached_property
    def _weights(self) -> dict[tuple[str, str], float]:
        return {
            (comparison, parameters.name): parameters.match_weight
            for comparison, levels in self.comparisons.items()
            for parameters in levels
        }

    def level_weight(self, comparison: str, level: str) -> float:
        try:
            return self._weights[comparison, level]
        except KeyError:
            raise KeyError(f"{comparison}.{level}") from None

    def probability_of_features(self, a: RecordFeatures, b: RecordFeatures) -> float:
        """The match probability alone, without reasons: the fast path for screening
        many candidates; `score_features` gives the same probability."""
        levels = comparison_levels(a, b)
        weights = self._weights
        match_weight = self.prior_weight + sum(
            weights[item] for item in levels.items() if item[1] != NULL_LEVEL
        )
        probability = probability_from_weight(match_weight)
        cap = guard_probability_cap(levels)
        return min(probability, cap) if cap is not None else probability

    def score(self, a: PersonRecord, b: PersonRecord) -> MatchScore:
        return self.score_features(record_features(a), record_features(b))

    def score_features(self, a: RecordFeatures, b: RecordFeatures) -> MatchScore:
        levels = comparison_levels(a, b)
        weighted = [
            (self.level_weight(comparison, level), comparison, level)
            for comparison, level in levels.items()
            if level != NULL_LEVEL
        ]
        match_weight = self.prior_weight + sum(weight for weight, _, _ in weighted)
        # The strongest evidence first, so the coordinator reads what decided the score.
        reasons = [
            _reason(comparison, level, a, b)
            for _, comparison, level in sorted(weighted, key=lambda item: -abs(item[0]))
        ]
        cap = guard_probability_cap(levels)
        probability = probability_from_weight(match_weight)
        if cap is not None and probability > cap:
            probability = cap
            match_weight = weight_from_probability(cap)
            reasons.insert(
                0,
                "Held for a person to check: a similar given name with a different date of "
                "birth is how a brother or sister looks"
                if cap == DIFFERENT_BIRTH_DATE_PROBABILITY_CAP
                else "Capped: records that differ like this are different children",
            )
        return MatchScore(
            probability=probability, match_weight=match_weight, reasons=tuple(reasons)
        )


def guard_probability_cap(levels: Mapping[str, str]) -> float | None:
    """The most probability the sibling guard allows for these comparison levels."""
    if levels["nhs_number"] == ELSE_LEVEL:
        return DIFFERENT_NHS_NUMBER_PROBABILITY_CAP
    if levels["nhs_number"] == "exact":
        return None
    if levels["given_name"] == ELSE_LEVEL:
        return SIBLING_GUARD_PROBABILITY_CAP
    if levels["date_of_birth"] == ELSE_LEVEL and levels["given_name"] != "exact":
        return DIFFERENT_BIRTH_DATE_PROBABILITY_CAP
    return None
