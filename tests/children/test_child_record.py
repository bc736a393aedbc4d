from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.children import services
from joinedup.children.identifiers import (
    REFERENCE_ALPHABET,
    new_reference,
    nhs_number_is_valid,
    reference_is_valid,
)
from joinedup.children.models import Child, HouseholdMember, InvolvementRole, Relationship
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from tests.conftest import make_person
from tests.factories import ChildFactory, InvolvementFactory, LocalityFactory, ReferralFactory


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_nhs_numbers_with_a_correct_check_digit_are_accepted(number):
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "943476591", "94347659190", "abcdefghij", ""])
def test_nhs_numbers_with_a_wrong_check_digit_or_length_are_refused(number):
    assert not nhs_number_is_valid(number)


def test_a_reference_catches_one_mistyped_or_swapped_character():
    for _ in range(200):
        reference = new_reference()
        assert reference_is_valid(reference)
        body = reference.replace("-", "")[2:]
        for i in range(len(body) - 1):
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            if swapped != body:
                assert not reference_is_valid(f"JU-{swapped[:4]}-{swapped[4:]}")
        for i in range(len(body)):
            for char in REFERENCE_ALPHABET:
                typo = body[:i] + char + body[i + 1 :]
                if typo != body:
                    assert not reference_is_valid(f"JU-{typo[:4]}-{typo[4:]}")
    assert not reference_is_valid("JU-0000-000Z")
    assert not reference_is_valid("JU-IIII-III0")  # letters Crockford leaves out


def _details(**overrides):
    values = {
        "given_name": "Amina",
        "family_name": "Yusuf",
        "date_of_birth": timezone.localdate() - timedelta(days=365 * 10),
        "nhs_number": "943 476 5919",
        "household": [
            services.HouseholdMemberDetails(
                full_name="Hodan Yusuf",
                relationship=Relationship.MOTHER,
                has_parental_responsibility=True,
            )
        ],
    }
    values.update(overrides)
    return services.ChildDetails(**values)


def test_creating_a_record_gives_a_reference_a_pseudonym_and_an_audit_entry(db, keyworker):
    child = services.child_create(actor=keyworker, details=_details())
    assert reference_is_valid(child.reference)
    assert child.pseudonym.startswith("Child ")
    assert child.nhs_number == "9434765919"
    assert str(child) == child.pseudonym  # never a name in logs
    entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(child.pk))
    assert "date_of_birth" in entry.fields
    assert entry.actor == keyworker


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": timezone.localdate() + timedelta(days=30)}, "date_of_birth"),
        ({"date_of_birth": date(1986, 1, 1)}, "date_of_birth"),
        ({"nhs_number": "9434765918"}, "nhs_number"),
    ],
)
def test_bad_details_name_the_field_and_save_nothing(db, keyworker, overrides, field):
    with pytest.raises(services.ChildRecordError) as error:
        services.child_create(actor=keyworker, details=_details(**overrides))
    assert error.value.field == field
    assert not Child.objects.exists()
    assert not HouseholdMember.objects.exists()


def test_a_household_that_cannot_be_saved_leaves_no_half_record(db, keyworker):
    bad_member = services.HouseholdMemberDetails(full_name="x" * 500, relationship="mother")
    with pytest.raises(services.ChildRecordError) as error:
        services.child_create(actor=keyworker, details=_details(household=[bad_member]))
    assert error.value.field == "household_full_name"
    assert not Child.objects.exists()
    assert not AuditEntry.objects.filter(verb=AuditVerb.CREATE).exists()


@pytest.fixture
def child_with_keyworker(db, keyworker):
    child = ChildFactory(given_name="Amina", family_name="Yusuf", nhs_number="9434765919")
    InvolvementFactory(child=child, worker=keyworker, role=InvolvementRole.KEYWORKER)
    return child


def test_keyworker_in_the_team_sees_the_whole_record(child_with_keyworker, keyworker, sign_in):
    response = sign_in(keyworker).get(
        reverse("children:child_detail", kwargs={"reference": child_with_keyworker.reference})
    )
    assert response.status_code == 200
    assert b"Amina Yusuf" in response.content
    assert child_with_keyworker.reference.encode() in response.content
    entry = AuditEntry.objects.filter(verb=AuditVerb.READ, target_id=str(child_with_keyworker.pk))
    assert "nhs_number" in entry.get().fields


def test_another_agencys_worker_sees_only_the_pseudonym(child_with_keyworker, sign_in):
    outsider = make_person(Role.KEYWORKER)
    client = sign_in(outsider)
    detail = client.get(
        reverse("children:child_detail", kwargs={"reference": child_with_keyworker.reference})
    )
    caseload = client.get(reverse("children:caseload"))
    for response in (detail, caseload):
        assert response.status_code == 200
        for secret in (b"Amina", b"Yusuf", b"9434765919", b"943 476 5919"):
            assert secret not in response.content
    assert child_with_keyworker.pseudonym.encode() in detail.content
    assert child_with_keyworker.age_band.encode() in detail.content
    entry = AuditEntry.objects.get(verb=AuditVerb.READ, target_id=str(child_with_keyworker.pk))
    assert entry.fields == ["pseudonym", "age_band", "locality"]


def test_when_the_work_ends_the_identity_is_hidden_again(child_with_keyworker, keyworker, sign_in):
    involvement = child_with_keyworker.involvements.get()
    services.involvement_end(actor=keyworker, involvement=involvement)
    tomorrow = timezone.localdate() + timedelta(days=1)
    involvement.refresh_from_db()
    assert involvement.ended_on is not None and involvement.ended_on < tomorrow
    response = sign_in(keyworker).get(
        reverse("children:child_detail", kwargs={"reference": child_with_keyworker.reference})
    )
    assert b"Amina" not in response.content


@pytest.mark.parametrize("role", [Role.STRATEGIC_MANAGER, Role.IG_OFFICER, Role.SYSTEM_ADMIN])
def test_roles_that_do_not_work_with_children_cannot_open_child_pages(
    child_with_keyworker, sign_in, role
):
    client = sign_in(make_person(role))
    url = reverse("children:child_detail", kwargs={"reference": child_with_keyworker.reference})
    assert client.get(url).status_code == 403
    assert client.get(reverse("children:caseload")).status_code == 403


def test_an_unknown_reference_is_not_found(db, keyworker, sign_in):
    response = sign_in(keyworker).get(
        reverse("children:child_detail", kwargs={"reference": "JU-0000-0000"})
    )
    assert response.status_code == 404


def test_the_caseload_costs_the_same_queries_for_3_children_as_for_30(db, keyworker, sign_in):
    client = sign_in(keyworker)
    locality = LocalityFactory()

    def add(n):
        for _ in range(n):
            InvolvementFactory(child=ChildFactory(locality=locality), worker=keyworker)

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("children:caseload")).status_code == 200
    add(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("children:caseload"))
    assert len(response.context["children"]) == 30
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_record_shows_who_is_involved_now_and_who_was_before(db, sign_in):
    keyworker = make_person(Role.KEYWORKER, full_name="Kim Keyworker")
    child = ChildFactory(given_name="Amina", family_name="Yusuf")
    InvolvementFactory(child=child, worker=keyworker, role=InvolvementRole.KEYWORKER)
    left = InvolvementFactory(
        child=child,
        role=InvolvementRole.SERVICE,
        started_on=timezone.localdate() - timedelta(days=200),
        ended_on=timezone.localdate() - timedelta(days=30),
    )
    ReferralFactory(child=child)
    ReferralFactory(child=child)

    page = sign_in(keyworker).get(
        reverse("children:child_detail", kwargs={"reference": child.reference})
    )

    text = page.content.decode()
    now, before = text.split("Who worked with the child before")
    assert "Kim Keyworker" in now
    assert (
        left.organisation.name in before
        and left.organisation.name not in now.split("Who is involved")[1]
    )
    assert "Referred 2 times" in text
