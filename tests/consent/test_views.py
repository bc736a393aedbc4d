"""The consent pages: who may open them, what bad input gets, and what is recorded."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from joinedup.children.models import InvolvementRole
from joinedup.consent.models import ChildView, ConsentRecord, Method, Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from tests.accounts.pages import error_summary, messages_shown, summary_names_field
from tests.conftest import make_person
from tests.consent.conftest import JPEG, PDF, PNG
from tests.factories import ConsentRecordFactory, InvolvementFactory, OrganisationFactory

TODAY = timezone.localdate()


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def in_team(child, mother, keyworker):
    InvolvementFactory(child=child, worker=keyworker, role=InvolvementRole.KEYWORKER)
    return keyworker


def _pages(child, record):
    on_child = {"reference": child.reference}
    on_record = {**on_child, "record_id": record.pk}
    return [
        reverse("consent:child_consent", kwargs=on_child),
        reverse("consent:consent_record", kwargs=on_child),
        reverse("consent:child_view_record", kwargs=on_child),
        reverse("consent:consent_withdraw", kwargs=on_record),
        reverse("consent:signed_form", kwargs=on_record),
    ]


def test_someone_outside_the_team_gets_not_found_on_every_consent_page(child, mother, sign_in):
    record = ConsentRecordFactory(child=child, household_member=mother, signed_form="x/y.pdf")
    outsider = make_person(Role.KEYWORKER)
    client = sign_in(outsider)
    for url in _pages(child, record):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (404, 405), url
    assert not ConsentRecord.objects.exclude(pk=record.pk).exists()


def test_the_team_around_the_child_sees_the_consent_page(child, mother, in_team, sign_in):
    ConsentRecordFactory(child=child, household_member=mother)
    response = sign_in(in_team).get(
        reverse("consent:child_consent", kwargs={"reference": child.reference})
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Amina Yusuf" in content
    assert "Discussion at the panel" in content
    assert "Hodan Yusuf" in content
    reads = AuditEntry.objects.filter(verb=AuditVerb.READ, actor=in_team)
    assert reads.filter(target_type="consent.consentrecord", fields=["consent"]).exists()
    assert reads.filter(target_type="children.child", target_id=str(child.pk)).exists()


def test_the_empty_page_says_what_to_do_first(child, in_team, sign_in):
    response = sign_in(in_team).get(
        reverse("consent:child_consent", kwargs={"reference": child.reference})
    )
    content = response.content.decode()
    assert "No consent is recorded for Amina Yusuf yet" in content
    assert "record their view" in content


def test_a_keyworker_records_verbal_consent_to_the_panel_and_sharing(
    child, mother, in_team, sign_in
):
    mosque = OrganisationFactory(name="Lawrence Hill Mosque")
    client = sign_in(in_team)
    url = reverse("consent:consent_record", kwargs={"reference": child.reference})
    response = client.post(
        url,
        {
            "given_by": str(mother.pk),
            "scopes": [Scope.PANEL_DISCUSSION, Scope.ASSESSMENT],
            "organisations": [str(mosque.pk)],
            "method": Method.VERBAL,
            "witness_name": "Faduma Interpreter",
            **_date("given_on", TODAY),
        },
    )
    assert response.status_code == 302
    records = ConsentRecord.objects.filter(child=child)
    assert sorted(r.scope for r in records) == ["assessment", "panel_discussion", "share"]
    assert records.get(scope=Scope.SHARE).organisation == mosque
    entry = AuditEntry.objects.get(
        verb=AuditVerb.CONSENT_GIVEN, target_id=str(child.pk), actor=in_team
    )
    assert entry.fields == ["consent"]
    assert len(entry.detail["consent_records"]) == 3
    page = client.get(response["Location"])
    assert b"Consent recorded: 3 things" in page.content


def test_a_signed_form_is_stored_privately_and_downloaded_only_by_the_team(
    child, mother, in_team, sign_in, private_storage
):
    client = sign_in(in_team)
    url = reverse("consent:consent_record", kwargs={"reference": child.reference})
    upload = SimpleUploadedFile("Amina Yusuf consent.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url,
        {
            "given_by": str(mother.pk),
            "scopes": [Scope.CONTACT],
            "method": Method.SIGNED_FORM,
            "signed_form": upload,
            **_date("given_on", TODAY),
        },
    )
    assert response.status_code == 302, error_summary(response)
    record = ConsentRecord.objects.get(child=child)
    assert record.signed_form_type == "application/pdf"
    assert "Amina" not in record.signed_form.name
    stored = list(private_storage.rglob("*.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == PDF
    download = reverse(
        "consent:signed_form", kwargs={"reference": child.reference, "record_id": record.pk}
    )
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        verb=AuditVerb.READ, actor=in_team, fields=["signed_form"], target_id=str(record.pk)
    ).exists()
    outsider = make_person(Role.KEYWORKER)
    assert sign_in(outsider).get(download).status_code == 404


def _valid_consent(mother):
    return {
        "given_by": str(mother.pk),
        "scopes": [Scope.PANEL_DISCUSSION],
        "method": Method.VERBAL,
        "witness_name": "Wendy Witness",
        **_date("given_on", TODAY - timedelta(days=2)),
    }


def _signed(content, name="form.pdf"):
    return {"method": Method.SIGNED_FORM, "signed_form": SimpleUploadedFile(name, content)}


BAD_CONSENT = [
    ("future-date", lambda: _date("given_on", TODAY + timedelta(days=30)), "given_on_day"),
    (
        "expiry-before-given",
        lambda: _date("expires_on", TODAY - timedelta(days=5)),
        "expires_on_day",
    ),
    ("verbal-without-witness", lambda: {"witness_name": ""}, "witness_name"),
    ("signed-form-missing", lambda: {"method": Method.SIGNED_FORM}, "signed_form"),
    ("text-file-named-pdf", lambda: _signed(b"just some text, honest"), "signed_form"),
    ("html-named-png", lambda: _signed(b"<html><script>", name="form.png"), "signed_form"),
    ("oversized", lambda: _signed(PDF + b"0" * (5 * 1024 * 1024)), "signed_form"),
    ("empty-file", lambda: _signed(b""), "signed_form"),
    ("nothing-agreed", lambda: {"scopes": []}, "scopes"),
    ("not-a-parent", lambda: {"given_by": "child"}, "given_by"),
]


@pytest.mark.parametrize(
    ("change", "field"),
    [pytest.param(change, field, id=name) for name, change, field in BAD_CONSENT],
)
def test_bad_consent_input_names_the_field_and_saves_nothing(
    child, mother, in_team, sign_in, private_storage, change, field
):
    client = sign_in(in_team)
    url = reverse("consent:consent_record", kwargs={"reference": child.reference})
    response = client.post(url, {**_valid_consent(mother), **change()})
    assert response.status_code == 200
    assert summary_names_field(response, f"id_{field}"), error_summary(response)
    assert not ConsentRecord.objects.exists()
    assert not private_storage.exists() or not any(private_storage.rglob("*.*"))
    assert not AuditEntry.objects.filter(
        verb=AuditVerb.CONSENT_GIVEN, target_id=str(child.pk)
    ).exists()


@pytest.mark.parametrize("content", [PDF, PNG, JPEG], ids=["pdf", "png", "jpeg"])
def test_pdf_png_and_jpeg_forms_are_accepted_whatever_their_name(
    child, mother, in_team, sign_in, content
):
    response = sign_in(in_team).post(
        reverse("consent:consent_record", kwargs={"reference": child.reference}),
        {**_valid_consent(mother), **_signed(content, name="scan")},
    )
    assert response.status_code == 302, error_summary(response)


def test_withdrawing_consent_tells_the_team_and_says_who_was_told(
    child, mother, in_team, sign_in, django_capture_on_commit_callbacks
):
    other = make_person(Role.KEYWORKER, full_name="Olu Otherworker")
    InvolvementFactory(child=child, worker=other, role=InvolvementRole.SERVICE)
    record = ConsentRecordFactory(child=child, household_member=mother)
    client = sign_in(in_team)
    url = reverse(
        "consent:consent_withdraw", kwargs={"reference": child.reference, "record_id": record.pk}
    )
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                **_date("withdrawn_on", TODAY),
                "told_us": "telephone",
                "reason": "Her father does not want the police involved.",
            },
            follow=True,
        )
    assert response.status_code == 200
    banner = " ".join(messages_shown(response))
    assert banner.startswith("Consent withdrawn: Discussion at the panel.")
    assert "We have emailed Olu Otherworker" in banner
    assert "Olu Otherworker" in response.content.decode()
    record.refresh_from_db()
    assert record.is_withdrawn and record.withdrawn_by == in_team
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert "Amina" not in mail.outbox[0].body
    entry = AuditEntry.objects.get(verb=AuditVerb.CONSENT_WITHDRAWN, target_id=str(child.pk))
    assert entry.detail["withdrawn"] is True and entry.actor == in_team


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**_date("withdrawn_on", TODAY + timedelta(days=30))}, "withdrawn_on_day"),
        ({**_date("withdrawn_on", TODAY - timedelta(days=30))}, "withdrawn_on_day"),
        ({"reason": ""}, "reason"),
        ({"told_us": "carrier_pigeon"}, "told_us"),
    ],
)
def test_bad_withdrawal_names_the_field_and_withdraws_nothing(
    child, mother, in_team, sign_in, answers, field
):
    record = ConsentRecordFactory(child=child, household_member=mother)
    url = reverse(
        "consent:consent_withdraw", kwargs={"reference": child.reference, "record_id": record.pk}
    )
    valid = {**_date("withdrawn_on", TODAY), "told_us": "in_person", "reason": "No reason given"}
    response = sign_in(in_team).post(url, {**valid, **answers})
    assert response.status_code == 200
    assert summary_names_field(response, f"id_{field}"), error_summary(response)
    record.refresh_from_db()
    assert not record.is_withdrawn


def test_the_childs_view_is_recorded_in_their_words(child, in_team, sign_in):
    response = sign_in(in_team).post(
        reverse("consent:child_view_record", kwargs={"reference": child.reference}),
        {
            "in_their_words": "I want help with maths, not with the police.",
            **_date("recorded_on", TODAY),
            "competence": "competent",
            "competence_notes": "She told me back what the panel is and that she can say no.",
        },
    )
    assert response.status_code == 302
    view = ChildView.objects.get(child=child)
    assert view.in_their_words.startswith("I want help")
    assert view.recorded_by == in_team
    assert AuditEntry.objects.filter(
        verb=AuditVerb.CREATE, target_id=str(child.pk), fields=["child_view"]
    ).exists()
    # Judged competent, the child now appears among those who may give consent.
    page = sign_in(in_team).get(
        reverse("consent:consent_record", kwargs={"reference": child.reference})
    )
    assert "Amina Yusuf, the child" in page.content.decode()


def test_a_judgement_of_competence_needs_its_reasons(child, in_team, sign_in):
    response = sign_in(in_team).post(
        reverse("consent:child_view_record", kwargs={"reference": child.reference}),
        {"in_their_words": "OK", **_date("recorded_on", TODAY), "competence": "competent"},
    )
    assert summary_names_field(response, "id_competence_notes")
    assert not ChildView.objects.exists()
