"""Signing in: password, then an authenticator code for anyone who may see children's records;
lock-out after repeated wrong passwords; every attempt in the audit trail, no password ever."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from tests.accounts.pages import (
    a_wrong_code,
    audit_trail_text,
    confirmed_device,
    current_code,
    error_summary,
    page_title,
    signed_in_user_id,
    summary_names_field,
    summary_text,
)
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)

SIGN_IN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SET_UP = reverse("accounts:two_factor_setup")
START = reverse("core:start")


def sign_in_with_password(client: Client, email: str, password: str = TEST_PASSWORD, **kw):
    return client.post(SIGN_IN, {"username": email, "password": password}, **kw)


def last_path(response) -> str:
    return response.redirect_chain[-1][0].split("?")[0] if response.redirect_chain else ""


def test_keyworker_signing_in_with_a_password_is_asked_for_the_code_from_their_app(
    client, keyworker
):
    response = sign_in_with_password(client, keyworker.email, follow=True)

    assert last_path(response) == VERIFY
    assert response.status_code == 200
    assert page_title(response).startswith("Enter your code")
    assert signed_in_user_id(client) == str(keyworker.pk)
    # Signed in but not verified: pages with children's data stay shut.
    protected = client.get(reverse("organisations:organisation_list"))
    assert protected.status_code == 302
    assert protected.url.startswith(VERIFY)


def test_keyworker_enters_the_code_from_their_app_and_reaches_the_start_page(client, keyworker):
    sign_in_with_password(client, keyworker.email)
    device = confirmed_device(keyworker)

    response = client.post(VERIFY, {"token": current_code(device), "next": START}, follow=True)

    assert response.redirect_chain[-1][0] == START
    assert response.status_code == 200
    assert "What you can do next" in response.content.decode()
    assert client.get(reverse("organisations:organisation_list")).status_code == 200
    assert AuditEntry.objects.filter(verb=AuditVerb.TWO_FACTOR_VERIFIED, actor=keyworker).exists()


def test_a_wrong_code_shows_an_error_and_asks_for_the_code_again(client, keyworker):
    sign_in_with_password(client, keyworker.email)

    response = client.post(VERIFY, {"token": a_wrong_code(confirmed_device(keyworker))})

    assert response.status_code == 200
    assert page_title(response).startswith("Error: Enter your code")
    assert "govuk-error-summary" in response.content.decode()
    assert summary_names_field(response, "id_token")
    assert AuditEntry.objects.filter(verb=AuditVerb.TWO_FACTOR_FAILED, actor=keyworker).exists()
    assert client.get(reverse("accounts:my_account")).url.startswith(VERIFY)


def test_a_first_wrong_code_says_the_code_is_not_right_not_too_many_codes(client, keyworker):
    sign_in_with_password(client, keyworker.email)

    response = client.post(VERIFY, {"token": a_wrong_code(confirmed_device(keyworker))})

    assert "The code is not right" in summary_text(response)


def test_a_code_with_letters_in_it_is_refused_with_a_clear_message(client, keyworker):
    sign_in_with_password(client, keyworker.email)

    response = client.post(VERIFY, {"token": "12ab56"})

    assert response.status_code == 200
    assert "numbers only" in summary_text(response)
    assert summary_names_field(response, "id_token")


def test_worker_without_an_authenticator_sets_one_up_by_scanning_a_qr_code(client, db):
    worker = UserFactory(full_name="Nia Newstarter")
    MembershipFactory(user=worker, role=Role.REFERRER, organisation=OrganisationFactory())

    response = sign_in_with_password(client, worker.email, follow=True)

    assert last_path(response) == SET_UP
    page = response.content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    shown_secret = re.search(r'class="[^"]*app-code[^"]*">([A-Z2-7 ]+)<', page).group(1)
    assert base64.b32decode(shown_secret.replace(" ", "")) == device.bin_key

    confirmed = client.post(SET_UP, {"token": current_code(device), "next": START}, follow=True)

    assert confirmed.redirect_chain[-1][0] == START
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(
        verb=AuditVerb.TWO_FACTOR_ENROLLED, target_id=str(worker.pk)
    ).exists()
    assert client.get(reverse("organisations:organisation_list")).status_code == 200


def test_setting_up_with_a_wrong_code_does_not_enrol_the_device(client, db):
    worker = UserFactory()
    MembershipFactory(user=worker, role=Role.KEYWORKER, organisation=OrganisationFactory())
    sign_in_with_password(client, worker.email)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=worker)

    response = client.post(SET_UP, {"token": a_wrong_code(device)})

    assert response.status_code == 200
    assert summary_names_field(response, "id_token")
    assert "<svg" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
    assert not AuditEntry.objects.filter(verb=AuditVerb.TWO_FACTOR_ENROLLED).exists()


def test_strategic_manager_sees_only_figures_so_signs_in_without_a_code(client, strategic_manager):
    response = sign_in_with_password(client, strategic_manager.email, follow=True)

    assert [url for url, _ in response.redirect_chain] == [START]
    assert response.status_code == 200
    assert "What you can do next" in response.content.decode()
    assert client.get(reverse("organisations:organisation_list")).status_code == 200


def test_sign_out_only_answers_a_form_post_so_a_link_cannot_sign_someone_out(sign_in, keyworker):
    client = sign_in(keyworker)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_user_id(client) == str(keyworker.pk)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert client.get(reverse("accounts:my_account")).url.startswith(SIGN_IN)
    assert AuditEntry.objects.filter(verb=AuditVerb.SIGN_OUT, actor=keyworker).exists()


def test_wrong_password_is_refused_with_a_message_naming_email_and_password(client, keyworker):
    response = sign_in_with_password(client, keyworker.email, "not my password at all")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "Enter a correct email address and password" in summary_text(response)
    assert error_summary(response)[0][0] == "#id_username"


def test_every_sign_in_and_failed_attempt_is_audited_and_no_password_is_ever_recorded(
    client, keyworker
):
    wrong_password = "Tr0ub4dor&3-wrong-guess"

    sign_in_with_password(client, keyworker.email, wrong_password)
    sign_in_with_password(client, keyworker.email)

    failed = AuditEntry.objects.get(verb=AuditVerb.SIGN_IN_FAILED)
    assert failed.actor is None
    assert failed.actor_label == keyworker.email
    assert failed.ip_address == "127.0.0.1"
    signed_in = AuditEntry.objects.get(verb=AuditVerb.SIGN_IN)
    assert signed_in.actor == keyworker
    assert signed_in.target_id == str(keyworker.pk)
    trail = audit_trail_text()
    assert wrong_password not in trail
    assert TEST_PASSWORD not in trail


def test_after_five_wrong_passwords_even_the_right_password_meets_the_lock_out_page(
    client, keyworker
):
    for attempt in range(4):
        refused = sign_in_with_password(client, keyworker.email, f"wrong guess {attempt}")
        assert refused.status_code == 200
    sign_in_with_password(client, keyworker.email, "wrong guess 5")

    response = sign_in_with_password(client, keyworker.email)

    assert response.status_code == 429  # axes' AXES_HTTP_RESPONSE_CODE, with our template
    assert "Too many wrong passwords" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert AuditEntry.objects.filter(
        verb=AuditVerb.LOCKED_OUT, actor_label=keyworker.email
    ).exists()


def test_one_locked_account_does_not_lock_out_a_colleague_at_the_same_address(
    client, keyworker, strategic_manager
):
    for attempt in range(5):
        sign_in_with_password(client, keyworker.email, f"wrong guess {attempt}")

    response = Client().post(
        SIGN_IN, {"username": strategic_manager.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302


def test_demo_skip_does_not_exist_outside_the_demo(client, keyworker, settings):
    settings.JOINEDUP_DEMO = False
    sign_in_with_password(client, keyworker.email)

    response = client.post(reverse("accounts:two_factor_skip"), {"next": START})

    assert response.status_code == 404
    assert "Skip for the demo" not in client.get(VERIFY).content.decode()
    assert client.get(reverse("organisations:organisation_list")).status_code == 302
    assert not AuditEntry.objects.filter(verb=AuditVerb.TWO_FACTOR_SKIPPED).exists()


def test_in_the_demo_a_visitor_can_skip_the_code_and_the_skip_is_audited(
    client, keyworker, settings
):
    settings.JOINEDUP_DEMO = True
    sign_in_with_password(client, keyworker.email)
    assert "Skip for the demo" in client.get(VERIFY).content.decode()
    organisations = reverse("organisations:organisation_list")

    response = client.post(reverse("accounts:two_factor_skip"), {"next": organisations})

    assert response.status_code == 302
    assert response.url == organisations
    assert client.get(organisations).status_code == 200
    assert AuditEntry.objects.filter(verb=AuditVerb.TWO_FACTOR_SKIPPED, actor=keyworker).exists()


@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com/"])
def test_the_code_page_never_sends_someone_to_another_site(client, keyworker, next_url):
    sign_in_with_password(client, keyworker.email)
    device = confirmed_device(keyworker)

    response = client.post(VERIFY, {"token": current_code(device), "next": next_url})

    assert response.status_code == 302
    assert response.url == START


def test_a_verified_person_opening_the_code_page_again_goes_straight_on(sign_in, keyworker):
    client = sign_in(keyworker)

    response = client.get(VERIFY)

    assert response.status_code == 302
    assert response.url == START


def test_a_second_authenticator_cannot_be_set_up_without_the_first(client, db):
    worker = UserFactory()
    MembershipFactory(user=worker, role=Role.KEYWORKER, organisation=OrganisationFactory())
    TOTPDeviceFactory(user=worker)
    sign_in_with_password(client, worker.email)

    response = client.get(SET_UP)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_a_right_code_straight_after_a_wrong_one_says_to_wait(client, keyworker):
    sign_in_with_password(client, keyworker.email)
    device = confirmed_device(keyworker)
    client.post(VERIFY, {"token": a_wrong_code(device)})

    response = client.post(VERIFY, {"token": current_code(device)})

    assert "Too many wrong codes. Wait until" in summary_text(response)
    assert client.get(reverse("accounts:my_account")).url.startswith(VERIFY)
