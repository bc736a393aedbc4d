"""A system administrator invites people, gives them their roles ("hats") in organisations,
ends roles, and deactivates accounts; nobody else may."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import services
from joinedup.accounts.models import Membership, User
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from tests.accounts.pages import (
    error_summary,
    messages_shown,
    signed_in_user_id,
    summary_names_field,
    summary_text,
)
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

NEW_PASSWORD = "kettle lighthouse marmalade"


def people_url(name: str, person: User | None = None, **kwargs) -> str:
    if person is not None:
        kwargs["user_id"] = person.pk
    return reverse(f"accounts:{name}", kwargs=kwargs)


def audit_for(person: User, verb: AuditVerb):
    return AuditEntry.objects.filter(verb=verb, target_id=str(person.pk))


def invite(client, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(people_url("user_invite"), fields)


@pytest.fixture
def youth_club(db):
    return OrganisationFactory(name="Easton Youth Club")


@pytest.fixture
def admin_client(sign_in, admin_user) -> Client:
    return sign_in(admin_user)


def test_admin_invites_a_voluntary_group_worker_who_gets_an_email_with_a_link(
    admin_client, admin_user, youth_club, django_capture_on_commit_callbacks
):
    response = invite(
        admin_client,
        django_capture_on_commit_callbacks,
        full_name="Vera Volunteer",
        email="Vera.Volunteer@Example.org",
        organisation=youth_club.pk,
        role=Role.REFERRER,
        job_title="Youth worker",
    )

    vera = User.objects.get(email="vera.volunteer@example.org")
    assert response.status_code == 302
    assert response.url == people_url("user_detail", vera)
    assert not vera.has_usable_password()
    assert vera.invited_by == admin_user
    membership = vera.active_memberships().get()
    assert (membership.organisation, membership.role, membership.job_title) == (
        youth_club,
        Role.REFERRER,
        "Youth worker",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vera.volunteer@example.org"]
    assert "/accounts/invitation/" in mail.outbox[0].body
    assert audit_for(vera, AuditVerb.INVITED).filter(actor=admin_user).exists()
    assert audit_for(vera, AuditVerb.ROLE_GRANTED).filter(actor=admin_user).exists()


def test_invited_worker_follows_the_link_sets_a_password_and_is_taken_to_two_factor_set_up(
    admin_client, youth_club, django_capture_on_commit_callbacks
):
    invite(
        admin_client,
        django_capture_on_commit_callbacks,
        full_name="Vera Volunteer",
        email="vera@example.org",
        organisation=youth_club.pk,
        role=Role.REFERRER,
    )
    link = urlparse(re.search(r"https?://\S+", mail.outbox[0].body).group(0)).path
    vera_client = Client()

    opened = vera_client.get(link)
    assert opened.status_code == 302
    welcome = vera_client.get(opened.url)
    assert "Welcome to JoinedUp" in welcome.content.decode()
    saved = vera_client.post(
        opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    vera = User.objects.get(email="vera@example.org")
    assert saved.status_code == 302
    assert saved.url == reverse("accounts:two_factor_setup")
    assert signed_in_user_id(vera_client) == str(vera.pk)
    assert vera.check_password(NEW_PASSWORD)
    assert not vera.invitation_pending
    assert "<svg" in vera_client.get(saved.url).content.decode()
    # The link works once.
    assert "has expired" in Client().get(link, follow=True).content.decode()


def test_inviting_someone_who_already_has_an_account_names_the_email_field_and_creates_nothing(
    admin_client, keyworker, youth_club, django_capture_on_commit_callbacks
):
    users, memberships = User.objects.count(), Membership.objects.count()

    response = invite(
        admin_client,
        django_capture_on_commit_callbacks,
        full_name="Kit Again",
        email=keyworker.email.upper(),
        organisation=youth_club.pk,
        role=Role.REFERRER,
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_email")
    assert "already has an account" in summary_text(response)
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert mail.outbox == []


def test_admin_gives_a_keyworker_a_second_hat_as_panel_member_for_the_council(
    admin_client, keyworker
):
    council = OrganisationFactory(name="Bristol City Council")

    response = admin_client.post(
        people_url("membership_add", keyworker),
        {"role-organisation": council.pk, "role-role": Role.PANEL_MEMBER},
    )

    assert response.status_code == 302
    assert keyworker.active_roles() == {Role.KEYWORKER, Role.PANEL_MEMBER}
    assert council in keyworker.organisations_for_role(Role.PANEL_MEMBER)
    assert audit_for(keyworker, AuditVerb.ROLE_GRANTED).exists()


def test_giving_the_same_open_role_twice_is_refused_with_an_error_summary(admin_client, keyworker):
    existing = keyworker.active_memberships().get()
    memberships = Membership.objects.count()

    response = admin_client.post(
        people_url("membership_add", keyworker),
        {"role-organisation": existing.organisation.pk, "role-role": Role.KEYWORKER},
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_role-role")
    assert "already a keyworker" in summary_text(response)
    assert Membership.objects.count() == memberships


def test_ending_a_role_takes_it_out_of_the_persons_active_roles(admin_client, keyworker):
    membership = keyworker.active_memberships().get()

    response = admin_client.post(
        people_url("membership_end", keyworker, membership_id=membership.pk)
    )

    assert response.status_code == 302
    assert keyworker.active_roles() == set()
    membership.refresh_from_db()
    assert membership.ended_on is not None
    assert audit_for(keyworker, AuditVerb.ROLE_ENDED).exists()
    # An ended role can be given again.
    again = admin_client.post(
        people_url("membership_add", keyworker),
        {"role-organisation": membership.organisation.pk, "role-role": Role.KEYWORKER},
    )
    assert again.status_code == 302


def test_the_last_system_administrator_role_cannot_be_ended(admin_client, admin_user):
    membership = admin_user.active_memberships().get()

    response = admin_client.post(
        people_url("membership_end", admin_user, membership_id=membership.pk), follow=True
    )

    assert response.status_code == 200
    assert any("last system administrator" in text for text in messages_shown(response))
    assert Role.SYSTEM_ADMIN in admin_user.active_roles()
    assert not audit_for(admin_user, AuditVerb.ROLE_ENDED).exists()


def test_with_a_second_administrator_one_admin_role_can_be_ended(admin_client, db):
    second = make_person(Role.SYSTEM_ADMIN, full_name="Ben Backup")
    membership = second.active_memberships().get()

    admin_client.post(people_url("membership_end", second, membership_id=membership.pk))

    assert Role.SYSTEM_ADMIN not in second.active_roles()
    second.refresh_from_db()
    assert not second.is_staff  # no role, no Django admin


def test_the_last_system_administrator_cannot_be_deactivated(admin_user, keyworker):
    with pytest.raises(services.AccountError, match="last system administrator"):
        services.user_deactivate(actor=keyworker, user=admin_user)

    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_an_administrator_cannot_deactivate_their_own_account(admin_client, admin_user, db):
    make_person(Role.SYSTEM_ADMIN)

    response = admin_client.post(people_url("user_deactivate", admin_user), follow=True)

    assert "You cannot deactivate your own account" in messages_shown(response)
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_deactivated_worker_cannot_sign_in_and_is_signed_out_of_open_sessions(
    admin_client, keyworker
):
    open_session = sign_in_client(Client(), keyworker)

    response = admin_client.post(people_url("user_deactivate", keyworker))

    assert response.status_code == 302
    assert audit_for(keyworker, AuditVerb.DEACTIVATED).exists()
    signing_in = Client()
    refused = signing_in.post(
        reverse("accounts:login"), {"username": keyworker.email, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 200
    assert error_summary(refused)
    assert signed_in_user_id(signing_in) is None
    assert open_session.get(reverse("accounts:my_account")).status_code == 302


def test_a_reactivated_worker_can_sign_in_again(admin_client, keyworker):
    admin_client.post(people_url("user_deactivate", keyworker))

    admin_client.post(people_url("user_reactivate", keyworker))

    keyworker.refresh_from_db()
    assert keyworker.is_active
    assert audit_for(keyworker, AuditVerb.REACTIVATED).exists()
    response = Client().post(
        reverse("accounts:login"), {"username": keyworker.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_resetting_two_factor_for_a_worker_who_lost_their_phone_deletes_their_devices(
    admin_client, keyworker
):
    response = admin_client.post(people_url("user_reset_two_factor", keyworker))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=keyworker).exists()
    assert audit_for(keyworker, AuditVerb.TWO_FACTOR_RESET).exists()
    worker = Client()
    signed_in = worker.post(
        reverse("accounts:login"),
        {"username": keyworker.email, "password": TEST_PASSWORD},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))


def test_resending_an_invitation_sends_a_new_email(
    admin_client, youth_club, django_capture_on_commit_callbacks
):
    invite(
        admin_client,
        django_capture_on_commit_callbacks,
        full_name="Ivy Invited",
        email="ivy@example.org",
        organisation=youth_club.pk,
        role=Role.KEYWORKER,
    )
    ivy = User.objects.get(email="ivy@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(people_url("user_resend_invitation", ivy))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivy@example.org"]
    assert "/accounts/invitation/" in mail.outbox[0].body
    assert audit_for(ivy, AuditVerb.INVITED).filter(detail__resent=True).exists()


def test_an_invitation_already_accepted_is_not_sent_again(
    admin_client, keyworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(people_url("user_resend_invitation", keyworker), follow=True)

    assert "This person has already accepted their invitation" in messages_shown(response)
    assert mail.outbox == []


def test_user_list_shows_people_with_their_roles_and_filters_by_organisation_role_and_text(
    admin_client, db
):
    school = OrganisationFactory(name="Easton Primary School")
    police = OrganisationFactory(name="Avon and Somerset Police")
    priya = UserFactory(full_name="Priya Patel", email="priya@school.example.org")
    MembershipFactory(user=priya, organisation=school, role=Role.REFERRER)
    tom = UserFactory(full_name="Tom Brown", email="tom@police.example.org")
    MembershipFactory(user=tom, organisation=police, role=Role.PANEL_MEMBER)
    people = people_url("user_list")

    everyone = admin_client.get(people).content.decode()
    assert "Priya Patel" in everyone and "Tom Brown" in everyone
    assert "Referrer, Easton Primary School" in everyone

    by_organisation = admin_client.get(people, {"organisation": school.pk}).content.decode()
    assert "Priya Patel" in by_organisation and "Tom Brown" not in by_organisation

    by_role = admin_client.get(people, {"role": Role.PANEL_MEMBER}).content.decode()
    assert "Tom Brown" in by_role and "Priya Patel" not in by_role

    by_text = admin_client.get(people, {"q": "police.example"}).content.decode()
    assert "Tom Brown" in by_text and "Priya Patel" not in by_text


def test_an_ended_role_no_longer_matches_the_role_filter(admin_client, keyworker):
    membership = keyworker.active_memberships().get()
    admin_client.post(people_url("membership_end", keyworker, membership_id=membership.pk))

    response = admin_client.get(people_url("user_list"), {"role": Role.KEYWORKER})

    assert keyworker not in response.context["rows"]


def test_user_list_shows_fifty_people_a_page(admin_client, db):
    UserFactory.create_batch(60)
    people = people_url("user_list")

    first = admin_client.get(people)
    second = admin_client.get(people, {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 11  # 60 plus the administrator
    assert first.context["page"].has_next()
    assert not second.context["page"].has_next()
    assert admin_client.get(people, {"page": "not-a-number"}).status_code == 200


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _people_with_hats(count: int) -> None:
    for _ in range(count):
        person = make_person(Role.KEYWORKER)
        MembershipFactory(user=person, role=Role.REFERRER, organisation=OrganisationFactory())


def test_user_list_runs_the_same_number_of_queries_for_3_people_as_for_30(admin_client, db):
    people = people_url("user_list")
    _people_with_hats(2)
    admin_client.get(people)
    few = _queries_for(admin_client, people)

    _people_with_hats(27)
    many = _queries_for(admin_client, people)

    assert many == few


NON_ADMIN_PAGES = [
    ("get", "user_list", False),
    ("get", "user_invite", False),
    ("post", "user_invite", False),
    ("get", "user_detail", True),
    ("get", "user_edit", True),
    ("post", "user_edit", True),
    ("get", "membership_add", True),
    ("post", "membership_add", True),
    ("post", "membership_end", True),
    ("post", "user_deactivate", True),
    ("post", "user_reactivate", True),
    ("post", "user_reset_two_factor", True),
    ("post", "user_resend_invitation", True),
]


@pytest.mark.parametrize("persona", ["keyworker", "ig_officer"])
def test_people_who_are_not_administrators_cannot_open_any_people_page(
    request, sign_in, persona, db
):
    viewer = request.getfixturevalue(persona)
    target = make_person(Role.REFERRER, full_name="Target Person")
    membership = target.active_memberships().get()
    client = sign_in(viewer)
    answers = {}
    for method, name, about_someone in NON_ADMIN_PAGES:
        kwargs = {"user_id": target.pk} if about_someone else {}
        if name == "membership_end":
            kwargs["membership_id"] = membership.pk
        response = getattr(client, method)(reverse(f"accounts:{name}", kwargs=kwargs))
        answers[f"{method} {name}"] = response.status_code

    assert set(answers.values()) == {403}, answers
    target.refresh_from_db()
    assert target.is_active
    assert target.active_roles() == {Role.REFERRER}


def test_ending_a_role_through_another_persons_address_is_not_found(admin_client, db):
    kit = make_person(Role.KEYWORKER)
    other = make_person(Role.REFERRER)
    others_membership = other.active_memberships().get()

    response = admin_client.post(
        people_url("membership_end", kit, membership_id=others_membership.pk)
    )

    assert response.status_code == 404
    others_membership.refresh_from_db()
    assert others_membership.ended_on is None


def test_admin_corrects_a_name_and_email_and_the_audit_lists_the_changed_fields(
    admin_client, keyworker
):
    response = admin_client.post(
        people_url("user_edit", keyworker),
        {"full_name": "Kit Keyworker-Jones", "email": "Kit.Jones@Example.org"},
    )

    assert response.status_code == 302
    keyworker.refresh_from_db()
    assert keyworker.full_name == "Kit Keyworker-Jones"
    assert keyworker.email == "kit.jones@example.org"
    entry = audit_for(keyworker, AuditVerb.UPDATE).get()
    assert sorted(entry.fields) == ["email", "full_name"]


def test_changing_only_the_name_lists_only_the_name(admin_client, keyworker):
    admin_client.post(
        people_url("user_edit", keyworker),
        {"full_name": "Kit Renamed", "email": keyworker.email},
    )

    assert audit_for(keyworker, AuditVerb.UPDATE).get().fields == ["full_name"]


def test_an_email_someone_else_uses_is_refused_on_the_email_field(
    admin_client, keyworker, ig_officer
):
    response = admin_client.post(
        people_url("user_edit", keyworker),
        {"full_name": "Kit Keyworker", "email": ig_officer.email.upper()},
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_email")
    assert "Someone else already uses this email address" in summary_text(response)
    email_before = keyworker.email
    keyworker.refresh_from_db()
    assert keyworker.email == email_before
    assert not audit_for(keyworker, AuditVerb.UPDATE).exists()
