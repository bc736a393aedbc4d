"""Rectification and restriction of processing: a correction changes the record through one
service and keeps what it said; a restriction holds the child off every agenda, holds
referrals and plans, and shows a banner on the child's record until it is lifted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.children import timeline
from joinedup.children.models import HouseholdMember, MatchKey
from joinedup.children.services import match_keys_refresh
from joinedup.consent import services as consent
from joinedup.consent.models import Method, Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels import services as panels
from joinedup.panels.models import AgendaItem, PanelRole
from joinedup.plans import services as plans
from joinedup.records.models import Rectification, Restriction
from joinedup.records.services import (
    RecordsError,
    RectificationDetails,
    rectification_record,
    restriction_lift,
    restriction_start,
)
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)


@pytest.fixture
def child(db):
    child = ChildFactory(given_name="Zebedee", family_name="Quixwort")
    match_keys_refresh(child)
    return child


def _details(**changes):
    values = {
        "field": "family_name",
        "new_value": "Quickwort",
        "requested_by": "Philippa Quixwort (mother)",
        "reason": "Misspelt on the referral",
    }
    return RectificationDetails(**(values | changes))


def test_a_correction_changes_the_record_and_keeps_what_it_said(child, ig_officer):
    old_keys = set(MatchKey.objects.filter(child=child).values_list("key", flat=True))

    rectification = rectification_record(actor=ig_officer, child=child, details=_details())

    child.refresh_from_db()
    assert child.family_name == "Quickwort"
    assert (rectification.old_value, rectification.new_value) == ("Quixwort", "Quickwort")
    assert set(MatchKey.objects.filter(child=child).values_list("key", flat=True)) != old_keys
    entry = AuditEntry.objects.filter(verb=AuditVerb.UPDATE, target_id=str(child.pk)).get()
    assert entry.fields == ["family_name"]
    assert entry.purpose == "Rectification: Misspelt on the referral"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"field": "nhs_number", "new_value": "123"}, "new_value"),
        ({"field": "date_of_birth", "new_value": "14/02/2016"}, "new_value"),
        ({"field": "sex", "new_value": "unsure"}, "new_value"),
        ({"field": "given_name", "new_value": ""}, "new_value"),
        ({"new_value": "Quixwort"}, "new_value"),  # the record already says so
        ({"field": "address"}, "field"),
        ({"requested_by": " "}, "requested_by"),
        ({"reason": ""}, "reason"),
    ],
)
def test_a_bad_correction_names_the_field_and_changes_nothing(child, ig_officer, changes, field):
    with pytest.raises(RecordsError) as refusal:
        rectification_record(actor=ig_officer, child=child, details=_details(**changes))

    assert refusal.value.field == field
    child.refresh_from_db()
    assert (child.given_name, child.family_name) == ("Zebedee", "Quixwort")
    assert not Rectification.objects.exists()


def test_a_correction_of_sex_accepts_the_words_of_the_choice(child, ig_officer):
    rectification_record(
        actor=ig_officer, child=child, details=_details(field="sex", new_value="Female")
    )
    child.refresh_from_db()
    assert child.sex == "female"


@pytest.fixture
def on_the_way_to_panel(child):
    panel = PanelFactory()
    coordinator = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    referral = ReferralFactory(child=child, panel=panel)
    mother = HouseholdMember.objects.create(
        child=child,
        full_name="Philippa Quixwort",
        relationship="mother",
        has_parental_responsibility=True,
    )
    InvolvementFactory(child=child, worker=coordinator)
    consent.consent_record(
        actor=coordinator,
        child=child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name="Wendy Witness",
            given_on=timezone.localdate(),
            household_member=mother,
            scopes=[Scope.PANEL_DISCUSSION],
        ),
    )
    return coordinator, referral, MeetingFactory(panel=panel)


def test_a_restriction_holds_the_child_off_the_agenda_until_it_is_lifted(
    child, ig_officer, on_the_way_to_panel
):
    coordinator, referral, meeting = on_the_way_to_panel
    restriction_start(actor=ig_officer, child=child, requested_by="The child", reason="Disputed")

    with pytest.raises(panels.PanelError) as refusal:
        panels.agenda_add(actor=coordinator, meeting=meeting, referral=referral)

    assert refusal.value.field == "meeting" and refusal.value.code == "restricted"
    assert not AgendaItem.objects.exists()

    restriction_lift(actor=ig_officer, child=child, reason="Settled with the family")
    assert panels.agenda_add(actor=coordinator, meeting=meeting, referral=referral)
    lifted = Restriction.objects.get()
    assert lifted.lifted_by == ig_officer and lifted.lift_reason == "Settled with the family"


def test_a_restriction_holds_a_new_plan(child, ig_officer, on_the_way_to_panel):
    coordinator, referral, _meeting = on_the_way_to_panel
    restriction_start(actor=ig_officer, child=child, requested_by="The child", reason="Disputed")
    keyworker = make_person(Role.KEYWORKER)

    with pytest.raises(plans.PlanError) as refusal:
        plans.plan_open(
            actor=coordinator,
            child=child,
            keyworker=keyworker,
            keyworker_organisation=keyworker.active_memberships().get().organisation,
            panel=referral.panel,
        )
    assert refusal.value.code == "restricted"


def test_a_restriction_is_recorded_once_and_lifted_once(child, ig_officer):
    restriction_start(actor=ig_officer, child=child, requested_by="The child", reason="Disputed")
    with pytest.raises(RecordsError, match="already restricted"):
        restriction_start(actor=ig_officer, child=child, requested_by="Mum", reason="Again")
    restriction_lift(actor=ig_officer, child=child, reason="Settled")
    with pytest.raises(RecordsError, match="not restricted"):
        restriction_lift(actor=ig_officer, child=child, reason="Again")
    assert AuditEntry.objects.filter(target_type="records.restriction").count() == 2


def test_the_childs_record_shows_a_banner_while_restricted(child, ig_officer, sign_in, keyworker):
    InvolvementFactory(child=child, worker=keyworker)
    page = reverse("children:child_detail", kwargs={"reference": child.reference})
    client = sign_in(keyworker)
    assert "Processing restricted" not in client.get(page).content.decode()

    restriction_start(actor=ig_officer, child=child, requested_by="The child", reason="Disputed")

    assert "Processing restricted" in client.get(page).content.decode()


def test_the_officer_pages_show_the_child_by_pseudonym_only(child, ig_officer, sign_in):
    client = sign_in(ig_officer)
    rights = reverse("records:child_rights", kwargs={"reference": child.reference})
    found = client.get(reverse("records:rights_find"), {"reference": child.reference.lower()})
    assert found["Location"] == rights

    response = client.post(
        reverse("records:rectification_add", kwargs={"reference": child.reference}),
        {
            "field": "given_name",
            "new_value": "Zebediah",
            "requested_by": "The child",
            "reason": "Spelt wrongly",
        },
    )
    assert response["Location"] == rights
    response = client.post(
        reverse("records:restriction_add", kwargs={"reference": child.reference}),
        {"requested_by": "The child", "reason": "Disputed"},
    )
    assert response["Location"] == rights
    text = client.get(rights).content.decode()
    assert child.pseudonym in text and "Processing is restricted since" in text
    assert "Zebedee" not in text and "Zebediah" not in text and "Quixwort" not in text


def test_an_unknown_reference_is_an_error_on_the_find_page(db, ig_officer, sign_in):
    response = sign_in(ig_officer).get(
        reverse("records:rights_find"), {"reference": "JU-0000-0000"}
    )
    assert response.status_code == 200
    assert "No child has this JoinedUp reference" in response.content.decode()


def test_corrections_and_restrictions_are_on_the_childs_timeline(child, ig_officer, keyworker):
    rectification_record(actor=ig_officer, child=child, details=_details())
    restriction_start(actor=ig_officer, child=child, requested_by="The child", reason="Disputed")
    restriction_lift(actor=ig_officer, child=child, reason="Settled")

    events = timeline.events_for(child=child, viewer=keyworker, kinds=["record"])

    assert [event.what for event in events] == [
        "Restriction of processing lifted",
        "Processing restricted: no agenda, referral or plan while it stands",
        "Family name corrected, as asked by Philippa Quixwort (mother)",
    ]
    # Neither what the record said nor what it says now is repeated: either may be a name.
    assert not any("Quickwort" in event.what for event in events)
    assert all(event.who == ig_officer.display_name for event in events)
