"""Charts drawn on the server as SVG (docs/reports.md): no script, no inline style (the
Content Security Policy forbids both); colours come from classes in assets/scss/app.scss.

Each chart is an image with a title and a description (role="img", aria-labelledby); the same
figures are in the table beside it, which is what a screen reader reads. A cell not shown (a
small count, or one held back to protect one) draws no bar, and says so in words. Only what is
published is drawn: the chart is made from the PublishedTable, never from the counts."""

from __future__ import annotations

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from joinedup.reports.tables import Cell, PublishedTable

WIDTH = 640
LABEL_WIDTH = 230
VALUE_GAP = 90  # room after the longest bar for its value in words
ROW_HEIGHT = 30
TOP = 28  # room for the key
LABEL_CHARACTERS = 34
SERIES = 6  # classes app-chart__series--0 to --5

_ids = itertools.count(1)


def _short(label: str) -> str:
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _value(cell: Cell) -> float:
    return float(cell.value) if cell.value is not None else 0.0


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _describe(table: PublishedTable) -> str:
    kind = "Line chart" if table.chart == "line" else "Bar chart"
    columns = ", ".join(table.columns)
    hidden = any(cell.value is None for _, cells in table.rows for cell in cells)
    text = (
        f"{kind} of {table.title.lower()}: {columns} for each "
        f"{table.row_heading.lower()}. The same figures are in the table that follows."
    )
    if hidden:
        text += " Figures not shown in the table have no bar."
    return text


def svg_chart(table: PublishedTable) -> SafeString:
    """The table as an accessible SVG chart; an empty string for a table with no rows or
    `chart="none"`. Counts with several columns are stacked bars (each column a part of the
    row); measures with several columns are grouped bars."""
    if table.chart == "none" or not table.rows:
        return mark_safe("")
    if table.chart == "line" and len(table.columns) == 1:
        return _line(table)
    return _bars(table)


def _frame(table: PublishedTable, height: int, body: list[str]) -> SafeString:
    number = next(_ids)
    title_id = f"chart-{table.key}-{number}-title"
    desc_id = f"chart-{table.key}-{number}-desc"
    # Every text in it (titles, labels, values) went through escape() above.
    return mark_safe(  # noqa: S308
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(table.title)}</title>'
        f'<desc id="{desc_id}">{escape(_describe(table))}</desc>' + "".join(body) + "</svg>"
    )


def _key(table: PublishedTable) -> list[str]:
    if len(table.columns) < 2:
        return []
    parts = []
    x = LABEL_WIDTH
    for index, column in enumerate(table.columns):
        parts.append(
            f'<rect class="app-chart__series--{index % SERIES}" x="{x}" y="6" '
            f'width="12" height="12"></rect>'
            f'<text class="app-chart__key" x="{x + 16}" y="16">{escape(column)}</text>'
        )
        x += 24 + 8 * len(column)
    return parts


def _bars(table: PublishedTable) -> SafeString:
    stacked = table.kind == "count" and len(table.columns) > 1
    if stacked:
        largest = max((sum(_value(cell) for cell in cells) for _, cells in table.rows), default=0.0)
    else:
        largest = max((_value(cell) for _, cells in table.rows for cell in cells), default=0.0)
    span = WIDTH - LABEL_WIDTH - VALUE_GAP
    scale = span / largest if largest else 0.0
    top = TOP if len(table.columns) > 1 else 8
    body = _key(table)
    for row, (label, cells) in enumerate(table.rows):
        y = top + row * ROW_HEIGHT
        body.append(
            f'<text class="app-chart__label" x="{LABEL_WIDTH - 8}" y="{y + 19}" '
            f'text-anchor="end">{escape(_short(label))}</text>'
        )
        x = float(LABEL_WIDTH)
        words = []
        for index, cell in enumerate(cells):
            width = _value(cell) * scale
            if stacked:
                bar_y, bar_h = float(y + 4), float(ROW_HEIGHT - 8)
            else:
                bar_h = (ROW_HEIGHT - 8) / len(cells)
                bar_y = y + 4 + index * bar_h
            if width > 0:
                body.append(
                    f'<rect class="app-chart__series--{index % SERIES}" x="{x:.1f}" '
                    f'y="{bar_y:.1f}" width="{width:.1f}" height="{bar_h:.1f}"></rect>'
                )
            if stacked:
                x += width
            words.append(cell.text)
        end = x if stacked else LABEL_WIDTH + max(_value(c) for c in cells) * scale
        shown = " / ".join(words) if len(words) > 1 else words[0]
        body.append(
            f'<text class="app-chart__value" x="{end + 6:.1f}" y="{y + 19}">{escape(shown)}</text>'
        )
    height = top + len(table.rows) * ROW_HEIGHT + 8
    return _frame(table, height, body)


def _line(table: PublishedTable) -> SafeString:
    height = 220
    left, right, top, bottom = 60, WIDTH - 20, 20, height - 50
    values = [_value(cells[0]) for _, cells in table.rows]
    largest = max(values, default=0.0) or 1.0
    count = len(table.rows)
    step = (right - left) / (count - 1) if count > 1 else 0.0
    body = [
        f'<line class="app-chart__axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}">'
        "</line>",
        f'<text class="app-chart__label" x="{left - 6}" y="{bottom + 4}" '
        'text-anchor="end">0</text>',
        f'<text class="app-chart__label" x="{left - 6}" y="{top + 4}" '
        f'text-anchor="end">{escape(_number(largest))}</text>',
    ]
    points = []
    for index, (label, cells) in enumerate(table.rows):
        x = left + index * step if count > 1 else (left + right) / 2
        cell = cells[0]
        body.append(
            f'<text class="app-chart__label" x="{x:.1f}" y="{bottom + 20}" '
            f'text-anchor="middle">{escape(_short(label))}</text>'
        )
        if cell.value is None:
            body.append(
                f'<text class="app-chart__value" x="{x:.1f}" y="{bottom - 8}" '
                f'text-anchor="middle">{escape(cell.text)}</text>'
            )
            continue
        y = bottom - (bottom - top) * _value(cell) / largest
        points.append(f"{x:.1f},{y:.1f}")
        body.append(
            f'<circle class="app-chart__series--0" cx="{x:.1f}" cy="{y:.1f}" r="4"></circle>'
            f'<text class="app-chart__value" x="{x:.1f}" y="{y - 10:.1f}" '
            f'text-anchor="middle">{escape(cell.text)}</text>'
        )
    if len(points) > 1:
        body.insert(1, f'<polyline class="app-chart__line" points="{" ".join(points)}"></polyline>')
    return _frame(table, height, body)
