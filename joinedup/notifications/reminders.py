"""The reminders `manage.py send_reminders` gives (docs/reminders.md): plan reviews due and
overdue, consent coming to an end, referrals waiting for the panel, and (through the actions
app's own chase) actions due and overdue.

Each reminder is a notice with a dedupe key naming what it is about and its stage, so running
the job again, or twice at once, never gives it twice. Texts name a child by pseudonym and
JoinedUp reference only, never by name: a notice or email is read away from the child's record.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from joinedup.consent import rules as consent_rules
from joinedup.consent.models import ConsentRecord
from joinedup.directory.models import Service
from joinedup.notifications import preferences
from joinedup.notifications.models import ReminderKind
from joinedup.notifications.services import remind
from joinedup.panels import pipeline
from joinedup.panels.models import PanelMember, PanelRole, PipelineCase
from joinedup.plans.models import Plan, PlanStatus
from joinedup.referrals.models import Referral

logger = logging.getLogger(__name__)

# After the first reminder, one more every this many days while the thing stays overdue.
AGAIN_EVERY_DAYS = 7
# Consent: a reminder when it has this many days or fewer left, and again at the second.
CONSENT_STAGES = (consent_rules.EXPIRING_SOON.days, 7)


def review_days_ahead() -> int:
    return int(settings.JOINEDUP_REVIEW_REMINDER_DAYS)


def referral_waiting_days() -> int:
    return int(settings.JOINEDUP_REFERRAL_WAITING_DAYS)


@dataclass
class SourceResult:
    """What one kind of reminder did in one run."""

    considered: int = 0
    notified: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class Deliveries:
    """Each recipient's preference for one kind, looked up once per person in a run."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.known: dict[Any, str] = {}

    def of(self, user: Any) -> str:
        if user.pk not in self.known:
            self.known[user.pk] = preferences.delivery_for(user, self.kind)
        return self.known[user.pk]


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _on(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _give(
    result: SourceResult,
    deliveries: Deliveries,
    *,
    recipient: Any,
    text: str,
    url: str,
    kind: str,
    dedupe_key: str,
) -> None:
    notice = remind(
        recipient=recipient,
        reminder=deliveries.kind,
        text=text,
        url=url,
        kind=kind,
        dedupe_key=dedupe_key,
        delivery=deliveries.of(recipient),
    )
    if notice is not None:
        result.notified += 1


def _guarded(result: SourceResult, what: str, pk: Any, step: Any, *args: Any) -> None:
    """Run one record's step; one record's failure must not stop the rest."""
    try:
        step(*args)
    except Exception as error:
        logger.exception("Could not remind about %s %s", what, pk)
        result.failed += 1
        result.errors.append(f"{what} {pk}: {type(error).__name__}")


# Plan reviews: to the plan's keyworker.


def review_stage(next_review_on: date, today: date) -> str:
    """ "due" from N days before the review date; then "overdue-1" the day after it, and one
    stage more every seven days while no review is recorded."""
    if next_review_on >= today:
        return "due"
    return f"overdue-{1 + ((today - next_review_on).days - 1) // AGAIN_EVERY_DAYS}"


def review_text(plan: Plan, today: date) -> str:
    child = plan.child
    about = f"the plan for {child.pseudonym} ({child.reference})"
    if plan.next_review_on == today:
        return f"The review of {about} is due today"
    if plan.next_review_on > today:
        days = (plan.next_review_on - today).days
        return f"The review of {about} is due on {_on(plan.next_review_on)}, in {_days(days)}"
    days = (today - plan.next_review_on).days
    return (
        f"The review of {about} was due on {_on(plan.next_review_on)} ({_days(days)} ago): "
        "record the review, or set a new date"
    )


def remind_reviews(*, today: date) -> SourceResult:
    result = SourceResult()
    deliveries = Deliveries(ReminderKind.REVIEWS)
    plans = (
        Plan.objects.filter(
            status=PlanStatus.OPEN,
            next_review_on__lte=today + timedelta(days=review_days_ahead()),
            child__merged_into__isnull=True,
        )
        .select_related("keyworker", "child")
        .order_by("next_review_on", "pk")
    )
    for plan in plans.iterator(chunk_size=500):
        result.considered += 1
        _guarded(result, "plan", plan.pk, _remind_review, plan, today, result, deliveries)
    return result


def _remind_review(plan: Plan, today: date, result: SourceResult, deliveries: Deliveries) -> None:
    stage = review_stage(plan.next_review_on, today)
    _give(
        result,
        deliveries,
        recipient=plan.keyworker,
        text=review_text(plan, today),
        url=reverse(
            "plans:plan_detail", kwargs={"reference": plan.child.reference, "plan_id": plan.pk}
        ),
        kind="review_due" if stage == "due" else "review_overdue",
        dedupe_key=f"review:{plan.pk}:{plan.next_review_on.isoformat()}:{stage}",
    )


# Consent coming to an end, while the case is open: to the coordinators of the panels whose
# pipeline holds it and the keyworker of the open plan.


def _coordinators_by_panel(panel_ids: set[Any]) -> dict[Any, list[Any]]:
    found: dict[Any, list[Any]] = defaultdict(list)
    seats = (
        PanelMember.objects.current()
        .filter(panel_id__in=panel_ids, role=PanelRole.COORDINATOR)
        .select_related("user")
    )
    for seat in seats:
        found[seat.panel_id].append(seat.user)
    return found


def consent_recipients(child_ids: list[Any]) -> dict[Any, list[Any]]:
    """Per child, those who renew consent while the child's case is open: the coordinators of
    each panel whose pipeline holds the case, not closed and still in view (the stored stages,
    joinedup/panels/pipeline.py; a panel that handed the case over by transfer holds none),
    and the keyworker of the child's open plan. A case closed long ago reminds nobody. Three
    queries for any number."""
    panels: dict[Any, set[Any]] = defaultdict(set)
    keyworkers: dict[Any, list[Any]] = defaultdict(list)
    cases = pipeline.in_view(
        PipelineCase.objects.filter(child_id__in=child_ids).exclude(stage=pipeline.CLOSED)
    )
    for child_id, panel_id in cases.values_list("child_id", "panel_id"):
        panels[child_id].add(panel_id)
    plans = Plan.objects.filter(child_id__in=child_ids, status=PlanStatus.OPEN).select_related(
        "keyworker"
    )
    for plan in plans:
        keyworkers[plan.child_id].append(plan.keyworker)
    coordinators = _coordinators_by_panel(set().union(*panels.values()) if panels else set())
    recipients: dict[Any, list[Any]] = {}
    for child_id in child_ids:
        people = {
            user.pk: user
            for panel_id in panels.get(child_id, set())
            for user in coordinators.get(panel_id, [])
        }
        people.update({user.pk: user for user in keyworkers.get(child_id, [])})
        recipients[child_id] = list(people.values())
    return recipients


def consent_stage(ends_on: date, today: date) -> int | None:
    """The tightest stage reached (30, then 7 days or fewer left), or None if not yet."""
    left = (ends_on - today).days
    reached = [days for days in CONSENT_STAGES if left <= days]
    return min(reached) if reached else None


def consent_text(child: Any, standing: consent_rules.Standing, ends_on: date, today: date) -> str:
    left = (ends_on - today).days
    what = standing.label[0].lower() + standing.label[1:]
    return (
        f"Consent for {child.pseudonym} ({child.reference}), {what}, ends on {_on(ends_on)}, "
        f"in {_days(left)}: ask the family whether they agree to it going on"
    )


def remind_consents(*, today: date) -> SourceResult:
    """One reminder per thing consented to (the consent in force that lasts longest decides
    when it ends), at 30 and at 7 days left; a new consent with a later end starts again."""
    result = SourceResult()
    deliveries = Deliveries(ReminderKind.CONSENTS)
    horizon = today + timedelta(days=max(CONSENT_STAGES))
    child_ids = list(
        ConsentRecord.objects.filter(
            withdrawn_on__isnull=True,
            expires_on__gt=today,
            expires_on__lte=horizon,
            child__merged_into__isnull=True,
        )
        .values_list("child_id", flat=True)
        .distinct()
        .order_by("child_id")
    )
    for start in range(0, len(child_ids), 200):
        chunk = child_ids[start : start + 200]
        records: dict[Any, list[ConsentRecord]] = defaultdict(list)
        for record in ConsentRecord.objects.filter(child_id__in=chunk).select_related(
            "child", "household_member", "organisation"
        ):
            records[record.child_id].append(record)
        recipients = consent_recipients(chunk)
        for child_id in chunk:
            for standing in consent_rules.standings(records[child_id], today=today):
                ends_on = standing.expires_on()
                if ends_on is None or consent_stage(ends_on, today) is None:
                    continue
                result.considered += 1
                _guarded(
                    result,
                    "consent of child",
                    child_id,
                    _remind_consent,
                    standing,
                    ends_on,
                    recipients.get(child_id, []),
                    today,
                    result,
                    deliveries,
                )
    return result


def _remind_consent(
    standing: consent_rules.Standing,
    ends_on: date,
    recipients: list[Any],
    today: date,
    result: SourceResult,
    deliveries: Deliveries,
) -> None:
    child = standing.in_force[0].child
    organisation = standing.organisation.pk if standing.organisation else "-"
    stage = consent_stage(ends_on, today)
    for person in recipients:
        _give(
            result,
            deliveries,
            recipient=person,
            text=consent_text(child, standing, ends_on, today),
            url=reverse("consent:child_consent", kwargs={"reference": child.reference}),
            kind="consent_expiring",
            dedupe_key=f"consent:{child.pk}:{standing.scope}:{organisation}:{ends_on}:{stage}",
        )


# Referrals waiting: to the coordinators of the panel the referral went to.


def referral_stage(waited_days: int) -> int:
    return (waited_days - referral_waiting_days()) // AGAIN_EVERY_DAYS


def waiting_referrals(today: date) -> Any:
    """Referrals received by a panel at least N days ago whose case has not moved on (the
    pipeline's stored stage: on none of the panel's agendas since, no decision, no plan)."""
    return (
        pipeline.referrals_waiting()
        .filter(submitted_at__date__lte=today - timedelta(days=referral_waiting_days()))
        .select_related("child", "panel")
        .order_by("submitted_at", "pk")
    )


def remind_referrals(*, today: date) -> SourceResult:
    result = SourceResult()
    deliveries = Deliveries(ReminderKind.REFERRALS)
    coordinators: dict[Any, list[Any]] = {}
    for referral in waiting_referrals(today).iterator(chunk_size=500):
        result.considered += 1
        assert referral.panel is not None
        if referral.panel_id not in coordinators:
            coordinators.update(_coordinators_by_panel({referral.panel_id}))
            coordinators.setdefault(referral.panel_id, [])
        _guarded(
            result,
            "referral",
            referral.pk,
            _remind_referral,
            referral,
            coordinators[referral.panel_id],
            today,
            result,
            deliveries,
        )
    return result


def _remind_referral(
    referral: Referral,
    coordinators: list[Any],
    today: date,
    result: SourceResult,
    deliveries: Deliveries,
) -> None:
    assert referral.panel is not None
    waited = (today - timezone.localtime(referral.submitted_at).date()).days
    child = referral.child
    text = (
        f"The referral of {child.pseudonym} ({child.reference}) to {referral.panel.name} has "
        f"waited {_days(waited)}: settle who the child is and put the case on an agenda"
    )
    for person in coordinators:
        _give(
            result,
            deliveries,
            recipient=person,
            text=text,
            url=reverse("referrals:referral_review", kwargs={"referral_id": referral.pk}),
            kind="referral_waiting",
            dedupe_key=f"referral-waiting:{referral.pk}:{referral_stage(waited)}",
        )


# Directory entries not checked for six months: once a week, to everyone with an active
# membership in an organisation that maintains them. About services only, never children.


def remind_stale_directory_entries(*, today: date) -> SourceResult:
    """One notice a week per person, naming how many of their organisations' entries need a
    check (the dedupe key is the week), linking to "Your directory entries"."""
    from joinedup.accounts.models import Membership
    from joinedup.directory import selectors as directory

    result = SourceResult()
    deliveries = Deliveries(ReminderKind.DIRECTORY)
    now = timezone.make_aware(datetime.combine(today, time(12)))
    stale_by_organisation: dict[Any, int] = defaultdict(int)
    stale = (
        directory.with_last_checked(Service.objects.filter(provider__maintained_by__isnull=False))
        .filter(directory.stale_filter(now))
        .values_list("provider__maintained_by_id", flat=True)
    )
    for organisation_id in stale:
        stale_by_organisation[organisation_id] += 1
    if not stale_by_organisation:
        return result
    per_person: dict[Any, Any] = {}
    counts: dict[Any, int] = defaultdict(int)
    memberships = (
        Membership.objects.active(on=today)
        .filter(organisation_id__in=stale_by_organisation, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "organisation_id")
    )
    seen: set[tuple[Any, Any]] = set()
    for membership in memberships:
        if (membership.user_id, membership.organisation_id) in seen:
            continue
        seen.add((membership.user_id, membership.organisation_id))
        per_person[membership.user_id] = membership.user
        counts[membership.user_id] += stale_by_organisation[membership.organisation_id]
    monday = today - timedelta(days=today.weekday())
    for user_id, person in per_person.items():
        result.considered += 1
        count = counts[user_id]
        text = (
            f"{count} director{'y entry' if count == 1 else 'y entries'} your organisation "
            "keeps "
            f"{'has' if count == 1 else 'have'} not been checked for six months: check "
            f"{'it is' if count == 1 else 'they are'} still right"
        )
        _guarded(
            result,
            "directory entries for person",
            user_id,
            _remind_stale_entries,
            person,
            text,
            f"directory-stale:{monday.isoformat()}",
            result,
            deliveries,
        )
    return result


def _remind_stale_entries(
    person: Any, text: str, dedupe_key: str, result: SourceResult, deliveries: Deliveries
) -> None:
    _give(
        result,
        deliveries,
        recipient=person,
        text=text,
        url=reverse("directory:mine"),
        kind="directory_stale",
        dedupe_key=dedupe_key,
    )


@dataclass
class RunResult:
    """What one run of `send_reminders` did."""

    reviews: SourceResult
    consents: SourceResult
    referrals: SourceResult
    actions: Any  # actions.services.ChaseResult
    immediate: Any  # emails.EmailResult
    digests: Any  # emails.EmailResult
    directory: SourceResult = field(default_factory=SourceResult)

    @property
    def failed(self) -> int:
        return (
            self.reviews.failed
            + self.consents.failed
            + self.referrals.failed
            + self.actions.failed
            + self.immediate.failed
            + self.digests.failed
            + self.directory.failed
        )

    @property
    def errors(self) -> list[str]:
        return [
            *self.reviews.errors,
            *self.consents.errors,
            *self.referrals.errors,
            *self.actions.errors,
            *self.immediate.errors,
            *self.digests.errors,
            *self.directory.errors,
        ]


def send_reminders(*, today: date) -> RunResult:
    """Every source of reminders, then the emails they call for: those wanted straight away,
    then the digests. Each step carries on past a failure, which the next run tries again."""
    from joinedup.actions.services import chase_due_actions
    from joinedup.notifications import emails

    reviews = remind_reviews(today=today)
    consents = remind_consents(today=today)
    referrals = remind_referrals(today=today)
    actions = chase_due_actions(today=today)
    directory = remind_stale_directory_entries(today=today)
    return RunResult(
        reviews=reviews,
        consents=consents,
        referrals=referrals,
        actions=actions,
        immediate=emails.send_immediate_emails(),
        digests=emails.send_digests(today=today),
        directory=directory,
    )
