"""The quarterly return (CSV, XLSX) and the steering group report (PDF), from hand-built
published tables: the files hold exactly the published cells, never a hidden value."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from joinedup.reports import exports
from joinedup.reports.tables import Cell, Completeness, Period, PublishedTable, Report, Scope


def n(value: int) -> Cell:
    return Cell(value=value, text=f"{value:,}")


# A careless disclosure step could leave the counted value on a hidden cell: the exports must
# still write only the text. 7 appears nowhere else in these reports.
SUPPRESSED = Cell(value=7, text="fewer than 10", suppressed=True)
HELD_BACK = Cell(value=None, text="not shown", held_back=True)


@dataclass
class Story:
    """As reports.story_selectors.PublishedStory gives it: anonymised words only."""

    title: str
    text: str
    own_words: str = ""


@dataclass
class StoryRecord:
    """A story model: raw and anonymised words side by side."""

    title: str
    text: str
    anonymised_title: str
    anonymised_text: str
    anonymised_own_words: str = ""


def by_sector() -> PublishedTable:
    return PublishedTable(
        key="referrals_by_sector",
        title="Referrals by sector",
        explanation="Referrals received, by the sector of the organisation that made them.",
        row_heading="Sector",
        columns=("Referrals",),
        rows=(
            ("Education", (n(40),)),
            ("Health", (SUPPRESSED,)),
            ('=HYPERLINK("http://evil")', (HELD_BACK,)),
        ),
        row_totals=(),
        column_totals=(n(62),),
        grand_total=None,
        completeness=Completeness(known=90, total=100),
        threshold=10,
    )


def by_month() -> PublishedTable:
    return PublishedTable(
        key="referrals_by_month",
        title="Referrals by month",
        explanation="Referrals received each month.",
        row_heading="Panel",
        columns=("July", "August"),
        rows=(("North panel", (n(12), n(15))), ("South panel", (n(20), n(11)))),
        row_totals=(n(27), n(31)),
        column_totals=(n(32), n(26)),
        grand_total=n(58),
        chart="line",
        completeness=Completeness(known=58, total=58),
        threshold=10,
    )


def a_report(**changes) -> Report:
    fields = {
        "scope": Scope("city"),
        "period": Period.quarter(2026, 3),
        "tables": (by_month(), by_sector()),
        "generated_at": datetime(2026, 10, 1, 9, 30, tzinfo=UTC),
        "stories": {
            "referrals_by_sector": [
                Story(
                    "Back in school",
                    "A young person went back to school after a month.",
                    "I like maths now.",
                )
            ]
        },
    }
    fields.update(changes)
    return Report(**fields)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_says_scope_period_when_made_threshold_and_completeness():
    rows = read_csv(exports.quarterly_return_csv(a_report()))
    assert rows[0] == ["Quarterly return"]
    assert rows[1] == ["Scope", "The whole city"]
    assert rows[2] == ["Period", "July to September 2026", "2026-07-01", "2026-09-30"]
    assert rows[3][0] == "Made" and rows[3][1].startswith("01 October 2026")
    assert rows[4][:2] == ["Threshold", "10"]
    assert ["referrals_by_month", "Referrals by month", "100", "58", "58"] in rows
    assert ["referrals_by_sector", "Referrals by sector", "90", "90", "100"] in rows


def test_the_csv_has_every_published_cell_with_totals():
    rows = read_csv(exports.quarterly_return_csv(a_report()))
    start = rows.index(exports.CSV_COLUMNS) + 1
    data = {(r[0], r[3], r[4]): r[5] for r in rows[start:]}
    assert data[("referrals_by_month", "North panel", "July")] == "12"
    assert data[("referrals_by_month", "South panel", "Total")] == "31"
    assert data[("referrals_by_month", "Total", "August")] == "26"
    assert data[("referrals_by_month", "Total", "Total")] == "58"
    assert data[("referrals_by_sector", "Education", "Referrals")] == "40"
    assert len(rows[start:]) == 4 + 2 + 2 + 1 + 3 + 1


def test_the_csv_writes_hidden_cells_as_their_text_and_never_runs_a_label():
    rows = read_csv(exports.quarterly_return_csv(a_report()))
    start = rows.index(exports.CSV_COLUMNS) + 1
    data = {(r[0], r[3]): r[5] for r in rows[start:] if r[0] == "referrals_by_sector"}
    assert data[("referrals_by_sector", "Health")] == "fewer than 10"
    assert data[("referrals_by_sector", '\'=HYPERLINK("http://evil")')] == "not shown"
    assert not any(cell == "7" or cell.startswith("=") for row in rows for cell in row)


def load_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_the_xlsx_has_a_contents_sheet_and_one_sheet_per_figure():
    book = load_xlsx(exports.quarterly_return_xlsx(a_report()))
    assert book.sheetnames == ["Contents", "referrals_by_month", "referrals_by_sector"]
    contents = [list(r) for r in book["Contents"].iter_rows(values_only=True)]
    assert contents[0][0] == "Quarterly return"
    assert contents[1][:2] == ["Scope", "The whole city"]
    assert contents[2][:2] == ["Period", "July to September 2026"]
    assert contents[4][:2] == ["Threshold", 10]
    assert ["Referrals by month", "referrals_by_month", 100, 58, 58] in contents
    assert ["Referrals by sector", "referrals_by_sector", 90, 90, 100] in contents


def test_the_xlsx_keeps_numbers_as_numbers_and_hidden_cells_as_text():
    book = load_xlsx(exports.quarterly_return_xlsx(a_report()))
    month = [list(r) for r in book["referrals_by_month"].iter_rows(values_only=True)]
    assert month[0] == ["Referrals by month", None, None, None]
    assert ["Panel", "July", "August", "Total"] in month
    assert ["North panel", 12, 15, 27] in month
    assert ["Total", 32, 26, 58] in month
    sector = [list(r) for r in book["referrals_by_sector"].iter_rows(values_only=True)]
    assert ["Health", "fewer than 10"] in sector
    assert ['\'=HYPERLINK("http://evil")', "not shown"] in sector
    assert ["Total", 62] in sector
    every = [v for sheet in book for row in sheet.iter_rows(values_only=True) for v in row]
    assert 7 not in every
    assert not any(isinstance(v, str) and v.startswith("=") for v in every)


def test_sheet_names_are_cut_to_31_characters_and_kept_unique():
    long = by_month()
    tables = (
        PublishedTable(**{**long.__dict__, "key": "a" * 40}),
        PublishedTable(**{**long.__dict__, "key": "a" * 40}),
    )
    assert exports.sheet_names(a_report(tables=tables)) == ["a" * 31, "a" * 29 + "_2"]


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_the_pdf_has_a_title_page_each_figure_and_its_stories_with_page_numbers():
    charted = []

    def chart(table):
        charted.append(table.key)
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
            f'<rect width="50" height="80" fill="#1d70b8"/><title>{table.title}</title></svg>'
        )

    pages, text = pdf_text(exports.steering_report_pdf(a_report(), chart=chart))
    assert pages == 3
    assert charted == ["referrals_by_month", "referrals_by_sector"]
    assert "The whole city" in text and "July to September 2026" in text
    assert "Referrals by month" in text and "Referrals by sector" in text
    assert "Back in school" in text
    assert "A young person went back to school after a month." in text
    assert "fewer than 10" in text and "not shown" in text
    assert "Page 1 of 3" in text and "Page 3 of 3" in text
    assert "90% complete (90 of 100 records)" in text


def test_the_pdf_puts_a_story_beside_the_figure_it_illustrates():
    reader = PdfReader(io.BytesIO(exports.steering_report_pdf(a_report(), chart=lambda t: "")))
    month, sector = (reader.pages[i].extract_text() for i in (1, 2))
    assert "Back in school" in sector and "Back in school" not in month


def test_the_pdf_never_shows_a_hidden_value():
    html = exports.steering_report_html(a_report(), chart=lambda t: "")
    assert ">7<" not in html
    _, text = pdf_text(exports.steering_report_pdf(a_report(), chart=lambda t: ""))
    assert "7" not in text.split()


def test_a_report_with_no_figures_still_makes_each_file():
    empty = a_report(tables=(), stories={})
    assert read_csv(exports.quarterly_return_csv(empty))[1] == ["Scope", "The whole city"]
    assert load_xlsx(exports.quarterly_return_xlsx(empty)).sheetnames == ["Contents"]
    pages, text = pdf_text(exports.steering_report_pdf(empty))
    assert pages == 1 and "This report has no figures." in text


@pytest.mark.parametrize("value, written", [(3.0, 3), (2.5, 2.5), (1 / 3, 0.33)])
def test_numbers_are_written_as_numbers(value, written):
    assert exports.cell_value(Cell(value=value, text="x")) == written


def test_the_pdf_shows_a_story_model_only_in_its_anonymised_words():
    story = StoryRecord(
        title="Jamal's story",
        text="Jamal from Easton went back to school.",
        anonymised_title="A return to school",
        anonymised_text="A young person from the area went back to school.",
    )
    report = a_report(stories={"referrals_by_month": [story]})
    _, text = pdf_text(exports.steering_report_pdf(report, chart=lambda t: ""))
    assert "A return to school" in text and "from the area went back" in text
    assert "Jamal" not in text and "Easton" not in text


def test_the_pdf_shows_the_child_or_familys_own_words():
    _, text = pdf_text(exports.steering_report_pdf(a_report(), chart=lambda t: ""))
    assert "I like maths now." in text
