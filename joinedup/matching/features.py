"""The normalised, derived fields that keys, the scorer and Splink all compare.

Deriving them in one place keeps the real-time scorer and the Splink batch run in step:
both compare exactly these values with the same rules.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from joinedup.matching.normalise import (
    day_month_swapped,
    family_name_forms,
    given_name_forms,
    normalise_address,
    normalise_name,
    normalise_nhs_number,
    normalise_postcode,
    normalise_sex,
    phonetic_code,
    postcode_outward,
)
from joinedup.matching.records import PersonRecord

FORM_SEPARATOR = "|"


@dataclass(frozen=True)
class RecordFeatures:
    given: str
    given_forms: frozenset[str]
    given_phonetic: str
    family: str
    family_forms: frozenset[str]
    family_phonetic: str
    other_names: tuple[str, ...]
    date_of_birth: date | None
    date_of_birth_swapped: date | None
    sex: str
    postcode: str
    postcode_outward: str
    address: str
    school: str
    nhs_number: str


def record_features(record: PersonRecord) -> RecordFeatures:
    given = normalise_name(record.given_name)
    family = normalise_name(record.family_name)
    given_forms = given_name_forms(given)
    family_forms = family_name_forms(family)
    postcode = normalise_postcode(record.postcode)
    dob = record.date_of_birth
    return RecordFeatures(
        given=given,
        given_forms=given_forms,
        given_phonetic=phonetic_code(min(given_forms)) if given_forms else "",
        family=family,
        family_forms=family_forms,
        family_phonetic=phonetic_code(min(family_forms)) if family_forms else "",
        other_names=tuple(
            normalised for name in record.other_names if (normalised := normalise_name(name))
        ),
        date_of_birth=dob,
        date_of_birth_swapped=day_month_swapped(dob) if dob else None,
        sex=normalise_sex(record.sex),
        postcode=postcode,
        postcode_outward=postcode_outward(postcode),
        address=normalise_address(record.address),
        school=normalise_address(record.school),
        nhs_number=normalise_nhs_number(record.nhs_number),
    )


def _blank_to_none(value: str) -> str | None:
    return value or None


def features_row(record_id: str, features: RecordFeatures) -> dict[str, Any]:
    """The derived columns as one row for Splink; blanks become NULL as Splink expects."""
    dob = features.date_of_birth
    swapped = features.date_of_birth_swapped
    return {
        "unique_id": record_id,
        "given": _blank_to_none(features.given),
        "given_forms": _blank_to_none(FORM_SEPARATOR.join(sorted(features.given_forms))),
        "given_phonetic": _blank_to_none(features.given_phonetic),
        "family": _blank_to_none(features.family),
        "family_forms": _blank_to_none(FORM_SEPARATOR.join(sorted(features.family_forms))),
        "family_phonetic": _blank_to_none(features.family_phonetic),
        "dob": dob.isoformat() if dob else None,
        "dob_swapped": swapped.isoformat() if swapped else None,
        "dob_year": dob.year if dob else None,
        "dob_month": dob.month if dob else None,
        "dob_day": dob.day if dob else None,
        "sex": _blank_to_none(features.sex),
        "postcode": _blank_to_none(features.postcode),
        "postcode_outward": _blank_to_none(features.postcode_outward),
        "address": _blank_to_none(features.address),
        "school": _blank_to_none(features.school),
        "nhs_number": _blank_to_none(features.nhs_number),
    }
