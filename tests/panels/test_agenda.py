"""A panel's coordinator plans meetings and puts referred children's cases on the agenda, but
only with the family's consent to discuss the case at the panel; withdrawing that consent
takes the case off every future agenda at once, visibly in the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from joinedup.children.models import HouseholdMember
from joinedup.consent import services as consent
from joinedup.consent.models import Method, Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels import services
from joinedup.panels.models import AgendaItem, Meeting, PanelRole
from joinedup.referrals.models import IdentityStatus
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)
from tests.referrals.journey import text_of


@pytest.fixture
def panel(db):
    return PanelFactory(name="Easton panel", slug="easton")


@pytest.fixture
def coordinator(panel):
    user = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=user, role=PanelRole.COORDINATOR)
    return user


@pytest.fixture
def referral(panel):
    child = ChildFactory()
    return ReferralFactory(child=child, panel=panel)


@pytest.fixture
def mother(referral):
    return HouseholdMember.objects.create(
        child=referral.child,
        full_name="Hodan Yusuf",
        relationship="mother",
        has_parental_responsibility=True,
    )


@pytest.fixture
def meeting(panel):
    return MeetingFactory(panel=panel)


def _consent_to_panel(actor, child, member):
    InvolvementFactory(child=child, worker=actor)
    return consent.consent_record(
        actor=actor,
        child=child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name="Wendy Witness",
            given_on=timezone.localdate(),
            household_member=member,
            scopes=[Scope.PANEL_DISCUSSION],
        ),
    )[0]


def test_a_case_without_consent_to_discuss_it_cannot_go_on_an_agenda(
    coordinator, referral, meeting, mother
):
    with pytest.raises(services.PanelError) as refusal:
        services.agenda_add(actor=coordinator, meeting=meeting, referral=referral)

    assert "no consent to discussing their case at the panel" in refusal.value.message
    assert not AgendaItem.objects.exists()


def test_with_consent_the_case_goes_on_the_agenda_once(coordinator, referral, meeting, mother):
    _consent_to_panel(coordinator, referral.child, mother)

    item = services.agenda_add(actor=coordinator, meeting=meeting, referral=referral)

    assert item.child == referral.child
    with pytest.raises(services.PanelError, match="already on that meeting's agenda"):
        services.agenda_add(actor=coordinator, meeting=meeting, referral=referral)
    assert AuditEntry.objects.filter(verb=AuditVerb.CREATE, target_id=str(item.pk)).exists()


def test_a_child_whose_identity_is_not_settled_waits(coordinator, referral, meeting, mother):
    _consent_to_panel(coordinator, referral.child, mother)
    referral.identity_status = IdentityStatus.TO_CHECK
    referral.save()

    with pytest.raises(services.PanelError, match="Settle who the child is first"):
        services.agenda_add(actor=coordinator, meeting=meeting, referral=referral)


def test_only_the_panels_coordinator_can_change_its_agenda(referral, meeting, mother):
    other = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(user=other, role=PanelRole.COORDINATOR)  # another panel's

    with pytest.raises(services.PanelError, match="Only a coordinator of the Easton panel"):
        services.agenda_add(actor=other, meeting=meeting, referral=referral)


def test_withdrawing_consent_takes_the_case_off_future_agendas_only(
    coordinator, referral, meeting, mother, panel, django_capture_on_commit_callbacks
):
    record = _consent_to_panel(coordinator, referral.child, mother)
    later = MeetingFactory(panel=panel, starts_at=timezone.now() + timedelta(days=42))
    future_items = [
        services.agenda_add(actor=coordinator, meeting=m, referral=referral)
        for m in (meeting, later)
    ]
    held = MeetingFactory(panel=panel, starts_at=timezone.now() - timedelta(days=30))
    past_item = AgendaItem.objects.create(meeting=held, child=referral.child, referral=referral)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        consent.consent_withdraw(
            actor=coordinator,
            record=record,
            reason="The family has changed its mind",
            told_us="telephone",
        )

    for item in future_items:
        item.refresh_from_db()
        assert item.removed_at is not None
        assert item.removed_reason == services.CONSENT_WITHDRAWN_REASON
        assert AuditEntry.objects.filter(verb=AuditVerb.DELETE, target_id=str(item.pk)).exists()
    past_item.refresh_from_db()
    assert past_item.removed_at is None  # what happened at a meeting stays on its record
    told = [m for m in mail.outbox if "come off a panel agenda" in m.subject]
    assert told and told[0].to == [coordinator.email]
    assert referral.child.given_name not in told[0].body
    assert referral.child.reference in told[0].body
    with pytest.raises(services.PanelError, match="withdrawn"):
        services.agenda_add(
            actor=coordinator, meeting=MeetingFactory(panel=panel), referral=referral
        )


def test_the_coordinator_plans_a_meeting_and_agenda_in_the_browser(
    coordinator, referral, mother, sign_in
):
    client = sign_in(coordinator)
    _consent_to_panel(coordinator, referral.child, mother)
    next_month = timezone.localdate() + timedelta(days=30)

    response = client.post(
        reverse("panels:meeting_create", kwargs={"slug": "easton"}),
        {
            "day_day": next_month.day,
            "day_month": next_month.month,
            "day_year": next_month.year,
            "start_time": "16:00",
            "location": "Easton Community Centre",
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("panels:meeting_detail", kwargs={"meeting_id": meeting.pk})

    review = client.get(reverse("referrals:referral_review", kwargs={"referral_id": referral.pk}))
    assert "Put on an agenda" in text_of(review)
    added = client.post(
        reverse("panels:agenda_add", kwargs={"referral_id": referral.pk}),
        {"meeting": str(meeting.pk)},
    )
    agenda = text_of(client.get(added.url))

    assert referral.child.pseudonym in agenda
    assert referral.child.given_name not in agenda

    item = AgendaItem.objects.get()
    removed = client.post(
        reverse("panels:agenda_remove", kwargs={"item_id": item.pk}),
        {"reason": "Family moved out of the area"},
    )
    assert removed.status_code == 302
    assert "Family moved out of the area" in text_of(client.get(removed.url))


def test_the_agenda_page_refuses_a_case_without_consent_to_discuss_it_saying_why(
    coordinator, referral, meeting, mother, sign_in
):
    client = sign_in(coordinator)

    response = client.post(
        reverse("panels:agenda_add", kwargs={"referral_id": referral.pk}),
        {"meeting": str(meeting.pk)},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_meeting' in page  # the error summary names the field
    assert "no consent to discussing their case at the panel" in text_of(response)
    assert not AgendaItem.objects.exists()


def test_a_meeting_in_the_past_is_refused_naming_the_date(coordinator, sign_in):
    client = sign_in(coordinator)
    response = client.post(
        reverse("panels:meeting_create", kwargs={"slug": "easton"}),
        {"day_day": "1", "day_month": "1", "day_year": "2020", "start_time": "16:00"},
    )

    assert response.status_code == 200
    assert 'href="#id_day_day"' in response.content.decode()
    assert "The meeting must be in the future" in text_of(response)
    assert not Meeting.objects.exists()


def test_a_panel_member_sees_the_agenda_with_pseudonyms_but_cannot_change_it(
    coordinator, referral, meeting, mother, panel, sign_in
):
    _consent_to_panel(coordinator, referral.child, mother)
    item = services.agenda_add(actor=coordinator, meeting=meeting, referral=referral)
    member = make_person(Role.PANEL_MEMBER, full_name="Pat Police")
    PanelMemberFactory(panel=panel, user=member, role=PanelRole.MEMBER)
    client = sign_in(member)

    agenda = text_of(
        client.get(reverse("panels:meeting_detail", kwargs={"meeting_id": meeting.pk}))
    )
    refused = client.post(
        reverse("panels:agenda_remove", kwargs={"item_id": item.pk}),
        {"reason": "no"},
    )

    assert referral.child.pseudonym in agenda and referral.child.family_name not in agenda
    assert "Take off the agenda" not in agenda
    assert refused.status_code == 403


def test_someone_not_on_the_panel_cannot_open_its_meetings(meeting, sign_in):
    outsider = make_person(Role.PANEL_MEMBER)

    response = sign_in(outsider).get(
        reverse("panels:meeting_detail", kwargs={"meeting_id": meeting.pk})
    )

    assert response.status_code == 404
