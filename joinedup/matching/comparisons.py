"""The comparisons of the Fellegi-Sunter model, written twice over the same derived fields:
once as Python for real-time scoring and once as SQL for Splink's batch runs.

Each comparison's levels are tried in order and the first that holds wins, exactly as
Splink evaluates a comparison's levels. Level names are the keys of model.json.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from joinedup.matching.features import FORM_SEPARATOR, RecordFeatures
from joinedup.matching.normalise import (
    date_parts_differing,
    family_name_forms,
    given_name_forms,
    phonetic_code,
)

NULL_LEVEL = "null"
ELSE_LEVEL = "else"


@dataclass(frozen=True)
class LevelRule:
    name: str
    sql: str


@dataclass(frozen=True)
class ComparisonRule:
    name: str
    levels: tuple[LevelRule, ...]
    level_of: Callable[[RecordFeatures, RecordFeatures], str]

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels)


def _overlap_sql(left: str, right: str) -> str:
    return (
        f"list_has_any(string_split({left}, '{FORM_SEPARATOR}'), "
        f"string_split({right}, '{FORM_SEPARATOR}'))"
    )


def _close_spelling_limit(first: str, second: str) -> int:
    # Two edits turn Amy into Ava: short names get one edit, longer names two.
    return 2 if min(len(first), len(second)) >= 6 else 1


def _close_spelling_sql(column: str) -> str:
    return (
        f"levenshtein({column}_l, {column}_r) <= "
        f"CASE WHEN least(length({column}_l), length({column}_r)) >= 6 THEN 2 ELSE 1 END"
    )


def _jaro_winkler(first: str, second: str) -> float:
    return float(JaroWinkler.similarity(first, second))


# Names written the other way round, each allowing a typing error (FEBRL and agencies
# swap the names and mistype one of them in the same record).
SWAPPED_SIMILARITY = 0.88


def _names_are_swapped(a: RecordFeatures, b: RecordFeatures) -> bool:
    if not (a.given and a.family and b.given and b.family):
        return False
    if a.given_forms & b.family_forms and a.family_forms & b.given_forms:
        return True
    return (
        _jaro_winkler(a.given, b.family) >= SWAPPED_SIMILARITY
        and _jaro_winkler(a.family, b.given) >= SWAPPED_SIMILARITY
    )


_SWAPPED_SQL = (
    f"({_overlap_sql('given_forms_l', 'family_forms_r')} AND "
    f"{_overlap_sql('family_forms_l', 'given_forms_r')}) OR "
    f"(jaro_winkler_similarity(given_l, family_r) >= {SWAPPED_SIMILARITY} AND "
    f"jaro_winkler_similarity(family_l, given_r) >= {SWAPPED_SIMILARITY} AND "
    "given_l IS NOT NULL AND family_l IS NOT NULL AND "
    "given_r IS NOT NULL AND family_r IS NOT NULL)"
)


# One record's family name is the other's given name: a name written in the wrong box,
# and the other box holds something else (a different or mistyped name). Scored once, on
# the family name, so the same evidence is not counted twice.
CROSSED_LEVEL = "in_other_name_box"


def _name_in_other_box(a: RecordFeatures, b: RecordFeatures) -> bool:
    return bool(a.family_forms & b.given_forms or a.given_forms & b.family_forms)


_CROSSED_SQL = (
    f"{_overlap_sql('family_forms_l', 'given_forms_r')} OR "
    f"{_overlap_sql('given_forms_l', 'family_forms_r')}"
)


def _given_level(a: RecordFeatures, b: RecordFeatures) -> str:
    if not a.given or not b.given:
        return NULL_LEVEL
    if a.given == b.given:
        return "exact"
    if a.given_forms & b.given_forms:
        return "variant"
    similarity = _jaro_winkler(a.given, b.given)
    if similarity >= 0.92:
        return "jaro_winkler_0_92"
    if similarity >= 0.88:
        return "jaro_winkler_0_88"
    if _names_are_swapped(a, b):
        return "swapped"
    if (
        Levenshtein.distance(a.given, b.given) <= _close_spelling_limit(a.given, b.given)
        or a.given_phonetic == b.given_phonetic
        or a.given.split(" ", 1)[0] == b.given.split(" ", 1)[0]
    ):
        return "close"
    return ELSE_LEVEL


def _family_level(a: RecordFeatures, b: RecordFeatures) -> str:
    if not a.family or not b.family:
        return NULL_LEVEL
    if a.family == b.family:
        return "exact"
    if a.family_forms & b.family_forms:
        return "variant"
    similarity = _jaro_winkler(a.family, b.family)
    if similarity >= 0.92:
        return "jaro_winkler_0_92"
    if similarity >= 0.88:
        return "jaro_winkler_0_88"
    if _names_are_swapped(a, b):
        return NULL_LEVEL  # the swap is weighed once, on the given name
    if (
        Levenshtein.distance(a.family, b.family) <= _close_spelling_limit(a.family, b.family)
        or a.family_phonetic == b.family_phonetic
        or bool(set(a.family.split(" ")) & set(b.family.split(" ")))
    ):
        return "close"
    if _name_in_other_box(a, b):
        return CROSSED_LEVEL
    return ELSE_LEVEL


def _date_of_birth_level(a: RecordFeatures, b: RecordFeatures) -> str:
    if a.date_of_birth is None or b.date_of_birth is None:
        return NULL_LEVEL
    if a.date_of_birth == b.date_of_birth:
        return "exact"
    if a.date_of_birth_swapped == b.date_of_birth:
        return "day_month_swapped"
    if date_parts_differing(a.date_of_birth, b.date_of_birth) == 1:
        return "one_part_differs"
    return ELSE_LEVEL


def _exact_or_else(first: str, second: str) -> str:
    if not first or not second:
        return NULL_LEVEL
    return "exact" if first == second else ELSE_LEVEL


def _postcode_level(a: RecordFeatures, b: RecordFeatures) -> str:
    if not a.postcode or not b.postcode:
        return NULL_LEVEL
    if a.postcode == b.postcode:
        return "exact"
    if a.postcode_outward == b.postcode_outward:
        return "same_outward_code"
    if DamerauLevenshtein.distance(a.postcode, b.postcode) <= 1:
        return "one_character_differs"
    return ELSE_LEVEL


def _address_level(a: RecordFeatures, b: RecordFeatures) -> str:
    if not a.address or not b.address:
        return NULL_LEVEL
    if a.address == b.address:
        return "exact"
    similarity = _jaro_winkler(a.address, b.address)
    if similarity >= 0.92:
        return "jaro_winkler_0_92"
    if similarity >= 0.8:
        return "jaro_winkler_0_80"
    return ELSE_LEVEL


def _school_level(a: RecordFeatures, b: RecordFeatures) -> str:
    if not a.school or not b.school:
        return NULL_LEVEL
    if a.school == b.school:
        return "exact"
    if _jaro_winkler(a.school, b.school) >= 0.9:
        return "jaro_winkler_0_90"
    return ELSE_LEVEL


def _null_sql(column: str) -> str:
    return f"{column}_l IS NULL OR {column}_r IS NULL"


# Names written the other way round are one piece of evidence, weighed on the given
# name; counted on both names it outweighed a different date of birth and address (two
# children called Amina Ahmed and Ahmed Amina). The family name says nothing further.
_FAMILY_SWAP_IS_NULL_SQL = (
    f"{_null_sql('family')} OR (({_SWAPPED_SQL}) AND NOT (family_l = family_r OR "
    f"{_overlap_sql('family_forms_l', 'family_forms_r')} OR "
    "jaro_winkler_similarity(family_l, family_r) >= 0.88))"
)


def _name_levels(column: str) -> tuple[LevelRule, ...]:
    close_sql = (
        f"{_close_spelling_sql(column)} OR {column}_phonetic_l = {column}_phonetic_r OR "
        + (
            "list_has_any(string_split(family_l, ' '), string_split(family_r, ' '))"
            if column == "family"
            else "split_part(given_l, ' ', 1) = split_part(given_r, ' ', 1)"
        )
    )
    return (
        LevelRule(
            NULL_LEVEL, _FAMILY_SWAP_IS_NULL_SQL if column == "family" else _null_sql(column)
        ),
        LevelRule("exact", f"{column}_l = {column}_r"),
        LevelRule("variant", _overlap_sql(f"{column}_forms_l", f"{column}_forms_r")),
        LevelRule("jaro_winkler_0_92", f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.92"),
        LevelRule("jaro_winkler_0_88", f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.88"),
        *((LevelRule("swapped", _SWAPPED_SQL),) if column == "given" else ()),
        LevelRule("close", close_sql),
        *((LevelRule(CROSSED_LEVEL, _CROSSED_SQL),) if column == "family" else ()),
        LevelRule(ELSE_LEVEL, "ELSE"),
    )


def _exact_levels(column: str) -> tuple[LevelRule, ...]:
    return (
        LevelRule(NULL_LEVEL, _null_sql(column)),
        LevelRule("exact", f"{column}_l = {column}_r"),
        LevelRule(ELSE_LEVEL, "ELSE"),
    )


COMPARISON_RULES: tuple[ComparisonRule, ...] = (
    ComparisonRule("given_name", _name_levels("given"), _given_level),
    ComparisonRule("family_name", _name_levels("family"), _family_level),
    ComparisonRule(
        "date_of_birth",
        (
            LevelRule(NULL_LEVEL, _null_sql("dob")),
            LevelRule("exact", "dob_l = dob_r"),
            LevelRule("day_month_swapped", "dob_swapped_l = dob_r"),
            LevelRule(
                "one_part_differs",
                "CAST(dob_year_l = dob_year_r AS INTEGER) + CAST(dob_month_l = dob_month_r "
                "AS INTEGER) + CAST(dob_day_l = dob_day_r AS INTEGER) = 2",
            ),
            LevelRule(ELSE_LEVEL, "ELSE"),
        ),
        _date_of_birth_level,
    ),
    ComparisonRule("sex", _exact_levels("sex"), lambda a, b: _exact_or_else(a.sex, b.sex)),
    ComparisonRule(
        "postcode",
        (
            LevelRule(NULL_LEVEL, _null_sql("postcode")),
            LevelRule("exact", "postcode_l = postcode_r"),
            LevelRule("same_outward_code", "postcode_outward_l = postcode_outward_r"),
            LevelRule("one_character_differs", "damerau_levenshtein(postcode_l, postcode_r) <= 1"),
            LevelRule(ELSE_LEVEL, "ELSE"),
        ),
        _postcode_level,
    ),
    ComparisonRule(
        "address",
        (
            LevelRule(NULL_LEVEL, _null_sql("address")),
            LevelRule("exact", "address_l = address_r"),
            LevelRule("jaro_winkler_0_92", "jaro_winkler_similarity(address_l, address_r) >= 0.92"),
            LevelRule("jaro_winkler_0_80", "jaro_winkler_similarity(address_l, address_r) >= 0.8"),
            LevelRule(ELSE_LEVEL, "ELSE"),
        ),
        _address_level,
    ),
    ComparisonRule(
        "school",
        (
            LevelRule(NULL_LEVEL, _null_sql("school")),
            LevelRule("exact", "school_l = school_r"),
            LevelRule("jaro_winkler_0_90", "jaro_winkler_similarity(school_l, school_r) >= 0.9"),
            LevelRule(ELSE_LEVEL, "ELSE"),
        ),
        _school_level,
    ),
    ComparisonRule(
        "nhs_number",
        _exact_levels("nhs_number"),
        lambda a, b: _exact_or_else(a.nhs_number, b.nhs_number),
    ),
)


def _with_name_alternatives(features: RecordFeatures) -> list[RecordFeatures]:
    """The record as written, then once per previous or other name used as a family
    name, then as a given name, so a change of surname still lines up."""
    alternatives = [features]
    for other in features.other_names:
        family_forms = family_name_forms(other)
        given_forms = given_name_forms(other)
        alternatives.append(
            replace(
                features,
                family=other,
                family_forms=family_forms,
                family_phonetic=phonetic_code(min(family_forms)),
            )
        )
        alternatives.append(
            replace(
                features,
                given=other,
                given_forms=given_forms,
                given_phonetic=phonetic_code(min(given_forms)),
            )
        )
    return alternatives


def comparison_levels(a: RecordFeatures, b: RecordFeatures) -> dict[str, str]:
    """The level each comparison reaches for two records. When either record carries
    other names, each name comparison takes the best level any alternative reaches."""
    levels = {rule.name: rule.level_of(a, b) for rule in COMPARISON_RULES}
    if not a.other_names and not b.other_names:
        return levels
    for rule in COMPARISON_RULES[:2]:
        order = rule.level_names
        for left in _with_name_alternatives(a):
            for right in _with_name_alternatives(b):
                level = rule.level_of(left, right)
                current = levels[rule.name]
                if level != NULL_LEVEL and (
                    current == NULL_LEVEL or order.index(level) < order.index(current)
                ):
                    levels[rule.name] = level
    return levels
