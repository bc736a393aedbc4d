"""A person who has forgotten their password asks for a link, follows it and sets a new one."""

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from joinedup.core.models import AuditEntry, AuditVerb
from tests.accounts.pages import error_summary, signed_in_user_id, summary_names_field
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "kettle lighthouse marmalade"


def ask_for_a_reset(client, email: str):
    return client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)


def link_in(message) -> str:
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path


def reset_link(user) -> str:
    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def open_set_password_page(client, user) -> str:
    response = client.get(reset_link(user))
    assert response.status_code == 302
    return response.url


def test_keyworker_who_forgot_their_password_resets_it_and_signs_in_with_the_new_one(
    client, keyworker
):
    response = ask_for_a_reset(client, keyworker.email)

    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [keyworker.email]
    link = link_in(mail.outbox[0])

    opened = client.get(link)
    # Django swaps the token in the address for a session key, so it never leaks in a Referer.
    assert opened.status_code == 302
    assert opened.url.endswith("/set-password/")
    form_page = client.get(opened.url)
    assert "Set a new password" in form_page.content.decode()

    saved = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert saved.status_code == 302
    assert saved.url == reverse("accounts:password_reset_complete")
    signed_in = client.post(
        reverse("accounts:login"), {"username": keyworker.email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in_user_id(client) == str(keyworker.pk)
    assert AuditEntry.objects.filter(
        verb=AuditVerb.PASSWORD_RESET_REQUESTED, actor_label=keyworker.email
    ).exists()
    assert AuditEntry.objects.filter(
        verb=AuditVerb.PASSWORD_CHANGED, target_id=str(keyworker.pk)
    ).exists()


def test_the_old_password_stops_working_after_a_reset(client, keyworker):
    client.post(
        open_set_password_page(client, keyworker),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = client.post(
        reverse("accounts:login"), {"username": keyworker.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_an_unknown_email_address_gets_the_same_page_and_no_email(client, keyworker):
    response = ask_for_a_reset(client, "nobody-here@example.org")

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_an_invalid_link_says_it_has_expired_and_shows_no_form(client, keyworker):
    uid = urlsafe_base64_encode(force_bytes(keyworker.pk))

    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": "a-bad-token"})
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This link has expired" in page
    assert 'name="new_password1"' not in page


def test_a_link_older_than_the_reset_timeout_says_it_has_expired(client, keyworker, settings):
    link = reset_link(keyworker)
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is now older than the limit

    response = client.get(link, follow=True)

    assert "This link has expired" in response.content.decode()
    assert 'name="new_password1"' not in response.content.decode()


def test_a_link_that_was_used_once_does_not_work_again(client, keyworker):
    link = reset_link(keyworker)
    set_password_page = client.get(link).url
    client.post(set_password_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert "This link has expired" in response.content.decode()


@pytest.mark.parametrize(
    ("new_password1", "new_password2", "field", "message"),
    [
        ("short", "short", "id_new_password2", "at least 12 characters"),
        (NEW_PASSWORD, NEW_PASSWORD + " typo", "id_new_password2", "do not match"),
        ("", "", "id_new_password1", "Enter a new password"),
        ("1234567890123456", "1234567890123456", "id_new_password2", "entirely numeric"),
    ],
    ids=["too-short", "mismatched", "empty", "all-numbers"],
)
def test_a_weak_or_mismatched_new_password_is_refused_naming_the_field(
    client, keyworker, new_password1, new_password2, field, message
):
    page = open_set_password_page(client, keyworker)
    password_before = keyworker.password

    response = client.post(page, {"new_password1": new_password1, "new_password2": new_password2})

    assert response.status_code == 200
    assert summary_names_field(response, field)
    assert any(message in text for _, text in error_summary(response))
    keyworker.refresh_from_db()
    assert keyworker.password == password_before


def test_a_new_password_too_long_to_sign_in_with_is_refused_when_set(client, keyworker):
    very_long = "correct horse battery staple " * 200  # 5,800 characters
    page = open_set_password_page(client, keyworker)

    response = client.post(page, {"new_password1": very_long, "new_password2": very_long})

    assert response.status_code == 200
    assert error_summary(response)


def test_a_password_may_contain_any_characters_even_angle_brackets(client, keyworker):
    unusual = "<b>bold & brave</b> 🦊 password"
    page = open_set_password_page(client, keyworker)

    response = client.post(page, {"new_password1": unusual, "new_password2": unusual})

    assert response.status_code == 302
    keyworker.refresh_from_db()
    assert keyworker.check_password(unusual)
