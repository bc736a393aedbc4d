from django.test import RequestFactory
from django.urls import reverse

from joinedup.core.views import error_500


def test_the_start_page_explains_the_service_to_someone_not_signed_in(client, db):
    response = client.get(reverse("core:start"))
    assert response.status_code == 200
    assert b"Support children together" in response.content
    assert reverse("accounts:login").encode() in response.content


def test_a_person_with_no_role_is_told_who_can_give_them_one(db, person_with_role, sign_in):
    response = sign_in(person_with_role(None)).get(reverse("core:start"))
    assert b"You do not have a role in any organisation yet" in response.content


def test_the_start_page_lists_each_hat_with_its_tasks(db, admin_user, sign_in):
    response = sign_in(admin_user).get(reverse("core:start"))
    assert b"As system administrator" in response.content
    assert reverse("accounts:user_invite").encode() in response.content


def test_the_error_page_needs_no_database_and_tells_people_nothing_was_half_saved():
    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with JoinedUp" in response.content
    assert b"saved in full or not at all" in response.content


def test_the_health_check_reports_the_database(client, db):
    response = client.get(reverse("core:healthz"))
    assert response.json()["status"] == "ok"


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
