"""Raising a concern, routing it, telling the leads, and what the leads do with it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.children import services as children
from joinedup.children.models import Relationship
from joinedup.children.need_to_know import sees_identity
from joinedup.consent.models import HowTold, Scope
from joinedup.consent.services import consent_withdraw
from joinedup.core.models import AppendOnlyError, AuditEntry
from joinedup.core.roles import Role
from joinedup.referrals import services as referrals
from joinedup.referrals.models import Concern, FamilyAware, ReferralStatus, Urgency
from joinedup.referrals.services import concerns_ensure_defaults
from joinedup.safeguarding import services
from joinedup.safeguarding.models import (
    ConcernEvent,
    ConcernSource,
    EventKind,
    Outcome,
    Routing,
    SafeguardingConcern,
)
from tests.conftest import make_person
from tests.factories import ConsentRecordFactory, ParentFactory
from tests.safeguarding.conftest import make_lead

WORDS = "He said his stepfather hit him with a belt last night and he is scared to go home."


def _raise(world, *, actor=None, organisation=None, **kwargs):
    kwargs.setdefault("child", world.child)
    return services.concern_raise(
        actor=actor or world.keyworker,
        organisation=organisation or world.group,
        details=WORDS,
        why_worried="A bruise on his arm; he flinched when I reached for a pen.",
        **kwargs,
    )


def _recipients(concern):
    return set(concern.recipients.values_list("lead__email", flat=True))


def _end_role(user):
    Membership.objects.filter(user=user, role=Role.SAFEGUARDING_LEAD).update(
        ended_on=timezone.localdate()
    )


# Routing


def test_goes_to_the_leads_of_the_raisers_organisation_and_the_team_around_the_child(world):
    concern = _raise(world)
    assert concern.routing == Routing.CLOSE_TO_THE_CHILD
    # The school serves Easton but does not work with the child: it is not told.
    assert _recipients(concern) == {"gita@example.org"}
    assert concern.raised_by == world.keyworker
    assert concern.what_happened == WORDS
    assert concern.source == ConcernSource.SAFEGUARDING_PAGE


def test_a_lead_in_another_organisation_of_the_team_is_told_too(world):
    other = make_person(Role.KEYWORKER)
    other_organisation = other.active_memberships().get().organisation
    from tests.factories import InvolvementFactory

    InvolvementFactory(child=world.child, organisation=other_organisation, worker=other)
    other_lead = make_lead(other_organisation, email="other-lead@example.org")
    concern = _raise(world)
    assert _recipients(concern) == {"gita@example.org", other_lead.email}


def test_without_a_lead_close_to_the_child_it_goes_to_the_localitys_organisations(world):
    _end_role(world.group_lead)
    concern = _raise(world)
    assert concern.routing == Routing.LOCALITY
    assert _recipients(concern) == {"sol@example.org"}


def test_without_a_local_lead_it_goes_to_every_lead_in_the_partnership(world):
    _end_role(world.group_lead)
    world.child.locality = world.lockleaze
    world.child.save()
    third = make_lead(world.lockleaze.organisations.create(name="Lockleaze Youth", slug="ly"))
    # Lockleaze Youth serves Lockleaze: that is the locality rule, not the partnership one.
    assert _raise(world).routing == Routing.LOCALITY
    _end_role(third)
    concern = _raise(world)
    assert concern.routing == Routing.PARTNERSHIP
    assert _recipients(concern) == {"sol@example.org"}


def test_a_lead_who_has_left_the_role_or_is_deactivated_is_not_told(world):
    world.group_lead.is_active = False
    world.group_lead.save()
    assert _recipients(_raise(world)) == {"sol@example.org"}


def test_with_no_lead_at_all_the_concern_is_kept_and_the_admins_are_emailed(
    world, django_capture_on_commit_callbacks
):
    _end_role(world.group_lead)
    _end_role(world.school_lead)
    with django_capture_on_commit_callbacks(execute=True):
        concern = _raise(world)
    assert SafeguardingConcern.objects.filter(pk=concern.pk).exists()
    assert concern.routing == Routing.NO_LEAD
    assert _recipients(concern) == set()
    assert [m.to for m in mail.outbox] == [["admin@example.org"]]
    assert "no designated safeguarding lead" in mail.outbox[0].subject
    assert "Quixwort" not in mail.outbox[0].body and WORDS not in mail.outbox[0].body
    assert concern.events.filter(kind=EventKind.NO_LEAD).exists()


# Consent and the voluntary route never stop it


def test_withdrawn_consent_does_not_stop_a_concern_and_the_record_says_so(world):
    _end_role(world.group_lead)  # so that it goes to the school, outside the team
    mother = ParentFactory(child=world.child, relationship=Relationship.MOTHER)
    record = ConsentRecordFactory(
        child=world.child, household_member=mother, scope=Scope.SHARE, organisation=world.school
    )
    consent_withdraw(
        actor=None, record=record, reason="We do not want help", told_us=HowTold.TELEPHONE
    )
    concern = _raise(world)
    assert _recipients(concern) == {"sol@example.org"}
    assert concern.raised_without_consent is True
    assert concern.consent_overridden == [
        {"organisation": "Easton Primary", "consent": "withdrawn"}
    ]
    entry = AuditEntry.objects.get(target_id=str(concern.pk), verb="create")
    assert entry.detail["shared_without_consent_for_safeguarding"] == ["Easton Primary"]
    assert entry.purpose == "Safeguarding concern"


def test_refused_consent_does_not_stop_a_concern_either(world):
    """A family that said no to the voluntary route has no consent recorded at all."""
    _end_role(world.group_lead)
    concern = _raise(world)
    assert concern.raised_without_consent is True
    assert concern.consent_overridden == [{"organisation": "Easton Primary", "consent": "missing"}]


def test_with_consent_to_share_in_force_nothing_is_overridden(world):
    _end_role(world.group_lead)
    ConsentRecordFactory(child=world.child, scope=Scope.SHARE, organisation=world.school)
    concern = _raise(world)
    assert concern.raised_without_consent is False
    assert concern.consent_overridden == []


def test_telling_the_raisers_own_lead_is_not_sharing(world):
    concern = _raise(world)
    assert concern.raised_without_consent is False


# Which child


def test_a_reference_is_matched_to_its_record(world):
    concern = _raise(world, child=None, reference_given=world.child.reference.lower())
    assert concern.child == world.child
    assert concern.reference_given == world.child.reference


def test_a_well_formed_reference_with_no_record_is_kept_and_goes_to_every_lead(world):
    from joinedup.children.identifiers import new_reference

    reference = new_reference()
    concern = _raise(world, child=None, reference_given=reference)
    assert concern.child is None
    assert concern.reference_given == reference
    # The raiser's own lead is still the first to hear.
    assert _recipients(concern) == {"gita@example.org"}


def test_a_child_not_in_joinedup_can_be_described(world):
    _end_role(world.group_lead)
    concern = _raise(
        world, child=None, child_description="Girl, about 9, Easton Primary", locality=world.easton
    )
    assert concern.child is None
    assert concern.routing == Routing.LOCALITY
    assert _recipients(concern) == {"sol@example.org"}


def test_a_concern_about_a_merged_record_goes_to_the_record_that_stands(world):
    from tests.factories import ChildFactory

    second = ChildFactory(locality=world.easton)
    children.child_merge(actor=None, survivor=world.child, merged=second, reason="Same NHS number")
    second.refresh_from_db()
    assert _raise(world, child=second).child == world.child


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"details": "  "}, "what_happened"),
        ({"details": "x" * 5001}, "what_happened"),
        ({"child": None}, "child"),
        ({"child": None, "reference_given": "JU-NOT-REAL"}, "reference"),
        ({"source": "gossip"}, "source"),
        ({"organisation": "other"}, "organisation"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(world, change, field):
    arguments = {
        "actor": world.keyworker,
        "child": world.child,
        "organisation": world.group,
        "details": WORDS,
        **change,
    }
    if arguments["organisation"] == "other":
        arguments["organisation"] = world.school
    with pytest.raises(services.SafeguardingError) as refused:
        services.concern_raise(**arguments)
    assert refused.value.field == field
    assert SafeguardingConcern.objects.count() == 0
    assert ConcernEvent.objects.count() == 0


# Email


def test_the_leads_are_emailed_on_commit_with_no_name_and_no_details(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        concern = _raise(world, immediate_danger=True, base_url="https://joinedup.example.org/")
    assert mail.outbox == []  # nothing leaves before the concern is saved
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["gita@example.org"]]
    message = mail.outbox[0]
    assert message.subject.startswith("URGENT")
    assert world.child.pseudonym in message.body
    assert world.child.reference in message.body
    assert f"https://joinedup.example.org/safeguarding/concerns/{concern.pk}/" in message.body
    for secret in ("Zebedee", "Quixwort", "stepfather", "bruise", str(world.child.date_of_birth)):
        assert secret not in message.body and secret not in message.subject


def test_a_failed_email_never_loses_the_concern(world, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "joinedup.safeguarding.services.send_mail", side_effect=OSError("mail server down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        concern = _raise(world)
    assert SafeguardingConcern.objects.filter(pk=concern.pk).exists()
    failed = concern.events.get(kind=EventKind.EMAIL_FAILED)
    assert "gita@example.org" in failed.text


# Need to know


def test_a_lead_sees_the_childs_identity_while_the_concern_routed_to_them_is_open(world):
    assert not sees_identity(world.school_lead, world.child)
    _end_role(world.group_lead)
    concern = _raise(world)
    assert sees_identity(world.school_lead, world.child)
    services.concern_close(
        actor=world.school_lead, concern=concern, outcome=Outcome.ADVICE, reason="Advised."
    )
    assert not sees_identity(world.school_lead, world.child)


def test_a_lead_who_leaves_the_role_no_longer_sees_the_child(world):
    _raise(world)
    assert sees_identity(world.group_lead, world.child)
    _end_role(world.group_lead)
    assert not sees_identity(world.group_lead, world.child)


def test_a_lead_the_concern_was_not_routed_to_does_not_see_the_child(world):
    _raise(world)
    assert not sees_identity(world.school_lead, world.child)


def test_need_to_know_stays_one_query(world):
    _raise(world)
    with CaptureQueriesContext(connection) as queries:
        assert sees_identity(world.group_lead, world.child)
    assert len(queries) == 1


# What the lead does


def test_acknowledge_record_actions_and_close(world):
    concern = _raise(world)
    lead = world.group_lead
    services.concern_acknowledge(actor=lead, concern=concern)
    with pytest.raises(services.SafeguardingError, match="already acknowledged"):
        services.concern_acknowledge(actor=lead, concern=concern)
    services.concern_action_record(actor=lead, concern=concern, action="Phoned the keyworker.")
    with pytest.raises(services.SafeguardingError) as refused:
        services.concern_close(actor=lead, concern=concern, outcome="shrug", reason="x")
    assert refused.value.field == "outcome"
    with pytest.raises(services.SafeguardingError) as refused:
        services.concern_close(actor=lead, concern=concern, outcome=Outcome.FRONT_DOOR, reason="")
    assert refused.value.field == "reason"
    services.concern_close(
        actor=lead, concern=concern, outcome=Outcome.FRONT_DOOR, reason="MASH ref 123."
    )
    concern.refresh_from_db()
    assert concern.acknowledged_by == lead
    assert concern.outcome == Outcome.FRONT_DOOR and concern.closed_by == lead
    assert list(concern.events.values_list("kind", flat=True)) == [
        EventKind.RAISED,
        EventKind.ROUTED,
        EventKind.ACKNOWLEDGED,
        EventKind.ACTION,
        EventKind.CLOSED,
    ]
    with pytest.raises(services.SafeguardingError, match="closed"):
        services.concern_action_record(actor=lead, concern=concern, action="More.")
    verbs = AuditEntry.objects.filter(target_id=str(concern.pk)).values_list("verb", "purpose")
    assert ("update", "Safeguarding concern") in set(verbs)


def test_closing_unacknowledged_acknowledges_it(world):
    concern = _raise(world)
    services.concern_close(
        actor=world.group_lead, concern=concern, outcome=Outcome.NO_FURTHER_ACTION, reason="x"
    )
    concern.refresh_from_db()
    assert concern.acknowledged_at is not None


def test_only_a_lead_it_was_routed_to_may_act_on_it(world):
    concern = _raise(world)
    for someone in (world.school_lead, world.keyworker):
        with pytest.raises(services.SafeguardingError):
            services.concern_acknowledge(actor=someone, concern=concern)
    concern.refresh_from_db()
    assert concern.acknowledged_at is None


def test_the_history_cannot_be_changed(world):
    concern = _raise(world)
    event = concern.events.first()
    event.text = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        concern.events.all().update(text="tampered")
    with pytest.raises(AppendOnlyError):
        concern.events.all().delete()


# The referral intake


def _referral(world, *, safeguarding: bool):
    concerns_ensure_defaults()
    return referrals.referral_submit(
        actor=world.keyworker,
        child=children.ChildDetails(
            given_name="Amina",
            family_name="Yusuf",
            date_of_birth=timezone.localdate() - timedelta(days=365 * 10),
            address=children.AddressDetails(
                line_1="12 Stapleton Road", postcode="BS5 0RA", locality=world.easton
            ),
        ),
        details=referrals.ReferralDetails(
            organisation=world.group,
            relationship_to_child="Youth worker",
            concerns=[Concern.objects.first()],
            what_has_been_tried="Mentoring.",
            urgency=Urgency.ROUTINE,
            family_aware=FamilyAware.YES,
            safeguarding_concern=safeguarding,
            safeguarding_details="She has bruises and says she is not allowed to eat."
            * safeguarding,
        ),
    )


def test_a_referral_with_a_safeguarding_concern_raises_one(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = _referral(world, safeguarding=True)
    assert referral.status == ReferralStatus.SAFEGUARDING
    concern = SafeguardingConcern.objects.get()
    assert concern.child == referral.child
    assert concern.source == ConcernSource.REFERRAL
    assert (concern.source_type, concern.source_id) == ("referrals.referral", str(referral.pk))
    assert concern.what_happened.startswith("She has bruises")
    assert _recipients(concern) == {"gita@example.org"}
    assert [m.to for m in mail.outbox] == [["gita@example.org"]]
    assert "Yusuf" not in mail.outbox[0].body
    # No page request to build the link from: the configured address is used.
    link = f"{settings.JOINEDUP_SITE_URL}/safeguarding/concerns/{concern.pk}/"
    assert link in mail.outbox[0].body


def test_a_referral_without_one_raises_none(world):
    _referral(world, safeguarding=False)
    assert not SafeguardingConcern.objects.exists()
