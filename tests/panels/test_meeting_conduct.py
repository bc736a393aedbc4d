"""The meeting itself, through its services: attendance (deputies in a member's place), the
panel's quorum, declarations of interest, and decisions with reasons, each refused where a
rule says so, with the form field at fault and nothing saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.panels import conduct, minutes, selectors
from joinedup.panels.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    Declaration,
    QuorumRule,
)
from joinedup.panels.services import PanelError
from tests.factories import MeetingFactory, ReferralFactory
from tests.panels.meeting_world import meeting_world

Entry = conduct.AttendanceEntry
PRESENT, APOLOGIES, DEPUTY, ABSENT = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.DEPUTY,
    AttendanceStatus.ABSENT,
)


@pytest.fixture
def world(db):
    return meeting_world()


def attend(world, **statuses):
    """Record attendance: everyone present unless named (name=status or name=(DEPUTY, seat))."""
    entries = {}
    for name, seat in world.seats.items():
        if name == "deputy":
            continue
        answer = statuses.get(name, PRESENT)
        if isinstance(answer, tuple):
            entries[seat] = Entry(answer[0], answer[1])
        else:
            entries[seat] = Entry(answer)
    conduct.attendance_record(actor=world.coordinator, meeting=world.meeting, entries=entries)


def decide(world, item=None, actor=None, corrects=None, **details):
    values = {"outcome": DecisionOutcome.NO_FURTHER_ACTION, "rationale": "Settled at home."}
    values.update(details)
    return conduct.decision_record(
        actor=actor or world.coordinator,
        item=item or world.items[0],
        details=conduct.DecisionDetails(**values),
        corrects_version=corrects,
    )


# Attendance and quorum.


def test_without_attendance_the_meeting_is_not_quorate(world):
    state = selectors.quorum_of(meeting=world.meeting)
    assert not state.quorate
    assert state.summary == "Not quorate: attendance has not been recorded"


def test_everyone_present_is_quorate_with_the_numbers(world):
    attend(world)
    state = selectors.quorum_of(meeting=world.meeting)
    assert state.quorate
    assert state.summary == "Quorate: 4 members from 4 agencies"
    assert AuditEntry.objects.filter(
        verb=AuditVerb.UPDATE, target_id=str(world.meeting.pk), fields=["attendance"]
    ).exists()


def test_a_deputy_attends_in_the_members_place_and_counts(world):
    attend(world, police=(DEPUTY, world.seats["deputy"]))
    state = selectors.quorum_of(meeting=world.meeting)
    assert state.quorate and state.members == 4
    assert Attendance.objects.get(member=world.seats["police"]).deputy == world.seats["deputy"]


@pytest.mark.parametrize(
    ("statuses", "missing"),
    [
        ({"chair": APOLOGIES}, "the chair or the chair's deputy"),
        ({"school": ABSENT}, "4 members taking part"),
        ({"school": APOLOGIES, "police": ABSENT}, "3 agencies"),
        ({"chair": ABSENT}, "someone who can commit their agency's resources"),
    ],
)
def test_what_is_missing_from_the_quorum_is_said(world, statuses, missing):
    attend(world, **statuses)
    state = selectors.quorum_of(meeting=world.meeting)
    assert not state.quorate
    assert missing in state.summary


def test_the_panel_sets_its_own_quorum(world):
    attend(world, school=APOLOGIES)
    assert not selectors.quorum_of(meeting=world.meeting).quorate

    conduct.quorum_rule_set(
        actor=world.coordinator,
        panel=world.panel,
        settings=conduct.QuorumSettings(
            3, 3, chair_required=False, delegated_authority_required=False
        ),
    )

    assert (
        selectors.quorum_of(meeting=world.meeting).summary == "Quorate: 3 members from 3 agencies"
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (conduct.QuorumSettings(0, 1, True, True), "minimum_members"),
        (conduct.QuorumSettings(3, 4, True, True), "minimum_agencies"),
        (conduct.QuorumSettings(3, 0, True, True), "minimum_agencies"),
    ],
)
def test_an_impossible_quorum_is_refused(world, values, field):
    with pytest.raises(PanelError) as refused:
        conduct.quorum_rule_set(actor=world.coordinator, panel=world.panel, settings=values)
    assert refused.value.field == field
    assert not QuorumRule.objects.exists()


def test_only_the_coordinator_sets_the_quorum(world):
    with pytest.raises(PanelError, match="Only the coordinator"):
        conduct.quorum_rule_set(
            actor=world.chair, panel=world.panel, settings=conduct.QuorumSettings(3, 3, True, True)
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("present_before_the_day", "record apologies only"),
        ("deputy_of_someone_else", "Choose one of Sam Senco's deputies"),
        ("deputy_without_apologies", "Only a member who sent apologies sends a deputy"),
        ("deputy_seat", "a deputy is recorded in the place of the member"),
        ("not_coordinator", "Only the coordinator"),
        ("status", "Select whether"),
    ],
)
def test_attendance_that_breaks_a_rule_is_refused(db, change, message):
    world = meeting_world(started=change != "present_before_the_day")
    actor = world.coordinator
    entries = {world.seats["school"]: Entry(PRESENT)}
    if change == "deputy_of_someone_else":
        entries = {world.seats["school"]: Entry(DEPUTY, world.seats["deputy"])}
    elif change == "deputy_without_apologies":
        entries = {world.seats["police"]: Entry(PRESENT, world.seats["deputy"])}
    elif change == "deputy_seat":
        entries = {world.seats["deputy"]: Entry(PRESENT)}
    elif change == "not_coordinator":
        actor = world.chair
    elif change == "status":
        entries = {world.seats["school"]: Entry("late")}

    with pytest.raises(PanelError, match=message):
        conduct.attendance_record(actor=actor, meeting=world.meeting, entries=entries)
    assert not Attendance.objects.exists()


def test_apologies_can_be_recorded_before_the_day(db):
    world = meeting_world(started=False)
    conduct.attendance_record(
        actor=world.coordinator,
        meeting=world.meeting,
        entries={world.seats["school"]: Entry(APOLOGIES)},
    )
    assert Attendance.objects.get().status == APOLOGIES


# Declarations of interest.


def test_a_member_with_an_interest_takes_no_part_in_that_case_only(world):
    other = world.add_case()
    attend(world)

    conduct.declaration_record(
        actor=world.seats["school"].user,
        meeting=world.meeting,
        member=world.seats["school"],
        item=world.items[0],
        interest="Teaches the child's brother",
    )

    for_case = selectors.quorum_of(meeting=world.meeting, item=world.items[0])
    assert not for_case.quorate and for_case.not_taking_part == ("Sam Senco",)
    assert selectors.quorum_of(meeting=world.meeting, item=other).quorate
    with pytest.raises(PanelError) as refused:
        decide(world)
    assert refused.value.field == "quorum" and "3 members from 3 agencies" in refused.value.message
    decision = decide(world, item=other)
    assert decision.quorum_snapshot["members"] == 4


def test_an_interest_in_the_whole_meeting_counts_for_every_case(world):
    attend(world)
    conduct.declaration_record(
        actor=world.coordinator,
        meeting=world.meeting,
        member=world.seats["police"],
        item=None,
        interest="Line manager of the referrer for every case",
    )
    assert not selectors.quorum_of(meeting=world.meeting, item=world.items[0]).quorate


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("for_someone_else", "member", "Members declare their own interests"),
        ("empty", "interest", "Say what the interest is"),
        ("child_named", "interest", "Use the pseudonym"),
        ("other_meeting", "item", "Choose a case on this meeting's agenda"),
        ("twice", "item", "already declared"),
        ("after_decision", "item", "already decided"),
    ],
)
def test_a_declaration_that_breaks_a_rule_is_refused(world, change, field, message):
    actor, member, item = world.seats["school"].user, world.seats["school"], world.items[0]
    interest = "Neighbour of the family"
    if change == "for_someone_else":
        member = world.seats["police"]
    elif change == "empty":
        interest = "   "
    elif change == "child_named":
        interest = f"Knows {item.child.given_name} from church"
    elif change == "other_meeting":
        item = meeting_world_item_elsewhere(world)
    elif change == "twice":
        conduct.declaration_record(
            actor=actor, meeting=world.meeting, member=member, item=item, interest=interest
        )
    elif change == "after_decision":
        attend(world)
        decide(world)
    before = Declaration.objects.count()

    with pytest.raises(PanelError) as refused:
        conduct.declaration_record(
            actor=actor, meeting=world.meeting, member=member, item=item, interest=interest
        )

    assert refused.value.field == field and message in refused.value.message
    assert Declaration.objects.count() == before


def meeting_world_item_elsewhere(world):
    from joinedup.panels.models import AgendaItem

    referral = ReferralFactory(panel=world.panel)
    return AgendaItem.objects.create(
        meeting=world.next_meeting, child=referral.child, referral=referral
    )


# Decisions.


def test_a_decision_keeps_its_reasons_the_rule_and_the_quorum(world):
    attend(world)
    decision = decide(
        world,
        outcome=DecisionOutcome.SIGNPOST,
        signpost_to="Barton Hill youth club",
        rationale="The family wants a club, not a plan.",
    )
    assert decision.version == 1 and decision.decided_by == world.coordinator
    assert decision.rule_snapshot["rule_version"] == 0
    assert decision.rule_snapshot["met"] is False
    assert "2 or more agencies" in decision.rule_snapshot["rule_text"]
    assert decision.quorum_snapshot["summary"] == "Quorate: 4 members from 4 agencies"
    assert AuditEntry.objects.filter(verb=AuditVerb.CREATE, target_id=str(decision.pk)).exists()


def test_the_chair_can_record_a_decision(world):
    attend(world)
    decision = decide(
        world, actor=world.chair, outcome=DecisionOutcome.NO_FURTHER_ACTION, rationale="Settled."
    )
    assert decision.decided_by == world.chair


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("member", "outcome", "Only the coordinator or chair"),
        ("before_start", "outcome", "from the time it starts"),
        ("taken_off", "outcome", "taken off the agenda"),
        ("not_quorate", "quorum", "Not quorate"),
        ("no_outcome", "outcome", "Select the panel's decision"),
        ("no_rationale", "rationale", "Give the reasons"),
        ("child_named", "rationale", "Use the pseudonym"),
        ("signpost_nowhere", "signpost_to", "which service"),
        ("defer_nowhere", "defer_reason", "deferred to, or say why"),
        ("defer_backwards", "deferred_to", "later meeting of this panel"),
        ("against_rule", "against_rule_reason", "goes against the panel's prioritisation rule"),
        ("correct_without_version", "outcome", "Someone else recorded a decision"),
    ],
)
def test_a_decision_that_breaks_a_rule_is_refused(db, change, field, message):
    world = meeting_world(started=change != "before_start")
    item, actor = world.items[0], world.coordinator
    details = {}
    corrects = None
    if change != "not_quorate" and change != "before_start":
        attend(world)
    if change == "member":
        actor = world.seats["school"].user
    elif change == "taken_off":
        item.removed_at = timezone.now()
        item.save()
    elif change == "no_outcome":
        details = {"outcome": "promote"}
    elif change == "no_rationale":
        details = {"rationale": "  "}
    elif change == "child_named":
        details = {"rationale": f"{item.child.family_name} family asked for help"}
    elif change == "signpost_nowhere":
        details = {"outcome": DecisionOutcome.SIGNPOST}
    elif change == "defer_nowhere":
        details = {"outcome": DecisionOutcome.DEFER}
    elif change == "defer_backwards":
        earlier = MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=30))
        details = {"outcome": DecisionOutcome.DEFER, "deferred_to": earlier}
    elif change == "against_rule":
        details = {"outcome": DecisionOutcome.SUPPORT_PLAN}  # one agency, no risks: not met
    elif change == "correct_without_version":
        decide(world, against_rule_reason="Brothers already supported.")
    if change != "against_rule" and "against_rule_reason" not in details:
        details.setdefault("against_rule_reason", "The panel knows the family well.")
    before = Decision.objects.count()

    with pytest.raises(PanelError) as refused:
        decide(world, item=item, actor=actor, corrects=corrects, **details)

    assert refused.value.field == field, refused.value.message
    assert message in refused.value.message
    assert Decision.objects.count() == before


def test_deferring_to_a_later_meeting_is_recorded(world):
    attend(world)
    decision = decide(
        world,
        outcome=DecisionOutcome.DEFER,
        deferred_to=world.next_meeting,
        rationale="Waiting for the school's report.",
    )
    assert decision.deferred_to == world.next_meeting


def test_a_correction_is_a_new_version_with_its_reason_and_the_old_one_is_kept(world):
    attend(world)
    first = decide(world, outcome=DecisionOutcome.NO_FURTHER_ACTION, rationale="Settled.")

    with pytest.raises(PanelError) as unexplained:
        decide(world, outcome=DecisionOutcome.DEFER, defer_reason="Report due", corrects=1)
    assert unexplained.value.field == "correction_reason"
    with pytest.raises(PanelError, match="Someone else recorded"):
        decide(world, corrects=7, correction_reason="Typed wrong")

    second = decide(
        world,
        outcome=DecisionOutcome.DEFER,
        defer_reason="Report due",
        rationale="Wait for the report.",
        corrects=1,
        correction_reason="The panel deferred; I clicked the wrong answer",
    )

    first.refresh_from_db()
    assert first.superseded_at is not None and second.version == 2
    assert second.correction_reason.startswith("The panel deferred")
    assert [d.version for d in selectors.decisions_of(item=world.items[0])] == [2, 1]
    assert AuditEntry.objects.filter(
        verb=AuditVerb.UPDATE, target_id=str(second.pk), purpose__startswith="The panel deferred"
    ).exists()


def test_approved_minutes_freeze_the_meetings_record(world):
    attend(world)
    decide(world, outcome=DecisionOutcome.NO_FURTHER_ACTION, rationale="Settled.")
    draft = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)
    world.next_meeting.starts_at = timezone.now() - timedelta(minutes=5)
    world.meeting.starts_at = timezone.now() - timedelta(days=28)
    world.meeting.save()
    world.next_meeting.save()
    minutes.minutes_approve(actor=world.coordinator, minutes=draft, at_meeting=world.next_meeting)

    with pytest.raises(PanelError, match="minutes of this meeting are approved"):
        decide(
            world,
            outcome=DecisionOutcome.DEFER,
            defer_reason="x",
            corrects=1,
            correction_reason="y",
        )
    with pytest.raises(PanelError, match="minutes of this meeting are approved"):
        attend(world, school=ABSENT)


@pytest.mark.parametrize(
    ("given", "family", "rationale", "refused"),
    [
        ("Will", "Tanner", "We will review in March.", False),
        ("Will", "Tanner", "Will is settled now.", True),
        ("Amy", "Hill", "Discussed at the Easton & Lawrence Hill panel before.", False),
        ("Amy", "Hill", "The Hill family asked for help.", True),
        ("Amy", "Hill", "AMY says school is better.", True),
    ],
)
def test_the_childs_name_is_found_in_the_reasons_without_catching_ordinary_words(
    db, given, family, rationale, refused
):
    world = meeting_world(cases=0)
    item = world.add_case(given_name=given, family_name=family)
    world.panel.name = "Easton & Lawrence Hill panel"
    world.panel.save()
    attend(world)
    if refused:
        with pytest.raises(PanelError, match="Use the pseudonym"):
            decide(world, item=item, rationale=rationale)
    else:
        assert decide(world, item=item, rationale=rationale).rationale == rationale


def test_the_chairs_deputy_counts_as_the_chair(world):
    from tests.panels.meeting_world import seat

    vice = seat(
        world.panel,
        "member",
        name="Val Vice",
        organisation=world.seats["chair"].organisation,
        deputy_for=world.seats["chair"],
        has_delegated_authority=True,
    )
    attend(world, chair=(DEPUTY, vice))
    state = selectors.quorum_of(meeting=world.meeting)
    assert state.quorate and state.chair_present


def test_nothing_is_declared_once_the_minutes_are_approved(world):
    draft = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)
    world.next_meeting.starts_at = timezone.now()
    world.next_meeting.save()
    minutes.minutes_approve(actor=world.coordinator, minutes=draft, at_meeting=world.next_meeting)
    with pytest.raises(PanelError, match="minutes of this meeting are approved"):
        conduct.declaration_record(
            actor=world.coordinator,
            meeting=world.meeting,
            member=world.seats["school"],
            item=None,
            interest="Neighbour",
        )
