from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from joinedup.assessments.models import AssessmentKind, AssessmentStatus
from joinedup.children.models import Involvement, InvolvementRole
from joinedup.children.need_to_know import sees_identity
from joinedup.consent.models import HowTold
from joinedup.consent.services import consent_withdraw
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.plans import services
from joinedup.plans.models import (
    GoalStatus,
    InterventionStatus,
    Outcome,
    Plan,
    PlanStatus,
    Progress,
)
from tests.conftest import make_person
from tests.factories import (
    AssessmentFactory,
    ChildFactory,
    ConsentRecordFactory,
    InvolvementFactory,
    MembershipFactory,
)
from tests.plans.conftest import add_goal, open_plan, organisation_of

TODAY = timezone.localdate


def _details(plan, **changes):
    values = {
        "keyworker": plan.keyworker,
        "keyworker_organisation": plan.keyworker_organisation,
        "contingency": plan.contingency,
        "review_interval_weeks": plan.review_interval_weeks,
        "next_review_on": plan.next_review_on,
        **changes,
    }
    return services.PlanDetails(**values)


def _closure(**changes):
    values = {
        "closed_on": TODAY(),
        "outcome": Outcome.GOALS_MET,
        "outcome_reason": "Back at football and in school every day.",
        "what_changed": "Attendance up to 96%.",
        "child_view": "I like school more now",
        "family_view": "He is happier",
        "support_continuing": "Football club on Saturdays",
        **changes,
    }
    return services.Closure(**values)


def _intervention(**changes):
    values = {
        "service": "Mentoring",
        "starts_on": TODAY(),
        "frequency": "Every Tuesday after school",
        "provider_name": "Easton Youth Project",
        **changes,
    }
    return services.InterventionDetails(**values)


# Opening -----------------------------------------------------------------------------------


def test_opening_a_plan_puts_the_keyworker_in_the_team_with_a_review_in_12_weeks(world):
    assert not sees_identity(world.keyworker, world.child)

    plan = open_plan(world, contingency="Call Hodan")

    assert plan.status == PlanStatus.OPEN
    assert plan.revision == 1
    assert plan.next_review_on == TODAY() + timedelta(weeks=12)
    assert plan.keyworker_involvement.role == InvolvementRole.KEYWORKER
    assert plan.keyworker_involvement.worker == world.keyworker
    assert sees_identity(world.keyworker, world.child)
    entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(plan.pk))
    assert entry.actor == world.coordinator
    assert "Amina" not in repr(entry.detail)


def test_the_review_interval_sets_the_first_review(world):
    plan = open_plan(world, review_interval_weeks=6, opened_on=TODAY() - timedelta(days=7))
    assert plan.next_review_on == TODAY() - timedelta(days=7) + timedelta(weeks=6)


def test_a_child_has_one_open_plan(world, plan):
    with pytest.raises(services.PlanError) as refused:
        open_plan(world)
    assert refused.value.code == "plan_exists"
    assert Plan.objects.filter(child=world.child).count() == 1


def test_the_database_refuses_a_second_open_plan(world, plan):
    with pytest.raises(IntegrityError):
        Plan.objects.create(
            child=world.child,
            keyworker=world.keyworker,
            keyworker_organisation=world.organisation,
            opened_on=TODAY(),
            next_review_on=TODAY(),
        )


def test_only_a_coordinator_of_the_childs_panel_opens_a_plan(world):
    stranger = make_person(Role.PANEL_COORDINATOR)
    with pytest.raises(services.PlanError) as refused:
        services.plan_open(
            actor=stranger,
            child=world.child,
            keyworker=world.keyworker,
            keyworker_organisation=world.organisation,
        )
    assert refused.value.code == "not_allowed"
    # Without naming the panel, the coordinator of a panel the child was referred to may.
    plan = services.plan_open(
        actor=world.coordinator,
        child=world.child,
        keyworker=world.keyworker,
        keyworker_organisation=world.organisation,
    )
    assert plan.panel is None


def test_the_keyworker_must_hold_the_keyworker_role_at_the_organisation(world):
    referrer = make_person(Role.REFERRER)
    with pytest.raises(services.PlanError) as refused:
        services.plan_open(
            actor=world.coordinator,
            child=world.child,
            keyworker=referrer,
            keyworker_organisation=organisation_of(referrer),
        )
    assert refused.value.field == "keyworker"
    assert not Plan.objects.exists()


def test_an_ended_keyworker_role_does_not_count(world):
    MembershipFactory(user=world.keyworker, role=Role.REFERRER, organisation=world.organisation)
    world.keyworker.memberships.filter(role=Role.KEYWORKER).update(
        started_on=TODAY() - timedelta(days=30), ended_on=TODAY()
    )
    with pytest.raises(services.PlanError):
        open_plan(world)


def test_no_consent_to_contact_no_plan(world):
    world.contact.delete()
    with pytest.raises(services.PlanError) as refused:
        open_plan(world)
    assert refused.value.code == "consent"
    assert "contact by services" in refused.value.message
    assert not Plan.objects.exists()


def test_the_keyworkers_organisation_must_be_in_the_consent_to_share(world):
    other = make_person(Role.KEYWORKER)
    with pytest.raises(services.PlanError) as refused:
        services.plan_open(
            actor=world.coordinator,
            child=world.child,
            keyworker=other,
            keyworker_organisation=organisation_of(other),
        )
    assert refused.value.field == "keyworker"
    assert refused.value.code == "consent"
    # Nothing half done: no plan, no involvement.
    assert not Plan.objects.exists()
    assert not Involvement.objects.filter(worker=other).exists()


def test_bad_dates_and_intervals_are_refused(world):
    with pytest.raises(services.PlanError) as refused:
        open_plan(world, opened_on=TODAY() + timedelta(days=1))
    assert refused.value.field == "opened_on"
    with pytest.raises(services.PlanError) as refused:
        open_plan(world, review_interval_weeks=0)
    assert refused.value.field == "review_interval_weeks"
    with pytest.raises(services.PlanError) as refused:
        open_plan(world, contingency="x" * 5000)
    assert refused.value.field == "contingency"


# Changing the plan -------------------------------------------------------------------------


def test_changing_keyworker_ends_the_old_involvement_and_starts_the_new(world, plan):
    new = make_person(Role.KEYWORKER, full_name="Nadia New")
    ConsentRecordFactory(
        child=world.child,
        household_member=world.mother,
        scope="share",
        organisation=organisation_of(new),
    )
    old_involvement = plan.keyworker_involvement

    services.plan_change(
        actor=world.coordinator,
        plan=plan,
        revision=1,
        details=_details(plan, keyworker=new, keyworker_organisation=organisation_of(new)),
    )

    plan.refresh_from_db()
    old_involvement.refresh_from_db()
    assert plan.keyworker == new
    assert plan.revision == 2
    assert old_involvement.ended_on == TODAY()
    assert not sees_identity(world.keyworker, world.child)
    assert sees_identity(new, world.child)
    assert plan.keyworker_involvement.worker == new


def test_the_keyworker_and_panel_coordinators_edit_but_others_in_the_team_do_not(world, plan):
    teacher = make_person(Role.REFERRER)
    InvolvementFactory(child=world.child, worker=teacher, role=InvolvementRole.REFERRER)
    assert sees_identity(teacher, world.child)
    with pytest.raises(services.PlanError) as refused:
        add_goal(plan, actor=teacher)
    assert refused.value.code == "not_allowed"
    add_goal(plan, actor=world.keyworker)
    add_goal(plan, actor=world.coordinator)
    assert plan.goals.count() == 2


def test_withdrawn_consent_stops_changes_at_once(world, plan):
    consent_withdraw(
        actor=world.keyworker,
        record=world.contact,
        reason="No reason given",
        told_us=HowTold.TELEPHONE,
    )
    with pytest.raises(services.PlanError) as refused:
        add_goal(plan)
    assert refused.value.code == "consent"
    assert not plan.goals.exists()


# Goals -------------------------------------------------------------------------------------


def test_goals_are_kept_in_their_own_words(world, plan):
    words = "  i wanna stop gettin in trouble at school innit  "
    goal = add_goal(plan, words=words)
    goal.refresh_from_db()
    assert goal.in_their_words == words.strip()
    assert goal.position == 1
    assert goal.status == GoalStatus.WORKING


def test_goals_are_ordered_and_can_be_moved(world, plan):
    *_, third = (add_goal(plan, words=w) for w in ("one", "two", "three"))
    plan.refresh_from_db()
    services.goal_change(
        actor=world.keyworker,
        goal=third,
        revision=plan.revision,
        in_their_words="three",
        said_by="both",
        status=GoalStatus.ACHIEVED,
        position=1,
    )
    assert list(plan.goals.order_by("position").values_list("in_their_words", flat=True)) == [
        "three",
        "one",
        "two",
    ]
    third.refresh_from_db()
    assert third.status == GoalStatus.ACHIEVED


def test_a_goal_needs_words_and_who_said_it(world, plan):
    with pytest.raises(services.PlanError) as refused:
        add_goal(plan, words="   ")
    assert refused.value.field == "in_their_words"
    with pytest.raises(services.PlanError) as refused:
        add_goal(plan, said_by="the system")
    assert refused.value.field == "said_by"
    plan.refresh_from_db()
    assert plan.revision == 1


# Interventions -----------------------------------------------------------------------------


def test_an_intervention_with_a_provider_and_goals(world, plan):
    goal = add_goal(plan)
    plan.refresh_from_db()
    item = services.intervention_add(
        actor=world.keyworker,
        plan=plan,
        revision=plan.revision,
        details=_intervention(provider_organisation=world.organisation, goals=[goal]),
    )
    assert item.provider == world.organisation.name
    assert item.provider_name == ""
    assert list(item.goals.all()) == [goal]
    assert item.status == InterventionStatus.PLANNED


def test_an_intervention_needs_a_provider_and_a_stop_needs_a_reason(world, plan):
    with pytest.raises(services.PlanError) as refused:
        services.intervention_add(
            actor=world.keyworker,
            plan=plan,
            revision=1,
            details=_intervention(provider_name=""),
        )
    assert refused.value.field == "provider_organisation"
    item = services.intervention_add(
        actor=world.keyworker, plan=plan, revision=1, details=_intervention()
    )
    with pytest.raises(services.PlanError) as refused:
        services.intervention_change(
            actor=world.keyworker,
            intervention=item,
            revision=2,
            details=_intervention(status=InterventionStatus.STOPPED),
        )
    assert refused.value.field == "stopped_reason"
    services.intervention_change(
        actor=world.keyworker,
        intervention=item,
        revision=2,
        details=_intervention(status=InterventionStatus.STOPPED, stopped_reason="Moved school"),
    )
    item.refresh_from_db()
    assert item.status == InterventionStatus.STOPPED
    assert item.stopped_reason == "Moved school"


def test_an_intervention_cannot_point_at_another_plans_goal(world, plan, keyworker):
    other_child = ChildFactory()
    ConsentRecordFactory(child=other_child, scope="contact")
    InvolvementFactory(child=other_child, worker=keyworker, organisation=world.organisation)
    other = services.plan_open(
        actor=None,
        child=other_child,
        keyworker=keyworker,
        keyworker_organisation=world.organisation,
    )
    foreign = add_goal(other)
    with pytest.raises(services.PlanError) as refused:
        services.intervention_add(
            actor=world.keyworker, plan=plan, revision=1, details=_intervention(goals=[foreign])
        )
    assert refused.value.field == "goals"


# Reviews -----------------------------------------------------------------------------------


def test_a_review_records_progress_and_views_and_sets_the_next_review(world, plan):
    goal = add_goal(plan)
    plan.refresh_from_db()
    held = TODAY()
    review = services.review_record(
        actor=world.keyworker,
        plan=plan,
        revision=plan.revision,
        details=services.ReviewDetails(
            held_on=held,
            child_view="Football is good",
            family_view="Much calmer at home",
            progress={goal.pk: services.ProgressGiven(Progress.GOOD, "Went 3 times")},
        ),
    )
    plan.refresh_from_db()
    assert review.next_review_on == held + timedelta(weeks=12)
    assert plan.next_review_on == review.next_review_on
    row = review.progress.get()
    assert (row.goal, row.progress, row.in_words) == (goal, Progress.GOOD, "Went 3 times")


def test_a_review_needs_progress_on_every_goal_being_worked_on(world, plan):
    goal = add_goal(plan)
    plan.refresh_from_db()
    with pytest.raises(services.PlanError) as refused:
        services.review_record(
            actor=world.keyworker,
            plan=plan,
            revision=plan.revision,
            details=services.ReviewDetails(held_on=TODAY(), child_view="OK"),
        )
    assert refused.value.field == f"progress_{goal.pk}"
    assert not plan.reviews.exists()


def test_a_review_links_only_a_completed_review_of_the_childs_assessment(world, plan):
    initial = AssessmentFactory(
        child=world.child, status=AssessmentStatus.COMPLETED, completed_at=timezone.now()
    )
    review_version = AssessmentFactory(
        child=world.child,
        version=2,
        kind=AssessmentKind.REVIEW,
        status=AssessmentStatus.COMPLETED,
        completed_at=timezone.now(),
    )
    for wrong in (initial, AssessmentFactory(kind=AssessmentKind.REVIEW)):
        with pytest.raises(services.PlanError) as refused:
            services.review_record(
                actor=world.keyworker,
                plan=plan,
                revision=1,
                details=services.ReviewDetails(held_on=TODAY(), child_view="OK", assessment=wrong),
            )
        assert refused.value.field == "assessment"
    review = services.review_record(
        actor=world.keyworker,
        plan=plan,
        revision=1,
        details=services.ReviewDetails(held_on=TODAY(), child_view="OK", assessment=review_version),
    )
    assert review.assessment == review_version


def test_the_next_review_must_come_after_the_review(world, plan):
    with pytest.raises(services.PlanError) as refused:
        services.review_record(
            actor=world.keyworker,
            plan=plan,
            revision=1,
            details=services.ReviewDetails(
                held_on=TODAY(), child_view="OK", next_review_on=TODAY()
            ),
        )
    assert refused.value.field == "next_review_on"


def test_due_soon_and_overdue(world, plan):
    plan.next_review_on = TODAY() + timedelta(days=3)
    assert plan.review_due_soon and not plan.review_overdue
    plan.next_review_on = TODAY() - timedelta(days=1)
    assert plan.review_overdue and not plan.review_due_soon


# Closure -----------------------------------------------------------------------------------


def test_closing_records_the_summary_ends_the_keyworkers_involvement_and_freezes_the_plan(
    world, plan
):
    add_goal(plan)
    plan.refresh_from_db()
    services.plan_close(
        actor=world.keyworker, plan=plan, revision=plan.revision, closure=_closure()
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert plan.outcome == Outcome.GOALS_MET
    assert plan.follow_up_on == TODAY() + timedelta(days=91)
    assert plan.child_view_at_close == "I like school more now"
    assert not sees_identity(world.keyworker, world.child)
    with pytest.raises(services.PlanError) as refused:
        services.goal_add(
            actor=world.coordinator,
            plan=plan,
            revision=plan.revision,
            in_their_words="More",
            said_by="child",
        )
    assert refused.value.code == "closed"
    # Support that starts again is a new plan.
    again = open_plan(world)
    assert again.pk != plan.pk
    assert Plan.objects.filter(child=world.child).count() == 2


def test_a_plan_closes_after_the_family_withdraws(world, plan):
    consent_withdraw(
        actor=world.keyworker, record=world.contact, reason="Moving on", told_us=HowTold.TELEPHONE
    )
    services.plan_close(
        actor=world.keyworker,
        plan=plan,
        revision=1,
        closure=_closure(outcome=Outcome.FAMILY_WITHDREW),
    )
    plan.refresh_from_db()
    assert plan.outcome == Outcome.FAMILY_WITHDREW


def test_closure_needs_an_outcome_reason_and_views(world, plan):
    for field, change in (
        ("outcome", {"outcome": "vanished"}),
        ("outcome_reason", {"outcome_reason": " "}),
        ("what_changed", {"what_changed": ""}),
        ("child_view", {"child_view": ""}),
        ("closed_on", {"closed_on": TODAY() + timedelta(days=1)}),
        ("follow_up_on", {"follow_up_on": TODAY()}),
    ):
        with pytest.raises(services.PlanError) as refused:
            services.plan_close(
                actor=world.keyworker, plan=plan, revision=1, closure=_closure(**change)
            )
        assert refused.value.field == field
    plan.refresh_from_db()
    assert plan.is_open and plan.revision == 1


# Optimistic locking ------------------------------------------------------------------------


def test_a_second_save_of_a_stale_revision_is_refused_and_the_first_is_kept(world, plan):
    loaded_by_keyworker = loaded_by_coordinator = plan.revision

    services.goal_add(
        actor=world.keyworker,
        plan=plan,
        revision=loaded_by_keyworker,
        in_their_words="Go to school every day",
        said_by="child",
    )
    with pytest.raises(services.PlanError) as refused:
        services.plan_change(
            actor=world.coordinator,
            plan=Plan.objects.get(pk=plan.pk),
            revision=loaded_by_coordinator,
            details=_details(plan, contingency="Ring the duty team"),
        )

    assert refused.value.code == "stale"
    assert refused.value.message.startswith("Someone else changed this plan while you were editing")
    assert "Kit Keyworker" in refused.value.message
    assert "nothing was lost" in refused.value.message
    plan.refresh_from_db()
    assert plan.revision == 2
    assert plan.contingency == ""
    assert list(plan.goals.values_list("in_their_words", flat=True)) == ["Go to school every day"]


def test_every_kind_of_write_checks_the_revision(world, plan):
    goal = add_goal(plan)  # revision 2 now
    item = services.intervention_add(
        actor=world.keyworker, plan=plan, revision=2, details=_intervention()
    )  # revision 3
    stale = 2
    calls = [
        lambda: services.goal_add(
            actor=world.keyworker, plan=plan, revision=stale, in_their_words="x", said_by="child"
        ),
        lambda: services.goal_change(
            actor=world.keyworker,
            goal=goal,
            revision=stale,
            in_their_words="x",
            said_by="child",
            status="working",
            position=1,
        ),
        lambda: services.intervention_add(
            actor=world.keyworker, plan=plan, revision=stale, details=_intervention()
        ),
        lambda: services.intervention_change(
            actor=world.keyworker, intervention=item, revision=stale, details=_intervention()
        ),
        lambda: services.review_record(
            actor=world.keyworker,
            plan=plan,
            revision=stale,
            details=services.ReviewDetails(
                held_on=TODAY(),
                child_view="OK",
                progress={goal.pk: services.ProgressGiven(Progress.SOME)},
            ),
        ),
        lambda: services.plan_change(
            actor=world.keyworker, plan=plan, revision=stale, details=_details(plan)
        ),
        lambda: services.plan_close(
            actor=world.keyworker, plan=plan, revision=stale, closure=_closure()
        ),
    ]
    for call in calls:
        with pytest.raises(services.PlanError) as refused:
            call()
        assert refused.value.code == "stale"
    plan.refresh_from_db()
    assert plan.revision == 3 and plan.is_open
    assert plan.goals.count() == 1 and plan.interventions.count() == 1
    assert not plan.reviews.exists()


def test_every_write_is_audited_on_the_plan(world, plan):
    before = AuditEntry.objects.filter(target_id=str(plan.pk)).count()
    goal = add_goal(plan)
    services.intervention_add(actor=world.keyworker, plan=plan, revision=2, details=_intervention())
    services.review_record(
        actor=world.keyworker,
        plan=plan,
        revision=3,
        details=services.ReviewDetails(
            held_on=TODAY(),
            child_view="OK",
            progress={goal.pk: services.ProgressGiven(Progress.SOME)},
        ),
    )
    services.plan_close(actor=world.keyworker, plan=plan, revision=4, closure=_closure())
    entries = AuditEntry.objects.filter(target_id=str(plan.pk)).order_by("id")
    assert entries.count() == before + 4
    assert all(e.actor == world.keyworker for e in entries[1:])
    # No child's words in the trail: ids and codes only.
    assert "football" not in repr(list(entries.values("detail")))
