"""Blocking keys: short strings two records share when they may be the same child.

Every key joins two pieces of evidence, so that no block is one common value (a surname
alone, a date of birth alone) that would grow with the index. Names enter keys through
the phonetic code of their canonical form, which makes keys survive nicknames,
transliterations and many typos; keys that pair a name with a date of birth are emitted
for both the given and the family name, so a typo in one name, or given and family names
written the other way round, still leaves a shared key.
"""

from joinedup.matching.features import RecordFeatures, record_features
from joinedup.matching.normalise import family_name_forms, phonetic_code
from joinedup.matching.records import PersonRecord


def _name_phonetics(features: RecordFeatures) -> tuple[set[str], set[str]]:
    given = {phonetic_code(form) for form in features.given_forms}
    family = {phonetic_code(form) for form in features.family_forms}
    # Each part of a double-barrelled surname, and each previous name, stands alone too.
    if " " in features.family:
        family |= {phonetic_code(part) for part in features.family.split(" ")}
    for other in features.other_names:
        family |= {phonetic_code(form) for form in family_name_forms(other)}
    return {code for code in given if code}, {code for code in family if code}


def blocking_keys_for_features(features: RecordFeatures) -> set[str]:
    given_codes, family_codes = _name_phonetics(features)
    keys: set[str] = set()
    if features.date_of_birth is not None:
        dates = [features.date_of_birth]
        if features.date_of_birth_swapped is not None:
            dates.append(features.date_of_birth_swapped)
        for date_of_birth in dates:
            keys |= {f"dn:{date_of_birth.isoformat()}|{code}" for code in given_codes}
            keys |= {f"dn:{date_of_birth.isoformat()}|{code}" for code in family_codes}
    # Sorting the pair makes the key the same when given and family names are swapped.
    keys |= {
        "nn:" + "|".join(sorted((given_code, family_code)))
        for given_code in given_codes
        for family_code in family_codes
    }
    if features.postcode:
        initials = {form[0] for form in features.given_forms | features.family_forms}
        keys |= {f"pc:{features.postcode}|{initial}" for initial in initials}
    if features.nhs_number:
        keys.add(f"nhs:{features.nhs_number}")
    return keys


def blocking_keys(record: PersonRecord) -> set[str]:
    """The keys under which a record is indexed and looked up."""
    return blocking_keys_for_features(record_features(record))
