"""Blocking keys: short strings two records share when they may be the same child.

Every key joins two pieces of evidence, so that no block is one common value (a surname
alone, a date of birth alone) that would grow with the index. Names enter keys through
the phonetic code of their canonical form, which makes keys survive nicknames,
transliterations and many typos; keys that pair a name with a date of birth are emitted
for both the given and the family name, so a typo in one name, or given and family names
written the other way round, still leaves a shared key. Each kind of key survives a
different error: a mistyped date (`yn`, `nn`), a mistyped postcode (`dn`, `da`), both
names mistyped (`di`, `dp`, `da`, `ha`), a street written in another order (`hn`), one
name mistyped and no date (`ni`), both names replaced (`hs`, `ps`), a house move (`dn`,
`nn`).

Some keys are common in a large index (a popular name pair, a street number with a long
street); `intake.find_candidates` and the batch commands skip keys shared by more than a
block limit, and the rarer keys of the same record still find the match.
"""

import re

from joinedup.matching.features import RecordFeatures, record_features
from joinedup.matching.normalise import family_name_forms, phonetic_code
from joinedup.matching.records import PersonRecord

_HOUSE_NUMBER = re.compile(r"\b(\d+)[a-z]?\b")
_WORD = re.compile(r"[a-z]{3,}")


def _name_phonetics(features: RecordFeatures) -> tuple[set[str], set[str]]:
    given = {phonetic_code(form) for form in features.given_forms}
    family = {phonetic_code(form) for form in features.family_forms}
    # Each part of a double-barrelled surname, and each previous name, stands alone too.
    if " " in features.family:
        family |= {phonetic_code(part) for part in features.family.split(" ")}
    for other in features.other_names:
        family |= {phonetic_code(form) for form in family_name_forms(other)}
    return {code for code in given if code}, {code for code in family if code}


def _address_parts(address: str) -> tuple[str, str]:
    """The house number and the phonetic code of the first word of the street."""
    number = _HOUSE_NUMBER.search(address)
    word = _WORD.search(address, number.end() if number else 0)
    return (number.group(1) if number else ""), (phonetic_code(word.group(0)) if word else "")


def blocking_keys_for_features(features: RecordFeatures) -> set[str]:
    given_codes, family_codes = _name_phonetics(features)
    name_codes = given_codes | family_codes
    house_number, street_code = _address_parts(features.address)
    keys: set[str] = set()
    if features.date_of_birth is not None:
        dates = [features.date_of_birth]
        if features.date_of_birth_swapped is not None:
            dates.append(features.date_of_birth_swapped)
        for date_of_birth in dates:
            keys |= {f"dn:{date_of_birth.isoformat()}|{code}" for code in name_codes}
        dob = features.date_of_birth.isoformat()
        # The year alone with a name survives a mistyped day or month.
        keys |= {f"yn:{dob[:4]}|{code}" for code in name_codes}
        if features.postcode:
            keys.add(f"dp:{dob}|{features.postcode}")
        if house_number:
            keys.add(f"da:{dob}|{house_number}")
        # One initial with the date survives typos in both names, or one name replaced
        # and the other mistyped.
        keys |= {f"di:{dob}|{form[0]}" for form in features.given_forms | features.family_forms}
    # Sorting the pair makes the key the same when given and family names are swapped.
    keys |= {
        "nn:" + "|".join(sorted((given_code, family_code)))
        for given_code in given_codes
        for family_code in family_codes
    }
    # One name's code with the other's initial survives a typo in the other name.
    keys |= {f"ni:{code}|{family[0]}" for code in given_codes for family in features.family_forms}
    keys |= {f"ni:{code}|{given[0]}" for code in family_codes for given in features.given_forms}
    if features.postcode:
        initials = {form[0] for form in features.given_forms | features.family_forms}
        keys |= {f"pc:{features.postcode}|{initial}" for initial in initials}
        if house_number:
            keys.add(f"ph:{features.postcode}|{house_number}")
    if house_number:
        # A name at the same house number survives a street written in another order.
        keys |= {f"hn:{house_number}|{code}" for code in name_codes}
    if house_number and street_code:
        keys |= {f"ha:{house_number}|{street_code}|{code}" for code in name_codes}
        # The address alone, for records whose names were both replaced or mistyped.
        keys.add(f"hs:{house_number}|{street_code}")
    if street_code and features.postcode:
        keys.add(f"ps:{features.postcode}|{street_code}")
    if features.nhs_number:
        keys.add(f"nhs:{features.nhs_number}")
    return keys


def blocking_keys(record: PersonRecord) -> set[str]:
    """The keys under which a record is indexed and looked up."""
    return blocking_keys_for_features(record_features(record))
