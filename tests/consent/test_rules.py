"""The consent rules, through the services other apps call."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from joinedup.children import services as children
from joinedup.children.models import Involvement, InvolvementRole
from joinedup.consent import services
from joinedup.consent.models import Competence, ConsentRecord, HowTold, Method, Scope
from joinedup.consent.signals import consent_withdrawn
from joinedup.core.models import AuditEntry, AuditVerb
from tests.factories import OrganisationFactory

TODAY = timezone.localdate()


def give(child, member=None, *, by_child=False, scopes=(Scope.PANEL_DISCUSSION,), **more):
    return services.consent_record(
        actor=None,
        child=child,
        given=services.ConsentGiven(
            method=more.pop("method", Method.VERBAL),
            witness_name=more.pop("witness_name", "Wendy Witness"),
            given_on=more.pop("given_on", TODAY - timedelta(days=3)),
            household_member=member,
            by_child=by_child,
            scopes=scopes,
            **more,
        ),
    )


def withdraw(record, actor=None, **more):
    return services.consent_withdraw(
        actor=actor,
        record=record,
        reason=more.pop("reason", "They want to think about it."),
        told_us=more.pop("told_us", HowTold.TELEPHONE),
        **more,
    )


def judged_competent(child):
    services.child_view_record(
        actor=None,
        child=child,
        in_their_words="I'm fine with it if it helps.",
        recorded_on=TODAY,
        competence=Competence.COMPETENT,
        competence_notes="She explained back what sharing means and that she can say no.",
    )


def in_force(child, scope=Scope.PANEL_DISCUSSION, organisation=None):
    return services.consent_in_force(child=child, scope=scope, organisation=organisation)


def test_panel_discussion_needs_consent_from_someone_with_parental_responsibility(child, mother):
    assert not in_force(child)
    with pytest.raises(services.ConsentRequired) as error:
        services.require_consent(child=child, scope=Scope.PANEL_DISCUSSION)
    assert error.value.code == "missing"
    assert "parental responsibility" in error.value.message
    assert child.pseudonym in error.value.message
    give(child, mother)
    assert in_force(child)
    services.require_consent(child=child, scope=Scope.PANEL_DISCUSSION)


def test_a_carer_without_parental_responsibility_cannot_give_consent(child, mother):
    mother.has_parental_responsibility = False
    mother.save()
    with pytest.raises(services.ConsentError) as error:
        give(child, mother)
    assert error.value.field == "given_by"
    assert not ConsentRecord.objects.exists()


def test_a_competent_childs_consent_alone_is_not_enough(child):
    judged_competent(child)
    give(child, by_child=True)
    assert not in_force(child)


def test_a_child_not_judged_competent_cannot_give_consent(child):
    with pytest.raises(services.ConsentError) as error:
        give(child, by_child=True)
    assert error.value.field == "given_by"


def test_withdrawal_by_a_parent_stops_consent_the_other_parent_gave(child, mother, father):
    give(child, mother)
    (fathers,) = give(child, father)
    assert in_force(child)
    withdraw(fathers)
    assert not in_force(child)
    with pytest.raises(services.ConsentRequired) as error:
        services.require_consent(child=child, scope=Scope.PANEL_DISCUSSION)
    assert error.value.code == "withdrawn"
    assert "withdrawn on" in error.value.message


def test_withdrawal_by_a_competent_child_stops_their_parents_consent(child, mother):
    give(child, mother)
    judged_competent(child)
    (childs,) = give(child, by_child=True)
    assert in_force(child)
    withdraw(childs, reason="I don't want the police to know.")
    assert not in_force(child)


def test_consent_given_again_after_a_withdrawal_is_in_force(child, mother):
    (first,) = give(child, mother)
    withdraw(first)
    assert not in_force(child)
    give(child, mother, given_on=TODAY)
    assert in_force(child)


def test_expired_consent_is_not_in_force(child, mother):
    give(child, mother, given_on=TODAY - timedelta(days=400), expires_on=TODAY)
    assert not in_force(child)
    assert in_force(child, organisation=None) is False
    with pytest.raises(services.ConsentRequired) as error:
        services.require_consent(child=child, scope=Scope.PANEL_DISCUSSION)
    assert error.value.code == "expired"
    # The day before it ends, it was still in force.
    assert services.consent_in_force(
        child=child, scope=Scope.PANEL_DISCUSSION, on=TODAY - timedelta(days=1)
    )


def test_consent_for_one_thing_does_not_cover_another(child, mother):
    give(child, mother, scopes=(Scope.ASSESSMENT,))
    assert in_force(child, Scope.ASSESSMENT)
    assert not in_force(child, Scope.PANEL_DISCUSSION)
    assert not in_force(child, Scope.CONTACT)


def test_sharing_is_per_named_organisation(child, mother):
    mosque, police = OrganisationFactory(name="Lawrence Hill Mosque"), OrganisationFactory()
    give(child, mother, scopes=(), organisations=[mosque])
    assert in_force(child, Scope.SHARE, mosque)
    assert not in_force(child, Scope.SHARE, police)
    assert ConsentRecord.objects.filter(scope=Scope.SHARE).count() == 1


def test_adding_an_organisation_not_in_scope_to_the_team_is_refused_with_the_reason(
    child, mother, keyworker
):
    youth_club = OrganisationFactory(name="Easton Youth Club")
    with pytest.raises(services.ConsentRequired) as error:
        children.involvement_start(
            actor=keyworker, child=child, organisation=youth_club, role=InvolvementRole.SERVICE
        )
    assert error.value.message.startswith("Easton Youth Club is not in the consent for Child ")
    assert "record their consent to share with Easton Youth Club" in error.value.message
    assert not Involvement.objects.exists()
    give(child, mother, scopes=(), organisations=[youth_club])
    children.involvement_start(
        actor=keyworker, child=child, organisation=youth_club, role=InvolvementRole.SERVICE
    )
    assert Involvement.objects.filter(organisation=youth_club).exists()


def test_the_referrer_making_the_first_record_needs_no_consent_to_share(child, keyworker):
    school = OrganisationFactory()
    children.involvement_start(
        actor=keyworker, child=child, organisation=school, role=InvolvementRole.REFERRER
    )
    # A second worker from an organisation already involved needs none either.
    children.involvement_start(
        actor=keyworker, child=child, organisation=school, role=InvolvementRole.KEYWORKER
    )
    assert Involvement.objects.count() == 2


def test_withdrawal_sends_the_signal_once_with_what_receivers_need(child, mother, keyworker):
    (record,) = give(child, mother)
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    consent_withdrawn.connect(receiver)
    try:
        withdraw(record, actor=None)
    finally:
        consent_withdrawn.disconnect(receiver)
    assert len(received) == 1
    kwargs = received[0]
    assert kwargs["child"] == child
    assert kwargs["scope"] == Scope.PANEL_DISCUSSION
    assert kwargs["organisation"] is None
    assert kwargs["actor"] is None
    assert kwargs["record"].pk == record.pk and kwargs["record"].is_withdrawn


def test_a_receiver_that_fails_rolls_the_withdrawal_back(child, mother):
    (record,) = give(child, mother)

    def broken(sender, **kwargs):
        raise RuntimeError("agenda unavailable")

    consent_withdrawn.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            withdraw(record)
    finally:
        consent_withdrawn.disconnect(broken)
    record.refresh_from_db()
    assert not record.is_withdrawn
    assert in_force(child)


def test_the_team_is_emailed_without_the_childs_name_or_date_of_birth(
    child, mother, team, keyworker, django_capture_on_commit_callbacks
):
    (record,) = give(child, mother)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = withdraw(record, actor=keyworker, base_url="https://joinedup.example.org/")
    youth_worker = team[1]
    # The person who withdrew it knows; everyone else in the team is told.
    assert withdrawal.told == [youth_worker]
    assert [message.to for message in mail.outbox] == [[youth_worker.email]]
    message = mail.outbox[0]
    text = f"{message.subject}\n{message.body}"
    for secret in (
        "Amina",
        "Yusuf",
        "Hodan",
        child.date_of_birth.isoformat(),
        f"{child.date_of_birth:%d/%m/%Y}",
        f"{child.date_of_birth.day} {child.date_of_birth:%B %Y}",
    ):
        assert secret not in text
    assert child.pseudonym in text
    assert child.reference in text
    assert f"https://joinedup.example.org/children/{child.reference}/consent/" in text


def test_withdrawal_is_in_the_audit_trail(child, mother, keyworker, team):
    (record,) = give(child, mother)
    withdraw(record, actor=keyworker)
    entry = AuditEntry.objects.filter(
        verb=AuditVerb.CONSENT_WITHDRAWN, target_id=str(child.pk)
    ).get()
    assert entry.actor == keyworker
    assert entry.fields == ["consent"]
    assert entry.detail["withdrawn"] is True
    assert entry.detail["consent_record"] == str(record.pk)
    assert entry.detail["scope"] == Scope.PANEL_DISCUSSION
    assert "Hodan" not in repr(entry.detail)


def test_consent_cannot_be_withdrawn_twice(child, mother):
    (record,) = give(child, mother)
    withdraw(record)
    with pytest.raises(services.ConsentError) as error:
        withdraw(record)
    assert error.value.code == "already_withdrawn"


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"given_on": TODAY + timedelta(days=30)}, "given_on"),
        ({"expires_on": TODAY - timedelta(days=3)}, "expires_on"),
        ({"method": Method.VERBAL, "witness_name": "  "}, "witness_name"),
        ({"method": Method.SIGNED_FORM, "witness_name": ""}, "signed_form"),
        ({"scopes": ()}, "scopes"),
        ({"scopes": (Scope.SHARE,)}, "scopes"),
        ({"method": "carrier_pigeon"}, "method"),
    ],
)
def test_bad_consent_names_the_field_and_saves_nothing(child, mother, more, field):
    with pytest.raises(services.ConsentError) as error:
        give(child, mother, **more)
    assert error.value.field == field
    assert not ConsentRecord.objects.exists()
    assert not AuditEntry.objects.filter(target_id=str(child.pk)).exists()


def test_someone_outside_the_team_cannot_record_consent(child, mother, keyworker):
    with pytest.raises(services.ConsentError) as error:
        services.consent_record(
            actor=keyworker,
            child=child,
            given=services.ConsentGiven(
                method=Method.ELECTRONIC,
                given_on=TODAY,
                household_member=mother,
                scopes=(Scope.ASSESSMENT,),
            ),
        )
    assert error.value.code == "not_in_team"
