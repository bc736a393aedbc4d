"""An attacker's view of a published table, by linear programming: for each hidden cell, the
least and the most it could be, given every published cell and total and that no count is
below 0. Independent of joinedup.reports.disclosure, which finds its answer by maximum flow."""

from dataclasses import dataclass

from scipy.optimize import linprog

from joinedup.reports.tables import PublishedTable, Table


@dataclass(frozen=True)
class Range:
    label: str
    true: int
    low: float
    high: float
    small: bool  # shown as "fewer than N"
    position: tuple[int, int] = (0, 0)  # (row, column) in the table with its totals


def _positions(table: Table) -> dict[tuple[int, int], int]:
    m, n = len(table.rows), len(table.columns)
    counts = [[int(v) for v in values] for _, values in table.rows]
    values = {(a, b): counts[a][b] for a in range(m) for b in range(n)}
    for b in range(n):
        values[(m, b)] = sum(row[b] for row in counts)
    if n > 1:
        for a in range(m):
            values[(a, n)] = sum(counts[a])
        values[(m, n)] = sum(map(sum, counts))
    return values


def _published(published: PublishedTable) -> dict[tuple[int, int], object]:
    m, n = len(published.rows), len(published.columns)
    cells: dict[tuple[int, int], object] = {}
    for a, (_, row) in enumerate(published.rows):
        for b, cell in enumerate(row):
            cells[(a, b)] = cell
    for b, cell in enumerate(published.column_totals):
        cells[(m, b)] = cell
    if n > 1:
        for a, cell in enumerate(published.row_totals):
            cells[(a, n)] = cell
        cells[(m, n)] = published.grand_total
    return cells


def ranges(table: Table, published: PublishedTable, *, labelled: bool = False) -> list[Range]:
    """Every hidden cell's range as an attacker works it out: knowing that counts are at
    least 0 or, `labelled`, also that "fewer than N" is from 1 to N - 1 and "not shown" at
    least N (small counts and zeros are never merely held back)."""
    m, n = len(table.rows), len(table.columns)
    values = _positions(table)
    cells = _published(published)
    assert set(values) == set(cells)
    # What is published must be true.
    for pos, cell in cells.items():
        if cell.value is not None:  # type: ignore[attr-defined]
            assert cell.value == values[pos]  # type: ignore[attr-defined]
    hidden = sorted(pos for pos, cell in cells.items() if cell.value is None)  # type: ignore[attr-defined]
    if not hidden:
        return []
    index = {pos: i for i, pos in enumerate(hidden)}
    # Each line of the augmented table: its cells add up to its total.
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    for a in range(m):
        if n > 1:
            lines.append(([(a, b) for b in range(n)], (a, n)))
    for b in range(n):
        lines.append(([(a, b) for a in range(m)], (m, b)))
    if n > 1:
        lines.append(([(m, b) for b in range(n)], (m, n)))
        lines.append(([(a, n) for a in range(m)], (m, n)))
    a_eq, b_eq = [], []
    for parts, total in lines:
        row = [0.0] * len(hidden)
        known = 0.0
        for pos in parts:
            if pos in index:
                row[index[pos]] += 1
            else:
                known += values[pos]
        if total in index:
            row[index[total]] -= 1
        else:
            known -= values[total]
        if any(row):
            a_eq.append(row)
            b_eq.append(-known)
    threshold = published.threshold
    bounds = [(0, None)] * len(hidden)
    if labelled:
        bounds = [
            (1, threshold - 1) if cells[pos].suppressed else (threshold, None)  # type: ignore[attr-defined]
            for pos in hidden
        ]
    found = []
    for pos in hidden:
        c = [0.0] * len(hidden)
        c[index[pos]] = 1.0
        low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
        high = linprog([-x for x in c], A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
        assert low.status == 0, low.message
        label = f"{table.key} {pos}"
        upper = float("inf") if high.status == 3 else -high.fun
        assert high.status in (0, 3), high.message
        found.append(
            Range(label, values[pos], low.fun, upper, cells[pos].suppressed, pos)  # type: ignore[attr-defined]
        )
    return found


def assert_not_derivable(table: Table, published: PublishedTable) -> None:
    threshold = published.threshold
    for found in ranges(table, published):
        assert found.high - found.low > 1e-6, f"{found.label} is pinned at {found.true}"
        assert found.low - 1e-6 <= found.true <= found.high + 1e-6
        if found.small:
            assert found.high >= threshold - 1e-6, (
                f"{found.label} ({found.true}) is known to be at most {found.high}"
            )


def assert_small_cells_not_pinned_by_labels(table: Table, published: PublishedTable) -> None:
    """Even an attacker who reads the labels cannot pin a small count down (from threshold 3:
    "fewer than 2" can only mean 1). Not in a row or column that is small as a whole (the
    whole table included): four cells "fewer than 5", none 0, in a line whose total is "fewer
    than 5" can only be four 1s, whatever is hidden (docs/reports.md says so)."""
    if published.threshold < 3:
        return
    values = _positions(table)
    m, n = len(table.rows), len(table.columns)
    small_rows = {
        a
        for a in range(m + 1)
        if sum(values.get((a, b), 0) for b in range(n)) < published.threshold
    }
    small_columns = {
        b
        for b in range(n + 1)
        if sum(values.get((a, b), 0) for a in range(m)) < published.threshold
    }
    for found in ranges(table, published, labelled=True):
        row, column = found.position
        if row in small_rows or column in small_columns:
            continue
        if found.small:
            assert found.high - found.low > 1e-6, f"{found.label} is pinned at {found.true}"
