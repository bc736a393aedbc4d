"""Every change to an integrated support plan, one function per use case, each in one
transaction with its audit entry.

Who may write: the plan's keyworker and the coordinators of the child's panel (the panel that
decided, or one the child was referred to). Opening a plan is for a coordinator of that panel.
Consent: every write but closure needs the family's consent to contact by services
(Scope.CONTACT) in force, because a plan is services contacting and working with the child and
family; closing stays possible after a withdrawal, since "the family withdrew" is a way a plan
ends (docs/plans.md says why).

Optimistic locking: every write to a plan or anything in it names the plan's revision the
person's page was loaded at and moves it on by one, compare-and-set in one statement. A save
made from an older revision is refused with code "stale" and nothing is written."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.assessments.models import Assessment, AssessmentKind, AssessmentStatus
from joinedup.children import services as children
from joinedup.children.models import Child, InvolvementRole
from joinedup.consent.models import Scope
from joinedup.consent.services import ConsentRequired, require_consent
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.roles import Role
from joinedup.directory.models import Service as DirectoryService
from joinedup.directory.models import ServiceStatus
from joinedup.organisations.models import Organisation
from joinedup.panels import pipeline
from joinedup.panels.models import Decision, DecisionOutcome, Panel, PanelMember, PanelRole
from joinedup.plans.models import (
    DEFAULT_REVIEW_WEEKS,
    FOLLOW_UP_DAYS,
    MAX_REVIEW_WEEKS,
    Goal,
    GoalProgress,
    GoalStatus,
    Intervention,
    InterventionStatus,
    Outcome,
    Plan,
    PlanStatus,
    Progress,
    Purpose,
    Review,
    SaidBy,
)
from joinedup.records.restrictions import HELD_MESSAGE, is_restricted

TEXT_MAX = 4000


class PlanError(FieldError):
    """Bad input to a plan service, naming the form field at fault."""


# Permissions -------------------------------------------------------------------------------


def child_panels(child: Child) -> Any:
    """The ids of the panels the child was referred to, for use in a subquery; not a panel
    that has since handed the case on by a transfer."""
    from joinedup.referrals.models import Referral
    from joinedup.transfers.rules import handed_over

    return (
        Referral.objects.filter(child=child, panel__isnull=False)
        .exclude(handed_over())
        .values("panel")
    )


def may_start(actor: Any, child: Child, panel: Panel | None = None) -> bool:
    """A coordinator of the child's panel may open a plan; so may the chair of `panel` when
    that panel's decision opens it. None is the system itself (the demo loader, a command)."""
    if actor is None:
        return True
    coordinated = PanelMember.objects.panels_coordinated_by(actor)
    if panel is not None:
        chaired = PanelMember.objects.current().filter(user=actor, role=PanelRole.CHAIR)
        return coordinated.filter(panel=panel).exists() or chaired.filter(panel=panel).exists()
    return coordinated.filter(panel__in=child_panels(child)).exists()


def may_edit(actor: Any, plan: Plan) -> bool:
    """The keyworker and the coordinators of the child's panel edit the plan."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if plan.keyworker_id == actor.pk:
        return True
    from joinedup.transfers.rules import was_handed_over

    panels = Q(panel__in=child_panels(plan.child))
    if plan.panel_id is not None and not was_handed_over(child=plan.child, panel_id=plan.panel_id):
        panels |= Q(panel=plan.panel_id)
    return PanelMember.objects.panels_coordinated_by(actor).filter(panels).exists()


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_editor(actor: Any, plan: Plan) -> None:
    if not may_edit(actor, plan):
        raise PlanError(
            "Only the keyworker and the coordinators of the child's panel can change this plan",
            code="not_allowed",
        )


def _check_consent(child: Child) -> None:
    try:
        require_consent(child=child, scope=Scope.CONTACT)
    except ConsentRequired as missing:
        raise PlanError(missing.message, code="consent") from missing


def _clean_text(value: str, *, label: str, field: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise PlanError(f"Enter {label}", field=field)
    if len(text) > TEXT_MAX:
        raise PlanError(
            f"{label[0].upper()}{label[1:]} must be {TEXT_MAX} characters or fewer", field=field
        )
    return text


def _check_interval(weeks: Any) -> int:
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_REVIEW_WEEKS:
        raise PlanError(
            f"Weeks between reviews must be a whole number from 1 to {MAX_REVIEW_WEEKS}",
            field="review_interval_weeks",
        )
    return weeks


def _check_keyworker(keyworker: Any, organisation: Organisation | None) -> None:
    if keyworker is None or organisation is None:
        raise PlanError("Select the lead keyworker", field="keyworker")
    if not keyworker.is_active or not (
        Membership.objects.active()
        .filter(user=keyworker, organisation=organisation, role=Role.KEYWORKER)
        .exists()
    ):
        raise PlanError(
            f"{keyworker.display_name} is not a keyworker at {organisation.name} now. Choose "
            "someone on the list, or ask an administrator to give them the keyworker role",
            field="keyworker",
        )


def _join_team(actor: Any, plan: Plan) -> None:
    """The keyworker joins the team around the child, so need to know shows them the child.
    Their organisation needs the family's consent to share unless it already works with the
    child (children.services.involvement_start decides)."""
    try:
        involvement = children.involvement_start(
            actor=actor,
            child=plan.child,
            organisation=plan.keyworker_organisation,
            role=InvolvementRole.KEYWORKER,
            worker=plan.keyworker,
        )
    except ConsentRequired as missing:
        raise PlanError(missing.message, field="keyworker", code="consent") from missing
    plan.keyworker_involvement = involvement


def _leave_team(actor: Any, plan: Plan) -> None:
    if plan.keyworker_involvement is not None:
        children.involvement_end(actor=actor, involvement=plan.keyworker_involvement)


# Opening -----------------------------------------------------------------------------------


def plan_open(
    *,
    actor: Any,
    child: Child,
    keyworker: Any,
    keyworker_organisation: Organisation,
    panel: Panel | None = None,
    opened_on: date | None = None,
    contingency: str = "",
    review_interval_weeks: int = DEFAULT_REVIEW_WEEKS,
) -> Plan:
    """Open the child's integrated support plan with its lead keyworker, who joins the team
    around the child. For the panel's decision to call, and for the start page."""
    if not may_start(actor, child, panel):
        raise PlanError(
            "Only a coordinator of the child's panel can start their integrated support plan",
            code="not_allowed",
        )
    if is_restricted(child):
        raise PlanError(HELD_MESSAGE, code="restricted")
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise PlanError("Date the plan starts must be today or in the past", field="opened_on")
    _check_keyworker(keyworker, keyworker_organisation)
    contingency = _clean_text(
        contingency, label="what to do if things go wrong", field="contingency"
    )
    weeks = _check_interval(review_interval_weeks)
    _check_consent(child)
    with transaction.atomic():
        # Opens for one child queue here on PostgreSQL; the unique constraint settles it anywhere.
        Child.objects.select_for_update().filter(pk=child.pk).first()
        if Plan.objects.filter(child=child, status=PlanStatus.OPEN).exists():
            raise PlanError(
                "This child already has an open integrated support plan: change that one",
                code="plan_exists",
            )
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    child=child,
                    keyworker=keyworker,
                    keyworker_organisation=keyworker_organisation,
                    panel=panel,
                    opened_on=opened_on,
                    opened_by=_person(actor),
                    contingency=contingency,
                    review_interval_weeks=weeks,
                    next_review_on=opened_on + timedelta(weeks=weeks),
                    last_saved_by=_person(actor),
                )
        except IntegrityError as clash:
            raise PlanError(
                "Someone else started a plan for this child at the same moment: open theirs",
                code="plan_exists",
            ) from clash
        _join_team(actor, plan)
        plan.save(update_fields=["keyworker_involvement", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=plan,
            fields=["plan"],
            detail={
                "child": str(child.pk),
                "keyworker": str(keyworker.pk),
                "panel": str(panel.pk) if panel else "",
            },
        )
        # A panel that decided on a plan before its keyworker was known: the plan started
        # later answers that decision.
        Decision.objects.filter(
            item__child=child,
            outcome=DecisionOutcome.SUPPORT_PLAN,
            superseded_at__isnull=True,
            plan__isnull=True,
        ).update(plan=plan, updated_at=timezone.now())
        pipeline.cases_refresh(child)
    return plan


# Optimistic locking ------------------------------------------------------------------------


def stale_message(current: Plan) -> str:
    who = current.last_saved_by.display_name if current.last_saved_by else "Someone else"
    when = timezone.localtime(current.updated_at)
    return (
        f"Someone else changed this plan while you were editing: {who} saved it at "
        f"{when:%H:%M on %d %B}. Here is what they saved; your changes are below, nothing was "
        "lost. Check them against theirs, then save again."
    )


def _claim(actor: Any, plan: Plan, revision: int) -> Plan:
    """Move the plan's revision on from `revision`, in one statement, or refuse: of two saves
    of the same revision one wins and the other is told what happened."""
    saved = Plan.objects.filter(pk=plan.pk, revision=revision, status=PlanStatus.OPEN).update(
        revision=F("revision") + 1, last_saved_by=_person(actor), updated_at=timezone.now()
    )
    current = Plan.objects.select_related("last_saved_by").get(pk=plan.pk)
    if saved:
        plan.revision, plan.updated_at = current.revision, current.updated_at
        plan.last_saved_by = current.last_saved_by
        return plan
    if current.status == PlanStatus.CLOSED:
        raise PlanError(_closed_message(current), code="closed")
    raise PlanError(stale_message(current), field="revision", code="stale")


def _closed_message(plan: Plan) -> str:
    closed = f"{plan.closed_on:%d %B %Y}" if plan.closed_on else "already"
    return (
        f"This plan was closed on {closed} and can no longer be changed. If support starts "
        "again, a coordinator starts a new plan."
    )


def _check_open(plan: Plan) -> None:
    if plan.status != PlanStatus.OPEN:
        raise PlanError(_closed_message(plan), code="closed")


def _before_write(actor: Any, plan: Plan, *, consent: bool = True) -> None:
    _check_editor(actor, plan)
    _check_open(plan)
    if consent:
        _check_consent(plan.child)


# The plan itself ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDetails:
    keyworker: Any
    keyworker_organisation: Organisation | None
    contingency: str
    review_interval_weeks: int
    next_review_on: date


def plan_change(*, actor: Any, plan: Plan, revision: int, details: PlanDetails) -> Plan:
    """Change the keyworker, the contingency or the review dates. A new keyworker joins the
    team around the child and the one before leaves it."""
    _before_write(actor, plan)
    _check_keyworker(details.keyworker, details.keyworker_organisation)
    contingency = _clean_text(
        details.contingency, label="what to do if things go wrong", field="contingency"
    )
    weeks = _check_interval(details.review_interval_weeks)
    if details.next_review_on < plan.opened_on:
        raise PlanError(
            "Date of the next review must be on or after the day the plan started",
            field="next_review_on",
        )
    changed = [
        name
        for name, new in (
            ("keyworker", details.keyworker.pk),
            ("keyworker_organisation", details.keyworker_organisation.pk),  # type: ignore[union-attr]
            ("contingency", contingency),
            ("review_interval_weeks", weeks),
            ("next_review_on", details.next_review_on),
        )
        if getattr(plan, f"{name}_id" if name.startswith("keyworker") else name) != new
    ]
    new_keyworker = bool({"keyworker", "keyworker_organisation"} & set(changed))
    with transaction.atomic():
        _claim(actor, plan, revision)
        if new_keyworker:
            _leave_team(actor, plan)
            plan.keyworker = details.keyworker
            plan.keyworker_organisation = details.keyworker_organisation  # type: ignore[assignment]
            _join_team(actor, plan)
        plan.contingency = contingency
        plan.review_interval_weeks = weeks
        plan.next_review_on = details.next_review_on
        plan.save(
            update_fields=[
                "keyworker",
                "keyworker_organisation",
                "keyworker_involvement",
                "contingency",
                "review_interval_weeks",
                "next_review_on",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=plan,
            fields=changed,
            detail={"revision": plan.revision, "new_keyworker": new_keyworker},
        )
        pipeline.cases_refresh(plan.child)
    return plan


# Goals -------------------------------------------------------------------------------------


def _check_goal(in_their_words: str, said_by: str) -> str:
    # Kept exactly as typed, apart from surrounding spaces: never rephrased.
    words = _clean_text(
        in_their_words, label="the goal in their own words", field="in_their_words", required=True
    )
    if said_by not in SaidBy.values:
        raise PlanError("Select who said it", field="said_by")
    return words


def goal_add(*, actor: Any, plan: Plan, revision: int, in_their_words: str, said_by: str) -> Goal:
    _before_write(actor, plan)
    words = _check_goal(in_their_words, said_by)
    with transaction.atomic():
        _claim(actor, plan, revision)
        last = plan.goals.aggregate(last=Max("position"))["last"] or 0
        goal = Goal.objects.create(
            plan=plan, position=last + 1, in_their_words=words, said_by=said_by
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=plan,
            fields=["goals"],
            detail={"goal": str(goal.pk), "revision": plan.revision},
        )
    return goal


def goal_change(
    *,
    actor: Any,
    goal: Goal,
    revision: int,
    in_their_words: str,
    said_by: str,
    status: str,
    position: int,
) -> Goal:
    """Correct a goal's words (as the child or family say them), who said it, its status and
    its place in the list (the others move to make room)."""
    plan = goal.plan
    _before_write(actor, plan)
    words = _check_goal(in_their_words, said_by)
    if status not in GoalStatus.values:
        raise PlanError("Select where the goal stands", field="status")
    with transaction.atomic():
        _claim(actor, plan, revision)
        others = list(plan.goals.exclude(pk=goal.pk).order_by("position", "created_at"))
        if not isinstance(position, int) or not 1 <= position <= len(others) + 1:
            raise PlanError(
                f"Position must be a whole number from 1 to {len(others) + 1}", field="position"
            )
        others.insert(position - 1, goal)
        for number, each in enumerate(others, start=1):
            each.position = number
        goal.in_their_words, goal.said_by, goal.status = words, said_by, status
        Goal.objects.bulk_update(others, ["position"])
        goal.save(update_fields=["in_their_words", "said_by", "status", "position", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=plan,
            fields=["goals"],
            detail={"goal": str(goal.pk), "status": status, "revision": plan.revision},
        )
    return goal


# Interventions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InterventionDetails:
    service: str
    starts_on: date
    frequency: str
    provider_organisation: Organisation | None = None
    provider_name: str = ""
    status: str = InterventionStatus.PLANNED
    stopped_reason: str = ""
    goals: Sequence[Goal] = field(default_factory=tuple)
    purpose: str = Purpose.OTHER
    # The service chosen from the directory; its name, provider and (when its needs make it
    # clear) purpose replace the words above.
    directory_service: DirectoryService | None = None


def directory_purpose(service: DirectoryService) -> str:
    """The kind of support a directory service gives, when its needs all point to one kind;
    "" when they point to several or none."""
    purposes = {t.purpose for t in service.terms.all() if t.purpose and t.purpose != Purpose.OTHER}
    return purposes.pop() if len(purposes) == 1 else ""


def _from_directory(
    chosen: DirectoryService, details: InterventionDetails, *, already: Any
) -> dict[str, Any]:
    """What a service chosen from the directory fills in. A service closed for good cannot be
    chosen, though support already linked to it keeps the link (to record that it stopped)."""
    if chosen.status == ServiceStatus.DEFUNCT and chosen.pk != already:
        raise PlanError(
            f"{chosen.name} has closed for good. Choose another service, or say it is not in "
            "the directory",
            field="directory_service",
        )
    purpose = directory_purpose(chosen) or details.purpose
    if purpose not in Purpose.values:
        raise PlanError(
            f"Select what the support is for: the needs {chosen.name} meets do not say",
            field="purpose",
        )
    provider = chosen.provider
    partner = provider.maintained_by
    if partner is not None and not partner.is_active:
        partner = None
    return {
        "directory_service": chosen,
        "service": chosen.name[:200],
        "purpose": purpose,
        "provider_organisation": partner,
        "provider_name": "" if partner else provider.name[:200],
    }


def _check_intervention(
    plan: Plan, details: InterventionDetails, *, already: Any = None
) -> dict[str, Any]:
    """The checked values of a piece of support. `already` is the directory service it was
    linked to before this change, if any."""
    if details.directory_service is not None:
        chosen = _from_directory(details.directory_service, details, already=already)
    else:
        chosen = _typed_service(details)
    frequency = _clean_text(
        details.frequency, label="how often it happens", field="frequency", required=True
    )
    if len(frequency) > 150:
        raise PlanError("How often must be 150 characters or fewer", field="frequency")
    if details.status not in InterventionStatus.values:
        raise PlanError("Select where the support stands", field="status")
    reason = _clean_text(details.stopped_reason, label="why it stopped", field="stopped_reason")
    if details.status == InterventionStatus.STOPPED and not reason:
        raise PlanError("Enter why the support stopped early", field="stopped_reason")
    if details.status != InterventionStatus.STOPPED:
        reason = ""
    if any(goal.plan_id != plan.pk for goal in details.goals):
        raise PlanError("Select goals from this plan", field="goals")
    return {
        **chosen,
        "starts_on": details.starts_on,
        "frequency": frequency,
        "status": details.status,
        "stopped_reason": reason,
    }


def _typed_service(details: InterventionDetails) -> dict[str, Any]:
    """A service that is not in the directory, in the keyworker's words."""
    service = _clean_text(details.service, label="the service", field="service", required=True)
    if len(service) > 200:
        raise PlanError("Service must be 200 characters or fewer", field="service")
    if details.purpose not in Purpose.values:
        raise PlanError("Select what the support is for", field="purpose")
    provider_name = (details.provider_name or "").strip()
    if len(provider_name) > 200:
        raise PlanError("Provider's name must be 200 characters or fewer", field="provider_name")
    if details.provider_organisation is None and not provider_name:
        raise PlanError(
            "Select the organisation that provides it, or enter the provider's name",
            field="provider_organisation",
        )
    return {
        "directory_service": None,
        "service": service,
        "purpose": details.purpose,
        "provider_organisation": details.provider_organisation,
        "provider_name": "" if details.provider_organisation else provider_name,
    }


def intervention_add(
    *, actor: Any, plan: Plan, revision: int, details: InterventionDetails
) -> Intervention:
    _before_write(actor, plan)
    values = _check_intervention(plan, details)
    with transaction.atomic():
        _claim(actor, plan, revision)
        intervention = Intervention.objects.create(plan=plan, **values)
        intervention.goals.set(details.goals)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=plan,
            fields=["interventions"],
            detail={
                "intervention": str(intervention.pk),
                "directory_service": str(intervention.directory_service_id or ""),
                "revision": plan.revision,
            },
        )
    return intervention


def intervention_change(
    *, actor: Any, intervention: Intervention, revision: int, details: InterventionDetails
) -> Intervention:
    plan = intervention.plan
    _before_write(actor, plan)
    values = _check_intervention(plan, details, already=intervention.directory_service_id)
    with transaction.atomic():
        _claim(actor, plan, revision)
        for name, value in values.items():
            setattr(intervention, name, value)
        intervention.save()
        intervention.goals.set(details.goals)
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=plan,
            fields=["interventions"],
            detail={
                "intervention": str(intervention.pk),
                "status": intervention.status,
                "directory_service": str(intervention.directory_service_id or ""),
                "revision": plan.revision,
            },
        )
    return intervention


# Reviews -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressGiven:
    progress: int | None
    in_words: str = ""


@dataclass(frozen=True)
class ReviewDetails:
    held_on: date
    child_view: str
    family_view: str = ""
    # Goal id -> progress; every goal being worked on needs one.
    progress: Mapping[Any, ProgressGiven] = field(default_factory=dict)
    assessment: Assessment | None = None
    next_review_on: date | None = None


REVIEW_KINDS = (AssessmentKind.REVIEW, AssessmentKind.FINAL)


def review_record(*, actor: Any, plan: Plan, revision: int, details: ReviewDetails) -> Review:
    """Record a review: progress against each goal being worked on, the child's and family's
    views in their words, the re-assessment if there was one, and the next review date (by
    default the review interval after this one), which becomes the plan's."""
    _before_write(actor, plan)
    today = timezone.localdate()
    if details.held_on > today:
        raise PlanError("Date of the review must be today or in the past", field="held_on")
    if details.held_on < plan.opened_on:
        raise PlanError(
            "Date of the review must be on or after the day the plan started", field="held_on"
        )
    child_view = _clean_text(
        details.child_view,
        label="the child's view in their words",
        field="child_view",
        required=True,
    )
    family_view = _clean_text(
        details.family_view, label="the family's view in their words", field="family_view"
    )
    goals = list(plan.goals.filter(status=GoalStatus.WORKING))
    known = {str(goal.pk) for goal in plan.goals.all()}
    if {str(key) for key in details.progress} - known:
        raise PlanError("Record progress only on this plan's goals", code="unknown_goal")
    given = {str(key): value for key, value in details.progress.items()}
    for number, goal in enumerate(goals, start=1):
        answer = given.get(str(goal.pk))
        if answer is None or answer.progress not in Progress.values:
            raise PlanError(f"Select the progress on goal {number}", field=f"progress_{goal.pk}")
        _clean_text(
            answer.in_words, label=f"what was said about goal {number}", field=f"words_{goal.pk}"
        )
    assessment = details.assessment
    if assessment is not None and (
        assessment.child_id != plan.child_id
        or assessment.kind not in REVIEW_KINDS
        or assessment.status != AssessmentStatus.COMPLETED
    ):
        raise PlanError(
            "Select a completed review or final review of this child's assessment",
            field="assessment",
        )
    next_review_on = details.next_review_on or plan.review_after(details.held_on)
    if next_review_on <= details.held_on:
        raise PlanError(
            "Date of the next review must be after the date of this review",
            field="next_review_on",
        )
    with transaction.atomic():
        _claim(actor, plan, revision)
        review = Review.objects.create(
            plan=plan,
            held_on=details.held_on,
            child_view=child_view,
            family_view=family_view,
            assessment=assessment,
            next_review_on=next_review_on,
            recorded_by=_person(actor),
        )
        GoalProgress.objects.bulk_create(
            GoalProgress(
                review=review,
                goal_id=key,
                progress=answer.progress,
                in_words=(answer.in_words or "").strip(),
            )
            for key, answer in given.items()
            if answer.progress in Progress.values
        )
        plan.next_review_on = next_review_on
        plan.save(update_fields=["next_review_on", "updated_at"])
        pipeline.cases_refresh(plan.child)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=plan,
            fields=["reviews"],
            detail={
                "review": str(review.pk),
                "assessment": str(assessment.pk) if assessment else "",
                "revision": plan.revision,
            },
        )
    return review


# Closure -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closure:
    """ONSET's closure summary with the outcome and its reason."""

    closed_on: date
    outcome: str
    outcome_reason: str
    what_changed: str
    child_view: str
    family_view: str = ""
    support_continuing: str = ""
    follow_up_on: date | None = None


def plan_close(*, actor: Any, plan: Plan, revision: int, closure: Closure) -> Plan:
    """Close the plan with its outcome, reason and closure summary. The keyworker leaves the
    team around the child; the plan is read-only from then on. No consent check: a family that
    withdrew is one reason to close."""
    _before_write(actor, plan, consent=False)
    if closure.outcome not in Outcome.values:
        raise PlanError("Select the outcome", field="outcome")
    reason = _clean_text(
        closure.outcome_reason,
        label="the reason for closing",
        field="outcome_reason",
        required=True,
    )
    if closure.closed_on > timezone.localdate():
        raise PlanError("Date the plan closed must be today or in the past", field="closed_on")
    if closure.closed_on < plan.opened_on:
        raise PlanError(
            "Date the plan closed must be on or after the day it started", field="closed_on"
        )
    what_changed = _clean_text(
        closure.what_changed, label="what has changed", field="what_changed", required=True
    )
    child_view = _clean_text(
        closure.child_view,
        label="the child's view in their words",
        field="child_view",
        required=True,
    )
    family_view = _clean_text(
        closure.family_view, label="the family's view in their words", field="family_view"
    )
    continuing = _clean_text(
        closure.support_continuing, label="what support continues", field="support_continuing"
    )
    follow_up_on = closure.follow_up_on or closure.closed_on + timedelta(days=FOLLOW_UP_DAYS)
    if follow_up_on <= closure.closed_on:
        raise PlanError(
            "Date to follow up must be after the date the plan closed", field="follow_up_on"
        )
    with transaction.atomic():
        _claim(actor, plan, revision)
        closed = Plan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).update(
            status=PlanStatus.CLOSED,
            closed_on=closure.closed_on,
            closed_by=_person(actor),
            outcome=closure.outcome,
            outcome_reason=reason,
            what_changed=what_changed,
            child_view_at_close=child_view,
            family_view_at_close=family_view,
            support_continuing=continuing,
            follow_up_on=follow_up_on,
            updated_at=timezone.now(),
        )
        if not closed:
            raise PlanError(_closed_message(plan), code="closed")
        _leave_team(actor, plan)
        plan.refresh_from_db()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=plan,
            fields=["status", "outcome", "closure_summary"],
            detail={"closed": True, "outcome": closure.outcome, "revision": plan.revision},
        )
        pipeline.cases_refresh(plan.child)
    return plan
