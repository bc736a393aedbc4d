"""Subject access: an information governance officer records a request (due one calendar
month later) and produces everything held about the child as a PDF and a JSON file, with the
audit trail of who saw the child's data; other people's names are flagged and can be redacted;
each export is itself audited."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from joinedup.children import selectors as children_selectors
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.records import sar
from joinedup.records.models import SubjectAccessRequest
from joinedup.records.services import RecordsError, SarDetails, sar_create
from tests.conftest import make_person
from tests.factories import InvolvementFactory
from tests.records.cases import build_case


@pytest.fixture
def child(db):
    return build_case(
        given_name="Zebedee",
        family_name="Quixwort",
        born=date(2014, 2, 14),
        happened_on=date(2025, 5, 4),
    )


@pytest.fixture
def officer_client(sign_in, ig_officer):
    return sign_in(ig_officer)


@pytest.fixture
def request_for(child, ig_officer):
    return sar_create(
        actor=ig_officer,
        details=SarDetails(
            reference=child.reference,
            requester_name="Philippa Marsh",
            requester="parent",
            received_on=date(2026, 1, 31),
        ),
    )


def test_an_officer_records_a_request_due_one_calendar_month_later(officer_client, child):
    response = officer_client.post(
        reverse("records:sar_create"),
        {
            "reference": child.reference.lower(),
            "requester_name": "Philippa Marsh",
            "requester": "parent",
            "received_on_day": "31",
            "received_on_month": "1",
            "received_on_year": "2026",
            "notes": "Identity checked with a passport.",
        },
    )

    created = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("records:sar_detail", kwargs={"sar_id": created.pk})
    assert created.child == child
    assert created.due_on == date(2026, 2, 28)
    assert AuditEntry.objects.filter(verb=AuditVerb.CREATE, target_id=str(created.pk)).exists()


@pytest.mark.parametrize(
    ("reference", "received_on", "field"),
    [
        ("", date(2026, 1, 1), "reference"),
        ("JU-0000-0000", date(2026, 1, 1), "reference"),
        (None, date(2999, 1, 1), "received_on"),
    ],
)
def test_a_request_needs_a_known_child_and_a_date_not_in_the_future(
    child, ig_officer, reference, received_on, field
):
    with pytest.raises(RecordsError) as refusal:
        sar_create(
            actor=ig_officer,
            details=SarDetails(
                reference=child.reference if reference is None else reference,
                requester_name="Someone",
                requester="child",
                received_on=received_on,
            ),
        )
    assert refusal.value.field == field
    assert not SubjectAccessRequest.objects.exists()


def test_the_json_holds_every_section_and_the_audit_trail_of_who_saw_the_child(
    officer_client, child, request_for
):
    keyworker = make_person(Role.KEYWORKER, full_name="Kath Reader")
    InvolvementFactory(child=child, worker=keyworker)
    children_selectors.child_identified(viewer=keyworker, reference=child.reference)

    response = officer_client.get(reverse("records:sar_json", kwargs={"sar_id": request_for.pk}))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["format"] == "joinedup-sar/1"
    for key, _label in sar.SECTIONS:
        assert key in data, key
    for key in (
        "child",
        "household",
        "referrals",
        "consent",
        "assessments",
        "over_to_you",
        "panel",
        "minutes_extracts",
        "plans",
        "actions",
        "safeguarding_concerns",
    ):
        assert data[key], key
    assert data["child"]["given_name"] == "Zebedee"
    assert data["child"]["date_of_birth"] == "2014-02-14"
    assert data["household"][0]["full_name"] == "Philippa Marsh"
    assert data["minutes_extracts"][0]["paragraphs"][0].startswith(child.pseudonym)
    reads = [e for e in data["audit_trail"] if e["who"] == keyworker.email]
    assert reads and reads[0]["did"] == "Read" and reads[0]["record_type"] == "children.child"
    assert {
        "name": "Philippa Marsh",
        "appears_in": "Over to You (helped fill it in), household (mother)",
    } in data["third_parties"]
    # The export itself is audited.
    export = AuditEntry.objects.get(verb=AuditVerb.EXPORT)
    assert export.target_id == str(child.pk)
    assert export.detail == {"request": str(request_for.pk), "format": "json"}


def test_the_pdf_has_pages_with_the_record_and_flags_other_peoples_names(
    officer_client, child, request_for
):
    response = officer_client.get(reverse("records:sar_pdf", kwargs={"sar_id": request_for.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= len(sar.SECTIONS)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for words in (
        "Zebedee",
        "Who saw or changed the child's data",
        "Integrated support plans",
        "review before release",
    ):
        assert words in text, words
    assert "[other person: review]" in text
    assert AuditEntry.objects.filter(verb=AuditVerb.EXPORT, detail__format="pdf").exists()


def test_names_marked_for_redaction_are_left_out_of_the_copy(officer_client, child, request_for):
    page = officer_client.post(
        reverse("records:sar_detail", kwargs={"sar_id": request_for.pk}),
        {"names": ["Philippa Marsh", "Wendy Witness"], "reason": "Not known to the child"},
    )
    assert page.status_code == 302

    data = json.loads(
        officer_client.get(reverse("records:sar_json", kwargs={"sar_id": request_for.pk})).content
    )

    text = json.dumps(data)
    assert "Philippa Marsh" not in text and "Wendy Witness" not in text
    assert sar.REDACTED in text
    assert data["request"]["redacted_names_count"] == 2


def test_a_name_not_in_the_record_cannot_be_marked(officer_client, request_for):
    page = officer_client.post(
        reverse("records:sar_detail", kwargs={"sar_id": request_for.pk}),
        {"names": ["Somebody Else"], "reason": "A guess"},
    )

    assert page.status_code == 200
    assert "Choose names from the list of other people" in page.content.decode()
    request_for.refresh_from_db()
    assert request_for.redacted_names == []


def test_the_request_list_reads_a_fixed_number_of_queries(
    officer_client, child, ig_officer, django_assert_max_num_queries
):
    for number in range(5):
        sar_create(
            actor=ig_officer,
            details=SarDetails(
                reference=child.reference,
                requester_name=f"Person {number}",
                requester="child",
                received_on=date(2026, 1, 1),
            ),
        )
    with django_assert_max_num_queries(12):
        response = officer_client.get(reverse("records:sar_list"))
    assert response.status_code == 200
    assert child.pseudonym in response.content.decode()
    assert "Zebedee" not in response.content.decode()


def test_an_officer_sees_the_run_report_and_the_periods(officer_client, db):
    from joinedup.records.services import retention_apply

    run = retention_apply(today=date(2026, 6, 1))

    assert officer_client.get(reverse("records:runs")).status_code == 200
    detail = officer_client.get(reverse("records:run_detail", kwargs={"run_id": run.pk}))
    assert "No child's records were past their retention period" in detail.content.decode()
    periods = officer_client.get(reverse("records:retention")).content.decode()
    assert "6 years, and at least until the child is 25" in periods
