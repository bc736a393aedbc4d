"""Rectification of a household member's details: an information governance officer corrects a
parent's or carer's name, relationship, parental responsibility, living with the child or
telephone, through the children app's household service (so its rules hold), and the
correction is kept like the child's own: what it said, what it says now, who asked and why."""

import pytest
from django.urls import reverse

from joinedup.children import timeline
from joinedup.children.models import HouseholdMember
from joinedup.consent.models import Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.records import retention, sar
from joinedup.records.models import Rectification
from joinedup.records.services import (
    RecordsError,
    RectificationDetails,
    SarDetails,
    member_rectification_record,
    sar_create,
)
from tests.conftest import make_person
from tests.factories import ChildFactory, ConsentRecordFactory, ParentFactory


@pytest.fixture
def child(db):
    return ChildFactory(given_name="Amina", family_name="Yusuf")


@pytest.fixture
def mother(child):
    return ParentFactory(child=child, full_name="Hodan Yusef", telephone="0117 496 0001")


def _details(**changes):
    values = {
        "field": "full_name",
        "new_value": "Hodan Yusuf",
        "requested_by": "Hodan Yusuf (mother)",
        "reason": "Her name was misspelt on the referral",
    }
    return RectificationDetails(**(values | changes))


def test_an_officer_corrects_a_members_name_and_what_it_said_is_kept(mother, ig_officer):
    rectification = member_rectification_record(actor=ig_officer, member=mother, details=_details())

    mother.refresh_from_db()
    assert mother.full_name == "Hodan Yusuf"
    assert (rectification.old_value, rectification.new_value) == ("Hodan Yusef", "Hodan Yusuf")
    assert rectification.household_member == mother
    assert rectification.child == mother.child
    assert rectification.recorded_by == ig_officer
    # The household service's own entry says it was a rectification, by the officer.
    change = AuditEntry.objects.filter(target_id=str(mother.child.pk), fields=["household"]).latest(
        "at"
    )
    assert change.actor_id == ig_officer.pk
    assert change.purpose.startswith("Rectification:")
    assert AuditEntry.objects.filter(
        verb=AuditVerb.CREATE, target_id=str(rectification.pk)
    ).exists()


@pytest.mark.parametrize(
    ("field", "typed", "saved", "kept"),
    [
        ("relationship", "kinship carer", "kinship_carer", "Kinship carer"),
        ("lives_with_child", "No", False, "No"),
        ("telephone", "0117 496 0002", "0117 496 0002", "0117 496 0002"),
    ],
)
def test_each_detail_can_be_corrected_and_is_kept_in_words(
    mother, ig_officer, field, typed, saved, kept
):
    rectification = member_rectification_record(
        actor=ig_officer, member=mother, details=_details(field=field, new_value=typed)
    )

    mother.refresh_from_db()
    assert getattr(mother, field) == saved
    assert rectification.new_value == kept


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"field": "date_of_birth"}, "field"),
        ({"new_value": " "}, "new_value"),
        ({"field": "relationship", "new_value": "Aunt"}, "new_value"),
        ({"field": "has_parental_responsibility", "new_value": "maybe"}, "new_value"),
        ({"new_value": "Hodan Yusef"}, "new_value"),  # already says this
        ({"field": "telephone", "new_value": "0" * 41}, "new_value"),
        ({"requested_by": ""}, "requested_by"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_corrections_are_refused_by_field_and_nothing_is_saved(
    mother, ig_officer, changes, field
):
    with pytest.raises(RecordsError) as error:
        member_rectification_record(actor=ig_officer, member=mother, details=_details(**changes))

    assert error.value.field == field
    mother.refresh_from_db()
    assert (mother.full_name, mother.telephone) == ("Hodan Yusef", "0117 496 0001")
    assert not Rectification.objects.exists()


def test_the_household_rule_on_consent_holds_for_a_correction(child, mother, ig_officer):
    ConsentRecordFactory(child=child, household_member=mother, scope=Scope.PANEL_DISCUSSION)

    with pytest.raises(RecordsError) as error:
        member_rectification_record(
            actor=ig_officer,
            member=mother,
            details=_details(field="has_parental_responsibility", new_value="No"),
        )

    assert error.value.code == "consent_in_force"
    assert "withdraw their consent" in error.value.message
    mother.refresh_from_db()
    assert mother.has_parental_responsibility
    assert not Rectification.objects.exists()


def test_only_an_officer_may_correct_from_outside_the_team(mother):
    someone = make_person(Role.KEYWORKER)

    with pytest.raises(RecordsError) as error:
        member_rectification_record(actor=someone, member=mother, details=_details())

    assert error.value.code == "not_in_team"


def test_the_correction_shows_by_relationship_on_the_page_timeline_and_copy(
    child, mother, ig_officer, sign_in
):
    member_rectification_record(actor=ig_officer, member=mother, details=_details())

    page = sign_in(ig_officer).get(reverse("records:child_rights", args=[child.reference]))
    html = page.content.decode()
    assert "Household member (mother): their name" in html
    # What the record said and says now are in the subject access copy, not on the page.
    assert "Yusef" not in html
    events = timeline.events_for(child=child, viewer=ig_officer)
    assert any(e.what.startswith("Household member (mother): their name corrected") for e in events)
    request = sar_create(
        actor=ig_officer,
        details=SarDetails(
            reference=child.reference,
            requester_name="Hodan Yusuf",
            requester="parent",
            received_on=mother.created_at.date(),
        ),
    )
    data = sar.bundle(request, produced_by=ig_officer)
    [correction] = data["rectifications"]
    assert correction["household_member"] == "Mother"
    assert correction["old_value"] == "Hodan Yusef"
    # The old name is someone's name: it is listed for the officer to review before release.
    assert "Hodan Yusef" in {party["name"] for party in data["third_parties"]}


def test_the_old_name_is_among_the_names_anonymisation_removes(child, mother, ig_officer):
    member_rectification_record(actor=ig_officer, member=mother, details=_details())

    assert "Hodan Yusef" in retention.names_of(child)


def test_the_form_corrects_the_member_chosen_by_relationship(child, mother, ig_officer, sign_in):
    client = sign_in(ig_officer)
    url = reverse("records:member_rectification_add", args=[child.reference])
    assert (
        reverse("records:member_rectification_add", args=[child.reference])
        in client.get(reverse("records:child_rights", args=[child.reference])).content.decode()
    )
    form = client.get(url).content.decode()
    assert "Mother, with parental responsibility" in form and "Hodan" not in form

    response = client.post(
        url,
        {
            "member": str(mother.pk),
            "field": "telephone",
            "new_value": "0117 496 0009",
            "requested_by": "Hodan Yusuf",
            "reason": "Number changed",
        },
    )

    assert response.status_code == 302
    assert HouseholdMember.objects.get(pk=mother.pk).telephone == "0117 496 0009"


def test_a_child_with_no_household_is_told_so(db, ig_officer, sign_in):
    alone = ChildFactory()

    page = sign_in(ig_officer).get(
        reverse("records:member_rectification_add", args=[alone.reference])
    )

    assert "No parents, carers or other household members are recorded" in page.content.decode()
