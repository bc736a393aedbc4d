"""`POST /api/v1/referrals`: a partner organisation's system refers a child with its token,
retries safely with an Idempotency-Key, and is told field by field what to correct. The
OpenAPI document is public and describes what the API really returns."""

import copy
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from joinedup.accounts import services as accounts
from joinedup.accounts.models import ApiToken, Membership, User
from joinedup.children.identifiers import reference_is_valid
from joinedup.children.models import Child, HouseholdMember, Involvement, InvolvementRole
from joinedup.core.models import AuditEntry, AuditVerb, IdempotencyRecord
from joinedup.organisations.models import Organisation
from joinedup.referrals.models import Referral, ReferralStatus
from tests.factories import SchoolFactory
from tests.referrals.conftest import EASTON_SIGNPOSTING
from tests.referrals.journey import NOT_ATTENDING, born

URL = "/api/v1/referrals"
SCHEMA_URL = "/api/v1/openapi.json"
PROBLEM = "application/problem+json"
# Fixed, so that runs (and pytest-xdist workers) send the same requests.
FIRST_KEY = "0b7e3c1a-5d2f-4e8a-9c61-7f4d2b9e0a11"
SECOND_KEY = "0b7e3c1a-5d2f-4e8a-9c61-7f4d2b9e0a22"
UNKNOWN_KEY = "not-a-key-anyone-was-ever-given-0000000000"
MISSING = object()


def payload(*, date_of_birth: str | None = None, locality: str = "easton") -> dict[str, Any]:
    """What a partner's system sends for a 10-year-old in Easton."""
    return {
        "child": {
            "given_name": "Amina",
            "family_name": "Yusuf",
            "date_of_birth": date_of_birth or born(10, month=4, day=3).isoformat(),
            "sex": "female",
            "nhs_number": "943 476 5919",
            "address": {"line_1": "12 Stapleton Road", "postcode": "bs5 0ra", "locality": locality},
            "carer": {
                "full_name": "Hodan Yusuf",
                "relationship": "mother",
                "has_parental_responsibility": True,
            },
        },
        "relationship_to_child": "Youth worker",
        "concerns": [NOT_ATTENDING],
        "what_has_been_tried": "Weekly mentoring at the youth club since March.",
        "urgency": "soon",
        "family_aware": "yes",
        "safeguarding_concern": False,
    }


def changed(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `body` with the field at a dotted path set to `value` (or removed: MISSING)."""
    result = copy.deepcopy(body)
    *parents, name = path.split(".")
    inner = result
    for parent in parents:
        inner = inner[parent]
    if value is MISSING:
        del inner[name]
    else:
        inner[name] = value
    return result


def send(
    client: Client,
    body: Any,
    *,
    key: str | None,
    idempotency_key: str | None = FIRST_KEY,
    raw: bool = False,
) -> HttpResponse:
    headers = {}
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {key}"
    if idempotency_key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    data = body if raw else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def assert_problem(response: HttpResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()[:2000]
    assert response["Content-Type"] == PROBLEM
    problem = json.loads(response.content)
    assert problem["status"] == status
    assert problem["title"]
    return problem


def fields_named(problem: dict[str, Any]) -> list[str]:
    return [error["field"] for error in problem.get("errors", [])]


def nothing_saved() -> bool:
    return (
        Child.objects.count() == 0
        and Referral.objects.count() == 0
        and IdempotencyRecord.objects.count() == 0
    )


@pytest.fixture
def token_key(volunteer: User, youth_project: Organisation, easton) -> tuple[ApiToken, str]:
    return accounts.api_token_issue(
        actor=None, organisation=youth_project, user=volunteer, name="Case-management tool"
    )


@pytest.fixture
def key(token_key) -> str:
    return token_key[1]


@pytest.fixture
def refer(client: Client, key: str) -> Callable[..., HttpResponse]:
    """POST a referral with the youth project's token."""

    def _refer(body: Any = None, **options: Any) -> HttpResponse:
        return send(client, payload() if body is None else body, key=key, **options)

    return _refer


# The voluntary group's system refers a child.


def test_voluntary_groups_system_refers_a_child(refer, volunteer, youth_project, token_key):
    response = refer()

    assert response.status_code == 201, response.content.decode()
    assert response["Content-Type"] == "application/json"
    assert "Idempotent-Replayed" not in response
    body = response.json()
    referral = Referral.objects.get()
    child = Child.objects.get()
    assert body["id"] == str(referral.pk)
    assert body["child_reference"] == child.reference
    assert reference_is_valid(body["child_reference"])
    assert body["status"] == ReferralStatus.RECEIVED == "received"
    assert body["signposting"] == ""
    assert [(check["rule"], check["met"]) for check in body["eligibility"]] == [
        ("locality", True),
        ("age", True),
    ]
    assert "Easton panel covers" in body["eligibility"][0]["explanation"]
    assert "The child is 10" in body["eligibility"][1]["explanation"]
    assert "aged 8 to 13" in body["eligibility"][1]["explanation"]

    # The person who answers for the token is the referrer, for the token's organisation.
    assert referral.referrer == volunteer
    assert referral.referring_organisation == youth_project
    assert referral.child == child
    assert list(referral.concerns.values_list("label", flat=True)) == [NOT_ATTENDING]
    assert referral.urgency == "soon"
    assert referral.relationship_to_child == "Youth worker"
    assert child.given_name == "Amina"
    assert child.date_of_birth == born(10, month=4, day=3)
    assert child.nhs_number == "9434765919"
    assert child.locality.slug == "easton"
    assert child.addresses.get().postcode == "BS5 0RA"
    member = HouseholdMember.objects.get(child=child)
    assert (member.full_name, member.relationship, member.has_parental_responsibility) == (
        "Hodan Yusuf",
        "mother",
        True,
    )
    involvement = Involvement.objects.get(child=child)
    assert involvement.role == InvolvementRole.REFERRER
    assert involvement.worker == volunteer
    assert involvement.organisation == youth_project
    assert involvement.ended_on is None

    created = AuditEntry.objects.filter(verb=AuditVerb.CREATE, path=URL)
    assert {(entry.target_type, entry.target_id) for entry in created} == {
        ("referrals.referral", str(referral.pk)),
        ("children.child", str(child.pk)),
    }
    assert {entry.actor_id for entry in created} == {volunteer.pk}
    assert {entry.method for entry in created} == {"POST"}
    token, _ = token_key
    token.refresh_from_db()
    assert token.last_used_at is not None


# Retrying safely with an Idempotency-Key.


def test_retry_with_the_same_key_and_body_gets_the_same_answer(refer):
    first = refer()
    retry = refer()

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1
    assert Child.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_same_key_with_a_different_body_is_refused(refer):
    first = refer()
    assert first.status_code == 201

    other = refer(changed(payload(), "child.given_name", "Hodan"))

    problem = assert_problem(other, 422)
    assert "Idempotency-Key" in problem["title"]
    assert Referral.objects.count() == 1
    assert Child.objects.get().given_name == "Amina"


def test_a_different_key_makes_a_second_referral(refer):
    first = refer()
    second = refer(idempotency_key=SECOND_KEY)

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert first.json()["id"] != second.json()["id"]
    assert Referral.objects.count() == 2


def test_keys_belong_to_one_token(refer, client, other_agency_worker):
    """Another organisation that happens to pick the same key gets its own referral."""
    organisation = Membership.objects.get(user=other_agency_worker).organisation
    _, other_key = accounts.api_token_issue(
        actor=None, organisation=organisation, user=other_agency_worker, name="Their system"
    )
    ours = refer()
    theirs = send(client, payload(), key=other_key)

    assert ours.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != ours.json()["id"]
    assert Referral.objects.get(pk=theirs.json()["id"]).referrer == other_agency_worker


def test_referring_a_child_already_known_reveals_nothing_of_the_existing_record(
    refer, client, other_agency_worker
):
    """The existing record is for the coordinator to compare (DESIGN.md, rule 1): the API
    answers another organisation with its own referral only, never the match it found."""
    organisation = Membership.objects.get(user=other_agency_worker).organisation
    _, other_key = accounts.api_token_issue(
        actor=None, organisation=organisation, user=other_agency_worker, name="Their system"
    )
    ours = refer()
    known = Child.objects.get()
    known.addresses.update(line_1="4 Mina Road")  # what only the first team knows
    theirs = send(client, changed(payload(), "child.given_name", "Aminah"), key=other_key)

    assert theirs.status_code == 201
    assert set(theirs.json()) == {
        "id",
        "child_reference",
        "status",
        "eligibility",
        "signposting",
        "submitted_at",
    }
    assert theirs.json()["child_reference"] != ours.json()["child_reference"]
    answer = theirs.content.decode()
    for secret in (known.reference, ours.json()["id"], "Mina Road", "Amina "):
        assert secret not in answer
    assert Referral.objects.get(pk=theirs.json()["id"]).possible_matches.get().candidate == known


def test_a_refused_request_is_not_remembered(refer):
    refused = refer(changed(payload(), "child.date_of_birth", "2016-02-30"))
    assert_problem(refused, 400)
    assert nothing_saved()

    corrected = refer()

    assert corrected.status_code == 201
    assert "Idempotent-Replayed" not in corrected
    assert Referral.objects.count() == 1


def test_the_idempotency_key_is_required(refer):
    problem = assert_problem(refer(idempotency_key=None), 400)

    assert "Idempotency-Key" in problem["title"]
    assert nothing_saved()


def test_the_idempotency_key_has_a_length_limit(refer):
    problem = assert_problem(refer(idempotency_key="k" * 256), 400)
    assert "Idempotency-Key" in problem["title"]
    assert nothing_saved()

    assert refer(idempotency_key="k" * 255).status_code == 201


# Only a valid token, for a person who still holds a role there, may refer.


def no_authorization(**_: Any) -> str | None:
    return None


def unknown_key(**_: Any) -> str | None:
    return UNKNOWN_KEY


def revoked(*, token: ApiToken, key: str, **_: Any) -> str | None:
    accounts.api_token_revoke(actor=None, token=token)
    return key


def user_deactivated(*, token: ApiToken, key: str, admin: User) -> str | None:
    accounts.user_deactivate(actor=admin, user=token.user)
    return key


def membership_ended(*, token: ApiToken, key: str, admin: User) -> str | None:
    membership = Membership.objects.get(user=token.user, organisation=token.organisation)
    accounts.membership_end(actor=admin, membership=membership)
    return key


@pytest.mark.parametrize(
    "credentials",
    [no_authorization, unknown_key, revoked, user_deactivated, membership_ended],
    ids=["no-authorization", "unknown-key", "revoked-token", "user-deactivated", "role-ended"],
)
def test_a_request_without_a_valid_token_is_refused(client, token_key, admin_user, credentials):
    token, key = token_key
    sent_key = credentials(token=token, key=key, admin=admin_user)

    response = send(client, payload(), key=sent_key)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert nothing_saved()


@pytest.mark.parametrize(
    "authorization",
    ["Bearer {key}", "Token", "Token    ", "Basic dXNlcjpwYXNz"],
    ids=["bearer-scheme", "token-without-key", "token-blank-key", "basic-auth"],
)
def test_other_authorization_headers_are_refused(client, key, authorization):
    response = client.post(
        URL,
        data=json.dumps(payload()),
        content_type="application/json",
        HTTP_AUTHORIZATION=authorization.format(key=key),
        HTTP_IDEMPOTENCY_KEY=FIRST_KEY,
    )

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert nothing_saved()


# Bad input: a 400 naming each field by its path in the body, and nothing saved.


BAD_INPUT = [
    ("missing-date-of-birth", "child.date_of_birth", MISSING, "child.date_of_birth"),
    ("impossible-date", "child.date_of_birth", "2016-02-30", "child.date_of_birth"),
    ("future-date-of-birth", "child.date_of_birth", "2999-01-01", "child.date_of_birth"),
    ("child-aged-40", "child.date_of_birth", lambda: born(40).isoformat(), "child.date_of_birth"),
    ("invalid-nhs-number", "child.nhs_number", "943 476 5918", "child.nhs_number"),
    ("unknown-locality", "child.address.locality", "atlantis", "child.address.locality"),
    ("bad-postcode", "child.address.postcode", "NOT A PC", "child.address.postcode"),
    ("unknown-concern", "concerns", ["Being a nuisance"], "concerns"),
    ("no-concerns", "concerns", [], "concerns"),
    ("script-in-name", "child.given_name", "<script>alert(1)</script>", "child.given_name"),
    ("what-tried-too-long", "what_has_been_tried", "x" * 10_000, "what_has_been_tried"),
    ("unknown-sex", "child.sex", "robot", "child.sex"),
    ("no-carer", "child.carer", MISSING, "child.carer"),
    ("safeguarding-without-details", "safeguarding_concern", True, "safeguarding_details"),
    ("family-not-aware-without-reason", "family_aware", "no", "family_not_aware_reason"),
]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_refused_field_by_field(refer, path, value, field):
    body = changed(payload(), path, value() if callable(value) else value)

    problem = assert_problem(refer(body), 400)

    assert field in fields_named(problem), problem
    assert all(error["message"] for error in problem["errors"])
    assert nothing_saved()


def test_several_errors_are_all_named(refer):
    body = changed(payload(), "child.address.postcode", "NOT A PC")
    body = changed(body, "child.date_of_birth", MISSING)
    body = changed(body, "urgency", "yesterday")

    problem = assert_problem(refer(body), 400)

    assert set(fields_named(problem)) == {
        "child.address.postcode",
        "child.date_of_birth",
        "urgency",
    }
    assert nothing_saved()


def test_a_body_that_is_not_json_is_refused(refer):
    problem = assert_problem(refer('{"child": {"given_name": "Amina",', raw=True), 400)

    assert "JSON" in problem["title"]
    assert nothing_saved()


def test_a_json_array_is_refused(refer):
    problem = assert_problem(refer([payload()]), 400)

    assert problem["errors"]
    assert "dictionary" in problem["errors"][0]["message"]
    assert nothing_saved()


# Where the referral goes.


def test_a_safeguarding_concern_goes_to_safeguarding(refer):
    body = changed(payload(), "safeguarding_concern", True)
    body = changed(body, "safeguarding_details", "Told a teacher an adult at home hurt her.")

    response = refer(body)

    assert response.status_code == 201, response.content.decode()
    assert response.json()["status"] == ReferralStatus.SAFEGUARDING == "safeguarding"
    assert Referral.objects.get().safeguarding_details.startswith("Told a teacher")


def test_a_child_too_old_for_the_panel_is_signposted(refer):
    response = refer(payload(date_of_birth=born(15).isoformat()))

    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["status"] == ReferralStatus.NOT_ELIGIBLE == "not_eligible"
    assert body["signposting"] == EASTON_SIGNPOSTING
    age = next(check for check in body["eligibility"] if check["rule"] == "age")
    assert age["met"] is False
    assert "The child is 15" in age["explanation"]
    assert Referral.objects.get().status == ReferralStatus.NOT_ELIGIBLE


def test_a_locality_no_panel_covers_is_not_eligible(refer, lockleaze):
    response = refer(payload(locality="lockleaze"))

    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["status"] == "not_eligible"
    assert body["eligibility"] == [
        {
            "rule": "locality",
            "met": False,
            "explanation": (
                "No panel in JoinedUp covers Lockleaze yet, so the referral cannot go to a panel."
            ),
        }
    ]


def test_reading_referrals_is_not_allowed(client, key):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {key}")

    assert_problem(response, 405)
    assert "POST" in response["Allow"]


# The OpenAPI document is public and tells the truth.


@pytest.fixture
def openapi(client, db) -> dict[str, Any]:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    return json.loads(response.content)


def validator_for(document: dict[str, Any], name: str) -> Draft4Validator:
    """A validator for one of the document's component schemas, its `$ref`s resolved in the
    document itself."""
    uri = "urn:joinedup:openapi"
    registry = Registry().with_resource(uri, Resource(contents=document, specification=DRAFT4))
    return Draft4Validator(
        {"$ref": f"{uri}#/components/schemas/{name}"},
        registry=registry,
        # Every format jsonschema can check, uuid and date among them.
        format_checker=FormatChecker(),
    )


def component_name(schema: dict[str, Any]) -> str:
    return schema["$ref"].removeprefix("#/components/schemas/")


def test_the_openapi_document_describes_the_referral_endpoint(openapi):
    operation = openapi["paths"][URL]["post"]

    assert set(openapi["paths"][URL]) == {"post"}
    header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header"
    assert header["required"] is True
    assert {"organisationToken": []} in operation["security"]
    assert openapi["components"]["securitySchemes"]["organisationToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`Token <key>`, issued to your organisation by its administrator.",
    }
    assert {"201", "400", "401", "422"} <= set(operation["responses"])
    assert SCHEMA_URL not in openapi["paths"]


def test_the_example_request_matches_the_documented_request_schema(openapi):
    schema = openapi["paths"][URL]["post"]["requestBody"]["content"]["application/json"]
    validator = validator_for(openapi, component_name(schema["schema"]))

    assert list(validator.iter_errors(payload())) == []
    assert list(validator.iter_errors(changed(payload(), "child", MISSING)))


def test_a_created_referral_matches_the_documented_response(openapi, refer):
    response = refer()
    assert response.status_code == 201
    body = response.json()
    schema = openapi["paths"][URL]["post"]["responses"]["201"]["content"]["application/json"]
    name = component_name(schema["schema"])
    validator = validator_for(openapi, name)

    assert [error.message for error in validator.iter_errors(body)] == []
    # Nothing undocumented, and the check is real: a wrong body fails it.
    assert set(body) == set(openapi["components"]["schemas"][name]["properties"])
    assert list(validator.iter_errors({**body, "eligibility": [{"rule": "age"}]}))
    assert list(validator.iter_errors({**body, "id": "not-a-uuid"}))
    assert uuid.UUID(body["id"])
    assert datetime.fromisoformat(body["submitted_at"]).tzinfo is not None


def test_the_optional_details_reach_the_child_record(refer):
    school = SchoolFactory(slug="easton-church-school")
    body = payload()
    body["child"].update(
        other_names=["Ayan Warsame"],
        ethnicity="black_african",
        first_language="Somali",
        interpreter_needed=True,
        religion="muslim",
        school=school.slug,
    )

    response = refer(body)

    assert response.status_code == 201, response.content.decode()
    child = Child.objects.get()
    assert child.other_names == ["Ayan Warsame"]
    assert (child.ethnicity, child.first_language, child.religion) == (
        "black_african",
        "Somali",
        "muslim",
    )
    assert child.interpreter_needed is True
    assert child.school == school


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("child.ethnicity", "not-an-ethnicity"),
        ("child.religion", "not-a-religion"),
        ("child.school", "no-such-school"),
        ("child.other_names", "not a list"),
    ],
    ids=["ethnicity", "religion", "school", "other-names"],
)
def test_bad_optional_details_are_refused_naming_the_field(refer, path, value):
    response = refer(changed(payload(), path, value))

    problem = assert_problem(response, 400)
    assert path in fields_named(problem)
    assert nothing_saved()
