"""One timeline of everything that happened for a child, put together from each app's records.

The timeline is only for people who see the child's identity (need_to_know): the selector
refuses everyone else before anything here runs. Within it, each source applies its own app's
rule of who may see what: a safeguarding concern appears only to the person who raised it and
to the designated safeguarding leads it was routed to (safeguarding.selectors), and a link is
given only where the viewer may open the page it leads to.

Each source is a plain function from a `TimelineContext` to events, reading its records with a
fixed number of queries (select_related, never a query per row), so the timeline costs the same
number of queries for a child with three events as for one with three hundred. Another app adds
its events by registering a source:

    from joinedup.children import timeline

    @timeline.source
    def transfers(context: timeline.TimelineContext) -> list[timeline.Event]:
        ...

Event text is plain words about what happened, never the child's name: the page heading says
who the child is, and a timeline printed or copied out of context should not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.db.models.enums import TextChoices
from django.urls import reverse
from django.utils import timezone

from joinedup.children.models import Child, ChildMerge, HouseholdMember, Involvement


class Kind(TextChoices):
    """The kinds of event a viewer can filter the timeline by."""

    REFERRAL = "referral", "Referrals"
    CONSENT = "consent", "Consent and the child's own say"
    ASSESSMENT = "assessment", "Assessments and Over to You"
    PANEL = "panel", "Panel agendas and decisions"
    PLAN = "plan", "Support plan, services and reviews"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    TEAM = "team", "Household and who is involved"
    RECORD = "record", "The child's record"


@dataclass(frozen=True)
class Event:
    """One thing that happened. `at` orders the timeline; `date_only` says it was recorded as a
    day (a review held on, a consent given on), so the page shows no time of day for it."""

    at: datetime
    kind: str
    what: str
    who: str = ""
    organisation: str = ""
    url: str = ""
    date_only: bool = False
    # The person who did it, when known: their organisation is looked up when none was recorded.
    person_id: Any = None

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label) if self.kind in Kind.values else self.kind


@dataclass
class TimelineContext:
    """What every source needs: the child, the viewer, and the facts about the viewer that decide
    which links and which concerns they may see, each read once and only if asked for."""

    child: Child
    viewer: Any
    today: date = field(default_factory=timezone.localdate)

    @cached_property
    def panels_coordinated(self) -> set[Any]:
        from joinedup.panels.models import PanelMember

        return set(
            PanelMember.objects.panels_coordinated_by(self.viewer).values_list("panel", flat=True)
        )

    @cached_property
    def panels_seated(self) -> set[Any]:
        from joinedup.panels.models import PanelMember

        return set(
            PanelMember.objects.current().filter(user=self.viewer).values_list("panel", flat=True)
        )


Source = Callable[[TimelineContext], Iterable[Event]]
SOURCES: list[Source] = []


def source(function: Source) -> Source:
    """Register a source of events; each is asked once per timeline."""
    if function not in SOURCES:
        SOURCES.append(function)
    return function


def on_day(day: date, recorded_at: datetime | None = None) -> datetime:
    """A day as a moment to sort by: the moment it was recorded, when that was the same day (so
    events of one day keep their order), else the start of the day."""
    if recorded_at is not None and timezone.localtime(recorded_at).date() == day:
        return recorded_at
    return timezone.make_aware(datetime.combine(day, time.min))


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


def _org(organisation: Any) -> str:
    return organisation.name if organisation is not None else ""


def _child_url(name: str, context: TimelineContext, **kwargs: Any) -> str:
    return reverse(name, kwargs={"reference": context.child.reference, **kwargs})


@source
def referrals(context: TimelineContext) -> list[Event]:
    from joinedup.referrals.models import IdentityStatus, Referral, ReferralStatus

    events = []
    for referral in Referral.objects.filter(child=context.child).select_related(
        "referrer", "referring_organisation", "panel", "identity_decided_by"
    ):
        if referral.panel_id in context.panels_coordinated:
            url = reverse("referrals:referral_review", kwargs={"referral_id": referral.pk})
        elif referral.referrer_id == getattr(context.viewer, "pk", None):
            url = reverse("referrals:referral_done", kwargs={"referral_id": referral.pk})
        else:
            url = ""
        to = f"the {referral.panel.name}" if referral.panel else "the partnership (no panel)"
        what = f"Referred to {to}"
        if referral.status == ReferralStatus.SAFEGUARDING:
            what += ": escalated to safeguarding"
        elif referral.status == ReferralStatus.NOT_ELIGIBLE:
            what += ": not eligible, signposted to other services"
        events.append(
            Event(
                at=referral.submitted_at,
                kind=Kind.REFERRAL,
                what=what,
                who=_name(referral.referrer),
                organisation=_org(referral.referring_organisation),
                url=url,
            )
        )
        if referral.identity_decided_at and referral.identity_status in (
            IdentityStatus.NEW,
            IdentityStatus.LINKED,
        ):
            settled = (
                "linked to this existing record"
                if referral.identity_status == IdentityStatus.LINKED
                else "a new child to the partnership"
            )
            events.append(
                Event(
                    at=referral.identity_decided_at,
                    kind=Kind.REFERRAL,
                    what=f"The coordinator checked who the referred child is: {settled}",
                    who=_name(referral.identity_decided_by),
                    person_id=referral.identity_decided_by_id,
                    url=url,
                )
            )
    return events


@source
def consent(context: TimelineContext) -> list[Event]:
    from joinedup.consent.models import ChildView, ConsentRecord

    url = _child_url("consent:child_consent", context)
    events = []
    for record in ConsentRecord.objects.filter(child=context.child).select_related(
        "household_member", "organisation", "recorded_by", "withdrawn_by"
    ):
        what = record.what_label
        events.append(
            Event(
                at=on_day(record.given_on, record.created_at),
                date_only=True,
                kind=Kind.CONSENT,
                what=f"Consent given by {record.giver_label}: {what}",
                who=_name(record.recorded_by),
                person_id=record.recorded_by_id,
                url=url,
            )
        )
        if record.withdrawal_recorded_at is not None:
            events.append(
                Event(
                    at=record.withdrawal_recorded_at,
                    kind=Kind.CONSENT,
                    what=f"Consent withdrawn: {what}",
                    who=_name(record.withdrawn_by),
                    person_id=record.withdrawn_by_id,
                    url=url,
                )
            )
        elif record.expires_on is not None and record.expires_on <= context.today:
            events.append(
                Event(
                    at=on_day(record.expires_on),
                    date_only=True,
                    kind=Kind.CONSENT,
                    what=f"Consent expired: {what}",
                    url=url,
                )
            )
    for view in ChildView.objects.filter(child=context.child).select_related("recorded_by"):
        events.append(
            Event(
                at=on_day(view.recorded_on, view.created_at),
                date_only=True,
                kind=Kind.CONSENT,
                what="The child's own say recorded",
                who=_name(view.recorded_by),
                person_id=view.recorded_by_id,
                url=url,
            )
        )
    return events


@source
def assessments(context: TimelineContext) -> list[Event]:
    from joinedup.assessments.models import Assessment, OverToYou

    events = []
    for assessment in Assessment.objects.filter(child=context.child).select_related(
        "assessed_by", "organisation", "completed_by"
    ):
        url = _child_url("assessments:assessment_detail", context, assessment_id=assessment.pk)
        label = assessment.get_kind_display().lower()
        events.append(
            Event(
                at=assessment.created_at,
                kind=Kind.ASSESSMENT,
                what=f"Assessment started (version {assessment.version}, {label})",
                who=_name(assessment.assessed_by),
                organisation=_org(assessment.organisation),
                url=url,
            )
        )
        if assessment.completed_at is not None:
            events.append(
                Event(
                    at=assessment.completed_at,
                    kind=Kind.ASSESSMENT,
                    what=f"Assessment completed (version {assessment.version}, {label})",
                    who=_name(assessment.completed_by),
                    organisation=_org(assessment.organisation),
                    url=url,
                )
            )
    for response in OverToYou.objects.filter(child=context.child).select_related(
        "household_member", "recorded_by"
    ):
        events.append(
            Event(
                at=on_day(response.filled_on, response.created_at),
                date_only=True,
                kind=Kind.ASSESSMENT,
                what=f"Over to You filled in by {response.respondent_label}",
                who=_name(response.recorded_by),
                person_id=response.recorded_by_id,
                url=_child_url("assessments:over_to_you_detail", context, response_id=response.pk),
            )
        )
    return events


@source
def panel(context: TimelineContext) -> list[Event]:
    from joinedup.panels.models import AgendaItem, Decision, DecisionOutcome

    def meeting_url(meeting: Any) -> str:
        if meeting.panel_id not in context.panels_seated:
            return ""
        return reverse("panels:meeting_detail", kwargs={"meeting_id": meeting.pk})

    def meeting_words(meeting: Any) -> str:
        return f"the {meeting.panel.name} meeting of {_day(timezone.localtime(meeting.starts_at))}"

    events = []
    for item in AgendaItem.objects.filter(child=context.child).select_related(
        "meeting__panel", "added_by", "removed_by"
    ):
        url = meeting_url(item.meeting)
        events.append(
            Event(
                at=item.created_at,
                kind=Kind.PANEL,
                what=f"Put on the agenda of {meeting_words(item.meeting)}",
                who=_name(item.added_by),
                person_id=item.added_by_id,
                url=url,
            )
        )
        if item.removed_at is not None:
            events.append(
                Event(
                    at=item.removed_at,
                    kind=Kind.PANEL,
                    what=f"Taken off the agenda of {meeting_words(item.meeting)}",
                    who=_name(item.removed_by),
                    person_id=item.removed_by_id,
                    url=url,
                )
            )
    for decision in Decision.objects.filter(item__child=context.child).select_related(
        "item__meeting__panel", "decided_by"
    ):
        outcome = decision.get_outcome_display()
        if decision.outcome == DecisionOutcome.SIGNPOST and decision.signpost_to:
            outcome = f"{outcome} ({decision.signpost_to})"
        what = (
            f"Panel decision corrected (version {decision.version}): {outcome}"
            if decision.version > 1
            else f"Panel decision: {outcome}"
        )
        events.append(
            Event(
                at=decision.created_at,
                kind=Kind.PANEL,
                what=f"{what}, at {meeting_words(decision.item.meeting)}",
                who=_name(decision.decided_by),
                person_id=decision.decided_by_id,
                url=meeting_url(decision.item.meeting),
            )
        )
    return events


@source
def plans(context: TimelineContext) -> list[Event]:
    from joinedup.plans.models import (
        Goal,
        Intervention,
        InterventionStatus,
        Plan,
        Review,
    )

    def plan_url(plan_id: Any) -> str:
        return _child_url("plans:plan_detail", context, plan_id=plan_id)

    events = []
    for plan in Plan.objects.filter(child=context.child).select_related(
        "keyworker", "keyworker_organisation", "opened_by", "closed_by"
    ):
        events.append(
            Event(
                at=on_day(plan.opened_on, plan.created_at),
                date_only=True,
                kind=Kind.PLAN,
                what=f"Integrated support plan opened, led by {_name(plan.keyworker)}",
                who=_name(plan.opened_by),
                person_id=plan.opened_by_id,
                url=plan_url(plan.pk),
            )
        )
        if plan.closed_on is not None:
            events.append(
                Event(
                    at=on_day(plan.closed_on, plan.updated_at),
                    date_only=True,
                    kind=Kind.PLAN,
                    what=f"Integrated support plan closed: {plan.get_outcome_display()}",
                    who=_name(plan.closed_by),
                    person_id=plan.closed_by_id,
                    url=plan_url(plan.pk),
                )
            )
    for goal in Goal.objects.filter(plan__child=context.child):
        events.append(
            Event(
                at=goal.created_at,
                kind=Kind.PLAN,
                what=f"Goal {goal.position} set by {goal.get_said_by_display().lower()}",
                url=plan_url(goal.plan_id),
            )
        )
    for intervention in Intervention.objects.filter(plan__child=context.child).select_related(
        "provider_organisation"
    ):
        url = plan_url(intervention.plan_id)
        status = intervention.status
        started = "planned to start" if status == InterventionStatus.PLANNED else "started"
        events.append(
            Event(
                at=on_day(intervention.starts_on, intervention.created_at),
                date_only=True,
                kind=Kind.PLAN,
                what=f"Service {started}: {intervention.service} ({intervention.frequency})",
                organisation=intervention.provider,
                url=url,
            )
        )
        if status in (InterventionStatus.FINISHED, InterventionStatus.STOPPED):
            # No end date is recorded: the last change to the service is when it ended.
            ended = "finished" if status == InterventionStatus.FINISHED else "stopped early"
            events.append(
                Event(
                    at=intervention.updated_at,
                    kind=Kind.PLAN,
                    what=f"Service {ended}: {intervention.service}",
                    organisation=intervention.provider,
                    url=url,
                )
            )
    for review in Review.objects.filter(plan__child=context.child).select_related("recorded_by"):
        events.append(
            Event(
                at=on_day(review.held_on, review.created_at),
                date_only=True,
                kind=Kind.PLAN,
                what=f"Plan reviewed; next review by {_day(review.next_review_on)}",
                who=_name(review.recorded_by),
                person_id=review.recorded_by_id,
                url=plan_url(review.plan_id),
            )
        )
    return events


@source
def safeguarding(context: TimelineContext) -> list[Event]:
    """Concerns about the child, only for those the safeguarding app lets see them: the person
    who raised one sees it and its status; the leads it was routed to (while they hold the role)
    also see what was done. Nobody else learns from the timeline that a concern exists."""
    from joinedup.accounts.models import Membership
    from joinedup.core.roles import Role
    from joinedup.safeguarding.models import (
        ConcernEvent,
        ConcernRecipient,
        EventKind,
        SafeguardingConcern,
    )

    viewer = context.viewer
    routed = ConcernRecipient.objects.filter(
        lead=viewer,
        lead__in=Membership.objects.active()
        .filter(user=viewer, role=Role.SAFEGUARDING_LEAD)
        .values("user"),
    ).values("concern")
    concerns = SafeguardingConcern.objects.filter(
        Q(raised_by=viewer) | Q(pk__in=routed), child=context.child
    ).select_related("raised_by", "organisation")
    visible = {concern.pk: concern for concern in concerns}
    if not visible:
        return []
    events = []
    for concern in visible.values():
        events.append(
            Event(
                at=concern.raised_at,
                kind=Kind.SAFEGUARDING,
                what="Safeguarding concern raised"
                + (
                    ": the child was thought to be in immediate danger"
                    if concern.immediate_danger
                    else ""
                ),
                who=_name(concern.raised_by),
                organisation=_org(concern.organisation),
                url=reverse("safeguarding:concern_detail", kwargs={"concern_id": concern.pk}),
            )
        )
    words = {
        EventKind.ACKNOWLEDGED: "Safeguarding concern acknowledged by a safeguarding lead",
        EventKind.ACTION: "Safeguarding lead recorded an action on the concern",
        EventKind.CLOSED: "Safeguarding concern closed",
    }
    lead_of = set(
        SafeguardingConcern.objects.filter(pk__in=routed, child=context.child).values_list(
            "pk", flat=True
        )
    )
    for happened in ConcernEvent.objects.filter(
        concern__in=list(visible), kind__in=list(words)
    ).select_related("actor"):
        concern = visible[happened.concern_id]
        # What a lead did is for the leads; the person who raised it sees where it stands.
        if happened.kind == EventKind.ACTION and concern.pk not in lead_of:
            continue
        what = words[EventKind(happened.kind)]
        if happened.kind == EventKind.CLOSED and concern.outcome:
            what = f"{what}: {concern.get_outcome_display()}"
        events.append(
            Event(
                at=happened.at,
                kind=Kind.SAFEGUARDING,
                what=what,
                who=_name(happened.actor),
                person_id=happened.actor_id,
                url=reverse("safeguarding:concern_detail", kwargs={"concern_id": concern.pk}),
            )
        )
    return events


@source
def team(context: TimelineContext) -> list[Event]:
    url = _child_url("children:child_detail", context)
    events = []
    for member in HouseholdMember.objects.filter(child=context.child):
        relationship = member.get_relationship_display().lower()
        events.append(
            Event(
                at=member.created_at,
                kind=Kind.TEAM,
                what=f"{member.full_name} ({relationship}) added to the household",
                url=url,
            )
        )
    for involvement in Involvement.objects.filter(child=context.child).select_related(
        "organisation", "worker"
    ):
        role = involvement.get_role_display().lower()
        events.append(
            Event(
                at=on_day(involvement.started_on, involvement.created_at),
                date_only=True,
                kind=Kind.TEAM,
                what=f"Started working with the child ({role})",
                who=_name(involvement.worker),
                organisation=_org(involvement.organisation),
                url=url,
            )
        )
        if involvement.ended_on is not None and involvement.ended_on <= context.today:
            events.append(
                Event(
                    at=on_day(involvement.ended_on, involvement.updated_at),
                    date_only=True,
                    kind=Kind.TEAM,
                    what=f"Stopped working with the child ({role})",
                    who=_name(involvement.worker),
                    organisation=_org(involvement.organisation),
                    url=url,
                )
            )
    return events


@source
def merges(context: TimelineContext) -> list[Event]:
    """Records found to be the same child, by reference only: the other record's names are not
    this page's to show."""
    child = context.child
    events = []
    for merge in ChildMerge.objects.filter(Q(survivor=child) | Q(merged=child)).select_related(
        "survivor", "merged", "merged_by", "unmerged_by"
    ):
        other = merge.merged if merge.survivor_id == child.pk else merge.survivor
        events.append(
            Event(
                at=merge.created_at,
                kind=Kind.RECORD,
                what=f"Found to be the same child as record {other.reference}: the records were "
                "joined",
                who=_name(merge.merged_by),
                person_id=merge.merged_by_id,
            )
        )
        if merge.unmerged_at is not None:
            events.append(
                Event(
                    at=merge.unmerged_at,
                    kind=Kind.RECORD,
                    what=f"The joining with record {other.reference} was undone",
                    who=_name(merge.unmerged_by),
                    person_id=merge.unmerged_by_id,
                )
            )
    return events


def _with_organisations(events: list[Event]) -> list[Event]:
    """Fill in the organisation of each person who did something where the record did not say
    it, from the roles they hold now: one query for everyone on the timeline."""
    from dataclasses import replace

    from joinedup.accounts.models import Membership

    people = {e.person_id for e in events if e.person_id is not None and not e.organisation}
    if not people:
        return events
    organisations: dict[Any, list[str]] = {}
    for user_id, name in (
        Membership.objects.active()
        .filter(user__in=people)
        .order_by("organisation__name")
        .values_list("user", "organisation__name")
    ):
        names = organisations.setdefault(user_id, [])
        if name not in names:
            names.append(name)
    return [
        replace(e, organisation=", ".join(organisations.get(e.person_id, [])))
        if e.person_id is not None and not e.organisation
        else e
        for e in events
    ]


def events_for(
    *, child: Child, viewer: Any, kinds: Iterable[str] = (), oldest_first: bool = False
) -> list[Event]:
    """The child's timeline for `viewer`, newest first unless asked otherwise; only the kinds
    asked for, or all of them. The caller has already decided the viewer may see the child."""
    context = TimelineContext(child=child, viewer=viewer)
    wanted = set(kinds)
    events: list[Event] = []
    for each in SOURCES:
        events.extend(e for e in each(context) if not wanted or e.kind in wanted)
    events.sort(key=lambda e: e.at, reverse=not oldest_first)
    return _with_organisations(events)
