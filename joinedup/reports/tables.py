"""The shapes a report is made of, shared by the report page, the exports and the benchmarks.

A figure is first counted as a `Table` of whole numbers; `disclosure.protect` turns it into a
`PublishedTable`, the only form that leaves the reports app: every cell there already says what
may be shown. Plain dataclasses, no queries."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

ScopeKind = Literal["city", "locality", "panel"]


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole city, one locality or one panel."""

    kind: ScopeKind = "city"
    locality: Any = None  # organisations.Locality when kind == "locality"
    panel: Any = None  # panels.Panel when kind == "panel"

    @property
    def label(self) -> str:
        if self.kind == "locality":
            return str(self.locality)
        if self.kind == "panel":
            return str(self.panel)
        return "The whole city"


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date
    label: str

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        start = date(year, month, 1)
        return cls(start, date(year, month, last), start.strftime("%B %Y"))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Calendar quarters: quarter 1 is January to March."""
        first_month = 3 * (quarter - 1) + 1
        last_month = first_month + 2
        return cls(
            date(year, first_month, 1),
            date(year, last_month, calendar.monthrange(year, last_month)[1]),
            f"{date(year, first_month, 1):%B} to {date(year, last_month, 1):%B %Y}",
        )


@dataclass(frozen=True)
class Table:
    """One figure as counted, before disclosure control.

    `rows` are (label, counts), one count per column. Counts of children or records are
    `kind="count"` and protected cell by cell. `kind="measure"` tables hold figures that are not
    counts (median days, mean change); `bases` then gives, cell for cell, how many records each
    measure was worked out from, and a measure from too few records is not shown."""

    key: str
    title: str
    explanation: str  # plain words: what is counted and how to read it
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float, ...]], ...]
    kind: Literal["count", "measure"] = "count"
    bases: tuple[tuple[int, ...], ...] = ()
    # Whether row and column totals are published (counts only).
    totals: bool = True
    chart: Literal["bar", "line", "none"] = "bar"


@dataclass(frozen=True)
class Cell:
    """A published value: `text` is exactly what a reader sees."""

    value: float | None  # None when not shown
    text: str
    suppressed: bool = False  # small in itself
    held_back: bool = False  # not small, hidden so that a small cell cannot be worked out


@dataclass(frozen=True)
class Completeness:
    """How complete the recorded fields behind a figure are: `known` of `total` records."""

    known: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.known / self.total) if self.total else None


@dataclass(frozen=True)
class PublishedTable:
    key: str
    title: str
    explanation: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    row_totals: tuple[Cell, ...] = ()  # one per row, when the table has totals
    column_totals: tuple[Cell, ...] = ()  # one per column
    grand_total: Cell | None = None
    kind: Literal["count", "measure"] = "count"
    chart: Literal["bar", "line", "none"] = "bar"
    completeness: Completeness | None = None
    threshold: int = 5


@dataclass(frozen=True)
class Report:
    scope: Scope
    period: Period
    tables: tuple[PublishedTable, ...]
    generated_at: Any  # datetime
    # Published stories by figure key (reports.stories), shown beside the figure.
    stories: dict[str, list[Any]] = field(default_factory=dict)
