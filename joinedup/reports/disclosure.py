"""Disclosure control: the only way a counted `Table` becomes a `PublishedTable` (DESIGN.md,
rule 5: reports never re-identify; docs/reports.md).

Primary suppression: a count from 1 to threshold - 1 is shown as "fewer than 5" (zeros are
shown). Secondary suppression, for tables that publish totals: other cells are held back
("not shown") until no hidden cell can be worked out from what is published, by any sum or
difference of rows, columns and totals, and the reader cannot tell that a small cell is small
(it could be as large as the threshold). Totals are held back only when nothing else works.
Measures (medians, means) are shown only when worked out from at least threshold records.

How a table is checked. A table with its totals is an "augmented" table: the counts, a column
of row totals, a row of column totals and the grand total. Every line of it adds up (a row's
counts add up to its total, the totals to the grand total), so any change to the hidden cells
that keeps what is published true is a circulation in a small network: each row and column of
the augmented table is a node, each hidden cell an edge. A hidden cell can be `up` higher and
`down` lower than it is exactly when that much flow can go round through the other hidden
cells, each of which can grow without limit but shrink only to 0: a maximum flow. A cell is
safe when it can move at all, and a small one when it could be at least the threshold. The
tests check the same with linear programming (tests/reports/test_disclosure.py).
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings

from joinedup.reports.tables import Cell, PublishedTable, Table

HELD_BACK = "not shown"
# When no single set of cells makes a hidden cell safe, this many of the cheapest are weighed
# for the one that helps most cheaply.
SCORED = 8
NO_RECORDS = "no records"


def threshold_setting() -> int:
    return int(getattr(settings, "JOINEDUP_REPORT_SUPPRESSION_THRESHOLD", 5))


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


def is_small(value: float, threshold: int) -> bool:
    return 0 < value < threshold


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


Option = tuple[tuple[int, int], ...]

# The augmented table: positions (a, b) with a in 0..m (m: the row of column totals) and
# b in 0..n (n: the column of row totals). One-way tables have one column and no row totals.


@dataclass
class _Grid:
    values: dict[tuple[int, int], int]
    m: int  # number of rows of counts; index m is the row of column totals
    n: int  # number of columns of counts; index n is the column of row totals
    one_way: bool
    hidden: set[tuple[int, int]]
    networks: dict[bool, _Network] = field(default_factory=dict)

    def hide(self, positions: Iterable[tuple[int, int]]) -> None:
        for pos in positions:
            if pos not in self.hidden:
                self.hidden.add(pos)
                for network in self.networks.values():
                    network.change(pos, 1)

    def show(self, positions: Iterable[tuple[int, int]]) -> None:
        for pos in positions:
            if pos in self.hidden:
                self.hidden.discard(pos)
                for network in self.networks.values():
                    network.change(pos, -1)

    def is_total(self, pos: tuple[int, int]) -> bool:
        return pos[0] == self.m or pos[1] == self.n

    def lines(self, pos: tuple[int, int]) -> list[tuple[Hashable, bool]]:
        """The lines of the augmented table through `pos`, each with whether `pos` is its
        total: a row (its counts add up to its total) and a column."""
        a, b = pos
        if self.one_way:
            return [(("col", b), a == self.m)]
        return [(("row", a), b == self.n), (("col", b), a == self.m)]

    def line_total(self, line: Hashable) -> tuple[int, int]:
        assert isinstance(line, tuple)
        kind, index = line
        return (index, self.n) if kind == "row" else (self.m, index)

    def edge(self, pos: tuple[int, int]) -> tuple[Hashable, Hashable]:
        """The (tail, head) of the network edge a position stands for."""
        a, b = pos
        if self.one_way:
            return ("t", "s") if a == self.m else ("s", "t")
        if a < self.m and b < self.n:
            return ("row", a), ("col", b)
        if a < self.m:  # a row total
            return "grand_out", ("row", a)
        if b < self.n:  # a column total
            return ("col", b), "grand_in"
        return "grand_in", "grand_out"


def _line_cells(grid: _Grid, line: Hashable) -> list[tuple[int, int]]:
    """The positions of a line's counts, its total not included."""
    assert isinstance(line, tuple)
    kind, index = line
    if kind == "row":
        return [(index, b) for b in range(grid.n)]
    return [(a, index) for a in range(grid.m)]


def _limits(
    grid: _Grid, pos: tuple[int, int], threshold: int, infinite: int, labelled: bool
) -> tuple[int, int]:
    """How far the value at `pos` could rise and fall on its own. Knowing only that counts
    are at least 0: without limit, and down to 0. Knowing also what the labels say (a cell
    "fewer than 5" is from 1 to 4; one "not shown" is at least 5, since small ones and zeros
    are never merely held back): within those bounds."""
    value = grid.values[pos]
    if not labelled:
        return infinite, value
    if is_small(value, threshold):
        return threshold - 1 - value, value - 1
    return infinite, value - threshold


def _is_row(node: Hashable) -> bool:
    return isinstance(node, tuple) and node[0] == "row"


class _Network:
    """The hidden values as a flow network (see the module's docstring), kept up to date as
    cells are hidden and shown again, so that a set of hidden cells is never built afresh.

    Its nodes are the rows of the augmented table and a few "hubs" (the columns and the two
    grand-total nodes; in a one-way table just two). A row only meets hubs, and a table has
    few hubs, so a path is a walk from hub to hub, each step either an edge between hubs or
    through a row. `via[(h, k)]` holds the rows with room to carry flow from hub h to hub k:
    looking one up replaces a search through every hidden cell. Dictionaries serve as sets
    that keep their order, so the same table is always searched the same way."""

    def __init__(self, grid: _Grid, threshold: int, infinite: int, labelled: bool) -> None:
        self.grid = grid
        self.threshold = threshold
        self.infinite = infinite
        self.labelled = labelled
        self.capacity: dict[Hashable, dict[Hashable, int]] = defaultdict(dict)
        self.hub_edges: dict[Hashable, dict[Hashable, None]] = defaultdict(dict)
        self.via: dict[Hashable, dict[Hashable, dict[Hashable, None]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        self.member: dict[Hashable, list[tuple[Hashable, Hashable]]] = {}
        # For each line, what its hidden counts (not its total) could rise and fall by.
        self.line_room: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
        for pos in sorted(grid.hidden):
            self.change(pos, 1)

    def change(self, pos: tuple[int, int], sign: int) -> None:
        """Add (`sign` 1) or take away (-1) the edge a hidden value stands for."""
        rise, fall = _limits(self.grid, pos, self.threshold, self.infinite, self.labelled)
        tail, head = self.grid.edge(pos)
        capacity = self.capacity
        capacity[tail][head] = capacity[tail].get(head, 0) + sign * rise
        capacity[head][tail] = capacity[head].get(tail, 0) + sign * fall
        for line, is_total in self.grid.lines(pos):
            if not is_total:
                room = self.line_room[line]
                room[0] += sign * max(rise, 0)
                room[1] += sign * max(fall, 0)
        rows = [node for node in (tail, head) if _is_row(node)]
        if not rows:
            self.hub_edges[tail][head] = None
            self.hub_edges[head][tail] = None
        for row in rows:
            self._index(row)

    def _index(self, row: Hashable) -> None:
        for h, k in self.member.pop(row, ()):
            self.via[h][k].pop(row, None)
        edges = self.capacity[row]
        into = [hub for hub in edges if self.capacity[hub].get(row, 0) > 0]
        out = [hub for hub, cap in edges.items() if cap > 0]
        pairs = [(h, k) for h in into for k in out if h != k]
        for h, k in pairs:
            self.via[h][k][row] = None
        self.member[row] = pairs

    def bounds(
        self, pos: tuple[int, int], rise: int, fall: int, extra: Option = ()
    ) -> tuple[int, int]:
        """At most how far the hidden value at `pos` could rise and fall, from each line
        through it alone (the capacity of the cut round one node of the network): when that
        is already too little, no flow need be worked out. `extra`: positions to count as
        hidden too."""
        grid = self.grid
        up, down = max(rise, 0), max(fall, 0)
        for line, is_total in grid.lines(pos):
            room_rise, room_fall = self.line_room[line]
            total = grid.line_total(line)
            for other in extra:
                if other != total and line in (other_line for other_line, _ in grid.lines(other)):
                    other_up, other_down = self.limits(other)
                    room_rise += max(other_up, 0)
                    room_fall += max(other_down, 0)
            if is_total:
                up, down = min(up, room_rise), min(down, room_fall)
                continue
            other_rise, other_fall = room_rise - max(rise, 0), room_fall - max(fall, 0)
            if total in grid.hidden or total in extra:
                total_rise, total_fall = self.limits(total)
                other_fall += max(total_rise, 0)
                other_rise += max(total_fall, 0)
            up, down = min(up, other_fall), min(down, other_rise)
        return up, down

    def limits(self, pos: tuple[int, int]) -> tuple[int, int]:
        return _limits(self.grid, pos, self.threshold, self.infinite, self.labelled)

    def max_flow(
        self,
        source: Hashable,
        sink: Hashable,
        limit: int,
        removed: dict[tuple[Hashable, Hashable], int],
    ) -> int:
        """How much can flow from `source` to `sink` (up to `limit`), with the capacities
        `removed` taken away first. Edmonds-Karp over the hubs; the flow is kept apart."""
        capacity = self.capacity
        delta = dict(removed)
        touched = {node: None for pair in removed for node in pair if _is_row(node)}

        def residual(a: Hashable, b: Hashable) -> int:
            return capacity[a].get(b, 0) + delta.get((a, b), 0)

        flow = 0
        while flow < limit:
            # parent[node] = the previous node and, for a step through an untouched row, it
            parent: dict[Hashable, tuple[Hashable, Hashable | None]] = {source: (source, None)}
            queue = deque([source])
            found = False
            while queue and not found:
                node = queue.popleft()
                if _is_row(node):
                    steps = [hub for hub in capacity[node] if residual(node, hub) > 0]
                    for nxt in steps:
                        if nxt not in parent:
                            parent[nxt] = (node, None)
                            queue.append(nxt)
                    found = sink in parent
                    continue
                # A hub: to touched rows (the sink among them), to hubs directly or through
                # a row that no flow has used yet.
                for row in touched:
                    if row not in parent and residual(node, row) > 0:
                        parent[row] = (node, None)
                        queue.append(row)
                if sink in parent:
                    found = True
                    continue
                for hub in self.hub_edges[node]:
                    if hub not in parent and residual(node, hub) > 0:
                        parent[hub] = (node, None)
                        queue.append(hub)
                for k, rows in self.via[node].items():
                    if k in parent:
                        continue
                    for row in rows:
                        if row not in touched:
                            parent[k] = (node, row)
                            queue.append(k)
                            break
                found = sink in parent
            if not found:
                break
            path: list[tuple[Hashable, Hashable]] = []
            node = sink
            while node != source:
                before, row = parent[node]
                if row is None:
                    path.append((before, node))
                else:
                    path.extend([(row, node), (before, row)])
                node = before
            push = min(min(residual(a, b) for a, b in path), limit - flow)
            for a, b in path:
                delta[(a, b)] = delta.get((a, b), 0) - push
                delta[(b, a)] = delta.get((b, a), 0) + push
                touched.update((x, None) for x in (a, b) if _is_row(x))
            flow += push
        return flow


def _movement(
    grid: _Grid, pos: tuple[int, int], threshold: int, infinite: int, labelled: bool = False
) -> tuple[int, int]:
    """How much higher (`up`, capped at the threshold) and lower (`down`, capped at 1) the
    hidden value at `pos` could be, keeping every published value true and every hidden
    value within its limits (`_limits`): the flow that can go round through the other hidden
    values."""
    rise, fall = _limits(grid, pos, threshold, infinite, labelled)
    tail, head = grid.edge(pos)
    if labelled not in grid.networks:
        grid.networks[labelled] = _Network(grid, threshold, infinite, labelled)
    network = grid.networks[labelled]
    removed = {(tail, head): -rise, (head, tail): -fall}
    # No caller needs to know more than whether a value can rise to the threshold and
    # whether it can fall at all; and no flow is looked for where a line alone rules it out.
    most_up, most_down = network.bounds(pos, rise, fall)
    up = network.max_flow(head, tail, min(most_up, threshold), removed) if most_up > 0 else 0
    down = network.max_flow(tail, head, 1, removed) if most_down > 0 else 0
    return up, down


def _pinned_by_a_line(grid: _Grid, pos: tuple[int, int], extra: Option = ()) -> bool:
    """Whether a reader of the labels could pin the small value at `pos` down from one of its
    lines alone (then it is pinned, whatever else is hidden), were `extra` hidden too."""
    network = grid.networks.get(True)
    if network is None:
        return False
    rise, fall = network.limits(pos)
    return network.bounds(pos, rise, fall, extra) == (0, 0)


def _ruled_out(grid: _Grid, pos: tuple[int, int], threshold: int, extra: Option) -> bool:
    """Whether hiding `extra` too would certainly leave `pos` unsafe (`_safe`), by its lines
    alone: then it need not be tried."""
    value = grid.values[pos]
    small = is_small(value, threshold)
    network = grid.networks.get(False)
    if network is not None:
        rise, fall = network.limits(pos)
        up, down = network.bounds(pos, rise, fall, extra)
        if not (up or down) or (small and value + up < threshold):
            return True
    return threshold >= 3 and small and _pinned_by_a_line(grid, pos, extra)


def _safe(grid: _Grid, pos: tuple[int, int], threshold: int, infinite: int) -> bool:
    """Knowing only that counts are at least 0, the value can move, and a small one could be
    at least the threshold; and, for a small one, even knowing what the labels say it can
    still move (with a threshold of 2, "fewer than 2" can only be 1: nothing to protect)."""
    value = grid.values[pos]
    if threshold >= 3 and is_small(value, threshold) and _pinned_by_a_line(grid, pos):
        return False  # the cheap test first: no flow need be worked out
    up, down = _movement(grid, pos, threshold, infinite)
    if not (up or down):
        return False
    if not is_small(value, threshold):
        return True
    if value + up < threshold:
        return False
    if threshold < 3:
        return True
    up, down = _movement(grid, pos, threshold, infinite, labelled=True)
    return bool(up or down)


def _candidates(grid: _Grid, pos: tuple[int, int]) -> list[tuple[Option, int]]:
    """The sets of positions whose hiding could protect `pos`: in a one-way table one more
    cell of the column; otherwise the other three corners of a rectangle. Only cells with a
    count above 0 (zeros are always shown). Cheapest first, each set once, with how many of
    the ways of choosing cells come down to it (many rectangles need the same new cells)."""
    a, b = pos
    hidden, values, m, n = grid.hidden, grid.values, grid.m, grid.n
    # Each set of new cells with its cost: how many totals, their sum, how many; then the
    # cells themselves, so that the order is always the same.
    costs: dict[Option, tuple[int, int, int, Option]] = {}
    ways: dict[Option, int] = {}
    if grid.one_way:
        for c in range(m + 1):
            cell = (c, b)
            if c != a and cell not in hidden and values[cell] > 0:
                option = (cell,)
                costs[option] = (int(c == m), values[cell], 1, option)
                ways[option] = 1
        return [(option, 1) for option in sorted(costs, key=costs.__getitem__)]
    for d in range(n + 1):
        corner = (a, d)
        if d == b or (corner not in hidden and values[corner] == 0):
            continue
        first_new = corner not in hidden
        first = (corner,) if first_new else ()
        first_totals = int(first_new and (a == m or d == n))
        first_sum = values[corner] if first_new else 0
        side_total, far_total = b == n, d == n
        for c in range(m + 1):
            if c == a:
                continue
            side, far = (c, b), (c, d)
            totals, added, new = first_totals, first_sum, first
            if side not in hidden:
                value = values[side]
                if value == 0:
                    continue
                totals += c == m or side_total
                added += value
                new = (*new, side)
            if far not in hidden:
                value = values[far]
                if value == 0:
                    continue
                totals += c == m or far_total
                added += value
                new = (*new, far)
            if not new:
                continue
            option = tuple(sorted(new)) if len(new) > 1 else new
            if option in ways:
                ways[option] += 1
            else:
                ways[option] = 1
                costs[option] = (totals, added, len(option), option)
    return [(option, ways[option]) for option in sorted(costs, key=costs.__getitem__)]


def _score(grid: _Grid, pos: tuple[int, int], threshold: int, infinite: int) -> tuple[int, ...]:
    """How far from safe `pos` is, for choosing cells that at least help."""
    up, down = _movement(grid, pos, threshold, infinite)
    labelled = _movement(grid, pos, threshold, infinite, labelled=True)
    return (min(up, threshold), min(down, 1), min(sum(labelled), 1))


def _protect_grid(grid: _Grid, threshold: int) -> None:
    infinite = 2 * sum(grid.values.values()) + threshold + 1
    # Hiding more only adds ways for a value to move: a cell once safe stays safe.
    safe: set[tuple[int, int]] = set()

    def order(p: tuple[int, int]) -> tuple[bool, tuple[int, int]]:
        return (not is_small(grid.values[p], threshold), p)

    # The hidden cells not yet known to be safe, small ones first, each checked in turn.
    waiting = [order(p) for p in grid.hidden]
    heapq.heapify(waiting)

    def hide(new: Iterable[tuple[int, int]]) -> None:
        for p in new:
            if p not in grid.hidden:
                heapq.heappush(waiting, order(p))
        grid.hide(new)  # a trial shown again leaves its entries, dropped when reached

    while True:
        pos = None
        while waiting:
            candidate = waiting[0][1]
            if candidate in safe or candidate not in grid.hidden:
                heapq.heappop(waiting)
            elif _safe(grid, candidate, threshold, infinite):
                safe.add(candidate)
                heapq.heappop(waiting)
            else:
                pos = candidate
                break
        if pos is None:
            return
        before = _score(grid, pos, threshold, infinite)
        fixed = False
        improving: Option | None = None
        candidates = _candidates(grid, pos)
        tried = 0  # how many ways of choosing cells come before this one
        for new, ways in candidates:
            weighed = improving is None and tried < SCORED
            if not weighed and _ruled_out(grid, pos, threshold, new):
                tried += ways
                continue
            hide(new)
            if _safe(grid, pos, threshold, infinite):
                fixed = True
                break
            # Of the cheapest few that do not make it safe, the first that helps.
            if weighed and _score(grid, pos, threshold, infinite) > before:
                improving = new
            grid.show(new)
            tried += ways
        if fixed:
            continue
        if improving is None and candidates:
            improving = candidates[0][0]  # none of the few weighed helps: the cheapest
        if improving is not None:
            hide(improving)
            continue
        # Nothing else works: hold back every total of a line with a hidden cell (and so the
        # grand total). A hidden cell is then limited only by being at least 0. The totals of
        # lines with nothing hidden stay: they add up what is shown, so they tell nothing more,
        # and a total held back there would be worked out from the cells (a 0 "not shown").
        totals = {
            p
            for p in grid.values
            if grid.is_total(p)
            and any(
                other in grid.hidden and not grid.is_total(other)
                for line, is_its_total in grid.lines(p)
                if is_its_total
                for other in _line_cells(grid, line)
            )
        }
        if totals <= grid.hidden:  # pragma: no cover - cannot happen: every cell is then free
            return
        hide(sorted(totals))


def _count_cell(value: float, hidden: bool, threshold: int) -> Cell:
    if hidden and is_small(value, threshold):
        return Cell(None, fewer_than(threshold), suppressed=True)
    if hidden:
        return Cell(None, HELD_BACK, held_back=True)
    return Cell(value, _number(value))


def _measure_cell(value: float, base: int, threshold: int) -> Cell:
    if base == 0:
        return Cell(None, NO_RECORDS, suppressed=True)
    if base < threshold:
        return Cell(None, f"{fewer_than(threshold)} records", suppressed=True)
    return Cell(value, _number(value))


def _published(table: Table, threshold: int, **cells: object) -> PublishedTable:
    return PublishedTable(
        key=table.key,
        title=table.title,
        explanation=table.explanation,
        row_heading=table.row_heading,
        columns=table.columns,
        kind=table.kind,
        chart=table.chart,
        threshold=threshold,
        **cells,  # type: ignore[arg-type]
    )


def protect(table: Table, *, threshold: int | None = None) -> PublishedTable:
    """The table as it may be published: see the module's docstring."""
    if threshold is None:
        threshold = threshold_setting()
    if threshold < 2:
        raise ValueError("The suppression threshold is at least 2.")
    if table.kind == "measure":
        bases: Sequence[Sequence[int]] = table.bases or [
            [0] * len(values) for _, values in table.rows
        ]
        return _published(
            table,
            threshold,
            rows=tuple(
                (
                    label,
                    tuple(
                        _measure_cell(value, base, threshold)
                        for value, base in zip(values, row_bases, strict=True)
                    ),
                )
                for (label, values), row_bases in zip(table.rows, bases, strict=True)
            ),
        )

    m, n = len(table.rows), len(table.columns)
    counts = [[int(v) for v in values] for _, values in table.rows]
    if not table.totals:
        return _published(
            table,
            threshold,
            rows=tuple(
                (
                    label,
                    tuple(_count_cell(v, is_small(v, threshold), threshold) for v in row),
                )
                for (label, _), row in zip(table.rows, counts, strict=True)
            ),
        )

    one_way = n == 1
    values: dict[tuple[int, int], int] = {}
    for a, row in enumerate(counts):
        for b, v in enumerate(row):
            values[(a, b)] = v
    for b in range(n):
        values[(m, b)] = sum(row[b] for row in counts)
    if not one_way:
        for a, row in enumerate(counts):
            values[(a, n)] = sum(row)
        values[(m, n)] = sum(sum(row) for row in counts)
    hidden = {pos for pos, v in values.items() if is_small(v, threshold)}
    grid = _Grid(values, m, n, one_way, hidden)
    if hidden:
        _protect_grid(grid, threshold)

    def cell(pos: tuple[int, int]) -> Cell:
        return _count_cell(values[pos], pos in grid.hidden, threshold)

    rows = tuple(
        (label, tuple(cell((a, b)) for b in range(n))) for a, (label, _) in enumerate(table.rows)
    )
    column_totals = tuple(cell((m, b)) for b in range(n))
    if one_way:
        return _published(
            table,
            threshold,
            rows=rows,
            column_totals=column_totals,
            grand_total=column_totals[0],
        )
    return _published(
        table,
        threshold,
        rows=rows,
        row_totals=tuple(cell((a, n)) for a in range(m)),
        column_totals=column_totals,
        grand_total=cell((m, n)),
    )
