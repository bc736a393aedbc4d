"""How a subject access request ends: the copy released (the day, how, to whom, and the names
redacted then, frozen), or the request refused or withdrawn with the reason. The request list
shows what is overdue first."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.records.models import SarStatus, SubjectAccessRequest
from joinedup.records.services import (
    RecordsError,
    SarRelease,
    sar_redactions_set,
    sar_refuse,
    sar_release,
    sar_withdraw,
)
from tests.records.cases import build_case

TODAY = timezone.localdate


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


def _request(child, *, received_days_ago=10, produced=True, **fields):
    received = TODAY() - timedelta(days=received_days_ago)
    return SubjectAccessRequest.objects.create(
        child=child,
        requester_name="Philippa Marsh",
        requester="parent",
        received_on=received,
        due_on=received + timedelta(days=30),
        exported_at=timezone.now() if produced else None,
        **fields,
    )


def _release(**changes):
    values = {
        "released_on": TODAY(),
        "method": "secure_email",
        "released_to": "Philippa Marsh",
        "method_other": "",
    }
    return SarRelease(**(values | changes))


def test_releasing_records_how_and_to_whom_and_freezes_the_redactions(child, ig_officer):
    request = _request(child)
    sar_redactions_set(
        actor=ig_officer, request=request, names=["Wendy Witness"], reason="Not known to them"
    )

    released = sar_release(actor=ig_officer, request=request, release=_release())

    released.refresh_from_db()
    assert released.status == SarStatus.RELEASED
    assert released.released_on == TODAY()
    assert released.release_method_label == "Secure email"
    assert released.released_to == "Philippa Marsh"
    assert released.released_redactions == ["Wendy Witness"]
    assert released.concluded_by == ig_officer
    entry = AuditEntry.objects.filter(verb=AuditVerb.UPDATE, target_id=str(request.pk)).latest("at")
    assert "released_on" in entry.fields
    assert "Philippa" not in json.dumps(entry.detail)


def test_a_released_requests_redactions_can_no_longer_change(child, ig_officer):
    request = _request(child)
    sar_release(actor=ig_officer, request=request, release=_release())

    with pytest.raises(RecordsError) as error:
        sar_redactions_set(
            actor=ig_officer, request=request, names=["Wendy Witness"], reason="Second thoughts"
        )

    assert error.value.field == "names"
    request.refresh_from_db()
    assert request.redacted_names == [] and request.released_redactions == []


def test_a_copy_produced_again_after_release_is_the_copy_that_was_sent(
    child, ig_officer, officer_client
):
    request = _request(child)
    sar_redactions_set(
        actor=ig_officer, request=request, names=["Wendy Witness"], reason="Not known to them"
    )
    sar_release(actor=ig_officer, request=request, release=_release())

    data = json.loads(
        officer_client.get(reverse("records:sar_json", kwargs={"sar_id": request.pk})).content
    )

    assert "Wendy Witness" not in json.dumps(data)
    assert data["request"]["status"] == "Released"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"released_on": None}, "released_on"),
        ({"released_on": date(2999, 1, 1)}, "released_on"),
        ({"released_on": date(2000, 1, 1)}, "released_on"),
        ({"method": "pigeon"}, "method"),
        ({"method": "other", "method_other": "  "}, "method_other"),
        ({"released_to": " "}, "released_to"),
    ],
)
def test_bad_release_details_are_refused_by_field(child, ig_officer, changes, field):
    request = _request(child)

    with pytest.raises(RecordsError) as error:
        sar_release(actor=ig_officer, request=request, release=_release(**changes))

    assert error.value.field == field
    request.refresh_from_db()
    assert request.status == SarStatus.OPEN


def test_another_way_is_kept_in_the_officers_words(child, ig_officer):
    request = _request(child)

    sar_release(
        actor=ig_officer,
        request=request,
        release=_release(method="other", method_other="Handed to their solicitor"),
    )

    request.refresh_from_db()
    assert request.release_method_label == "Handed to their solicitor"


def test_a_copy_never_produced_cannot_be_released(child, ig_officer):
    request = _request(child, produced=False)

    with pytest.raises(RecordsError) as error:
        sar_release(actor=ig_officer, request=request, release=_release())

    assert error.value.code == "not_produced"


def test_refused_and_withdrawn_requests_keep_the_reason_and_are_closed(child, ig_officer):
    refused = _request(child)
    withdrawn = _request(child)

    sar_refuse(actor=ig_officer, request=refused, refused_on=TODAY(), reason="Manifestly excessive")
    sar_withdraw(actor=ig_officer, request=withdrawn, withdrawn_on=TODAY(), reason="Asked by phone")

    refused.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (refused.status, refused.closed_reason) == ("refused", "Manifestly excessive")
    assert (withdrawn.status, withdrawn.closed_on) == ("withdrawn", TODAY())
    with pytest.raises(RecordsError) as error:
        sar_release(actor=ig_officer, request=refused, release=_release())
    assert error.value.code == "concluded"
    with pytest.raises(RecordsError):
        sar_withdraw(actor=ig_officer, request=refused, withdrawn_on=TODAY(), reason="Later")


def test_a_refusal_needs_a_reason(child, ig_officer):
    request = _request(child)

    with pytest.raises(RecordsError) as error:
        sar_refuse(actor=ig_officer, request=request, refused_on=TODAY(), reason="  ")

    assert error.value.field == "reason"


def test_the_list_shows_overdue_requests_first_with_how_many_days(
    child, officer_client, django_assert_max_num_queries
):
    not_due = _request(child, received_days_ago=5)
    a_little_late = _request(child, received_days_ago=33)
    very_late = _request(child, received_days_ago=50)
    _request(
        child,
        received_days_ago=60,
        status=SarStatus.RELEASED,
        released_on=TODAY() - timedelta(days=40),
    )

    with django_assert_max_num_queries(12):
        page = officer_client.get(reverse("records:sar_list"))

    html = page.content.decode()
    assert "Overdue by 20 days" in html and "Overdue by 3 days" in html
    order = [html.index(r.short_id) for r in (very_late, a_little_late, not_due)]
    assert order == sorted(order)
    assert html.count("Overdue by") == 2  # the released one is not overdue


def test_the_pages_are_linked_from_the_request_and_record_the_outcome(child, officer_client):
    request = _request(child)
    detail = officer_client.get(reverse("records:sar_detail", kwargs={"sar_id": request.pk}))
    release_url = reverse("records:sar_release", kwargs={"sar_id": request.pk})
    close_url = reverse("records:sar_close", kwargs={"sar_id": request.pk})
    assert release_url in detail.content.decode() and close_url in detail.content.decode()

    today = TODAY()
    page = officer_client.post(
        release_url,
        {
            "released_on_day": today.day,
            "released_on_month": today.month,
            "released_on_year": today.year,
            "method": "post",
            "released_to": "Philippa Marsh",
        },
    )

    assert page.status_code == 302
    detail = officer_client.get(reverse("records:sar_detail", kwargs={"sar_id": request.pk}))
    html = detail.content.decode()
    assert "by post, to Philippa Marsh" in html
    assert release_url not in html and "Save redactions" not in html


def test_refusing_through_the_page(child, officer_client):
    request = _request(child)
    today = TODAY()

    page = officer_client.post(
        reverse("records:sar_close", kwargs={"sar_id": request.pk}),
        {
            "outcome": "refused",
            "closed_on_day": today.day,
            "closed_on_month": today.month,
            "closed_on_year": today.year,
            "reason": "Manifestly unfounded",
        },
    )

    assert page.status_code == 302
    request.refresh_from_db()
    assert request.status == SarStatus.REFUSED
