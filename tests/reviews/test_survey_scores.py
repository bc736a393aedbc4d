"""The relationship survey's formulas on examples worked by hand (docs/partnership-reviews.md)."""

import pytest

from joinedup.reviews.survey.scores import (
    Change,
    Rating,
    contribution_counts,
    intensity_counts,
    network_score,
    organisation_scores,
    results,
)


def rate(rater, rated, value, trust, intensity=2):
    return Rating(rater, rated, *value, *trust, intensity)


# A, B and C rate X; X rates A. Worked by hand:
#   A→X value (4+3+2)/3 = 3, trust 4;  B→X value 2, trust 3;  C→X value (1+1+4)/3 = 2, trust 2
#   X→A value 4, trust (1+2+3)/3 = 2
EXAMPLE = [
    rate("A", "X", (4, 3, 2), (4, 4, 4), intensity=3),
    rate("B", "X", (2, 2, 2), (3, 3, 3), intensity=1),
    rate("C", "X", (1, 1, 4), (2, 2, 2), intensity=2),
    rate("X", "A", (4, 4, 4), (1, 2, 3), intensity=4),
]


def test_an_organisations_score_is_the_mean_of_what_others_gave_it():
    found = organisation_scores(EXAMPLE)
    assert found["X"].value == pytest.approx((3 + 2 + 2) / 3)
    assert found["X"].trust == pytest.approx((4 + 3 + 2) / 3)
    assert found["X"].raters == 3
    assert found["A"].value == pytest.approx(4)
    assert found["A"].trust == pytest.approx(2)
    assert "B" not in found  # nobody rated B


def test_two_people_answering_for_one_organisation_count_as_one_rater():
    ratings = [
        rate("A", "X", (4, 4, 4), (4, 4, 4)),
        rate("A", "X", (2, 2, 2), (2, 2, 2)),
        rate("B", "X", (1, 1, 1), (1, 1, 1)),
    ]
    found = organisation_scores(ratings)["X"]
    # A's two ratings average to 3 first; then (3 + 1) / 2, not (4 + 2 + 1) / 3.
    assert found.value == pytest.approx(2.0)
    assert found.raters == 2


def test_a_rating_of_ones_own_organisation_is_not_counted():
    assert organisation_scores([rate("A", "A", (4, 4, 4), (4, 4, 4))]) == {}


def test_the_networks_score_is_the_mean_over_rated_pairs():
    found = network_score(EXAMPLE)
    assert found.value == pytest.approx((3 + 2 + 2 + 4) / 4)
    assert found.trust == pytest.approx((4 + 3 + 2 + 2) / 4)
    assert found.raters == 4


def test_relationships_are_counted_per_level_and_contributions_per_organisation():
    assert intensity_counts(EXAMPLE) == {1: 1, 2: 1, 3: 1, 4: 1}
    given = [("A", "funding"), ("B", "funding"), ("B", "data"), ("A", "funding")]
    assert contribution_counts(given) == {"funding": 2, "data": 1}


def test_scores_from_fewer_than_three_raters_are_hidden(settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    found = results(EXAMPLE, [], answering="ABCX")
    assert found.organisations["X"].value == pytest.approx(7 / 3)
    assert found.organisations["A"].value is None and found.organisations["A"].trust is None
    # Four organisations answered, but only X rated the hidden A: the network's figure less
    # X's would give X's rating of A away, so the network's figure is hidden too.
    assert found.network.value is None
    assert found.intensity == {1: 1, 2: 1, 3: 1, 4: 1}


def _everyone_rates_everyone(orgs, value, trust):
    return [rate(a, b, value, trust) for a in orgs for b in orgs if a != b]


def test_the_networks_score_shows_when_every_hidden_score_has_enough_raters(settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    ratings = _everyone_rates_everyone("ABCD", (3, 3, 3), (2, 2, 2))
    found = results(ratings, [], answering="ABCD")
    assert found.network.value == pytest.approx(3) and found.network.trust == pytest.approx(2)
    assert all(score.value == pytest.approx(3) for score in found.organisations.values())


def test_nothing_shows_when_fewer_than_three_organisations_answered(settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    ratings = [rate("A", "X", (4, 4, 4), (4, 4, 4)), rate("B", "X", (1, 1, 1), (1, 1, 1))]
    found = results(ratings, [("A", "funding")], answering="AB")
    assert found.organisations["X"].value is None
    assert found.network.value is None
    assert found.intensity is None and found.contributions is None


def test_change_is_this_round_less_the_previous_and_only_between_shown_figures(settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    before = results(_everyone_rates_everyone("ABCD", (2, 2, 2), (3, 3, 3)), [], "ABCD")
    now = _everyone_rates_everyone("ABCD", (3, 3, 3), (2, 2, 2))
    # E joins and is rated by two: its score is hidden, and it had none before.
    now += [rate("A", "E", (4, 4, 4), (4, 4, 4)), rate("B", "E", (4, 4, 4), (4, 4, 4))]
    found = results(now, [], "ABCD", previous=before)
    assert found.organisation_change["A"] == Change(
        value=pytest.approx(1.0), trust=pytest.approx(-1.0)
    )
    assert found.organisations["E"].value is None
    assert "E" not in found.organisation_change
    # Hidden E was rated by two organisations only: the network's figure is hidden, and so
    # is its change.
    assert found.network.value is None
    assert found.network_change == Change(value=None, trust=None)


def test_a_change_from_a_hidden_figure_is_hidden(settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    before = results([rate("A", "X", (1, 1, 1), (1, 1, 1))], [], "A")
    now = results(_everyone_rates_everyone("ABCX", (3, 3, 3), (3, 3, 3)), [], "ABCX", before)
    assert now.organisations["X"].value == pytest.approx(3)
    assert now.organisation_change["X"] == Change(value=None, trust=None)
    assert now.network_change == Change(value=None, trust=None)
