"""Normalisation of the fields agencies write down differently for the same child."""

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

import jellyfish

from joinedup.matching.names import FAMILY_NAME_GROUPS, GIVEN_NAME_GROUPS

# Letters that Unicode decomposition leaves alone but English-keyboard staff type plainly.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",
    }
)
# O'Brien is written OBrien, O Brien and O'Brien; dropping the apostrophe unites them.
_APOSTROPHES = re.compile("['`\u2019\u2018\u00b4]")
_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r" +")
_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
# Polish surnames change ending with the bearer's sex (Kowalski, Kowalska): siblings of
# different sex share one family name in practice, so the endings are folded together.
_POLISH_FEMININE_ENDINGS = (("cka", "cki"), ("dzka", "dzki"), ("ska", "ski"))
_ADDRESS_WORDS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "ct": "court",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "pl": "place",
    "sq": "square",
    "terr": "terrace",
    "tce": "terrace",
    "hse": "house",
    "flt": "flat",
    "apt": "flat",
    "apartment": "flat",
}
_SEX_WORDS = {
    "m": "m",
    "male": "m",
    "boy": "m",
    "man": "m",
    "f": "f",
    "female": "f",
    "girl": "f",
    "woman": "f",
}
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def fold_text(value: str) -> str:
    """Casefold, strip diacritics and reduce to lower-case letters, digits and single spaces."""
    if value.isascii():  # no diacritics to strip: the common case, and much faster
        without_marks = value.lower()
    else:
        folded = unicodedata.normalize("NFKD", value.casefold().translate(_UNDECOMPOSABLE))
        without_marks = "".join(char for char in folded if not unicodedata.combining(char))
    without_apostrophes = _APOSTROPHES.sub("", without_marks)
    spaced = re.sub(r"[^a-z0-9]+", " ", without_apostrophes)
    return _SPACES.sub(" ", spaced).strip()


@lru_cache(maxsize=65536)
def normalise_name(value: str) -> str:
    """A name as letters and single spaces: 'Smith-Jones' becomes 'smith jones'."""
    return _SPACES.sub(" ", _NOT_LETTER.sub(" ", fold_text(value))).strip()


def _fold_polish_ending(name: str) -> str:
    for feminine, masculine in _POLISH_FEMININE_ENDINGS:
        if name.endswith(feminine) and len(name) > len(feminine) + 2:
            return name[: -len(feminine)] + masculine
    return name


def _build_lookup(groups: tuple[tuple[str, ...], ...]) -> dict[str, frozenset[str]]:
    lookup: dict[str, set[str]] = {}
    for group in groups:
        canonical = normalise_name(group[0])
        for spelling in group:
            lookup.setdefault(normalise_name(spelling), set()).add(canonical)
    return {spelling: frozenset(canonicals) for spelling, canonicals in lookup.items()}


_GIVEN_LOOKUP = _build_lookup(GIVEN_NAME_GROUPS)
_FAMILY_LOOKUP = _build_lookup(FAMILY_NAME_GROUPS)


@lru_cache(maxsize=65536)
def given_name_forms(normalised: str) -> frozenset[str]:
    """Canonical forms of a normalised given name: 'bill' gives {'william'}.

    Only the whole name and its first part are looked up, because in Somali and South
    Asian naming the later parts are often a parent's name that siblings share.
    """
    if not normalised:
        return frozenset()
    first = normalised.split(" ", 1)[0]
    forms = _GIVEN_LOOKUP.get(normalised, frozenset()) | _GIVEN_LOOKUP.get(first, frozenset())
    return forms or frozenset({first})


@lru_cache(maxsize=65536)
def family_name_forms(normalised: str) -> frozenset[str]:
    """Canonical forms of a normalised family name: 'hussain' gives {'hussein'}."""
    if not normalised:
        return frozenset()
    folded = _fold_polish_ending(normalised)
    forms = _FAMILY_LOOKUP.get(folded) or _FAMILY_LOOKUP.get(normalised)
    return forms or frozenset({folded})


def canonical_given_name(value: str) -> str:
    """One stable canonical given name (alphabetically first form), for display and keys."""
    forms = given_name_forms(normalise_name(value))
    return min(forms) if forms else ""


def canonical_family_name(value: str) -> str:
    forms = family_name_forms(normalise_name(value))
    return min(forms) if forms else ""


@lru_cache(maxsize=65536)
def phonetic_code(normalised: str) -> str:
    """Metaphone of the letters of a name, a code that survives most spelling variants."""
    letters = normalised.replace(" ", "")
    return jellyfish.metaphone(letters).upper() if letters else ""


def normalise_postcode(value: str) -> str:
    """'bs5 6xy', 'BS56XY' and ' Bs5  6xy ' all become 'BS5 6XY'; other formats are kept
    uppercase without spaces, so non-UK codes (as in FEBRL) still compare."""
    compact = re.sub(r"[^A-Z0-9]", "", value.upper())
    match = _UK_POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else compact


def postcode_outward(postcode: str) -> str:
    """The outward code of a normalised postcode ('BS5' from 'BS5 6XY')."""
    return postcode.split(" ", 1)[0]


def normalise_address(value: str) -> str:
    words = fold_text(value).split()
    return " ".join(_ADDRESS_WORDS.get(word, word) for word in words)


def normalise_sex(value: str) -> str:
    return _SEX_WORDS.get(fold_text(value), "")


def is_valid_nhs_number(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits, _NHS_WEIGHTS, strict=False))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def normalise_nhs_number(value: str) -> str:
    """Ten digits when the number is valid; blank otherwise, because a mistyped number
    says nothing reliable about whether two records are the same child."""
    digits = re.sub(r"\D", "", value)
    return digits if is_valid_nhs_number(digits) else ""


def parse_date(value: str) -> date | None:
    """A date from YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY; None when blank.

    Raises ValueError for text that is not a real date, so callers can name the field.
    """
    text = value.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a real date (expected YYYY-MM-DD)")


def day_month_swapped(value: date) -> date | None:
    """The date with day and month exchanged, when that is a different real date."""
    if value.day > 12 or value.day == value.month:
        return None
    return date(value.year, value.day, value.month)


def date_of_birth_variants(value: date) -> tuple[date, ...]:
    """The date and the other date a clerk may have meant by swapping day and month."""
    swapped = day_month_swapped(value)
    return (value, swapped) if swapped else (value,)


def date_parts_differing(first: date, second: date) -> int:
    """How many of year, month and day differ: a typo usually changes only one."""
    return (first.year != second.year) + (first.month != second.month) + (first.day != second.day)
