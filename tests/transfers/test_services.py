import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from joinedup.children import timeline
from joinedup.children.models import Address
from joinedup.children.need_to_know import sees_identity
from joinedup.consent.models import Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.notifications.models import Notification
from joinedup.panels import services as panels
from joinedup.panels.models import AgendaItem, PanelRole, PipelineCase
from joinedup.panels.pipeline import cases_rebuild
from joinedup.plans import services as plans
from joinedup.plans.models import Plan
from joinedup.referrals.models import IdentityStatus, Referral
from joinedup.transfers import services
from joinedup.transfers.models import Transfer, TransferStatus
from tests.conftest import make_person
from tests.factories import (
    ConsentRecordFactory,
    LocalityFactory,
    MeetingFactory,
    MembershipFactory,
    PanelMemberFactory,
)
from tests.transfers.world import build, details, requested


@pytest.fixture
def world(db):
    return build()


def _refusal(world, actor=None, **changes):
    with pytest.raises(services.TransferError) as refused:
        services.transfer_request(
            actor=actor or world.easton_coordinator,
            child=world.child,
            details=details(world, **changes),
        )
    assert not Transfer.objects.exists()
    return refused.value


# Asking ------------------------------------------------------------------------------------


def test_a_coordinator_of_the_sending_panel_asks_and_the_receiving_coordinators_are_told(world):
    transfer = requested(world)

    assert transfer.status == TransferStatus.REQUESTED
    assert (transfer.from_panel, transfer.to_panel) == (world.easton_panel, world.lockleaze_panel)
    assert transfer.from_referral == world.referral
    assert transfer.requested_by == world.easton_coordinator
    notice = Notification.objects.get(recipient=world.lockleaze_coordinator)
    assert world.child.pseudonym in notice.text and world.child.reference in notice.text
    assert "Zebedee" not in notice.text and "Quixwort" not in notice.text
    assert notice.url == f"/transfers/{transfer.pk}/"
    entry = AuditEntry.objects.get(target_id=str(transfer.pk), verb=AuditVerb.CREATE)
    assert "handover" in entry.fields and "Zebedee" not in str(entry.detail)


def test_the_childs_keyworker_may_ask(world):
    transfer = services.transfer_request(
        actor=world.keyworker, child=world.child, details=details(world)
    )
    assert transfer.requesting_organisation == world.plan.keyworker_organisation


@pytest.mark.parametrize("who", ["lockleaze_coordinator", "stranger", "another_keyworker"])
def test_nobody_else_may_ask(world, who):
    actor = (
        getattr(world, who, None)
        if who == "lockleaze_coordinator"
        else make_person(Role.PANEL_COORDINATOR if who == "stranger" else Role.KEYWORKER)
    )
    assert _refusal(world, actor=actor).code == "not_allowed"


def test_refused_when_the_new_locality_is_covered_by_the_same_panel(world):
    lawrence_hill = LocalityFactory(name="Lawrence Hill")
    world.easton_panel.localities.add(lawrence_hill)
    refusal = _refusal(world, new_locality=lawrence_hill)
    assert (refusal.field, refusal.code) == ("new_locality", "same_panel")
    assert "no transfer is needed" in refusal.message


def test_refused_when_no_panel_covers_the_new_locality(world):
    refusal = _refusal(world, new_locality=LocalityFactory(name="Knowle West"))
    assert (refusal.field, refusal.code) == ("new_locality", "no_panel")


def test_refused_when_the_receiving_panel_does_not_take_the_childs_age(world):
    world.lockleaze_panel.minimum_age, world.lockleaze_panel.maximum_age = 11, 13
    world.lockleaze_panel.save()
    refusal = _refusal(world)
    assert (refusal.field, refusal.code) == ("new_locality", "not_eligible")


def test_refused_while_another_transfer_of_the_child_waits(world):
    requested(world)
    with pytest.raises(services.TransferError) as refused:
        requested(world)
    assert refused.value.code == "open_transfer"
    assert Transfer.objects.count() == 1


def test_refused_when_the_case_is_not_with_a_panel(world):
    Referral.objects.update(panel=None)
    assert _refusal(world).code == "no_case"


def test_refused_until_the_childs_identity_is_settled(world):
    Referral.objects.update(identity_status=IdentityStatus.TO_CHECK)
    assert _refusal(world).code == "identity"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"new_locality": None}, "new_locality"),
        ({"moves_on": None}, "moves_on"),
        ({"moves_on": timezone.localdate() + timedelta(days=400)}, "moves_on"),
        ({"reason": "  "}, "reason"),
        ({"risks": ""}, "risks"),
        ({"what_is_working": ""}, "what_is_working"),
        ({"who_knows_the_child": ""}, "who_knows_the_child"),
        ({"risks": "x" * 4001}, "risks"),
        ({"new_postcode": "not a postcode"}, "new_postcode"),
        ({"new_postcode": ""}, "new_postcode"),
        ({"new_address_line_1": ""}, "new_address_line_1"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(world, changes, field):
    assert _refusal(world, **changes).field == field


def test_the_handover_may_not_name_the_child(world):
    refusal = _refusal(world, what_is_working="Zebedee enjoys football.")
    assert refusal.field == "what_is_working"
    assert world.child.pseudonym in refusal.message


# Accepting ---------------------------------------------------------------------------------


def test_accepting_moves_the_case_and_keeps_the_sending_panels_history(world):
    transfer = requested(world)

    accepted = services.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)

    assert accepted.status == TransferStatus.ACCEPTED
    assert accepted.accepted_by == world.lockleaze_coordinator
    new = accepted.to_referral
    assert new.panel == world.lockleaze_panel and new.child == world.child
    assert new.relationship_to_child == "Transferred from the Easton & Lawrence Hill panel"
    assert new.identity_status == world.referral.identity_status
    assert set(new.concerns.all()) == set(world.referral.concerns.all())
    old = Referral.objects.get(pk=world.referral.pk)
    assert old.panel == world.easton_panel  # never rewritten
    world.child.refresh_from_db()
    assert world.child.locality == world.lockleaze
    current = Address.objects.get(child=world.child, moved_out__isnull=True)
    assert (current.line_1, current.postcode) == ("12 Gainsborough Square", "BS7 9XA")
    assert services.current_case(world.child) == new
    notice = Notification.objects.get(recipient=world.easton_coordinator)
    assert "accepted" in notice.text and "Zebedee" not in notice.text


def test_future_agenda_items_of_the_sending_panel_come_off_as_transferred(world):
    past = MeetingFactory(panel=world.easton_panel)
    past_item = AgendaItem.objects.create(meeting=past, child=world.child, referral=world.referral)
    past.starts_at = timezone.now() - timedelta(days=7)
    past.save()

    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=requested(world))

    world.item.refresh_from_db()
    assert world.item.removed_at is not None
    assert world.item.removed_reason == panels.TRANSFERRED_REASON
    assert world.item.removed_by == world.lockleaze_coordinator
    past_item.refresh_from_db()
    assert past_item.removed_at is None  # history stays


def test_the_plan_carries_on_with_its_keyworker(world):
    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=requested(world))

    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.is_open and plan.keyworker == world.keyworker
    assert plans.may_edit(world.keyworker, plan)
    assert plans.may_edit(world.lockleaze_coordinator, plan)
    assert not plans.may_edit(world.easton_coordinator, plan)


def test_the_receiving_coordinator_may_name_a_new_keyworker(world):
    newcomer = make_person(Role.KEYWORKER, full_name="Nell Newkeyworker")
    organisation = newcomer.active_memberships().get().organisation
    ConsentRecordFactory(
        child=world.child,
        household_member=world.mother,
        scope=Scope.SHARE,
        organisation=organisation,
    )

    services.transfer_accept(
        actor=world.lockleaze_coordinator,
        transfer=requested(world),
        new_keyworker=newcomer,
        new_keyworker_organisation=organisation,
    )

    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.keyworker == newcomer
    assert sees_identity(newcomer, world.child)
    assert not sees_identity(world.keyworker, world.child)


def test_a_new_keyworker_without_consent_to_share_undoes_the_whole_acceptance(world):
    newcomer = make_person(Role.KEYWORKER)
    transfer = requested(world)
    with pytest.raises(services.TransferError) as refused:
        services.transfer_accept(
            actor=world.lockleaze_coordinator,
            transfer=transfer,
            new_keyworker=newcomer,
            new_keyworker_organisation=newcomer.active_memberships().get().organisation,
        )
    assert refused.value.field == "keyworker"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED
    assert not Referral.objects.filter(panel=world.lockleaze_panel).exists()
    world.item.refresh_from_db()
    assert world.item.removed_at is None


def test_need_to_know_moves_from_the_sending_to_the_receiving_coordinators(world):
    transfer = requested(world)
    assert sees_identity(world.easton_coordinator, world.child)
    # The receiving panel decides from the handover, by pseudonym, until it accepts.
    assert not sees_identity(world.lockleaze_coordinator, world.child)

    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)

    assert sees_identity(world.lockleaze_coordinator, world.child)
    assert not sees_identity(world.easton_coordinator, world.child)
    assert sees_identity(world.keyworker, world.child)


def test_the_case_leaves_the_sending_pipeline_for_the_receiving_one(world):
    # The world's records were written by factories, not the services that keep the pipeline.
    cases_rebuild()
    transfer = requested(world)
    assert set(PipelineCase.objects.values_list("panel", flat=True)) == {world.easton_panel.pk}

    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)

    [case] = PipelineCase.objects.all()
    assert case.panel == world.lockleaze_panel
    assert case.referral == Transfer.objects.get().to_referral
    # The open plan carries on: the case is at its stage in the receiving pipeline.
    assert case.stage == "plan"


def test_a_child_moving_back_brings_the_first_panel_back_in(world):
    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=requested(world))
    back = services.transfer_request(
        actor=world.lockleaze_coordinator,
        child=world.child,
        details=details(world, new_locality=world.easton, new_address_line_1="", new_postcode=""),
    )
    services.transfer_accept(actor=world.easton_coordinator, transfer=back)

    assert sees_identity(world.easton_coordinator, world.child)
    assert not sees_identity(world.lockleaze_coordinator, world.child)


def test_only_a_coordinator_of_the_receiving_panel_may_accept(world):
    transfer = requested(world)
    for actor in (world.easton_coordinator, world.keyworker, make_person(Role.PANEL_COORDINATOR)):
        with pytest.raises(services.TransferError) as refused:
            services.transfer_accept(actor=actor, transfer=transfer)
        assert refused.value.code == "not_allowed"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED


def test_two_acceptances_of_the_same_request_move_the_case_once(world):
    """The conditional update: the second acceptance, made from the same waiting transfer as
    the first, finds it no longer waiting."""
    second = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(panel=world.lockleaze_panel, user=second, role=PanelRole.COORDINATOR)
    transfer = requested(world)
    stale = Transfer.objects.get(pk=transfer.pk)

    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)
    with pytest.raises(services.TransferError) as refused:
        services.transfer_accept(actor=second, transfer=stale)

    assert refused.value.code == "not_open"
    assert Referral.objects.filter(panel=world.lockleaze_panel).count() == 1
    assert Transfer.objects.get(pk=transfer.pk).accepted_by == world.lockleaze_coordinator


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accepting_at_once_in_two_connections_move_the_case_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is PostgreSQL's")
    world = build()
    second = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(panel=world.lockleaze_panel, user=second, role=PanelRole.COORDINATOR)
    transfer = requested(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(actor):
        try:
            barrier.wait()
            services.transfer_accept(actor=actor, transfer=Transfer.objects.get(pk=transfer.pk))
            outcomes.append("accepted")
        except services.TransferError as refusal:
            outcomes.append(refusal.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(actor,))
        for actor in (world.lockleaze_coordinator, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "not_open"]
    assert Referral.objects.filter(panel=world.lockleaze_panel).count() == 1


# Consent -----------------------------------------------------------------------------------


def test_consent_to_panel_discussion_must_be_sought_again_at_the_new_panel(world):
    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=requested(world))
    meeting = MeetingFactory(panel=world.lockleaze_panel)
    new = Referral.objects.get(panel=world.lockleaze_panel)

    with pytest.raises(panels.PanelError) as refused:
        panels.agenda_add(actor=world.lockleaze_coordinator, meeting=meeting, referral=new)
    assert refused.value.field == "meeting"
    assert "ask them again" in refused.value.message
    assert "Zebedee" not in refused.value.message

    ConsentRecordFactory(
        child=world.child, household_member=world.mother, scope=Scope.PANEL_DISCUSSION
    )
    item = panels.agenda_add(actor=world.lockleaze_coordinator, meeting=meeting, referral=new)
    assert item.meeting == meeting


def test_other_consent_travels_with_the_case(world):
    """Consent to contact by services and to sharing with named organisations is not about a
    panel: the plan carries on under it."""
    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=requested(world))
    plan = Plan.objects.get(pk=world.plan.pk)
    changed = plans.plan_change(
        actor=world.keyworker,
        plan=plan,
        revision=plan.revision,
        details=plans.PlanDetails(
            keyworker=world.keyworker,
            keyworker_organisation=plan.keyworker_organisation,
            contingency="Call the new youth worker.",
            review_interval_weeks=plan.review_interval_weeks,
            next_review_on=plan.next_review_on,
        ),
    )
    assert changed.contingency == "Call the new youth worker."


# Declining and withdrawing -----------------------------------------------------------------


def test_declining_needs_a_reason_and_tells_the_requester(world):
    transfer = requested(world)
    with pytest.raises(services.TransferError) as refused:
        services.transfer_decline(actor=world.lockleaze_coordinator, transfer=transfer, reason="")
    assert refused.value.field == "reason"

    declined = services.transfer_decline(
        actor=world.lockleaze_coordinator, transfer=transfer, reason="The family stayed."
    )

    assert declined.status == TransferStatus.DECLINED
    assert declined.decline_reason == "The family stayed."
    assert Notification.objects.filter(recipient=world.easton_coordinator).exists()
    assert sees_identity(world.easton_coordinator, world.child)
    assert services.current_case(world.child) == world.referral
    # The child can be asked about again once this one is answered.
    assert requested(world).status == TransferStatus.REQUESTED


def test_only_the_receiving_panel_may_decline(world):
    with pytest.raises(services.TransferError) as refused:
        services.transfer_decline(
            actor=world.easton_coordinator, transfer=requested(world), reason="No."
        )
    assert refused.value.code == "not_allowed"


def test_the_requester_may_withdraw_and_the_receiving_panel_is_told(world):
    transfer = requested(world)
    with pytest.raises(services.TransferError) as refused:
        services.transfer_withdraw(
            actor=world.lockleaze_coordinator, transfer=transfer, reason="Not moving."
        )
    assert refused.value.code == "not_allowed"
    with pytest.raises(services.TransferError) as refused:
        services.transfer_withdraw(actor=world.easton_coordinator, transfer=transfer, reason="")
    assert refused.value.field == "reason"

    withdrawn = services.transfer_withdraw(
        actor=world.easton_coordinator, transfer=transfer, reason="The move fell through."
    )

    assert withdrawn.status == TransferStatus.WITHDRAWN
    assert Notification.objects.filter(
        recipient=world.lockleaze_coordinator, dedupe_key=f"transfer-withdrawn:{transfer.pk}"
    ).exists()
    with pytest.raises(services.TransferError) as refused:
        services.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)
    assert refused.value.code == "not_open"


def test_a_keyworker_who_asked_may_withdraw(world):
    MembershipFactory(user=world.keyworker, role=Role.KEYWORKER)
    transfer = services.transfer_request(
        actor=world.keyworker, child=world.child, details=details(world)
    )
    withdrawn = services.transfer_withdraw(
        actor=world.keyworker, transfer=transfer, reason="Not moving."
    )
    assert withdrawn.status == TransferStatus.WITHDRAWN


def test_the_transfer_and_its_answer_are_on_the_childs_timeline(world):
    transfer = requested(world)
    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)

    events = timeline.events_for(child=world.child, viewer=world.lockleaze_coordinator)
    said = [event.what for event in events if "Transfer" in event.what]

    between = f"from the {world.easton_panel.name} to the {world.lockleaze_panel.name}"
    assert said == [
        f"Transfer accepted: the case moved {between}",
        f"Transfer asked for {between}, after a move to a new area",
    ]
    detail = reverse("transfers:detail", kwargs={"transfer_id": transfer.pk})
    assert all(event.url == detail for event in events if "Transfer" in event.what)
