"""Actions through their services: who may record and change them, the rules on dates, owners
and texts, optimistic locking, the kept history, the audit trail, and what the owner is told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.actions import services
from joinedup.actions.models import Action, ActionChange, ActionStatus, ChangeKind
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.notifications.models import Notification
from joinedup.panels.models import AgendaItem
from tests.actions.world import panel_world, person_at
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def world():
    return panel_world()


def _audited(action: Action, verb: AuditVerb) -> int:
    return AuditEntry.objects.filter(verb=verb, target_id=str(action.pk)).count()


def test_the_coordinator_records_an_action_and_the_owner_is_told_without_the_childs_name(world):
    action = world.create(title="Ask the school about attendance")

    assert action.status == ActionStatus.OPEN
    assert action.panel == world.panel
    assert action.child == world.child
    assert action.organisation == world.police
    assert _audited(action, AuditVerb.CREATE) == 1
    assert ActionChange.objects.filter(action=action, kind=ChangeKind.CREATED).count() == 1
    notice = Notification.objects.get(recipient=world.sergeant)
    assert world.child.reference in notice.text
    assert world.child.pseudonym in notice.text
    assert "Zebedee" not in notice.text and "Quixwort" not in notice.text
    # The title is typed by a person and could name the child: it stays on the action's page.
    assert action.title not in notice.text
    assert notice.url == f"/actions/{action.pk}/"


def test_the_chair_may_record_an_action_but_a_member_may_not(world):
    assert world.create(actor=world.chair).pk
    with pytest.raises(services.ActionError) as refusal:
        world.create(actor=world.member)
    assert refusal.value.field == "meeting"
    assert Action.objects.count() == 1


def test_another_panels_coordinator_may_not_record_this_panels_actions(world):
    outsider = person_at(world.school, Role.PANEL_COORDINATOR)
    with pytest.raises(services.ActionError):
        world.create(actor=outsider)
    assert not Action.objects.exists()


def test_a_due_date_in_the_past_is_refused_and_today_is_allowed(world):
    with pytest.raises(services.ActionError) as refusal:
        world.create(due_on=TODAY() - timedelta(days=1))
    assert refusal.value.field == "due_on"
    assert world.create(due_on=TODAY()).due_on == TODAY()


def test_the_owner_must_work_for_the_organisation_now_and_have_an_open_account(world):
    with pytest.raises(services.ActionError) as refusal:
        world.create(organisation=world.school)
    assert refusal.value.field == "owner"
    membership = world.sergeant.memberships.get()
    membership.ended_on = TODAY()
    membership.save()
    with pytest.raises(services.ActionError):
        world.create()
    world.teacher.is_active = False
    world.teacher.save()
    with pytest.raises(services.ActionError):
        world.create(owner=world.teacher, organisation=world.school)
    assert not Action.objects.exists()


def test_the_case_must_be_on_this_meetings_agenda_now(world):
    other_meeting = MeetingFactory(panel=world.panel)
    with pytest.raises(services.ActionError) as refusal:
        world.create(meeting=other_meeting)
    assert refusal.value.field == "agenda_item"
    AgendaItem.objects.filter(pk=world.item.pk).update(removed_at=timezone.now())
    world.item.refresh_from_db()
    with pytest.raises(services.ActionError):
        world.create()
    assert not Action.objects.exists()


@pytest.mark.parametrize("field", ["title", "detail"])
def test_texts_that_name_the_child_are_refused_with_the_pseudonym_to_use(world, field):
    with pytest.raises(services.ActionError) as refusal:
        world.create(**{field: "Check that zebedee is going to school"})
    assert refusal.value.field == field
    assert world.child.pseudonym in refusal.value.message
    assert not Action.objects.exists()


@pytest.mark.parametrize(("title", "field"), [("   ", "title"), ("x" * 201, "title")])
def test_an_empty_or_overlong_title_is_refused(world, title, field):
    with pytest.raises(services.ActionError) as refusal:
        world.create(title=title)
    assert refusal.value.field == field


def test_an_action_away_from_a_meeting_is_kept_by_whoever_recorded_it(world):
    action = services.action_create(
        actor=world.coordinator,
        new=services.NewAction(
            title="Send the referral form",
            owner=world.teacher,
            organisation=world.school,
            due_on=TODAY(),
        ),
    )
    assert action.panel is None and action.child is None
    services.action_cancel(
        actor=world.coordinator, action=action, revision=1, reason="Done by phone"
    )
    with pytest.raises(services.ActionError):
        services.action_cancel(actor=world.chair, action=action, revision=2, reason="Again")


def test_away_from_a_meeting_only_a_coordinator_or_chair_records_an_action(world):
    with pytest.raises(services.ActionError) as refusal:
        services.action_create(
            actor=world.sergeant,
            new=services.NewAction(
                title="Send the referral form",
                owner=world.teacher,
                organisation=world.school,
                due_on=TODAY(),
            ),
        )
    assert refusal.value.field == "meeting"
    assert not Action.objects.exists()


def test_the_owner_records_it_done_with_what_was_done(world):
    action = world.create()
    services.action_complete(
        actor=world.sergeant, action=action, revision=action.revision, outcome="Spoke to the head."
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_by == world.sergeant
    assert action.outcome == "Spoke to the head."
    assert action.revision == 2
    assert _audited(action, AuditVerb.UPDATE) == 1


def test_only_the_owner_or_the_coordinator_may_record_it_done(world):
    action = world.create()
    for stranger in (world.chair, world.teacher):
        with pytest.raises(services.ActionError):
            services.action_complete(actor=stranger, action=action, revision=1, outcome="Done")
    services.action_complete(actor=world.coordinator, action=action, revision=1, outcome="Done")
    with pytest.raises(services.ActionError) as refusal:
        services.action_complete(actor=world.sergeant, action=action, revision=2, outcome="Done")
    assert refusal.value.code == "closed"


def test_what_was_done_is_required(world):
    action = world.create()
    with pytest.raises(services.ActionError) as refusal:
        services.action_complete(actor=world.sergeant, action=action, revision=1, outcome=" ")
    assert refusal.value.field == "outcome"
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_of_two_changes_from_the_same_page_the_second_is_refused_and_the_first_kept(world):
    action = world.create()
    first_page = Action.objects.get(pk=action.pk)
    second_page = Action.objects.get(pk=action.pk)
    services.action_change_due_date(
        actor=world.sergeant,
        action=first_page,
        revision=1,
        due_on=TODAY() + timedelta(days=20),
        reason="Head teacher away",
    )
    with pytest.raises(services.ActionError) as refusal:
        services.action_complete(
            actor=world.sergeant, action=second_page, revision=1, outcome="Spoke to the head."
        )
    assert refusal.value.code == "stale"
    assert "Someone changed this action" in refusal.value.message
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert action.due_on == TODAY() + timedelta(days=20)
    assert action.revision == 2


def test_a_new_due_date_keeps_the_old_one_and_the_reason(world):
    action = world.create()
    old = action.due_on
    services.action_change_due_date(
        actor=world.chair,
        action=action,
        revision=1,
        due_on=old + timedelta(days=7),
        reason="Half term",
    )
    change = ActionChange.objects.get(action=action, kind=ChangeKind.REDATED)
    assert (change.before, change.after, change.reason) == (
        old.isoformat(),
        (old + timedelta(days=7)).isoformat(),
        "Half term",
    )
    assert AuditEntry.objects.filter(target_id=str(action.pk), purpose="Half term").exists()


@pytest.mark.parametrize(
    ("days", "reason", "field"), [(-1, "Late", "due_on"), (9, "", "reason"), (0, "Same", "due_on")]
)
def test_a_bad_new_due_date_is_refused(world, days, reason, field):
    action = world.create()
    due = action.due_on if days == 0 else TODAY() + timedelta(days=days)
    with pytest.raises(services.ActionError) as refusal:
        services.action_change_due_date(
            actor=world.sergeant, action=action, revision=1, due_on=due, reason=reason
        )
    assert refusal.value.field == field


def test_someone_else_may_not_change_the_due_date(world):
    action = world.create()
    with pytest.raises(services.ActionError):
        services.action_change_due_date(
            actor=world.teacher,
            action=action,
            revision=1,
            due_on=TODAY() + timedelta(days=30),
            reason="Busy",
        )


def test_the_coordinator_gives_an_action_to_someone_else_who_is_told(world):
    action = world.create()
    services.action_reassign(
        actor=world.coordinator,
        action=action,
        revision=1,
        owner=world.teacher,
        organisation=world.school,
        reason="The school knows the family",
    )
    action.refresh_from_db()
    assert (action.owner, action.organisation) == (world.teacher, world.school)
    assert Notification.objects.filter(recipient=world.teacher).count() == 1
    change = ActionChange.objects.get(action=action, kind=ChangeKind.REASSIGNED)
    assert "Sam Sergeant" in change.before and "Tia Teacher" in change.after


def test_only_the_coordinator_reassigns_and_only_to_someone_who_works_there(world):
    action = world.create()
    with pytest.raises(services.ActionError):
        services.action_reassign(
            actor=world.chair,
            action=action,
            revision=1,
            owner=world.teacher,
            organisation=world.school,
            reason="x",
        )
    with pytest.raises(services.ActionError) as refusal:
        services.action_reassign(
            actor=world.coordinator,
            action=action,
            revision=1,
            owner=world.teacher,
            organisation=world.police,
            reason="x",
        )
    assert refusal.value.field == "owner"
    action.refresh_from_db()
    assert action.owner == world.sergeant


def test_the_chair_cancels_with_a_reason_and_a_cancelled_action_cannot_be_done(world):
    action = world.create()
    with pytest.raises(services.ActionError):
        services.action_cancel(actor=world.sergeant, action=action, revision=1, reason="No")
    with pytest.raises(services.ActionError) as refusal:
        services.action_cancel(actor=world.chair, action=action, revision=1, reason="")
    assert refusal.value.field == "reason"
    services.action_cancel(actor=world.chair, action=action, revision=1, reason="Family moved")
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    assert action.cancelled_reason == "Family moved"
    with pytest.raises(services.ActionError) as refusal:
        services.action_complete(actor=world.sergeant, action=action, revision=2, outcome="x")
    assert refusal.value.code == "closed"
