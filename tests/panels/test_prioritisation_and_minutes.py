"""The panel's prioritisation rule, evaluated from the record and kept with each decision as it
stood (a rule change never rewrites a past decision); minutes generated from the record,
edited as a draft and approved at a later meeting; attendance rates for the chair."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.assessments.models import AssessmentStatus
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.panels import conduct, minutes, selectors
from joinedup.panels.models import AttendanceStatus, DecisionOutcome, Minutes, PrioritisationRule
from joinedup.panels.services import PanelError
from tests.factories import MeetingFactory, OrganisationFactory, ReferralFactory
from tests.panels.meeting_world import completed_assessment, meeting_world


@pytest.fixture
def world(db):
    world = meeting_world()
    world.everyone_present()
    return world


def evaluate(world, item=None, ticked=False):
    return selectors.case_evaluation(
        viewer=world.coordinator, item=item or world.items[0], parents_ticked=ticked
    )


def decide(world, **details):
    values = {"outcome": DecisionOutcome.NO_FURTHER_ACTION, "rationale": "Settled at home."}
    values.update(details)
    return conduct.decision_record(
        actor=world.coordinator, item=world.items[0], details=conduct.DecisionDetails(**values)
    )


def test_one_agency_no_parents_no_assessment_is_not_met(world):
    evaluation = evaluate(world)
    assert not evaluation.met
    assert len(evaluation.inputs.agencies) == 1
    assert evaluation.inputs.risk_factors == () and evaluation.inputs.assessment == ""


def test_two_agencies_referring_meets_the_default_rule(world):
    child = world.items[0].child
    ReferralFactory(child=child, referring_organisation=OrganisationFactory(name="GP surgery"))
    evaluation = evaluate(world)
    assert evaluation.agencies_met and evaluation.met
    assert "GP surgery" in evaluation.inputs.agencies


@pytest.mark.parametrize(
    ("relationship", "met"),
    [("Mother", True), ("Foster carer", True), ("Step-parent", True), ("Class teacher", False)],
)
def test_a_referral_from_a_parent_or_carer_meets_the_default_rule(world, relationship, met):
    world.items[0].referral.relationship_to_child = relationship
    world.items[0].referral.save()
    assert evaluate(world).parents_met is met


def test_the_coordinator_can_say_the_parents_are_concerned(world):
    assert evaluate(world, ticked=True).met


def test_four_areas_rated_2_or_more_on_the_latest_completed_assessment_meet_it(world):
    child = world.items[0].child
    completed_assessment(child, [0, 1, 1, 1, 4])
    assert not evaluate(world).risks_met
    newer = completed_assessment(child, [2, 2, 3, 4, 1], version=2)
    evaluation = evaluate(world)
    assert evaluation.risks_met and len(evaluation.inputs.risk_factors) == 4
    assert AuditEntry.objects.filter(verb=AuditVerb.READ, target_id=str(newer.pk)).exists()


def test_a_draft_assessment_does_not_count(world):
    draft = completed_assessment(world.items[0].child, [3, 3, 3, 3])
    draft.status, draft.completed_at = AssessmentStatus.DRAFT, None
    draft.save()
    assert evaluate(world).inputs.risk_factors == ()


def test_a_decision_against_the_rule_says_why_and_the_snapshot_survives_a_rule_change(world):
    with pytest.raises(PanelError) as refused:
        decide(world, outcome=DecisionOutcome.SUPPORT_PLAN)
    assert refused.value.field == "against_rule_reason"

    decision = decide(
        world,
        outcome=DecisionOutcome.SUPPORT_PLAN,
        against_rule_reason="Excluded twice this term; the school asks for a plan.",
    )
    rule = conduct.prioritisation_rule_adopt(
        actor=world.coordinator,
        panel=world.panel,
        settings=conduct.RuleSettings(1, True, 4, 2, "One agency is enough in Easton"),
    )

    assert rule.version == 1
    assert evaluate(world).met  # the new rule
    decision.refresh_from_db()
    assert decision.rule_snapshot["rule_version"] == 0 and decision.rule_snapshot["met"] is False
    assert "2 or more agencies" in decision.rule_snapshot["rule_text"]


def test_a_rule_met_and_no_plan_must_say_why(world):
    with pytest.raises(PanelError) as refused:
        decide(world, outcome=DecisionOutcome.NO_FURTHER_ACTION, parents_concerned=True)
    assert refused.value.field == "against_rule_reason"
    decision = decide(world, outcome=DecisionOutcome.DEFER, defer_reason="Report due")
    assert decision.rule_snapshot["met"] is False


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (conduct.RuleSettings(2, True, 4, 2, "No change"), "minimum_agencies"),
        (conduct.RuleSettings(3, True, 4, 2, "  "), "change_summary"),
        (conduct.RuleSettings(0, True, 4, 2, "Fewer"), "minimum_agencies"),
        (conduct.RuleSettings(2, True, 0, 2, "Fewer"), "minimum_risk_factors"),
        (conduct.RuleSettings(2, True, 4, 5, "Higher"), "risk_rating_from"),
    ],
)
def test_a_rule_version_that_breaks_a_rule_is_refused(world, values, field):
    with pytest.raises(PanelError) as refused:
        conduct.prioritisation_rule_adopt(
            actor=world.coordinator, panel=world.panel, settings=values
        )
    assert refused.value.field == field
    assert not PrioritisationRule.objects.exists()


# Minutes.


def _with_a_decision(world):
    other = world.add_case()
    conduct.declaration_record(
        actor=world.coordinator,
        meeting=world.meeting,
        member=world.seats["police"],
        item=other,
        interest="Knows the families on Stapleton Road",
    )
    return decide(
        world,
        outcome=DecisionOutcome.SIGNPOST,
        signpost_to="Barton Hill youth club",
        rationale="The family asked for a club.",
    )


def test_minutes_are_generated_from_the_record_with_children_by_pseudonym_only(world):
    _with_a_decision(world)

    draft = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)

    child = world.items[0].child
    for expected in (
        "Chris Chair (Children's social care), chair",
        "Pat Police (Avon and Somerset Police), in the case of",
        f"{child.pseudonym} ({child.reference})",
        "Decision: Signpost to a mainstream service: Barton Hill youth club",
        "Reasons: The family asked for a club.",
        "Prioritisation rule (the default rule): not met.",
        "Quorate: 4 members from 4 agencies",
        "Decision: not recorded",
    ):
        assert expected in draft.text, expected
    assert child.given_name not in draft.text and child.family_name not in draft.text
    assert draft.generated_text == draft.text


def test_edits_keep_the_generated_text_and_regenerating_warns(world):
    draft = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)
    edited = minutes.minutes_edit(
        actor=world.coordinator,
        minutes=draft,
        text=draft.text + "Any other business: none.",
        revision=draft.revision,
    )
    assert edited.is_edited and edited.generated_text == draft.generated_text
    with pytest.raises(PanelError, match="Someone else changed the minutes"):
        minutes.minutes_edit(
            actor=world.coordinator, minutes=draft, text="Old page", revision=draft.revision
        )
    with pytest.raises(PanelError) as named:
        minutes.minutes_edit(
            actor=world.coordinator,
            minutes=edited,
            text=f"{world.items[0].child.given_name} was discussed",
            revision=edited.revision,
        )
    assert named.value.field == "text"

    with pytest.raises(PanelError) as warned:
        minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)
    assert warned.value.field == "confirm"
    assert "Any other business" in Minutes.objects.get().text

    again = minutes.minutes_generate(
        actor=world.coordinator, meeting=world.meeting, overwrite_edits=True
    )
    assert not again.is_edited
    assert AuditEntry.objects.filter(target_id=str(draft.pk), verb=AuditVerb.UPDATE).count() == 2


def test_minutes_are_approved_at_a_later_meeting_and_are_then_read_only(world):
    draft = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)
    earlier = MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=28))
    for at_meeting, message in (
        (world.meeting, "later meeting of the same panel"),
        (earlier, "later meeting of the same panel"),
        (world.next_meeting, "once it has started"),
        (MeetingFactory(starts_at=timezone.now()), "same panel"),
    ):
        with pytest.raises(PanelError, match=message):
            minutes.minutes_approve(actor=world.coordinator, minutes=draft, at_meeting=at_meeting)
    world.next_meeting.starts_at = timezone.now()
    world.next_meeting.save()
    with pytest.raises(PanelError, match="Only the coordinator"):
        minutes.minutes_approve(actor=world.chair, minutes=draft, at_meeting=world.next_meeting)

    approved = minutes.minutes_approve(
        actor=world.coordinator, minutes=draft, at_meeting=world.next_meeting
    )

    assert approved.approved_at_meeting == world.next_meeting
    with pytest.raises(PanelError, match="approved"):
        minutes.minutes_edit(
            actor=world.coordinator, minutes=approved, text="x", revision=approved.revision
        )
    with pytest.raises(PanelError, match="approved"):
        minutes.minutes_generate(
            actor=world.coordinator, meeting=world.meeting, overwrite_edits=True
        )


def test_minutes_wait_for_the_meeting_to_start(db):
    world = meeting_world(started=False)
    with pytest.raises(PanelError, match="once the meeting has started"):
        minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)


# Attendance over time.


def test_attendance_rates_per_member_and_agency_for_the_chair(world):
    earlier = MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=28))
    conduct.attendance_record(
        actor=world.coordinator,
        meeting=earlier,
        entries={
            world.seats["coordinator"]: conduct.AttendanceEntry(AttendanceStatus.PRESENT),
            world.seats["chair"]: conduct.AttendanceEntry(AttendanceStatus.PRESENT),
            world.seats["police"]: conduct.AttendanceEntry(
                AttendanceStatus.DEPUTY, world.seats["deputy"]
            ),
            world.seats["school"]: conduct.AttendanceEntry(AttendanceStatus.APOLOGIES),
        },
    )

    report = selectors.attendance_report(viewer=world.chair, panel=world.panel, last=6)

    assert len(report.meetings) == 2
    rates = {row.name: (row.attended, row.expected, row.rate) for row in report.members}
    assert rates["Sam Senco"] == (1, 2, 50) and rates["Pat Police"] == (2, 2, 100)
    agencies = {row.name: row.rate for row in report.agencies}
    assert agencies["Easton Primary"] == 50 and agencies["Avon and Somerset Police"] == 100
    assert (
        len(selectors.attendance_report(viewer=world.chair, panel=world.panel, last=1).meetings)
        == 1
    )
    with pytest.raises(PermissionDenied):
        selectors.attendance_report(viewer=world.seats["school"].user, panel=world.panel)


def test_a_child_called_hill_does_not_stop_edits_to_the_lawrence_hill_panels_minutes(db):
    world = meeting_world(cases=0)
    world.panel.name = "Easton & Lawrence Hill panel"
    world.panel.save()
    world.add_case(given_name="Amy", family_name="Hill")
    draft = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting)
    assert "Lawrence Hill" in draft.text

    edited = minutes.minutes_edit(
        actor=world.coordinator, minutes=draft, text=draft.text + "Close.", revision=1
    )
    assert edited.text.endswith("Close.\n")
    with pytest.raises(PanelError, match="Use the pseudonym"):
        minutes.minutes_edit(
            actor=world.coordinator,
            minutes=edited,
            text=edited.text + "Amy Hill's mother came.",
            revision=edited.revision,
        )


# Actions in the minutes: those agreed, and those carried forward from earlier meetings


def _action(world, *, title, meeting=None, item=None, days=7, seat="police", **fields):
    from tests.factories import ActionFactory

    member = world.seats[seat]
    return ActionFactory(
        title=title,
        meeting=meeting or world.meeting,
        agenda_item=item,
        child=item.child if item else None,
        owner=member.user,
        organisation=member.organisation,
        due_on=timezone.localdate() + timedelta(days=days),
        **fields,
    )


def test_minutes_list_the_actions_agreed_with_owner_agency_and_due_date(world):
    from joinedup.actions.models import ActionStatus

    item = world.items[0]
    _action(world, title=f"Book a home visit for {item.child.pseudonym}", item=item, days=14)
    _action(
        world,
        title="Ask the school about attendance",
        seat="school",
        days=7,
        status=ActionStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )

    text = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting).text

    agreed = text[text.index("Actions agreed") : text.index("Actions carried forward")]
    in_a_week = timezone.localdate() + timedelta(days=7)
    in_two = timezone.localdate() + timedelta(days=14)
    assert (
        f"- Ask the school about attendance: Sam Senco (Easton Primary), due "
        f"{in_a_week:%-d %B %Y} (Cancelled)"
    ) in agreed
    child = item.child
    assert (
        f"- Book a home visit for {child.pseudonym} ({child.pseudonym} ({child.reference})): "
        f"Pat Police (Avon and Somerset Police), due {in_two:%-d %B %Y}"
    ) in agreed
    assert agreed.index("Ask the school") < agreed.index("Book a home visit")  # by due date
    assert "Actions carried forward\n- None" in text


def test_names_in_action_titles_never_reach_the_minutes(world):
    """A title is refused when it names its own case's child, but not when it names another
    child on the agenda, a parent, or is written away from any case."""
    from joinedup.children.models import HouseholdMember

    first = world.items[0]
    other = world.add_case(given_name="Ottoline", family_name="Brackenbury")
    HouseholdMember.objects.create(
        child=other.child, full_name="Ada Brackenbury", relationship="mother"
    )
    _action(world, title="Call Ada Brackenbury about Ottoline", item=first)
    _action(world, title=f"Visit {first.child.given_name} {first.child.family_name} at home")

    text = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting).text

    assert f"- Call the mother about {other.child.pseudonym} ({first.child.pseudonym}" in text
    assert f"- Visit {first.child.pseudonym} at home: Pat Police" in text
    for name in ("Ada", "Brackenbury", "Ottoline", first.child.given_name):
        assert name not in text


def test_actions_still_open_when_the_meeting_started_are_carried_forward_overdue_marked(world):
    from joinedup.actions.models import ActionStatus

    earlier = MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=28))
    item = world.items[0]
    _action(world, meeting=earlier, title="Refer to the youth club", days=-3, item=item)
    _action(world, meeting=earlier, title="Send the plan to the family", days=5, seat="school")
    _action(
        world,
        meeting=earlier,
        title="Done since the meeting started",
        days=-1,
        status=ActionStatus.DONE,
        completed_at=timezone.now(),
    )
    _action(
        world,
        meeting=earlier,
        title="Done before the meeting",
        status=ActionStatus.DONE,
        completed_at=timezone.now() - timedelta(days=2),
    )
    _action(world, meeting=MeetingFactory(starts_at=earlier.starts_at), title="Another panel's")
    _action(world, meeting=world.next_meeting, title="Agreed at a later meeting")

    text = minutes.minutes_generate(actor=world.coordinator, meeting=world.meeting).text

    carried = text[text.index("Actions carried forward") :]
    agreed_on = f"{timezone.localtime(earlier.starts_at):%-d %B %Y}"
    three_ago = timezone.localdate() - timedelta(days=3)
    # Lateness counts to the day of the meeting, which started an hour ago: yesterday, just
    # after midnight.
    meeting_day = timezone.localdate(world.meeting.starts_at)

    def overdue(due_on):
        late = (meeting_day - due_on).days
        return f"; overdue by {late} day{'s' if late != 1 else ''}" if late > 0 else ""

    assert (
        f"- Refer to the youth club ({item.child.pseudonym} ({item.child.reference})): Pat "
        f"Police (Avon and Somerset Police), due {three_ago:%-d %B %Y}; agreed {agreed_on}"
        f"{overdue(three_ago)}"
    ) in carried
    line_of = {
        line[2:].split(":")[0].split(" (")[0]: line
        for line in carried.splitlines()
        if line.startswith("- ")
    }
    # Done since the meeting started: still the panel's business that day.
    done_line = line_of["Done since the meeting started"]
    assert done_line.endswith(f"agreed {agreed_on}{overdue(timezone.localdate() - timedelta(1))}")
    assert line_of["Send the plan to the family"].startswith(
        "- Send the plan to the family: Sam Senco (Easton Primary), due"
    )
    assert "overdue" not in line_of["Send the plan to the family"]
    for absent in ("Done before the meeting", "Another panel's", "Agreed at a later meeting"):
        assert absent not in text
    assert "Actions agreed\n- None" in text
