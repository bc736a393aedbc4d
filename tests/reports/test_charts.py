"""Charts are accessible SVG drawn from what is published, with no inline style or script."""

import re

from joinedup.reports.charts import svg_chart
from joinedup.reports.disclosure import protect
from joinedup.reports.tables import Table


def table(rows, columns=("Referrals",), **fields):
    return Table(
        key="referrals_by_sector",
        title="Referrals by <sector>",
        explanation="",
        row_heading="Sector",
        columns=columns,
        rows=tuple((label, values) for label, values in rows),
        **fields,
    )


def test_a_bar_chart_is_an_image_with_a_title_and_a_description():
    svg = svg_chart(protect(table([("Statutory", (40,)), ("Voluntary & faith", (12,))])))
    assert svg.startswith('<svg class="app-chart"')
    assert 'role="img"' in svg
    title, desc = re.search(r'aria-labelledby="([^ ]+) ([^"]+)"', svg).groups()
    assert f'<title id="{title}">Referrals by &lt;sector&gt;</title>' in svg
    assert f'<desc id="{desc}">' in svg
    assert "Voluntary &amp; faith" in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count("<rect") == 2


def test_hidden_cells_draw_no_bar_and_say_so():
    svg = svg_chart(protect(table([("A", (3,)), ("B", (40,)), ("C", (9,))])))
    # Only the 40 has a bar: the 3 is small and the 9 held back.
    assert svg.count("<rect") == 1
    assert "fewer than 5" in svg and "not shown" in svg
    assert ">3<" not in svg and ">9<" not in svg


def test_a_line_chart_for_months_and_stacked_bars_for_two_way_tables():
    line = svg_chart(
        protect(table([("January 2026", (12,)), ("February 2026", (20,))], chart="line"))
    )
    assert "<polyline" in line
    stacked = svg_chart(
        protect(table([("Police", (10, 20)), ("School", (30, 5))], columns=("Done", "Not done")))
    )
    assert stacked.count("<rect") == 2 + 4  # the key's two squares, four bars
    assert svg_chart(protect(table([]))) == ""
