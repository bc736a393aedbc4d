"""The report as files (docs/report-exports.md): the quarterly return as CSV and XLSX, and the
steering-group report as a PDF with charts and stories.

Pure functions of a `Report`, whose tables have already been through disclosure control: a cell
that is not shown is written as its text ("fewer than 5", "not shown"), never as a number, even
if a value were left on it. Every text cell goes through `safe_cell`, so a label a partner typed
(an organisation's name, a story's title) cannot run as a spreadsheet formula."""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from joinedup.core.spreadsheets import safe_cell
from joinedup.reports.charts import svg_chart
from joinedup.reports.tables import Cell, PublishedTable, Report

PRINT_STYLESHEET = "reports/steering-print.css"
TOTAL = "Total"
# Characters a spreadsheet file may not hold (openpyxl refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def shown(cell: Cell | None) -> bool:
    """Whether a published cell's number may be written."""
    return cell is not None and cell.value is not None and not (cell.suppressed or cell.held_back)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def cell_value(cell: Cell | None) -> int | float | str:
    """A number where the cell may be shown, its text otherwise."""
    if cell is None:
        return ""
    if shown(cell):
        assert cell.value is not None
        return _number(cell.value)
    return safe_text(cell.text)


def safe_text(value: Any) -> str:
    return safe_cell(_CONTROL.sub("", "" if value is None else str(value)))


def made_at(report: Report) -> str:
    when = report.generated_at
    if hasattr(when, "tzinfo") and when.tzinfo is not None:
        when = timezone.localtime(when)
    return f"{when:%d %B %Y %H:%M}" if hasattr(when, "strftime") else str(when)


def threshold_of(report: Report) -> int:
    return report.tables[0].threshold if report.tables else 5


def threshold_note(report: Report) -> str:
    return (
        f"Counts under {threshold_of(report)} are not shown, and other cells are held back where "
        "they would let a hidden count be worked out."
    )


def completeness_text(table: PublishedTable) -> str:
    done = table.completeness
    if done is None or done.percent is None:
        return "No records to measure"
    return f"{done.percent}% complete ({done.known:,} of {done.total:,} records)"


def cells(table: PublishedTable) -> Iterator[tuple[str, str, Cell]]:
    """Every published cell as (row, column, cell), totals included, in reading order."""
    for index, (label, row) in enumerate(table.rows):
        for column, cell in zip(table.columns, row, strict=False):
            yield label, column, cell
        if index < len(table.row_totals):
            yield label, TOTAL, table.row_totals[index]
    for column, cell in zip(table.columns, table.column_totals, strict=False):
        yield TOTAL, column, cell
    if table.grand_total is not None:
        yield TOTAL, TOTAL, table.grand_total


def _header_rows(report: Report, title: str) -> list[list[Any]]:
    return [
        [title],
        ["Scope", safe_text(report.scope.label)],
        [
            "Period",
            safe_text(report.period.label),
            report.period.start.isoformat(),
            report.period.end.isoformat(),
        ],
        ["Made", made_at(report)],
        ["Threshold", threshold_of(report), threshold_note(report)],
    ]


# The quarterly return as CSV.

CSV_COLUMNS = ["Figure key", "Figure", "Row heading", "Row", "Column", "Value"]


def quarterly_return_csv(report: Report) -> bytes:
    """One file: who and when it covers, each figure's completeness, then every published cell
    on its own line (figure, row, column, value), so it loads into any tool as one table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_header_rows(report, "Quarterly return"))
    writer.writerow([])
    writer.writerow(["Figure key", "Figure", "Data complete (%)", "Records known", "Records"])
    for table in report.tables:
        done = table.completeness
        writer.writerow(
            [
                table.key,
                safe_text(table.title),
                "" if done is None or done.percent is None else done.percent,
                "" if done is None else done.known,
                "" if done is None else done.total,
            ]
        )
    writer.writerow([])
    writer.writerow(CSV_COLUMNS)
    for table in report.tables:
        for row, column, cell in cells(table):
            writer.writerow(
                [
                    table.key,
                    safe_text(table.title),
                    safe_text(table.row_heading),
                    safe_text(row),
                    safe_text(column),
                    cell_value(cell),
                ]
            )
    # A byte-order mark, so that Excel reads the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# The quarterly return as XLSX.


def sheet_names(report: Report) -> list[str]:
    """One sheet name per figure: its key, cut to Excel's 31 characters and kept unique."""
    names: list[str] = []
    for table in report.tables:
        base = re.sub(r"[\[\]:*?/\\]", "_", table.key)[:31] or "figure"
        name, n = base, 1
        while name.lower() in {taken.lower() for taken in names} or name.lower() == "contents":
            n += 1
            name = f"{base[: 31 - len(str(n)) - 1]}_{n}"
        names.append(name)
    return names


def quarterly_return_xlsx(report: Report) -> bytes:
    """A workbook: a contents sheet (scope, period, when made, threshold, each figure with its
    completeness and a link to its sheet), then one sheet per figure with numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    contents = book.active
    assert contents is not None
    contents.title = "Contents"
    for line in _header_rows(report, "Quarterly return"):
        contents.append(line)
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([])
    contents.append(["Figure", "Sheet", "Data complete (%)", "Records known", "Records"])
    for cell in contents[contents.max_row]:
        cell.font = bold
    names = sheet_names(report)
    for table, name in zip(report.tables, names, strict=True):
        done = table.completeness
        contents.append(
            [
                safe_text(table.title),
                name,
                None if done is None or done.percent is None else done.percent,
                None if done is None else done.known,
                None if done is None else done.total,
            ]
        )
        link = contents.cell(row=contents.max_row, column=2)
        link.hyperlink = f"#'{name}'!A1"
        link.style = "Hyperlink"
        sheet = book.create_sheet(name)
        sheet.append([safe_text(table.title)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([safe_text(table.explanation)])
        sheet.append(["Data complete", completeness_text(table)])
        sheet.append(["Threshold", table.threshold])
        sheet.append([])
        with_totals = bool(table.row_totals)
        heading = [safe_text(table.row_heading), *(safe_text(c) for c in table.columns)]
        sheet.append([*heading, TOTAL] if with_totals else heading)
        for header in sheet[sheet.max_row]:
            header.font = bold
        for index, (label, row) in enumerate(table.rows):
            values = [safe_text(label), *(cell_value(published) for published in row)]
            if with_totals and index < len(table.row_totals):
                values.append(cell_value(table.row_totals[index]))
            sheet.append(values)
        if table.column_totals:
            totals = [TOTAL, *(cell_value(total) for total in table.column_totals)]
            if with_totals:
                totals.append(cell_value(table.grand_total))
            sheet.append(totals)
            for header in sheet[sheet.max_row]:
                header.font = bold
        sheet.column_dimensions["A"].width = 40
    contents.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The steering-group report as PDF.

ChartMaker = Callable[[PublishedTable], str]


# The page's chart colours (assets/scss/app.scss) travel inside each SVG, since a chart in
# the PDF is an image that the print stylesheet cannot reach.
CHART_STYLE = (
    "<style>"
    ".app-chart__label,.app-chart__value,.app-chart__key{font-size:13px;fill:#0b0c0c;"
    "font-family:'DejaVu Sans',Arial,sans-serif}"
    ".app-chart__axis{stroke:#505a5f;stroke-width:1}"
    ".app-chart__line{fill:none;stroke:#1d70b8;stroke-width:3}"
    ".app-chart__series--0{fill:#1d70b8}.app-chart__series--1{fill:#f47738}"
    ".app-chart__series--2{fill:#505a5f}.app-chart__series--3{fill:#00703c}"
    ".app-chart__series--4{fill:#912b88}.app-chart__series--5{fill:#003078}"
    "</style>"
)


def _styled(svg: str) -> str:
    start = svg.find("<svg")
    end = svg.find(">", start)
    if start < 0 or end < 0:
        return svg
    return svg[: end + 1] + CHART_STYLE + svg[end + 1 :]


def _data_uri(svg: str) -> str:
    data = base64.b64encode(_styled(svg).encode("utf-8")).decode("ascii")
    return "data:image/svg+xml;base64," + data


def _story(story: Any) -> dict[str, str]:
    """A published story's words. The stories' selector (reports.story_selectors.PublishedStory)
    carries only anonymised words, as `title`, `text` and `own_words`; a story model's own
    `anonymised_*` fields are read if that is what was given, never its raw text."""
    if hasattr(story, "anonymised_text"):
        return {
            "title": getattr(story, "anonymised_title", "") or "",
            "text": story.anonymised_text or "",
            "own_words": getattr(story, "anonymised_own_words", "") or "",
        }
    return {
        "title": getattr(story, "title", "") or "",
        "text": getattr(story, "text", "") or "",
        "own_words": getattr(story, "own_words", "") or "",
    }


def steering_report_html(report: Report, *, chart: ChartMaker | None = None) -> str:
    make_chart = chart or svg_chart
    figures = []
    for table in report.tables:
        svg = make_chart(table) if table.chart != "none" else ""
        figures.append(
            {
                "table": table,
                "chart": _data_uri(svg) if svg else "",
                "rows": [
                    (label, [c.text for c in row], table.row_totals[i].text)
                    if i < len(table.row_totals)
                    else (label, [c.text for c in row], None)
                    for i, (label, row) in enumerate(table.rows)
                ],
                "completeness": completeness_text(table),
                "stories": [_story(story) for story in report.stories.get(table.key, [])],
            }
        )
    return render_to_string(
        "reports/steering_report_print.html",
        {
            "report": report,
            "figures": figures,
            "made_at": made_at(report),
            "threshold_note": threshold_note(report),
        },
    )


def steering_report_pdf(report: Report, *, chart: ChartMaker | None = None) -> bytes:
    """A title page, then each figure on its own page: chart, table, explanation, how complete
    its data is, and the published stories that illustrate it; page numbers in the footer.
    Rendered like the panel pack (joinedup/panels/pack_views.py): HTML and a print stylesheet."""
    from weasyprint import CSS, HTML

    stylesheet = finders.find(PRINT_STYLESHEET)
    html = steering_report_html(report, chart=chart)
    return bytes(
        HTML(string=html).write_pdf(
            stylesheets=[CSS(filename=stylesheet)] if isinstance(stylesheet, str) else []
        )
    )
