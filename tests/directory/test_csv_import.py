"""Importing services from a spreadsheet saved as CSV: every bad value is reported with its
line and column, nothing partial is saved, and importing again updates instead of duplicating."""

from __future__ import annotations

import csv
import io
from datetime import date, time
from decimal import Decimal

import pytest

from joinedup.core.models import AuditEntry
from joinedup.directory import csv_import
from joinedup.directory.csv_import import COLUMNS, CsvFileError, import_csv, template_csv
from joinedup.directory.models import (
    Funding,
    Location,
    Provider,
    ReferralRoute,
    Schedule,
    Service,
    ServiceArea,
)
from tests.factories import (
    LocalityFactory,
    OrganisationFactory,
    ProviderFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

HEADINGS = [column.heading for column in COLUMNS]


def row(**values: str) -> dict[str, str]:
    base = {
        "Organisation name": "Easton Youth Trust",
        "Service name": "Friday night football",
        "Description": "Football and a hot meal.",
        "Minimum age": "10",
        "Maximum age": "16",
        "Needs": "Positive activities; HEALTH",
        "Locality": "easton",
        "Address": "Easton Leisure Centre, Thrissell Street",
        "Postcode": "bs5 0sw",
        "Latitude": "51.4613",
        "Longitude": "-2.5712",
        "Telephone": "0117 496 0123",
        "Email": "hello@eastonyouth.example.org",
        "Website": "www.eastonyouth.example.org",
        "Referral route": "open access",
        "How to refer": "Just turn up.",
        "Cost": "Free",
        "Languages": "English; Somali",
        "Days and times": "Mon, Wed 16:00-18:00; Fri 6pm-8pm",
        "Funding source": "Youth Endowment Fund",
        "Funding end date": "31/03/2027",
        "Capacity": "30",
        "Faith-based": "No",
        "Culturally specific for": "",
        "Maintained by": "",
    }
    base.update(values)
    return base


def sheet(*rows: dict[str, str], headings: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headings or HEADINGS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def world(db):
    TaxonomyTermFactory(name="Positive activities", code="positive-activities")
    TaxonomyTermFactory(name="Healthy lifestyle", code="health")
    return {"locality": LocalityFactory(name="Easton", slug="easton")}


def test_a_good_row_is_checked_then_imported_with_everything_it_says(world):
    content = sheet(row(Cost="£2.50 per session"))

    check = import_csv(content, actor=None, save=False)
    assert [(r.line, r.created) for r in check.accepted] == [(2, True)]
    assert check.rejected == [] and not check.saved
    assert Service.objects.count() == 0

    report = import_csv(content, actor=None, save=True)
    assert report.saved and report.created == 1
    service = Service.objects.get()
    assert service.provider.name == "Easton Youth Trust"
    assert (service.minimum_age, service.maximum_age) == (10, 16)
    assert service.url == "https://www.eastonyouth.example.org"
    assert service.referral_route == ReferralRoute.OPEN_ACCESS
    assert sorted(service.terms.values_list("name", flat=True)) == [
        "Healthy lifestyle",
        "Positive activities",
    ]
    assert service.service_areas.get().locality == world["locality"]
    assert [(lang.name, lang.code) for lang in service.languages.order_by("name")] == [
        ("English", "en"),
        ("Somali", "so"),
    ]
    assert not service.is_free
    cost = service.cost_options.get()
    assert (cost.amount, cost.amount_description) == (Decimal("2.50"), "per session")
    assert service.fundings.get().ends_on == date(2027, 3, 31)
    assert service.contacts.get().phone == "0117 496 0123"
    location = Location.objects.get()
    assert (location.postal_code, location.postcode_district) == ("BS5 0SW", "BS5")
    schedules = sorted(Schedule.objects.values_list("byday", "opens_at", "closes_at"))
    assert schedules == [("FR", time(18), time(20)), ("MO,WE", time(16), time(18))]
    assert service.capacity == 30 and not service.faith_based
    assert AuditEntry.objects.filter(target_id=str(service.pk), verb="create").count() == 1


def test_a_blank_locality_means_the_whole_city(world):
    import_csv(sheet(row(Locality="")), actor=None, save=True)
    area = ServiceArea.objects.get()
    assert area.locality is None and area.name == csv_import.CITY_WIDE


BAD_VALUES = [
    ("Minimum age", "twelve", "Line 3, minimum age: 'twelve' is not a number"),
    ("Maximum age", "40", "Line 3, maximum age: 40 is not between 0 and 25"),
    ("Maximum age", "8", "Line 3, maximum age: 8 is below the minimum age (10)"),
    ("Organisation name", "", "Line 3, organisation name: is blank"),
    ("Service name", " ", "Line 3, service name: is blank"),
    ("Needs", "Positive activities; Knitting", "Line 3, needs: 'Knitting' is not in the list"),
    ("Locality", "Atlantis", "Line 3, locality: 'Atlantis' is not a locality"),
    ("Postcode", "12345", "Line 3, postcode: '12345' is not a UK postcode"),
    ("Latitude", "north", "Line 3, latitude: 'north' is not a number"),
    ("Longitude", "", "Line 3, longitude: is blank; give both"),
    ("Telephone", "call me", "Line 3, telephone: 'call me' is not a telephone number"),
    ("Email", "nobody", "Line 3, email: 'nobody' is not an email address"),
    ("Website", "not a site", "Line 3, website:"),
    ("Referral route", "whenever", "Line 3, referral route: 'whenever' is not"),
    ("Cost", "a fiver", "Line 3, cost: 'a fiver' is not 'Free' or an amount"),
    ("Days and times", "Mondays 4-6", "Line 3, days and times: 'Mondays 4-6' is not"),
    ("Days and times", "Mon 18:00-16:00", "Line 3, days and times: 'Mon 18:00-16:00' closes"),
    ("Funding end date", "31/02/2027", "Line 3, funding end date: '31/02/2027' is not a date"),
    ("Capacity", "-3", "Line 3, capacity:"),
    ("Faith-based", "perhaps", "Line 3, faith-based: 'perhaps' is not 'Yes' or 'No'"),
    ("Maintained by", "Nobody Ltd", "Line 3, maintained by: 'Nobody Ltd' is not a partner"),
    ("Description", "<script>alert(1)</script>", "Line 3, description: remove the HTML"),
    ("Description", "x" * 6000, "Line 3, description: must be 5000 characters or fewer"),
    ("How to refer", '=HYPERLINK("http://x")', "Line 3, how to refer: ''=HYPERLINK"),
]


@pytest.mark.parametrize(
    ("column", "value", "reason"), BAD_VALUES, ids=[b[0] + "-" + b[1][:12] for b in BAD_VALUES]
)
def test_each_bad_value_is_reported_with_its_line_and_column_and_nothing_is_saved(
    world, column, value, reason
):
    content = sheet(row(**{"Service name": "Good one"}), row(**{column: value}))

    report = import_csv(content, actor=None, save=True)

    assert [r.line for r in report.accepted] == [2]
    [rejected] = report.rejected
    assert rejected.line == 3
    assert any(r.startswith(reason) for r in rejected.reasons), rejected.reasons
    assert list(Service.objects.values_list("name", flat=True)) == ["Good one"]


def test_a_row_with_several_problems_lists_them_all(world):
    report = import_csv(
        sheet(row(**{"Minimum age": "x", "Email": "y", "Cost": "z"})), actor=None, save=False
    )
    assert len(report.rejected[0].reasons) == 3


def test_line_numbers_count_lines_inside_quoted_cells_and_skip_blank_rows(world):
    content = sheet(row(Description="First line\nsecond line"), row(**{"Minimum age": "old"}))
    content = content.replace(b"\r\n", b"\r\n\r\n", 1)  # a blank line after the header
    report = import_csv(content, actor=None, save=False)
    assert [r.line for r in report.accepted] == [3]
    assert report.rejected[0].line == 5


def test_the_same_service_twice_in_one_file_is_rejected_the_second_time(world):
    report = import_csv(
        sheet(row(), row(**{"Service name": " friday NIGHT football "})), actor=None, save=False
    )
    assert report.rejected[0].line == 3
    assert "same service as line 2" in report.rejected[0].reasons[0]


def test_importing_again_updates_instead_of_duplicating(world):
    import_csv(sheet(row()), actor=None, save=True)
    first = Service.objects.get()

    check = import_csv(
        sheet(
            row(Capacity="12", Needs="health", Address="", Postcode="", Latitude="", Longitude="")
        ),
        actor=None,
        save=False,
    )
    assert check.updated == 1 and check.created == 0
    report = import_csv(
        sheet(
            row(Capacity="12", Needs="health", Address="", Postcode="", Latitude="", Longitude="")
        ),
        actor=None,
        save=True,
    )

    assert report.updated == 1
    service = Service.objects.get()
    assert service.pk == first.pk and service.capacity == 12
    assert list(service.terms.values_list("name", flat=True)) == ["Healthy lifestyle"]
    assert Provider.objects.count() == 1
    assert Location.objects.count() == 0
    assert Funding.objects.count() == 1 and Schedule.objects.count() == 2


def test_an_existing_provider_is_used_and_maintained_by_set(world):
    provider = ProviderFactory(name="Easton Youth Trust")
    existing = ServiceFactory(provider=provider, name="Friday Night Football")
    partner = OrganisationFactory(name="Easton Youth Trust (partner)", slug="eyt")
    report = import_csv(sheet(row(**{"Maintained by": "EYT"})), actor=None, save=True)
    assert report.updated == 1
    assert Service.objects.get().pk == existing.pk
    provider.refresh_from_db()
    assert provider.maintained_by == partner


def test_a_failure_part_of_the_way_through_saves_nothing(world, monkeypatch):
    real = csv_import._upsert
    calls = []

    def failing(row, lookups):
        calls.append(row.line)
        if len(calls) == 2:
            from django.db import IntegrityError

            raise IntegrityError("disk full")
        return real(row, lookups)

    monkeypatch.setattr(csv_import, "_upsert", failing)
    with pytest.raises(CsvFileError, match=r"Nothing was imported: .* line 3"):
        import_csv(sheet(row(), row(**{"Service name": "Second"})), actor=None, save=True)
    assert Service.objects.count() == 0 and Provider.objects.count() == 0
    assert not AuditEntry.objects.filter(target_type="directory.service").exists()


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b"")],
)
def test_utf8_with_or_without_bom_excel_cp1252_and_utf16_are_read(world, encoding, prefix):
    text = sheet(row(**{"Service name": "Café club", "Cost": "£3 per term"})).decode()
    report = import_csv(prefix + text.encode(encoding), actor=None, save=True)
    assert report.accepted, report.rejected
    service = Service.objects.get()
    assert service.name == "Café club"
    assert service.cost_options.get().amount == 3


def test_semicolon_separated_files_from_european_excel_are_read(world):
    text = sheet(row()).decode()
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(csv.reader(io.StringIO(text)))
    report = import_csv(buffer.getvalue().encode(), actor=None, save=False)
    assert len(report.accepted) == 1, report.rejected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"\r\n \r\n", "The file is empty"),
        (",".join(HEADINGS).encode(), "a header but no services"),
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"%PDF-1.7 \x00\x01", "not a CSV file"),
        (b"Name,Colour\r\nA,blue\r\n", "columns this import does not know: 'Colour'"),
        (b"Organisation name,Description\r\nA,b\r\n", "no 'Service name' column"),
        (b"Service name,Service name,Organisation name\r\nA,B,C\r\n", "'Service name' twice"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "xlsx",
        "pdf",
        "unknown-column",
        "missing-column",
        "twice",
    ],
)
def test_a_file_that_is_not_the_layout_gets_a_clear_error(world, content, message):
    with pytest.raises(CsvFileError, match=message):
        import_csv(content, actor=None, save=True)
    assert Service.objects.count() == 0


def test_a_file_too_big_is_refused(world, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_BYTES", 100)
    with pytest.raises(CsvFileError, match="bigger than"):
        import_csv(sheet(row()), actor=None, save=False)


def test_a_file_with_only_some_columns_is_read_with_the_rest_blank(world):
    content = b"service,ORGANISATION\r\nHomework club,St Mark's\r\n"
    report = import_csv(content, actor=None, save=True)
    assert report.created == 1
    assert Service.objects.get().referral_route == ReferralRoute.REFERRAL


def test_injection_like_cells_are_rejected_and_echoed_harmlessly(world):
    report = import_csv(
        sheet(row(**{"Service name": "=cmd|' /C calc'!A0", "Description": "@SUM(1+1)"})),
        actor=None,
        save=True,
    )
    [rejected] = report.rejected
    assert rejected.label.startswith("'=")
    assert all("'=cmd" in r or "'@SUM" in r for r in rejected.reasons)
    assert Service.objects.count() == 0


def test_a_telephone_number_with_a_plus_is_not_taken_for_a_formula(world):
    report = import_csv(sheet(row(Telephone="+44 117 496 0123")), actor=None, save=True)
    assert report.accepted and Service.objects.get().contacts.get().phone == "+44 117 496 0123"


def test_the_template_reads_back_as_one_good_row(world):
    TaxonomyTermFactory(name="Healthy lifestyle")
    report = import_csv(template_csv().encode(), actor=None, save=False)
    assert [r.line for r in report.accepted] == [2], report.rejected


@pytest.mark.parametrize(
    ("cost", "amount", "words"),
    [
        ("£2.50 per session", "2.50", "per session"),
        ("50p a week", "0.50", "a week"),
        ("5", "5", ""),
    ],
)
def test_amounts_in_pounds_or_pence(world, cost, amount, words):
    import_csv(sheet(row(Cost=cost)), actor=None, save=True)
    option = Service.objects.get().cost_options.get()
    assert (option.amount, option.amount_description) == (Decimal(amount), words)
