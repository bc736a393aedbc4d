"""An organisation's API token: issued for a person who holds a role there, shown once and kept
only as a hash, revoked by its prefix, and audited both times."""

import hashlib
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from joinedup.accounts import services
from joinedup.accounts.models import ApiToken, User
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.organisations.models import Organisation
from joinedup.referrals.models import Referral
from tests.factories import LocalityFactory, MembershipFactory, OrganisationFactory, UserFactory

URL = "/api/v1/referrals"
EMAIL = "mis.owner@example.org"
ORGANISATION = "easton-fields-primary"
IDEMPOTENCY_KEY = "6a1f0d2e-3b4c-4d5e-8f60-718293a4b5c6"


@pytest.fixture
def school(db) -> Organisation:
    return OrganisationFactory(name="Easton Fields Primary", slug=ORGANISATION)


@pytest.fixture
def owner(school) -> User:
    """The person at the school who answers for what its system sends."""
    user = UserFactory(email=EMAIL, full_name="Mo Owner")
    MembershipFactory(user=user, organisation=school, role=Role.REFERRER)
    return user


def referral_body() -> dict:
    return {
        "child": {
            "given_name": "Zara",
            "family_name": "Ali",
            "date_of_birth": "2016-05-01",
            "sex": "female",
            "address": {
                "line_1": "1 Stapleton Road",
                "postcode": "BS5 6XY",
                "locality": LocalityFactory(slug="token-test-locality").slug,
            },
            "carer": {
                "full_name": "Sara Ali",
                "relationship": "mother",
                "has_parental_responsibility": True,
            },
        },
        "relationship_to_child": "Class teacher",
        "concerns": ["Not attending school regularly"],
        "what_has_been_tried": "Meetings with the family.",
        "urgency": "routine",
        "family_aware": "yes",
        "safeguarding_concern": False,
    }


def refer_with(key: str) -> int:
    response = Client().post(
        URL,
        data=json.dumps(referral_body()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
        HTTP_IDEMPOTENCY_KEY=IDEMPOTENCY_KEY,
    )
    return response.status_code


def issue_by_command(*, organisation: str = ORGANISATION, user: str = EMAIL) -> str:
    out = StringIO()
    call_command(
        "api_token",
        "issue",
        "--organisation",
        organisation,
        "--user",
        user,
        "--name",
        "School information system",
        stdout=out,
    )
    return out.getvalue()


def test_issue_keeps_only_a_hash_of_the_key(admin_user, school, owner):
    token, key = services.api_token_issue(
        actor=admin_user, organisation=school, user=owner, name="  School information system "
    )

    assert len(key) >= 40
    assert token.prefix == key[:12]
    assert key.startswith("ju_")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert (token.organisation, token.user, token.created_by) == (school, owner, admin_user)
    assert token.name == "School information system"
    assert token.last_used_at is None
    assert token.revoked_at is None
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not [name for name, value in row.items() if key in str(value)]
    assert key not in str(token)
    _, another = services.api_token_issue(
        actor=admin_user, organisation=school, user=owner, name="Second system"
    )
    assert another != key


def test_issue_and_revoke_are_audited(admin_user, school, owner):
    token, key = services.api_token_issue(
        actor=admin_user, organisation=school, user=owner, name="School information system"
    )
    services.api_token_revoke(actor=admin_user, token=token)

    entries = AuditEntry.objects.filter(target_type="accounts.apitoken", target_id=str(token.pk))
    issued = entries.get(verb=AuditVerb.CREATE)
    assert issued.actor == admin_user
    assert issued.detail == {"organisation": str(school.pk), "user": str(owner.pk)}
    revoked = entries.get(verb=AuditVerb.UPDATE)
    assert revoked.actor == admin_user
    assert revoked.fields == ["revoked_at"]
    assert not [entry for entry in entries.values() if key in str(entry)]
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("membership", ["none", "elsewhere", "ended"])
def test_no_token_for_someone_without_a_role_there(admin_user, school, membership):
    user = UserFactory()
    if membership == "elsewhere":
        MembershipFactory(user=user, role=Role.REFERRER)
    elif membership == "ended":
        ended = MembershipFactory(user=user, organisation=school, role=Role.REFERRER)
        services.membership_end(actor=admin_user, membership=ended)

    with pytest.raises(services.AccountError) as refused:
        services.api_token_issue(
            actor=admin_user, organisation=school, user=user, name="School information system"
        )

    assert refused.value.field == "user"
    assert not ApiToken.objects.exists()


def test_the_command_prints_the_key_once_and_revokes_by_prefix(owner):
    output = issue_by_command(user=EMAIL.upper())

    token = ApiToken.objects.get()
    key = output.strip().splitlines()[-1]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert output.count(key) == 1
    assert token.user == owner
    assert token.created_by is None
    assert AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(token.pk)).actor is None
    assert refer_with(key) == 201

    out = StringIO()
    call_command("api_token", "revoke", token.prefix, stdout=out)

    assert "revoked" in out.getvalue()
    assert key not in out.getvalue()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(verb=AuditVerb.UPDATE, target_id=str(token.pk)).exists()
    assert refer_with(key) == 401
    with pytest.raises(CommandError, match="No active token"):
        call_command("api_token", "revoke", token.prefix, stdout=StringIO())


@pytest.mark.parametrize(
    ("organisation", "user", "message"),
    [
        ("no-such-organisation", EMAIL, "No organisation"),
        (ORGANISATION, "nobody@example.org", "No person"),
    ],
    ids=["unknown-organisation", "unknown-user"],
)
def test_the_command_refuses_unknown_organisations_and_people(owner, organisation, user, message):
    with pytest.raises(CommandError, match=message):
        issue_by_command(organisation=organisation, user=user)

    assert not ApiToken.objects.exists()


def test_the_command_refuses_someone_without_a_role_there(school):
    UserFactory(email=EMAIL)

    with pytest.raises(CommandError, match="holds no role"):
        issue_by_command()

    assert not ApiToken.objects.exists()


def test_the_command_refuses_an_unknown_prefix(db):
    with pytest.raises(CommandError, match="No active token"):
        call_command("api_token", "revoke", "abcdefgh", stdout=StringIO())


def test_a_revoked_key_is_refused(admin_user, school, owner):
    token, key = services.api_token_issue(
        actor=admin_user, organisation=school, user=owner, name="School information system"
    )
    services.api_token_revoke(actor=admin_user, token=token)

    assert refer_with(key) == 401
    assert not Referral.objects.exists()
    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_successful_call_records_when_the_token_was_last_used(admin_user, school, owner):
    token, key = services.api_token_issue(
        actor=admin_user, organisation=school, user=owner, name="School information system"
    )

    assert refer_with(key) == 201

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at >= token.created_at
    assert Referral.objects.get().referrer == owner
    assert re.fullmatch(r"ju_[A-Za-z0-9_-]{9}", token.prefix)
