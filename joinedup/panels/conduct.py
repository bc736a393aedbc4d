"""The meeting itself, as the coordinator records it: attendance and apologies, the panel's
quorum and prioritisation rule, declarations of interest, and decisions with reasons.

Decisions are the panel's record of why a child did or did not get support: each keeps its
reasons, the prioritisation rule as it was evaluated and the quorum as it stood, and a
correction adds a version rather than changing one."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.children.names import children_named_in
from joinedup.core import audit
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Organisation
from joinedup.panels import pipeline, prioritisation, quorum, selectors
from joinedup.panels.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    Declaration,
    Meeting,
    Minutes,
    Panel,
    PanelMember,
    PanelRole,
    PrioritisationRule,
    QuorumRule,
)
from joinedup.panels.services import PanelError

RATIONALE_MAX_LENGTH = 5000


def _roles_of(actor: Any, panel_id: Any) -> set[str]:
    if not getattr(actor, "is_authenticated", False):
        return set()
    return set(
        PanelMember.objects.current()
        .filter(user=actor, panel_id=panel_id)
        .values_list("role", flat=True)
    )


def require_role(actor: Any, panel: Panel, *roles: str, field: str = "panel") -> None:
    if not _roles_of(actor, panel.pk) & set(roles):
        who = " or ".join(PanelRole(role).label.lower() for role in roles)
        raise PanelError(f"Only the {who} of the {panel.name} can do this", field=field)


def _refuse_after_approval(meeting: Meeting, field: str) -> None:
    if Minutes.objects.filter(meeting=meeting, approved_at__isnull=False).exists():
        raise PanelError(
            "The minutes of this meeting are approved: its record can no longer change",
            field=field,
        )


def refuse_names(
    text: str,
    children: Iterable[Any],
    *,
    field: str,
    context: str = "",
    phrases: Iterable[str] = (),
) -> None:
    """Minutes go to every member of the panel: children appear by pseudonym only. `phrases`
    (the panel's name, its localities) are taken out of the text before looking."""
    for phrase in phrases:
        if phrase.strip():
            text = re.sub(re.escape(phrase.strip()), " ", text, flags=re.IGNORECASE)
    named = children_named_in(text, children, context=context)
    if named:
        raise PanelError(
            f"Use the pseudonym ({named[0].pseudonym}) instead of the child's name: this goes "
            "into the minutes, which every member of the panel receives",
            field=field,
        )


def _phrases(meeting: Meeting) -> list[str]:
    """Words the service itself puts near a case: the panel's and its localities' names, and
    the meeting's place."""
    return [
        meeting.panel.name,
        meeting.location,
        *(locality.name for locality in meeting.panel.localities.all()),
    ]


# Rules the panel sets.


def current_quorum_rule(panel: Panel) -> QuorumRule:
    return QuorumRule.objects.filter(panel=panel).first() or quorum.default_rule(panel)


def current_prioritisation_rule(panel: Panel) -> PrioritisationRule:
    return PrioritisationRule.objects.filter(panel=panel).order_by(
        "-version"
    ).first() or prioritisation.default_rule(panel)


@dataclass(frozen=True)
class QuorumSettings:
    minimum_members: int
    minimum_agencies: int
    chair_required: bool
    delegated_authority_required: bool


def quorum_rule_set(*, actor: Any, panel: Panel, settings: QuorumSettings) -> QuorumRule:
    """Set when the panel's meetings may decide. Decisions already made keep the quorum as
    it stood."""
    require_role(actor, panel, PanelRole.COORDINATOR)
    if not 1 <= settings.minimum_members <= 50:
        raise PanelError(
            "The minimum number of members must be from 1 to 50", field="minimum_members"
        )
    if not 1 <= settings.minimum_agencies <= settings.minimum_members:
        raise PanelError(
            "The minimum number of agencies must be at least 1 and no more than the minimum "
            "number of members",
            field="minimum_agencies",
        )
    with transaction.atomic():
        rule, _ = QuorumRule.objects.select_for_update().get_or_create(panel=panel)
        rule.minimum_members = settings.minimum_members
        rule.minimum_agencies = settings.minimum_agencies
        rule.chair_required = settings.chair_required
        rule.delegated_authority_required = settings.delegated_authority_required
        rule.changed_by = actor
        rule.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=rule,
            fields=[
                "minimum_members",
                "minimum_agencies",
                "chair_required",
                "delegated_authority_required",
            ],
            detail={"panel": str(panel.pk)},
        )
    return rule


@dataclass(frozen=True)
class RuleSettings:
    minimum_agencies: int
    parents_concerned_qualifies: bool
    minimum_risk_factors: int
    risk_rating_from: int
    change_summary: str


def prioritisation_rule_adopt(
    *, actor: Any, panel: Panel, settings: RuleSettings
) -> PrioritisationRule:
    """Adopt a new version of the panel's prioritisation rule. Decisions already made keep the
    version they were evaluated against."""
    require_role(actor, panel, PanelRole.COORDINATOR)
    summary = " ".join(settings.change_summary.split())
    if not summary:
        raise PanelError("Say in a line why the rule changes", field="change_summary")
    if len(summary) > 300:
        raise PanelError(
            "Why the rule changes must be 300 characters or fewer", field="change_summary"
        )
    if not 1 <= settings.minimum_agencies <= 20:
        raise PanelError("The number of agencies must be from 1 to 20", field="minimum_agencies")
    if not 1 <= settings.minimum_risk_factors <= 30:
        raise PanelError(
            "The number of risk factors must be from 1 to 30", field="minimum_risk_factors"
        )
    if not 1 <= settings.risk_rating_from <= 4:
        raise PanelError("The rating must be from 1 to 4", field="risk_rating_from")
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=panel.pk)  # versions in order, none twice
        current = current_prioritisation_rule(panel)
        values = (
            settings.minimum_agencies,
            settings.parents_concerned_qualifies,
            settings.minimum_risk_factors,
            settings.risk_rating_from,
        )
        if values == (
            current.minimum_agencies,
            current.parents_concerned_qualifies,
            current.minimum_risk_factors,
            current.risk_rating_from,
        ):
            raise PanelError(
                "This is the rule the panel uses now: change it first", field="minimum_agencies"
            )
        rule = PrioritisationRule.objects.create(
            panel=panel,
            version=current.version + 1,
            minimum_agencies=settings.minimum_agencies,
            parents_concerned_qualifies=settings.parents_concerned_qualifies,
            minimum_risk_factors=settings.minimum_risk_factors,
            risk_rating_from=settings.risk_rating_from,
            change_summary=summary,
            adopted_by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=rule,
            fields=["minimum_agencies", "parents_concerned_qualifies", "minimum_risk_factors"],
            detail={"panel": str(panel.pk), "version": rule.version},
        )
    return rule


# Attendance and declarations.


def seats_on(meeting: Meeting) -> Any:
    """Seats held on the day of the meeting, with the people and organisations."""
    day = timezone.localtime(meeting.starts_at).date()
    return (
        PanelMember.objects.filter(panel_id=meeting.panel_id, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("user", "organisation", "deputy_for")
        .order_by("role", "user__full_name")
    )


@dataclass(frozen=True)
class AttendanceEntry:
    status: str
    deputy: PanelMember | None = None


def attendance_record(
    *, actor: Any, meeting: Meeting, entries: Mapping[PanelMember, AttendanceEntry]
) -> list[Attendance]:
    """Record, for each member, whether they came, sent apologies, sent their deputy or did not
    come. Apologies can be recorded ahead; who came, only from the day of the meeting."""
    require_role(actor, meeting.panel, PanelRole.COORDINATOR)
    _refuse_after_approval(meeting, "panel")
    seats = {seat.pk: seat for seat in seats_on(meeting)}
    meeting_day = timezone.localtime(meeting.starts_at).date()
    for member, entry in entries.items():
        field = f"seat_{member.pk}"
        if member.pk not in seats or member.deputy_for_id is not None:
            raise PanelError(
                "Record attendance for members of the panel on the day of the meeting "
                "(a deputy is recorded in the place of the member they stand in for)",
                field=field,
            )
        if entry.status not in AttendanceStatus.values:
            raise PanelError(f"Select whether {member.user.display_name} attended", field=field)
        if entry.status == AttendanceStatus.DEPUTY:
            deputy = entry.deputy
            if deputy is None or deputy.deputy_for_id != member.pk or deputy.pk not in seats:
                raise PanelError(
                    f"Choose one of {member.user.display_name}'s deputies", field=field
                )
        elif entry.deputy is not None:
            raise PanelError("Only a member who sent apologies sends a deputy", field=field)
        if entry.status != AttendanceStatus.APOLOGIES and timezone.localdate() < meeting_day:
            raise PanelError("Before the day of the meeting, record apologies only", field=field)
    saved = []
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        for member, entry in entries.items():
            record, _ = Attendance.objects.update_or_create(
                meeting=meeting,
                member=member,
                defaults={
                    "status": entry.status,
                    "deputy": entry.deputy if entry.status == AttendanceStatus.DEPUTY else None,
                    "recorded_by": actor,
                },
            )
            saved.append(record)
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=meeting,
            fields=["attendance"],
            detail={str(member.pk): entry.status for member, entry in entries.items()},
        )
    return saved


def declaration_record(
    *, actor: Any, meeting: Meeting, member: PanelMember, item: AgendaItem | None, interest: str
) -> Declaration:
    """A member declares an interest in one case (they take no part in its decision) or in the
    whole meeting. The member records it themselves, or the coordinator for them."""
    roles = _roles_of(actor, meeting.panel_id)
    if PanelRole.COORDINATOR not in roles and not (
        roles and getattr(member, "user_id", None) == actor.pk
    ):
        raise PanelError(
            "Members declare their own interests; the coordinator can record anyone's",
            field="member",
        )
    if member.pk not in {seat.pk for seat in seats_on(meeting)}:
        raise PanelError("Choose someone who sits on the panel", field="member")
    interest = " ".join(interest.split())
    if not interest:
        raise PanelError("Say what the interest is", field="interest")
    if len(interest) > 500:
        raise PanelError("The interest must be 500 characters or fewer", field="interest")
    if item is not None:
        if item.meeting_id != meeting.pk or item.removed_at is not None:
            raise PanelError("Choose a case on this meeting's agenda", field="item")
        refuse_names(interest, [item.child], field="interest", phrases=_phrases(meeting))
    else:
        refuse_names(
            interest,
            [
                i.child
                for i in meeting.items.filter(removed_at__isnull=True).select_related("child")
            ],
            field="interest",
            phrases=_phrases(meeting),
        )
    _refuse_after_approval(meeting, "interest")
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        already = Declaration.objects.filter(meeting=meeting, member=member)
        if already.filter(item__isnull=True).exists() or (
            item is not None and already.filter(item=item).exists()
        ):
            raise PanelError(
                f"{member.user.display_name} has already declared this interest", field="item"
            )
        if (
            item is not None
            and Decision.objects.filter(item=item, superseded_at__isnull=True).exists()
        ):
            raise PanelError(
                "The panel has already decided this case: correct the decision if the interest "
                "changes it",
                field="item",
            )
        declaration = Declaration.objects.create(
            meeting=meeting, member=member, item=item, interest=interest, recorded_by=actor
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=declaration,
            fields=["interest"],
            detail={
                "meeting": str(meeting.pk),
                "member": str(member.pk),
                "item": str(item.pk) if item else "",
            },
        )
    return declaration


# Decisions.


@dataclass(frozen=True)
class DecisionDetails:
    outcome: str
    rationale: str
    signpost_to: str = ""
    deferred_to: Meeting | None = None
    defer_reason: str = ""
    parents_concerned: bool = False
    against_rule_reason: str = ""
    correction_reason: str = ""
    # For an integrated support plan: the lead keyworker and the organisation they lead it
    # for (one of their keyworker roles). Not needed when the child's plan is already open.
    keyworker: Any = None
    keyworker_organisation: Organisation | None = None


def decision_record(
    *,
    actor: Any,
    item: AgendaItem,
    details: DecisionDetails,
    corrects_version: int | None = None,
) -> Decision:
    """Record the panel's decision on a case on the agenda, with its reasons, or correct the
    current one (pass the version being corrected, as shown on the form, and why).

    Refused unless the actor is the panel's coordinator or chair, the meeting has started, the
    case is still on the agenda, the minutes are not approved, and the meeting is quorate for
    this case (without those who declared an interest in it). A decision the prioritisation
    rule does not support must say why."""
    meeting = item.meeting
    require_role(actor, meeting.panel, PanelRole.COORDINATOR, PanelRole.CHAIR, field="outcome")
    if meeting.starts_at > timezone.now():
        raise PanelError(
            "The panel decides at the meeting: record decisions from the time it starts",
            field="outcome",
        )
    if item.removed_at is not None:
        raise PanelError("This case was taken off the agenda", field="outcome")
    _refuse_after_approval(meeting, "outcome")
    if details.outcome not in DecisionOutcome.values:
        raise PanelError("Select the panel's decision", field="outcome")
    rationale = details.rationale.strip()
    if not rationale:
        raise PanelError("Give the reasons for the decision", field="rationale")
    if len(rationale) > RATIONALE_MAX_LENGTH:
        raise PanelError(
            f"The reasons must be {RATIONALE_MAX_LENGTH:,} characters or fewer", field="rationale"
        )
    refuse_names(rationale, [item.child], field="rationale", phrases=_phrases(meeting))
    signpost_to = details.signpost_to.strip()
    if details.outcome == DecisionOutcome.SIGNPOST and not signpost_to:
        raise PanelError("Say which service the family is signposted to", field="signpost_to")
    if len(signpost_to) > 300:
        raise PanelError("The service must be 300 characters or fewer", field="signpost_to")
    defer_reason = details.defer_reason.strip()
    deferred_to = details.deferred_to if details.outcome == DecisionOutcome.DEFER else None
    if details.outcome == DecisionOutcome.DEFER:
        if deferred_to is None and not defer_reason:
            raise PanelError(
                "Choose the meeting the case is deferred to, or say why it is deferred",
                field="defer_reason",
            )
        if deferred_to is not None and (
            deferred_to.panel_id != meeting.panel_id or deferred_to.starts_at <= meeting.starts_at
        ):
            raise PanelError("Choose a later meeting of this panel", field="deferred_to")
    if len(defer_reason) > 500:
        raise PanelError("Why it is deferred must be 500 characters or fewer", field="defer_reason")
    for text, field in (
        (signpost_to, "signpost_to"),
        (defer_reason, "defer_reason"),
        (details.against_rule_reason, "against_rule_reason"),
    ):
        refuse_names(text, [item.child], field=field, phrases=_phrases(meeting))
    rule = current_prioritisation_rule(meeting.panel)
    inputs, _ = prioritisation.inputs_for(item.child, rule)
    evaluation = prioritisation.evaluate(rule, inputs, parents_ticked=details.parents_concerned)
    against_reason = details.against_rule_reason.strip()
    if evaluation.goes_against(details.outcome) and not against_reason:
        raise PanelError(
            "This decision goes against the panel's prioritisation rule ("
            + ("met" if evaluation.met else "not met")
            + "): say why",
            field="against_rule_reason",
        )
    if len(against_reason) > 2000:
        raise PanelError(
            "Why the decision goes against the rule must be 2,000 characters or fewer",
            field="against_rule_reason",
        )
    correction = details.correction_reason.strip()
    state = selectors.quorum_of(meeting=meeting, item=item)
    # A child-protection concern never waits for a quorum (DESIGN.md, rule 2): the quorum as
    # it stood is still kept with the decision.
    if not state.quorate and details.outcome != DecisionOutcome.SAFEGUARDING:
        raise PanelError(f"The panel cannot decide this case. {state.summary}", field="quorum")
    try:
        with transaction.atomic():
            AgendaItem.objects.select_for_update().get(pk=item.pk)
            current = Decision.objects.filter(item=item, superseded_at__isnull=True).first()
            if current is not None or corrects_version is not None:
                if current is None or current.version != corrects_version:
                    raise PanelError(
                        "Someone else recorded a decision on this case while you were writing: "
                        "check it, then correct it if it needs to change",
                        field="outcome",
                    )
                if not correction:
                    raise PanelError("Say why the decision is corrected", field="correction_reason")
                if len(correction) > 1000:
                    raise PanelError(
                        "Why the decision is corrected must be 1,000 characters or fewer",
                        field="correction_reason",
                    )
                current.superseded_at = timezone.now()
                current.save(update_fields=["superseded_at", "updated_at"])
            decision = Decision.objects.create(
                item=item,
                version=(current.version + 1) if current else 1,
                outcome=details.outcome,
                rationale=rationale,
                signpost_to=signpost_to if details.outcome == DecisionOutcome.SIGNPOST else "",
                deferred_to=deferred_to,
                defer_reason=defer_reason if details.outcome == DecisionOutcome.DEFER else "",
                parents_concerned=details.parents_concerned,
                rule_snapshot=evaluation.snapshot(),
                against_rule_reason=against_reason,
                quorum_snapshot=state.snapshot(),
                correction_reason=correction if current else "",
                decided_by=actor,
            )
            audit.record(
                actor=actor,
                verb=AuditVerb.UPDATE if current else AuditVerb.CREATE,
                target=decision,
                fields=["outcome", "rationale", "rule_snapshot"],
                purpose=correction if current else "",
                detail={
                    "item": str(item.pk),
                    "child": item.child.reference,
                    "outcome": decision.outcome,
                    "version": decision.version,
                    "rule_met": evaluation.met,
                },
            )
            # Inside the transaction: a plan or concern that cannot be started leaves no
            # decision behind. A correction that keeps the outcome sets nothing going again.
            if current is None or current.outcome != decision.outcome:
                _set_going(actor=actor, decision=decision, details=details)
            pipeline.cases_refresh(item.child)
    except IntegrityError as error:
        raise PanelError(
            "Someone else recorded a decision on this case at the same moment: check it",
            field="outcome",
        ) from error
    return decision


def _set_going(*, actor: Any, decision: Decision, details: DecisionDetails) -> None:
    """What an outcome starts: an integrated support plan with its lead keyworker, or a
    safeguarding concern routed at once to the designated leads."""
    # Imported here: plans and safeguarding build on panels, not the other way round.
    from joinedup.plans import services as plans
    from joinedup.plans.models import Plan, PlanStatus
    from joinedup.safeguarding import services as safeguarding
    from joinedup.safeguarding.models import ConcernSource

    item = decision.item
    meeting = item.meeting
    if decision.outcome == DecisionOutcome.SUPPORT_PLAN:
        plan = Plan.objects.filter(child=item.child, status=PlanStatus.OPEN).first()
        if plan is None:
            if details.keyworker is None or details.keyworker_organisation is None:
                # The lead keyworker is not known at the table: the coordinator starts the
                # plan later, and that plan answers this decision (plans.services.plan_open).
                return
            try:
                plan = plans.plan_open(
                    actor=actor,
                    child=item.child,
                    keyworker=details.keyworker,
                    keyworker_organisation=details.keyworker_organisation,
                    panel=meeting.panel,
                )
            except plans.PlanError as refusal:
                raise PanelError(str(refusal), field="keyworker") from refusal
        decision.plan = plan
        decision.save(update_fields=["plan", "updated_at"])
    elif decision.outcome == DecisionOutcome.SAFEGUARDING:
        # The concern is raised for the organisation the person sits on the panel for, or
        # else one they work for: leads close to the raiser hear of it first.
        seat = PanelMember.objects.current().filter(panel=meeting.panel, user=actor).first()
        works_for = Membership.objects.active().filter(user=actor).select_related("organisation")
        membership = (
            works_for.filter(organisation_id=seat.organisation_id).first() if seat else None
        ) or works_for.order_by("created_at").first()
        if membership is None:
            raise PanelError("Only someone working for a partner can escalate", field="outcome")
        try:
            concern = safeguarding.concern_raise(
                actor=actor,
                child=item.child,
                organisation=membership.organisation,
                details=(
                    f"The {meeting.panel.name} decided at its meeting on "
                    f"{timezone.localtime(meeting.starts_at):%d %B %Y} to escalate to "
                    f"safeguarding. The panel's reasons: {decision.rationale}"
                ),
                source=ConcernSource.PANEL_DECISION,
                source_object=decision,
            )
        except safeguarding.SafeguardingError as refusal:
            raise PanelError(str(refusal), field="rationale") from refusal
        decision.safeguarding_concern = concern
        decision.save(update_fields=["safeguarding_concern", "updated_at"])
