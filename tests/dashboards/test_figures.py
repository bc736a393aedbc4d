"""Small numbers never reach a steering group, and cannot be worked out from a total."""

import pytest

from joinedup.dashboards.figures import FEWER, HELD_BACK, figure, rate, with_total


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (1, FEWER), (4, FEWER), (5, "5"), (1234, "1,234")],
)
def test_a_count_from_1_to_4_reads_fewer_than_5(value, text):
    assert figure(value).text == text


def test_a_total_is_shown_when_no_count_in_the_table_is_small():
    counts, total = with_total([0, 5, 12])
    assert [c.text for c in counts] == ["0", "5", "12"]
    assert total.text == "17"


def test_one_small_count_holds_the_total_back_so_it_cannot_be_worked_out():
    counts, total = with_total([3, 10, 12])
    assert [c.text for c in counts] == [FEWER, "10", "12"]
    # 25 - 10 - 12 would give the 3 away.
    assert total.text == HELD_BACK
    assert "25" not in {c.text for c in counts} | {total.text}


def test_two_small_counts_hold_the_total_back_too():
    # A total of 12 beside a shown 10 would say the two held-back counts are 1 and 1.
    counts, total = with_total([1, 1, 10])
    assert [c.text for c in counts] == [FEWER, FEWER, "10"]
    assert total.text == HELD_BACK


def test_a_small_total_is_itself_suppressed():
    _, total = with_total([1, 0, 2])
    assert total.text == FEWER


def test_a_rate_is_shown_only_beside_counts_that_are_shown():
    assert rate(figure(5), figure(10)) == 50
    assert rate(figure(0), figure(10)) == 0
    # done = 3 of 10 due: "30%" beside "10" would give the 3 away.
    assert rate(figure(3), figure(10)) is None
    assert rate(figure(2), figure(4)) is None
