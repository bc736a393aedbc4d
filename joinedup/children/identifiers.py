"""Identifiers for a child: the NHS number's check digit, the JoinedUp reference and the
pseudonym. No Django here, so other tools (matching, imports) can use them alone."""

import re
import secrets

# Crockford's base 32 leaves out I, L, O and U, which are easily misread or mistyped.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# References use 31 of them, so that with a prime modulus of 31 every single mistyped character
# and every swap of two neighbours changes the check character.
REFERENCE_ALPHABET = CROCKFORD[:31]
_REFERENCE_VALUE = {char: value for value, char in enumerate(REFERENCE_ALPHABET)}


class IdentifierError(ValueError):
    pass


def nhs_number_normalise(value: str) -> str:
    """Spaces and dashes as people type them ("943 476 5919") are dropped."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_is_valid(value: str) -> bool:
    """The NHS number's modulus 11 check: weights 10..2 on the first nine digits; the check
    digit is 11 minus the remainder (11 becomes 0, and 10 means the number is not valid)."""
    digits = nhs_number_normalise(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _check_character(body: str) -> str:
    total = sum(_REFERENCE_VALUE[char] * (index + 1) for index, char in enumerate(body))
    return REFERENCE_ALPHABET[total % 31]


def reference_from(body: str) -> str:
    """The reference for seven characters of REFERENCE_ALPHABET, with its check character."""
    return f"JU-{body[:4]}-{body[4:]}{_check_character(body)}"


def new_reference() -> str:
    """A JoinedUp reference such as "JU-7KQ2-M9XD": random (it says nothing about the child or
    how many there are) with a check character that catches one mistyped or swapped character."""
    return reference_from("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7)))


def reference_is_valid(value: str) -> bool:
    chars = f"[{REFERENCE_ALPHABET}]"
    pattern = f"JU-({chars}{{4}})-({chars}{{3}})({chars})"
    match = re.fullmatch(pattern, (value or "").upper())
    if not match:
        return False
    body = match.group(1) + match.group(2)
    return _check_character(body) == match.group(3)


def new_pseudonym_code() -> str:
    """Five characters shown as "Child K7Q-2M"; drawn separately from the reference, so one
    cannot be worked out from the other."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(5))


def pseudonym_label(code: str) -> str:
    return f"Child {code[:3]}-{code[3:]}"
