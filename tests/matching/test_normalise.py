from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.matching.normalise import (
    canonical_family_name,
    canonical_given_name,
    date_of_birth_variants,
    given_name_forms,
    normalise_name,
    normalise_nhs_number,
    normalise_postcode,
    parse_date,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("O'Brien", "obrien"), ("Smith-Jones", "smith jones"), ("ZOË", "zoe"), ("Łukasz", "lukasz")],
)
def test_names_are_folded(written: str, expected: str) -> None:
    assert normalise_name(written) == expected


@given(st.text())
def test_name_normalisation_is_idempotent(text: str) -> None:
    assert normalise_name(normalise_name(text)) == normalise_name(text)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF0123456789 -"))
def test_postcode_normalisation_is_idempotent(text: str) -> None:
    assert normalise_postcode(normalise_postcode(text)) == normalise_postcode(text)


@pytest.mark.parametrize(
    "variants",
    [
        ("Mohammed", "Mohamed", "Muhammad", "Mohammad", "Mohamad", "Muhammed"),
        ("Abdirahman", "Abdurahman", "Abdulrahman"),
        ("Fatima", "Fatuma", "Fatimah"),
        ("Aisha", "Ayesha", "Aishah", "Ayisha"),
        ("Yusuf", "Yousef", "Yousuf", "Youssef"),
        ("Khadija", "Khadijah", "Hadija"),
        ("Katarzyna", "Kasia"),
        ("Wojciech", "Wojtek"),
        ("William", "Bill", "Will", "Liam"),
        ("Margaret", "Peggy"),
    ],
)
def test_spellings_of_one_given_name_share_a_canonical_form(variants: tuple[str, ...]) -> None:
    first = given_name_forms(normalise_name(variants[0]))
    for other in variants[1:]:
        assert first & given_name_forms(normalise_name(other)), other


def test_siblings_names_are_not_variants() -> None:
    assert not given_name_forms("amelia") & given_name_forms("emily")
    assert canonical_given_name("Bill") == "william"


def test_polish_surname_endings_fold_together() -> None:
    assert canonical_family_name("Kowalska") == canonical_family_name("Kowalski")
    assert canonical_family_name("Hussain") == canonical_family_name("Hussein")


def test_postcode_gets_one_space_and_capitals() -> None:
    assert normalise_postcode(" bs56xy ") == "BS5 6XY"


def test_nhs_number_check_digit() -> None:
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert normalise_nhs_number("9434765918") == ""


def test_dates_parse_and_swap() -> None:
    assert parse_date("2014-03-07") == date(2014, 3, 7)
    assert parse_date("") is None
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2014-02-30")
    assert date_of_birth_variants(date(2014, 3, 7)) == (date(2014, 3, 7), date(2014, 7, 3))
    assert date_of_birth_variants(date(2014, 3, 17)) == (date(2014, 3, 17),)
