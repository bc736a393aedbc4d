"""The report builder's pages and the downloads, through the views: who may open what, bad input,
delete with undo, and each download audited and opening as its kind of file."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.reports import builder_views
from joinedup.reports.models_saved import SavedReport
from joinedup.reports.tables import Period
from tests.conftest import make_person
from tests.factories import PanelFactory
from tests.reports.builder_world import a_saved_report, coordinator_of
from tests.reports.test_exports import a_report


@pytest.fixture
def built(monkeypatch):
    """The real figures, with what each view asked for recorded."""
    calls = []
    real = builder_views.selectors.build_report

    def build_report(*, viewer, scope, period, keys=None):
        calls.append({"viewer": viewer, "scope": scope, "period": period, "keys": keys})
        return real(viewer=viewer, scope=scope, period=period, keys=keys)

    monkeypatch.setattr(builder_views.selectors, "build_report", build_report)
    return calls


@pytest.fixture
def hand_built(monkeypatch):
    """Stands in for the figures with the hand-built report of test_exports (a hidden cell)."""

    def build_report(*, viewer, scope, period, keys=None):
        return a_report(scope=scope, period=period)

    monkeypatch.setattr(builder_views.selectors, "build_report", build_report)


@pytest.fixture
def panel(db):
    return PanelFactory(name="North panel")


def test_the_list_shows_own_and_shared_reports_and_an_empty_state(panel, sign_in):
    owner = coordinator_of(panel, full_name="Olu Owner")
    colleague = coordinator_of(panel)
    client = sign_in(colleague)
    page = client.get(reverse("reports:saved_list")).content.decode()
    assert "You have no saved reports yet." in page
    assert "Nobody has shared a report" in page
    a_saved_report(owner, panel, name="Shared one", shared=True)
    a_saved_report(owner, panel, name="Private one")
    page = client.get(reverse("reports:saved_list")).content.decode()
    assert "Shared one" in page and "Olu Owner" in page
    assert "Private one" not in page


def test_a_coordinator_builds_a_report_and_sees_its_figures(panel, sign_in, built):
    coordinator = coordinator_of(panel)
    client = sign_in(coordinator)
    form = client.get(reverse("reports:saved_create")).content.decode()
    assert "North panel" in form and "The whole city" not in form
    response = client.post(
        reverse("reports:saved_create"),
        {
            "name": "North panel return",
            "scope_kind": "panel",
            "panel": panel.pk,
            "period_rule": "quarter",
            "year": "2025",
            "number": "3",
            "figures": ["referrals_by_sector", "referrals_by_month"],
        },
    )
    saved = SavedReport.objects.get()
    assert response["Location"] == reverse("reports:saved_detail", args=[saved.pk])
    page = client.get(response["Location"]).content.decode()
    assert built[-1]["keys"] == ["referrals_by_month", "referrals_by_sector"]
    assert built[-1]["period"] == Period.quarter(2025, 3)
    assert built[-1]["scope"].panel == panel
    assert "Referrals by sector" in page and "Referrals by month" in page
    assert "Referrals by age" not in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "Enter name of the report"),
        ({"figures": []}, "figures", "Select figures"),
        ({"figures": ["nope"]}, "figures", "Select figures from the list"),
        ({"scope_kind": "city"}, "scope_kind", "Select a valid choice"),
        ({"panel": "not-an-id"}, "panel", "Select a panel from the list"),
        ({"period_rule": "quarter", "year": "twenty"}, "year", "Year must be a number"),
        ({"period_rule": "quarter", "year": "2025", "number": "9"}, "number", "quarter"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(panel, sign_in, changes, field, message):
    client = sign_in(coordinator_of(panel))
    data = {
        "name": "A report",
        "scope_kind": "panel",
        "panel": panel.pk,
        "period_rule": "last_quarter",
        "figures": ["referrals_by_month"],
        **changes,
    }
    response = client.post(reverse("reports:saved_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not SavedReport.objects.exists()


def test_only_the_owner_changes_or_deletes_and_undo_brings_it_back(panel, sign_in, built):
    owner = coordinator_of(panel)
    colleague = coordinator_of(panel)
    saved = a_saved_report(owner, panel, shared=True)
    client = sign_in(colleague)
    assert client.get(reverse("reports:saved_edit", args=[saved.pk])).status_code == 403
    assert client.post(reverse("reports:saved_delete", args=[saved.pk])).status_code == 403
    copy = client.post(reverse("reports:saved_duplicate", args=[saved.pk]))
    assert SavedReport.objects.filter(owner=colleague, shared=False).count() == 1
    assert copy.status_code == 302
    client = sign_in(owner)
    response = client.post(reverse("reports:saved_delete", args=[saved.pk]))
    assert response["Location"] == f"{reverse('reports:saved_list')}?deleted={saved.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Undo" in page
    client.post(reverse("reports:saved_restore", args=[saved.pk]))
    saved.refresh_from_db()
    assert saved.deleted_at is None


def test_a_stranger_is_told_a_saved_report_does_not_exist(panel, sign_in, built):
    saved = a_saved_report(coordinator_of(panel), panel, shared=True)
    client = sign_in(coordinator_of(PanelFactory()))
    for name in ("saved_detail", "saved_csv", "saved_xlsx", "saved_pdf", "saved_edit"):
        assert client.get(reverse(f"reports:{name}", args=[saved.pk])).status_code == 404
    assert not built


def test_each_saved_download_opens_and_is_audited(panel, sign_in, hand_built):
    coordinator = coordinator_of(panel)
    saved = a_saved_report(coordinator, panel)
    client = sign_in(coordinator)
    as_csv = client.get(reverse("reports:saved_csv", args=[saved.pk]))
    assert as_csv["Content-Type"].startswith("text/csv")
    assert "quarterly-return-north-panel-" in as_csv["Content-Disposition"]
    assert "fewer than 10" in as_csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("reports:saved_xlsx", args=[saved.pk]))
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Contents"
    pdf = client.get(reverse("reports:saved_pdf", args=[saved.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 2
    assert pdf["Cache-Control"] == "no-store"
    entries = AuditEntry.objects.filter(verb=AuditVerb.EXPORT, target_id=str(saved.pk))
    assert sorted(e.detail["format"] for e in entries) == ["csv", "pdf", "xlsx"]
    assert all(e.actor == coordinator and e.detail["panel"] == str(panel.pk) for e in entries)


def test_downloads_for_a_scope_and_period_from_the_report_page(panel, sign_in, built):
    coordinator = coordinator_of(panel)
    client = sign_in(coordinator)
    query = f"?scope=panel:{panel.slug}&period=2025-11"
    response = client.get(reverse("reports:return_csv") + query)
    assert response.status_code == 200
    assert built[-1]["period"] == Period.month(2025, 11) and built[-1]["keys"] is None
    entry = AuditEntry.objects.get(verb=AuditVerb.EXPORT)
    assert entry.detail["period_start"] == "2025-11-01"
    # Without a scope: the coordinator's panel.
    assert client.get(reverse("reports:steering_pdf")).status_code == 200
    assert built[-1]["scope"].panel == panel


@pytest.mark.parametrize(
    "query",
    [
        "?scope=city",
        "?scope=panel:no-such-panel",
        "?scope=panel:other-panel",
        "?scope=panel",
        "?scope=locality:",
        "?scope=city:north-panel",
        "?scope=galaxy",
        "?period=2025-q5",
        "?period=2025-13",
        "?period=2025",
        "?period=3000-01",
        "?period=1999-q4",
        "?period=abcd-01",
    ],
)
def test_a_scope_or_period_the_viewer_may_not_have_answers_404(panel, sign_in, built, query):
    PanelFactory(slug="other-panel")
    client = sign_in(coordinator_of(panel))
    assert client.get(reverse("reports:return_xlsx") + query).status_code == 404
    assert not AuditEntry.objects.filter(verb=AuditVerb.EXPORT).exists()


def test_a_manager_downloads_the_city(db, sign_in, built):
    client = sign_in(make_person(Role.STRATEGIC_MANAGER))
    assert client.get(reverse("reports:return_xlsx")).status_code == 200
    assert built[-1]["scope"].kind == "city"


def test_a_small_count_in_the_real_figures_never_reaches_a_download(panel, sign_in, built):
    """Seven referrals from the police and two from a community group last month: the two
    is hidden in every file, and the seven with it (else the total would give the two away)."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.dashboards.world import referral_to
    from tests.factories import OrganisationFactory

    police = OrganisationFactory(kind="police")
    community = OrganisationFactory(kind="community")
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    days_ago = (today - last_month.replace(day=10)).days
    for _ in range(7):
        referral_to(panel, days_ago=days_ago, referring_organisation=police)
    for _ in range(2):
        referral_to(panel, days_ago=days_ago, referring_organisation=community)
    client = sign_in(coordinator_of(panel))
    query = f"?scope=panel:{panel.slug}&period={last_month:%Y-%m}"
    text = client.get(reverse("reports:return_csv") + query).content.decode("utf-8-sig")
    sector = [row for row in csv.reader(io.StringIO(text)) if row[:1] == ["referrals_by_sector"]]
    values = {row[3]: row[5] for row in sector if len(row) == 6}
    assert values["Total"] == "9"
    assert set(values.values()) - {"9"} <= {"fewer than 5", "not shown", "0"}
    assert "fewer than 5" in values.values()
    book = load_workbook(io.BytesIO(client.get(reverse("reports:return_xlsx") + query).content))
    cells = [v for row in book["referrals_by_sector"].iter_rows(values_only=True) for v in row]
    assert 2 not in cells and 7 not in cells and 9 in cells
    pdf = PdfReader(io.BytesIO(client.get(reverse("reports:steering_pdf") + query).content))
    words = " ".join(page.extract_text() for page in pdf.pages).split()
    assert "fewer" in words


def test_the_list_makes_as_many_queries_for_many_reports_as_for_one(
    panel, sign_in, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = coordinator_of(panel)
    colleague = coordinator_of(panel)
    a_saved_report(owner, panel, name="First", shared=True)
    client = sign_in(colleague)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reports:saved_list"))
    for n in range(6):
        a_saved_report(owner, panel, name=f"Shared {n}", shared=True)
        a_saved_report(colleague, panel, name=f"Own {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("reports:saved_list")).content.decode()
    assert "Shared 5" in page and "Own 5" in page


def test_the_download_links_for_the_report_page(panel, rf):
    from django.template.loader import render_to_string

    coordinator = coordinator_of(panel)
    request = rf.get("/reports/")
    # As django-otp's middleware leaves the signed-in person.
    coordinator.is_verified = lambda: True
    request.user = coordinator
    html = render_to_string(
        "reports/_export_links.html",
        {"scope_value": f"panel:{panel.slug}", "period_value": "2025-q3"},
        request=request,
    )
    assert f"/reports/quarterly-return.csv?scope=panel%3A{panel.slug}&amp;period=2025-q3" in html
    keyworker = make_person(Role.KEYWORKER)
    keyworker.is_verified = lambda: True
    request.user = keyworker
    assert "Download" not in render_to_string("reports/_export_links.html", {}, request=request)
