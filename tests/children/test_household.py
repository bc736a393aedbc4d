"""The team around a child adds and corrects the child's parents, carers and household after
the referral: a second parent with parental responsibility, a carer who moved out, a mistyped
name or telephone number."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.children import services
from joinedup.children.models import HouseholdMember, InvolvementRole, Relationship
from joinedup.consent import services as consent
from joinedup.consent.models import ConsentRecord, HowTold, Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from tests.accounts.pages import error_summary, messages_shown, summary_names_field
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    InvolvementFactory,
    PanelFactory,
    PanelMemberFactory,
    ParentFactory,
    ReferralFactory,
)

UUID_TEXT = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")

FATHER = {
    "full_name": "Abdi Yusuf",
    "relationship": Relationship.FATHER,
    "has_parental_responsibility": "yes",
    "lives_with_child": "no",
    "telephone": "07700 900123",
}


@pytest.fixture
def child(db):
    return ChildFactory(given_name="Amina", family_name="Yusuf")


@pytest.fixture
def mother(child):
    return ParentFactory(child=child, full_name="Hodan Yusuf", telephone="0117 496 0001")


@pytest.fixture
def in_team(child, keyworker):
    InvolvementFactory(child=child, worker=keyworker, role=InvolvementRole.KEYWORKER)
    return keyworker


def _add_url(child):
    return reverse("children:household_add", kwargs={"reference": child.reference})


def _change_url(member, child=None):
    return reverse(
        "children:household_change",
        kwargs={"reference": (child or member.child).reference, "member_id": member.pk},
    )


def _answers(member, **changes):
    answers = {
        "full_name": member.full_name,
        "relationship": member.relationship,
        "has_parental_responsibility": "yes" if member.has_parental_responsibility else "no",
        "lives_with_child": "yes" if member.lives_with_child else "no",
        "telephone": member.telephone,
    }
    return {**answers, **changes}


def _details(**overrides):
    values = {
        "full_name": "Abdi Yusuf",
        "relationship": Relationship.FATHER,
        "has_parental_responsibility": True,
        "lives_with_child": False,
        "telephone": "07700 900123",
    }
    return services.HouseholdMemberDetails(**{**values, **overrides})


def _details_of(member, **changes):
    values = {
        "full_name": member.full_name,
        "relationship": member.relationship,
        "has_parental_responsibility": member.has_parental_responsibility,
        "lives_with_child": member.lives_with_child,
        "telephone": member.telephone,
    }
    return {**values, **changes}


def _as_saved(member):
    return HouseholdMember.objects.values_list(
        "full_name", "relationship", "has_parental_responsibility", "lives_with_child", "telephone"
    ).get(pk=member.pk)


def _household_entries(child):
    return AuditEntry.objects.filter(
        verb=AuditVerb.UPDATE, target_id=str(child.pk), fields=["household"]
    )


# --------------------------------------------------------------------------- adding


def test_a_keyworker_adds_a_second_parent_who_shows_on_the_child_page(
    child, mother, in_team, sign_in
):
    client = sign_in(in_team)
    form = client.get(_add_url(child))
    assert form.status_code == 200
    content = form.content.decode()
    assert "Add a parent, carer or household member" in content
    assert f'Amina Yusuf, <span class="app-code">{child.reference}</span>' in content
    assert "What parental responsibility means" in content

    response = client.post(_add_url(child), FATHER)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "children:child_detail", kwargs={"reference": child.reference}
    )
    father = HouseholdMember.objects.get(child=child, full_name="Abdi Yusuf")
    assert father.relationship == Relationship.FATHER
    assert father.has_parental_responsibility
    assert not father.lives_with_child
    assert father.telephone == "07700 900123"
    page = client.get(response["Location"])
    assert messages_shown(page) == ["Added to the household: father"]
    text = page.content.decode()
    assert "Abdi Yusuf" in text
    assert "Hodan Yusuf" in text
    assert _change_url(father) in text
    assert 'Change<span class="govuk-visually-hidden"> details of Abdi Yusuf</span>' in text
    entry = _household_entries(child).get()
    assert entry.actor == in_team
    assert entry.detail == {"household_member": str(father.pk), "added": True}


def test_the_second_parent_can_then_give_consent(child, mother, in_team):
    father = services.household_member_add(actor=in_team, child=child, details=_details())

    consent.consent_record(
        actor=in_team,
        child=child,
        given=consent.ConsentGiven(
            method="verbal",
            witness_name="Wendy Witness",
            given_on=timezone.localdate(),
            household_member=father,
            scopes=[Scope.ASSESSMENT],
        ),
    )

    assert consent.consent_in_force(child=child, scope=Scope.ASSESSMENT)


def test_the_coordinator_of_the_childs_panel_may_add_a_carer(child, sign_in):
    panel = PanelFactory()
    coordinator = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    ReferralFactory(child=child, panel=panel)

    response = sign_in(coordinator).post(_add_url(child), FATHER)

    assert response.status_code == 302
    assert child.household.filter(full_name="Abdi Yusuf").exists()


def test_the_empty_household_offers_to_add_someone(child, in_team, sign_in):
    page = sign_in(in_team).get(
        reverse("children:child_detail", kwargs={"reference": child.reference})
    )
    text = page.content.decode()
    assert "Nobody recorded yet" in text
    assert _add_url(child) in text
    assert "Add a parent, carer or household member" in text


# --------------------------------------------------------------------------- changing


def test_a_keyworker_corrects_a_carer_who_moved_out_and_a_mistyped_telephone(
    child, mother, in_team, sign_in
):
    client = sign_in(in_team)
    form = client.get(_change_url(mother))
    assert form.status_code == 200
    content = form.content.decode()
    assert "Change details of Hodan Yusuf" in content
    assert 'value="0117 496 0001"' in content

    response = client.post(
        _change_url(mother), _answers(mother, lives_with_child="no", telephone="0117 496 0002")
    )

    assert response.status_code == 302
    mother.refresh_from_db()
    assert not mother.lives_with_child
    assert mother.telephone == "0117 496 0002"
    assert messages_shown(client.get(response["Location"])) == ["Details saved"]
    entry = _household_entries(child).get()
    assert entry.detail == {
        "household_member": str(mother.pk),
        "changed": ["lives_with_child", "telephone"],
    }


def test_correcting_a_parents_name_keeps_her_consent_linked_and_in_force(child, mother, in_team):
    record = ConsentRecordFactory(child=child, household_member=mother)

    services.household_member_change(
        actor=in_team,
        member=mother,
        details=_details(**_details_of(mother, full_name="Hodan Yusof")),
    )

    record.refresh_from_db()
    assert record.household_member_id == mother.pk
    assert record.household_member.full_name == "Hodan Yusof"
    assert consent.consent_in_force(child=child, scope=Scope.PANEL_DISCUSSION)


def test_a_change_that_changes_nothing_is_neither_audited_nor_an_error(
    child, mother, in_team, sign_in
):
    before = HouseholdMember.objects.get(pk=mother.pk).updated_at
    services.household_member_change(
        actor=in_team,
        member=mother,
        details=_details(**_details_of(mother, full_name=" Hodan Yusuf ")),
    )
    client = sign_in(in_team)
    response = client.post(_change_url(mother), _answers(mother))

    assert response.status_code == 302
    assert messages_shown(client.get(response["Location"])) == ["Nothing was changed"]
    assert HouseholdMember.objects.get(pk=mother.pk).updated_at == before
    assert not _household_entries(child).exists()


# ------------------------------------------------------------------- parental responsibility


def test_parental_responsibility_cannot_be_taken_from_a_parent_whose_consent_is_in_force(
    child, mother, in_team, sign_in
):
    ConsentRecordFactory(child=child, household_member=mother, scope=Scope.PANEL_DISCUSSION)
    before = _as_saved(mother)

    with pytest.raises(services.ChildRecordError) as refused:
        services.household_member_change(
            actor=in_team,
            member=mother,
            details=_details(**_details_of(mother, has_parental_responsibility=False)),
        )
    assert refused.value.field == "has_parental_responsibility"
    assert "Discussion at the panel" in refused.value.message
    assert "consent" in refused.value.message

    response = sign_in(in_team).post(
        _change_url(mother), _answers(mother, has_parental_responsibility="no", telephone="")
    )
    assert response.status_code == 200
    assert summary_names_field(response, "id_has_parental_responsibility")
    assert "consent that is in force" in error_summary(response)[0][1]
    assert _as_saved(mother) == before
    assert consent.consent_in_force(child=child, scope=Scope.PANEL_DISCUSSION)
    assert not _household_entries(child).exists()


def test_parental_responsibility_can_be_corrected_once_their_consent_is_withdrawn(
    child, mother, in_team
):
    record = ConsentRecordFactory(child=child, household_member=mother)
    consent.consent_withdraw(
        actor=in_team, record=record, reason="No reason given", told_us=HowTold.TELEPHONE
    )

    services.household_member_change(
        actor=in_team,
        member=mother,
        details=_details(**_details_of(mother, has_parental_responsibility=False)),
    )

    mother.refresh_from_db()
    assert not mother.has_parental_responsibility
    assert ConsentRecord.objects.get(pk=record.pk).household_member == mother


def test_parental_responsibility_can_be_given_to_a_carer_without_consent(child, in_team):
    grandmother = ParentFactory(
        child=child, relationship=Relationship.GRANDPARENT, has_parental_responsibility=False
    )
    services.household_member_change(
        actor=in_team,
        member=grandmother,
        details=_details(**_details_of(grandmother, has_parental_responsibility=True)),
    )
    grandmother.refresh_from_db()
    assert grandmother.has_parental_responsibility


# --------------------------------------------------------------------------- who may


def _outsider(kind, child):
    if kind == "another organisation's keyworker":
        return make_person(Role.KEYWORKER)
    panel = PanelFactory()
    ReferralFactory(child=child, panel=panel)
    member = make_person(Role.PANEL_MEMBER)
    PanelMemberFactory(panel=panel, user=member, role=PanelRole.MEMBER)
    return member


OUTSIDERS = ["another organisation's keyworker", "panel member not on this case"]


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_someone_outside_the_team_gets_not_found_and_nothing_changes(
    kind, child, mother, in_team, sign_in
):
    outsider = _outsider(kind, child)
    client = sign_in(outsider)
    before = _as_saved(mother)

    assert client.get(_add_url(child)).status_code == 404
    assert client.post(_add_url(child), FATHER).status_code == 404
    assert client.get(_change_url(mother)).status_code == 404
    changed = _answers(mother, full_name="Someone Else", telephone="0117 000 0000")
    assert client.post(_change_url(mother), changed).status_code == 404

    assert list(child.household.all()) == [mother]
    assert _as_saved(mother) == before
    assert not _household_entries(child).exists()
    with pytest.raises(services.ChildRecordError) as refused:
        services.household_member_add(actor=outsider, child=child, details=_details())
    assert refused.value.code == "not_in_team"
    with pytest.raises(services.ChildRecordError):
        services.household_member_change(actor=outsider, member=mother, details=_details())
    assert _as_saved(mother) == before


def test_a_member_of_another_childs_household_is_not_found_under_this_child(
    child, in_team, sign_in
):
    elsewhere = ParentFactory(child=ChildFactory())
    response = sign_in(in_team).get(_change_url(elsewhere, child=child))
    assert response.status_code == 404


def test_a_merged_reference_leads_to_the_record_that_stands_and_takes_no_changes(
    child, mother, in_team, sign_in
):
    second = ChildFactory(given_name="Amina", family_name="Yusuf")
    services.child_merge(actor=None, survivor=child, merged=second, reason="Same child")
    client = sign_in(in_team)

    response = client.get(_add_url(second))
    assert response.status_code == 302
    assert response["Location"] == _add_url(child)
    assert client.post(_add_url(second), FATHER).status_code == 404
    response = client.get(_change_url(mother, child=second))
    assert response.status_code == 302
    assert response["Location"] == _change_url(mother)
    changed = _answers(mother, full_name="Someone Else")
    assert client.post(_change_url(mother, child=second), changed).status_code == 404
    assert HouseholdMember.objects.get(pk=mother.pk).full_name == "Hodan Yusuf"
    assert not child.household.filter(full_name="Abdi Yusuf").exists()


# --------------------------------------------------------------------------- bad input


BAD_DETAILS = [
    ("blank name", {"full_name": "   "}, "full_name"),
    ("unknown relationship", {"relationship": "uncle-ish"}, "relationship"),
    ("name too long", {"full_name": "x" * 151}, "full_name"),
    ("telephone too long", {"telephone": "0" * 41}, "telephone"),
]


@pytest.mark.parametrize(
    ("overrides", "field"), [(o, f) for _, o, f in BAD_DETAILS], ids=[i for i, _, _ in BAD_DETAILS]
)
def test_bad_input_names_the_field_and_saves_nothing(overrides, field, child, mother, in_team):
    with pytest.raises(services.ChildRecordError) as refused:
        services.household_member_add(actor=in_team, child=child, details=_details(**overrides))
    assert refused.value.field == field
    assert list(child.household.all()) == [mother]

    before = _as_saved(mother)
    with pytest.raises(services.ChildRecordError) as refused:
        services.household_member_change(
            actor=in_team, member=mother, details=_details(**_details_of(mother, **overrides))
        )
    assert refused.value.field == field
    assert _as_saved(mother) == before
    assert not _household_entries(child).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", ""),
        ("full_name", "x" * 151),
        ("relationship", "uncle-ish"),
        ("has_parental_responsibility", "maybe"),
        ("lives_with_child", ""),
        ("telephone", "call me maybe"),
    ],
)
def test_the_form_names_the_field_and_saves_nothing(field, value, child, in_team, sign_in):
    response = sign_in(in_team).post(_add_url(child), {**FATHER, field: value})
    assert response.status_code == 200
    assert summary_names_field(response, f"id_{field}"), error_summary(response)
    assert not child.household.exists()


# --------------------------------------------------------------------------- audit and cost


def test_audit_entries_name_the_member_and_fields_but_never_the_person(child, mother, in_team):
    father = services.household_member_add(actor=in_team, child=child, details=_details())
    services.household_member_change(
        actor=in_team,
        member=mother,
        details=_details(**_details_of(mother, full_name="Hodan Warsame", telephone="0117 9")),
    )

    entries = list(_household_entries(child))
    assert len(entries) == 2
    everything = json.dumps([[e.detail, e.fields, e.purpose, e.target_id] for e in entries])
    # A record's id is hex, and may hold "0117" by chance: the ids are not what is checked.
    everything = UUID_TEXT.sub("<id>", everything)
    for secret in ("Abdi", "Yusuf", "Hodan", "Warsame", "07700", "0117"):
        assert secret not in everything
    assert {e.detail["household_member"] for e in entries} == {str(father.pk), str(mother.pk)}
    changed = next(e for e in entries if "changed" in e.detail)
    assert changed.detail["changed"] == ["full_name", "telephone"]


def test_the_child_page_costs_the_same_queries_for_1_household_member_as_for_8(
    child, mother, in_team, sign_in
):
    client = sign_in(in_team)
    url = reverse("children:child_detail", kwargs={"reference": child.reference})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(7):
        ParentFactory(child=child, full_name=f"Relative {n}", relationship=Relationship.SIBLING)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("> details of ") == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_consent_page_with_nobody_to_consent_links_to_adding_a_parent(child, in_team, sign_in):
    page = sign_in(in_team).get(
        reverse("consent:consent_record", kwargs={"reference": child.reference})
    )
    assert _add_url(child) in page.content.decode()
