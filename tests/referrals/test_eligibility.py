"""Whether a locality's panel can take a child, and the reasons in words a referrer can act on.
Ages are worked out on a fixed day (`on=`), so birthdays fall exactly on the boundaries."""

from datetime import date

import pytest

from joinedup.referrals.services import EligibilityCheck, eligibility_check
from tests.factories import LocalityFactory, PanelFactory

TODAY = date(2026, 6, 15)


@pytest.fixture
def easton(db):
    locality = LocalityFactory(name="Easton", slug="easton")
    PanelFactory(name="Easton panel", localities=[locality])
    return locality


def _age_check(checks: list[EligibilityCheck]) -> EligibilityCheck:
    return next(check for check in checks if check.rule == "age")


@pytest.mark.parametrize(
    ("date_of_birth", "age", "eligible"),
    [
        (date(2018, 6, 16), 7, False),
        (date(2018, 6, 15), 8, True),
        (date(2013, 6, 15), 13, True),
        (date(2012, 6, 16), 13, True),
        (date(2012, 6, 15), 14, False),
    ],
    ids=[
        "the-day-before-turning-8",
        "turning-8-today",
        "turning-13-today",
        "the-day-before-turning-14",
        "turning-14-today",
    ],
)
def test_the_age_rule_counts_whole_years_up_to_the_birthday(easton, date_of_birth, age, eligible):
    checks = eligibility_check(date_of_birth=date_of_birth, locality=easton, on=TODAY)

    assert checks[0] == EligibilityCheck(
        "locality", True, "The Easton panel covers Easton, where the child lives."
    )
    assert _age_check(checks) == EligibilityCheck(
        "age",
        eligible,
        f"The child is {age}; the Easton panel supports children aged 8 to 13.",
    )


@pytest.mark.parametrize(
    ("on", "eligible"),
    [(date(2024, 2, 28), False), (date(2024, 2, 29), True), (date(2025, 2, 28), True)],
    ids=["day-before-leap-birthday", "on-leap-birthday", "28-february-next-year"],
)
def test_a_child_born_on_29_february_turns_8_on_their_birthday(easton, on, eligible):
    checks = eligibility_check(date_of_birth=date(2016, 2, 29), locality=easton, on=on)

    assert _age_check(checks).met is eligible


def test_a_localitys_own_age_range_is_used(db):
    lawrence_hill = LocalityFactory(name="Lawrence Hill", slug="lawrence-hill")
    PanelFactory(
        name="Lawrence Hill panel", minimum_age=10, maximum_age=17, localities=[lawrence_hill]
    )

    checks = eligibility_check(date_of_birth=date(2010, 1, 1), locality=lawrence_hill, on=TODAY)

    assert _age_check(checks) == EligibilityCheck(
        "age", True, "The child is 16; the Lawrence Hill panel supports children aged 10 to 17."
    )


def test_a_locality_without_a_panel_is_not_eligible_whatever_the_age(db):
    lockleaze = LocalityFactory(name="Lockleaze", slug="lockleaze")

    checks = eligibility_check(date_of_birth=date(2016, 1, 1), locality=lockleaze, on=TODAY)

    assert checks == [
        EligibilityCheck(
            "locality",
            False,
            "No panel in JoinedUp covers Lockleaze yet, so the referral cannot go to a panel.",
        )
    ]


def test_a_child_with_no_known_locality_is_not_eligible(db):
    checks = eligibility_check(date_of_birth=date(2016, 1, 1), locality=None, on=TODAY)

    assert [(check.rule, check.met) for check in checks] == [("locality", False)]
    assert "the child's area" in checks[0].explanation


def test_a_panel_serving_several_localities_says_which_one_the_child_lives_in(db):
    barton_hill = LocalityFactory(name="Barton Hill", slug="barton-hill")
    redfield = LocalityFactory(name="Redfield", slug="redfield")
    PanelFactory(name="East Central panel", localities=[barton_hill, redfield])

    checks = eligibility_check(date_of_birth=date(2015, 1, 1), locality=redfield, on=TODAY)

    assert checks[0] == EligibilityCheck(
        "locality", True, "The East Central panel covers Redfield, where the child lives."
    )
    assert all(check.met for check in checks)


def test_a_panel_that_has_stopped_taking_referrals_does_not_count(db):
    knowle_west = LocalityFactory(name="Knowle West", slug="knowle-west")
    PanelFactory(name="Knowle West panel", is_active=False, localities=[knowle_west])

    checks = eligibility_check(date_of_birth=date(2015, 1, 1), locality=knowle_west, on=TODAY)

    assert [check.met for check in checks] == [False]
