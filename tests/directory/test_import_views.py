"""The import pages through the client: upload, check report, import, done; and the command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.directory.models import Service
from joinedup.directory.views_import import DONE_KEY, PENDING_KEY
from tests.conftest import make_person
from tests.directory.test_csv_import import row, sheet
from tests.factories import LocalityFactory, TaxonomyTermFactory


@pytest.fixture
def world(db):
    TaxonomyTermFactory(name="Positive activities", code="positive-activities")
    TaxonomyTermFactory(name="Healthy lifestyle", code="health")
    LocalityFactory(name="Easton", slug="easton")


@pytest.fixture
def coordinator(world, sign_in):
    return sign_in(make_person(Role.PANEL_COORDINATOR))


def upload(client, content: bytes, name: str = "services.csv"):
    return client.post(
        reverse("directory:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def test_upload_check_import_and_done(coordinator):
    content = sheet(row(), row(**{"Service name": "Homework club", "Minimum age": "twelve"}))

    response = upload(coordinator, content)
    assert response.status_code == 302 and response["Location"] == reverse("directory:import_check")
    assert Service.objects.count() == 0

    page = coordinator.get(reverse("directory:import_check"))
    text = page.content.decode()
    assert "Line 3, minimum age: &#x27;twelve&#x27; is not a number" in text
    assert "Friday night football (Easton Youth Trust)" in text
    assert "Import 1 service" in text
    assert Service.objects.count() == 0

    response = coordinator.post(reverse("directory:import_check"))
    assert response["Location"] == reverse("directory:import_done")
    assert list(Service.objects.values_list("name", flat=True)) == ["Friday night football"]
    assert PENDING_KEY not in coordinator.session

    done = coordinator.get(reverse("directory:import_done")).content.decode()
    assert "Services imported" in done and "Rows not imported" in done

    # The file cannot be imported twice by going back.
    assert coordinator.post(reverse("directory:import_check"))["Location"] == reverse(
        "directory:import_upload"
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "services.csv", "The selected file is empty"),
        (b"Organisation name,Service name\r\n", "services.csv", "a header but no services"),
        (b"Name,Colour\r\nA,blue\r\n", "services.csv", "does not know: &#x27;Colour&#x27;"),
        (
            b"\x89PNG\r\n\x1a\n",
            "photo.png",
            "The selected file must be a CSV or Open Referral UK feed (JSON) file",
        ),
        (b"PK\x03\x04zip", "services.csv", "Excel workbook"),
    ],
    ids=["empty", "header-only", "wrong-columns", "not-csv", "xlsx-renamed"],
)
def test_a_file_that_cannot_be_read_is_refused_beside_the_file_input(
    coordinator, content, name, message
):
    response = upload(coordinator, content, name)
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert 'href="#id_file"' in text
    assert PENDING_KEY not in coordinator.session


def test_a_file_too_big_is_refused(coordinator, monkeypatch):
    monkeypatch.setattr("joinedup.directory.csv_import.MAX_BYTES", 50)
    response = upload(coordinator, sheet(row()))
    assert "must be smaller than" in response.content.decode()


def test_the_check_and_done_pages_send_you_to_upload_when_there_is_nothing(coordinator):
    assert coordinator.get(reverse("directory:import_check"))["Location"] == reverse(
        "directory:import_upload"
    )
    assert coordinator.get(reverse("directory:import_done"))["Location"] == reverse(
        "directory:import_upload"
    )


def test_a_file_with_no_good_row_offers_no_import_button(coordinator):
    upload(coordinator, sheet(row(**{"Maximum age": "99"})))
    text = coordinator.get(reverse("directory:import_check")).content.decode()
    assert "No row can be imported" in text and "Import 0" not in text


def test_the_upload_page_lists_the_columns_needs_and_localities(coordinator):
    text = coordinator.get(reverse("directory:import_upload")).content.decode()
    for words in ("Minimum age", "Positive activities", "positive-activities", "easton"):
        assert words in text
    assert reverse("directory:import_template") in text


def test_the_template_downloads_as_csv_that_excel_opens_as_utf8(coordinator):
    response = coordinator.get(reverse("directory:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbfOrganisation name,Service name")


def test_injection_like_cells_are_shown_quoted_and_escaped(coordinator):
    upload(coordinator, sheet(row(**{"Service name": '=HYPERLINK("x")<b>'})))
    text = coordinator.get(reverse("directory:import_check")).content.decode()
    assert "<b>" not in text
    assert "&#x27;=HYPERLINK" in text


def test_the_check_page_query_count_does_not_grow_with_rows(
    coordinator, django_assert_max_num_queries
):
    upload(coordinator, sheet(*(row(**{"Service name": f"Club {n}"}) for n in range(40))))
    with django_assert_max_num_queries(20):
        response = coordinator.get(reverse("directory:import_check"))
    assert response.content.decode().count("Club ") >= 40


def test_a_keyworker_cannot_import(world, sign_in):
    client = sign_in(make_person(Role.KEYWORKER))
    assert client.get(reverse("directory:import_upload")).status_code == 403
    assert upload(client, sheet(row())).status_code == 403
    assert Service.objects.count() == 0


def test_done_counts_are_kept_in_the_session_only_after_an_import(coordinator):
    upload(coordinator, sheet(row()))
    assert DONE_KEY not in coordinator.session
    coordinator.post(reverse("directory:import_check"))
    assert coordinator.session[DONE_KEY]["created"] == 1


def test_the_command_checks_then_imports_and_prints_the_report(world, tmp_path):
    path = tmp_path / "services.csv"
    path.write_bytes(sheet(row(), row(**{"Service name": "B", "Capacity": "lots"})))
    out = StringIO()
    call_command("directory_import_csv", str(path), "--check", stdout=out)
    assert "1 can be imported (1 new, 0 updates), 1 rejected" in out.getvalue()
    assert "Line 3, capacity: 'lots' is not a whole number" in out.getvalue()
    assert "Nothing was saved" in out.getvalue()
    assert Service.objects.count() == 0

    out = StringIO()
    call_command("directory_import_csv", str(path), stdout=out)
    assert "1 imported (1 new, 0 updates)" in out.getvalue()
    assert Service.objects.count() == 1


def test_the_command_refuses_a_file_that_is_not_the_layout(world, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        call_command("directory_import_csv", str(path))
    with pytest.raises(CommandError, match="no such file"):
        call_command("directory_import_csv", str(tmp_path / "missing.csv"))


def test_the_report_template_shows_a_feed_report_without_line_numbers(world):
    from django.template.loader import render_to_string

    from joinedup.directory.imports import ImportReport

    report = ImportReport(source="feed")
    report.accept(line=None, label="Service abc", created=True)
    report.reject(line=None, label="Service xyz", reasons=["minimum_age: not a number"])
    html = render_to_string("directory/includes/import_report.html", {"report": report})
    assert "Service xyz" in html and "minimum_age: not a number" in html
    assert "No line number" in html


def test_an_oruk_feed_uploads_checks_and_imports_through_the_same_pages(coordinator):
    import json

    from joinedup.directory.oruk_import import export_feed
    from tests.factories import ServiceFactory

    ServiceFactory(name="Easton adventure playground")
    feed = json.dumps(export_feed()).encode()
    Service.objects.all().delete()

    response = upload(coordinator, feed, name="directory.json")
    assert response["Location"] == reverse("directory:import_check")
    text = coordinator.get(reverse("directory:import_check")).content.decode()
    assert "Import 4 records" in text  # two needs, the organisation and the service
    assert Service.objects.count() == 0

    coordinator.post(reverse("directory:import_check"))
    assert list(Service.objects.values_list("name", flat=True)) == ["Easton adventure playground"]


def test_a_json_file_that_is_not_a_feed_is_reported_not_saved(coordinator):
    upload(coordinator, b"{not json", name="directory.json")

    text = coordinator.get(reverse("directory:import_check")).content.decode()
    assert "The file is not JSON" in text
    assert Service.objects.count() == 0
