"""Small numbers kept out of the steering groups' figures (DESIGN.md, rule 5: reports never
re-identify). Any count from 1 to 4 is shown as "fewer than 5"; a total is held back whenever
one of the counts it adds up is held back, or the total and the other counts would give that
count away. Plain functions, no queries."""

from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 5
FEWER = f"fewer than {THRESHOLD}"
HELD_BACK = "not shown"


@dataclass(frozen=True)
class Figure:
    """A count as a steering group may see it: `text` is what the page shows."""

    value: int
    suppressed: bool = False
    # A total held back to protect a small count in the same table, though itself not small.
    held_back: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return FEWER
        if self.held_back:
            return HELD_BACK
        return f"{self.value:,}"

    @property
    def shown(self) -> bool:
        return not (self.suppressed or self.held_back)

    def __str__(self) -> str:
        return self.text


def figure(value: int) -> Figure:
    return Figure(value=value, suppressed=0 < value < THRESHOLD)


def with_total(values: Iterable[int]) -> tuple[list[Figure], Figure]:
    """The counts of one table and their total. With one count suppressed, the total minus
    the others would give it away; with several, their sum could (two held-back ones adding
    up to 2 must each be 1): so the total goes whenever any count is suppressed."""
    counts = [figure(value) for value in values]
    total = figure(sum(value.value for value in counts))
    if any(count.suppressed for count in counts) and not total.suppressed:
        total = Figure(value=total.value, held_back=True)
    return counts, total


def rate(done: Figure, due: Figure) -> int | None:
    """Per cent done of those due, only when both counts are shown: a rate beside a shown
    total would give a suppressed count away."""
    if not (done.shown and due.shown) or not due.value:
        return None
    return round(100 * done.value / due.value)
