"""Which children's cases are closed, since when, and what of them is past its retention period;
and the anonymisation of each kind of record (used by `manage.py apply_retention`).

A case is closed only when nothing about the child is still open (see `open_child_ids`): no
open plan, no referral waiting for the panel, no agenda item without a decision, no open
action, no safeguarding concern still open, no draft assessment. The case closed on the day of
the last thing that happened in it (`closed_on`). A kind of record is due when its period has
passed since then and, where the period says so, the child has reached the given age.

When the child's identity is anonymised, every other record about them is anonymised with it,
whatever its own period: free text names people, so text kept longer than the identity would
put the name back. A kind of record can be anonymised sooner than the identity, never later.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from joinedup.actions.models import Action, ActionChange, ActionStatus
from joinedup.assessments.models import Assessment, AssessmentStatus, DomainRating, OverToYou
from joinedup.children.models import Address, Child, ChildMerge, HouseholdMember
from joinedup.children.services import match_keys_refresh
from joinedup.consent.models import ChildView, ConsentRecord
from joinedup.panels.models import (
    AgendaItem,
    Contribution,
    Decision,
    DecisionOutcome,
    Declaration,
    Minutes,
)
from joinedup.plans.models import Goal, GoalProgress, Intervention, Plan, PlanStatus, Review
from joinedup.records.defaults import DEFAULT_PERIODS
from joinedup.records.models import (
    RecordType,
    Rectification,
    Restriction,
    RetentionPeriod,
    SubjectAccessRequest,
)
from joinedup.referrals.models import IdentityStatus, PossibleMatch, Referral, ReferralStatus
from joinedup.safeguarding.models import ConcernEvent, SafeguardingConcern
from joinedup.transfers.models import Transfer, TransferStatus

# What free text that could name people says once anonymised: neutral, the same everywhere.
REMOVED_TEXT = "Removed under the retention policy."
REMOVED_NAME = "Removed"
ANONYMISED_GIVEN_NAME = "Anonymised"
ANONYMISED_FAMILY_NAME = "Child"

# The case's kinds of record, in the order they are anonymised: the identity last, because the
# others use the names it still holds to find them in shared text such as minutes.
CASE_TYPES: tuple[str, ...] = (
    RecordType.REFERRAL,
    RecordType.CONSENT,
    RecordType.ASSESSMENT,
    RecordType.PANEL,
    RecordType.PLAN,
    RecordType.ACTION,
    RecordType.SAFEGUARDING,
    RecordType.CLOSED_CASE,
)


@dataclass(frozen=True)
class Period:
    months: int
    until_age: int | None


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month where that day does not exist
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def periods() -> dict[str, Period]:
    """The periods in force: the saved ones, with the defaults for any kind not saved."""
    found = {
        row.record_type: Period(row.months, row.until_age) for row in RetentionPeriod.objects.all()
    }
    for record_type, (months, until_age, _why) in DEFAULT_PERIODS.items():
        found.setdefault(record_type, Period(months, until_age))
    return found


# Each check gives the ids of children with something still open in one app, as a subquery.
# A new app with open states (transfers, for example) adds its check here.
OpenCheck = Callable[[], "models.QuerySet[Any, Any]"]


def _current_decisions() -> models.QuerySet[Decision, Any]:
    return Decision.objects.filter(superseded_at__isnull=True).exclude(
        outcome=DecisionOutcome.DEFER
    )


OPEN_CHECKS: dict[str, OpenCheck] = {
    "an open integrated support plan": lambda: Plan.objects.filter(status=PlanStatus.OPEN).values(
        "child_id"
    ),
    "a referral waiting for the panel": lambda: Referral.objects.filter(
        Q(identity_status__in=[IdentityStatus.TO_CHECK, IdentityStatus.DEFERRED])
        | Q(status=ReferralStatus.RECEIVED) & ~Q(agenda_items__decisions__in=_current_decisions())
    ).values("child_id"),
    "a case on an agenda without a decision": lambda: (
        AgendaItem.objects.filter(removed_at__isnull=True)
        .exclude(decisions__in=_current_decisions())
        .values("child_id")
    ),
    "an open action": lambda: Action.objects.filter(
        status=ActionStatus.OPEN, child__isnull=False
    ).values("child_id"),
    "an open safeguarding concern": lambda: SafeguardingConcern.objects.filter(
        closed_at__isnull=True, child__isnull=False
    ).values("child_id"),
    "a draft assessment": lambda: Assessment.objects.filter(status=AssessmentStatus.DRAFT).values(
        "child_id"
    ),
    "a transfer to another panel waiting for an answer": lambda: Transfer.objects.filter(
        status=TransferStatus.REQUESTED
    ).values("child_id"),
}


def open_reasons(child: Child) -> list[str]:
    """What is still open about one child, in words (for the report and the tests)."""
    return [
        reason
        for reason, check in OPEN_CHECKS.items()
        if check().filter(child_id=child.pk).exists()
    ]


def closed_children() -> models.QuerySet[Child, Any]:
    """Children with nothing open, who have had at least a referral (a record nobody ever
    referred is not a case). Records merged into another follow their survivor."""
    children = Child.objects.filter(merged_into__isnull=True, referrals__isnull=False).distinct()
    for check in OPEN_CHECKS.values():
        children = children.exclude(pk__in=check())
    return children


def _as_date(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def closed_on(child_ids: Iterable[Any]) -> dict[Any, date]:
    """For each child, the day of the last thing that happened in their case."""
    ids = list(child_ids)
    latest: dict[Any, date] = {}
    sources: list[tuple[models.QuerySet[Any, Any], str, str]] = [
        (Plan.objects.filter(child_id__in=ids), "child_id", "closed_on"),
        (Plan.objects.filter(child_id__in=ids), "child_id", "opened_on"),
        (Referral.objects.filter(child_id__in=ids), "child_id", "submitted_at"),
        (AgendaItem.objects.filter(child_id__in=ids), "child_id", "meeting__starts_at"),
        (Decision.objects.filter(item__child_id__in=ids), "item__child_id", "created_at"),
        (SafeguardingConcern.objects.filter(child_id__in=ids), "child_id", "closed_at"),
        (Action.objects.filter(child_id__in=ids), "child_id", "completed_at"),
        (Action.objects.filter(child_id__in=ids), "child_id", "cancelled_at"),
        (Assessment.objects.filter(child_id__in=ids), "child_id", "assessed_on"),
        (ConsentRecord.objects.filter(child_id__in=ids), "child_id", "withdrawn_on"),
    ]
    for queryset, key, field in sources:
        for row in queryset.values(key).annotate(last=Max(field)):
            day = _as_date(row["last"])
            if day is not None and (row[key] not in latest or day > latest[row[key]]):
                latest[row[key]] = day
    return latest


def _birthday(born: date, age: int) -> date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + age, day=28)


def due_on(child: Child, closed: date, period: Period) -> date:
    """The first day this kind of the child's records may be anonymised."""
    due = add_months(closed, period.months)
    if period.until_age:
        due = max(due, _birthday(child.date_of_birth, period.until_age))
    return due


def ever_supported(child: Child) -> bool:
    return Plan.objects.filter(child=child).exists()


def due_types(
    child: Child, *, closed: date, today: date, table: dict[str, Period], done: set[str]
) -> list[str]:
    """The kinds of the child's records to anonymise today, in order."""
    identity_period = table[
        RecordType.CLOSED_CASE if ever_supported(child) else RecordType.REFERRAL_NOT_ACCEPTED
    ]
    identity_due = due_on(child, closed, identity_period) <= today
    due = []
    for record_type in CASE_TYPES:
        if record_type in done:
            continue
        if record_type == RecordType.CLOSED_CASE:
            if identity_due:
                due.append(record_type)
        elif identity_due or due_on(child, closed, table[record_type]) <= today:
            due.append(record_type)
    return due


# Anonymisers: each takes the child and every name to look for in shared text, changes the
# child's records of its kind, and says how many rows it changed.


def _blank_text(queryset: models.QuerySet[Any, Any], *fields: str, text: str = REMOVED_TEXT) -> int:
    changed = 0
    for field in fields:
        changed += queryset.exclude(**{field: ""}).exclude(**{field: text}).update(**{field: text})
    return changed


def names_of(child: Child) -> list[str]:
    """Every name the child's records may use for them or their household."""
    names = {child.given_name, child.family_name, child.preferred_name, *child.other_names}
    names |= {f"{child.given_name} {child.family_name}"}
    for merged in Child.objects.filter(merged_into=child):
        names |= {merged.given_name, merged.family_name, merged.preferred_name}
    for full_name in HouseholdMember.objects.filter(
        Q(child=child) | Q(child__merged_into=child)
    ).values_list("full_name", flat=True):
        names |= {full_name, *full_name.split()}
    # A household member's name before a correction may still be in free text.
    for old_name in (
        Rectification.objects.filter(
            Q(child=child) | Q(child__merged_into=child),
            household_member__isnull=False,
            field="full_name",
        )
        .exclude(old_value=REMOVED_NAME)
        .values_list("old_value", flat=True)
    ):
        names |= {old_name, *old_name.split()}
    names.discard(ANONYMISED_GIVEN_NAME)
    names.discard(ANONYMISED_FAMILY_NAME)
    names.discard(REMOVED_NAME)
    # Longest first, so "Jo Bloggs" goes as a whole before "Jo" alone.
    return sorted((n.strip() for n in names if n and len(n.strip()) >= 2), key=len, reverse=True)


def scrub_names(text: str, names: list[str]) -> str:
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[name removed]", text, flags=re.I)
    return text


def _referrals(child: Child, names: list[str]) -> int:
    referrals = Referral.objects.filter(child=child)
    changed = _blank_text(
        referrals,
        "concerns_other",
        "what_has_been_tried",
        "family_not_aware_reason",
        "safeguarding_details",
        "identity_note",
    )
    matches = PossibleMatch.objects.filter(Q(referral__child=child) | Q(candidate=child))
    changed += matches.exclude(reasons=[]).update(reasons=[])
    return changed


def _consent(child: Child, names: list[str]) -> int:
    records = ConsentRecord.objects.filter(child=child)
    changed = _blank_text(records, "withdrawal_reason")
    changed += _blank_text(records, "witness_name", text=REMOVED_NAME)
    for record in records.exclude(signed_form=""):
        # A scanned form carries signatures and names: the file goes, the record stays.
        record.signed_form.delete(save=False)
        ConsentRecord.objects.filter(pk=record.pk).update(signed_form="", signed_form_type="")
        changed += 1
    changed += _blank_text(
        ChildView.objects.filter(child=child), "in_their_words", "competence_notes"
    )
    return changed


def _assessments(child: Child, names: list[str]) -> int:
    assessments = Assessment.objects.filter(child=child)
    changed = _blank_text(assessments, "protective_factors", "serious_harm_evidence")
    changed += _blank_text(DomainRating.objects.filter(assessment__child=child), "evidence")
    views = OverToYou.objects.filter(child=child)
    changed += _blank_text(views, "in_their_words")
    changed += _blank_text(views, "helped_by", text=REMOVED_NAME)
    return changed


def _panel(child: Child, names: list[str]) -> int:
    items = AgendaItem.objects.filter(child=child)
    changed = _blank_text(items, "removed_reason")
    changed += _blank_text(Contribution.objects.filter(agenda_item__child=child), "view")
    changed += _blank_text(
        Decision.objects.filter(item__child=child),
        "rationale",
        "signpost_to",
        "defer_reason",
        "against_rule_reason",
        "correction_reason",
    )
    changed += _blank_text(Declaration.objects.filter(item__child=child), "interest")
    # Minutes cover every case of a meeting: only the child's names come out of them.
    for minutes in Minutes.objects.filter(meeting__items__child=child).distinct():
        text, generated = (
            scrub_names(minutes.text, names),
            scrub_names(minutes.generated_text, names),
        )
        if (text, generated) != (minutes.text, minutes.generated_text):
            Minutes.objects.filter(pk=minutes.pk).update(text=text, generated_text=generated)
            changed += 1
    return changed


def _plans(child: Child, names: list[str]) -> int:
    plans = Plan.objects.filter(child=child)
    changed = _blank_text(
        plans,
        "contingency",
        "outcome_reason",
        "what_changed",
        "child_view_at_close",
        "family_view_at_close",
        "support_continuing",
    )
    changed += _blank_text(Goal.objects.filter(plan__child=child), "in_their_words")
    changed += _blank_text(Review.objects.filter(plan__child=child), "child_view", "family_view")
    changed += _blank_text(GoalProgress.objects.filter(review__plan__child=child), "in_words")
    changed += _blank_text(Intervention.objects.filter(plan__child=child), "stopped_reason")
    return changed


def _actions(child: Child, names: list[str]) -> int:
    actions = Action.objects.filter(child=child)
    changed = _blank_text(actions, "detail", "outcome", "cancelled_reason")
    changed += _blank_text(actions, "title", text="Action about the child (anonymised)")
    changed += _blank_text(ActionChange.objects.filter(action__child=child), "reason")
    return changed


def _safeguarding(child: Child, names: list[str]) -> int:
    concerns = SafeguardingConcern.objects.filter(child=child)
    changed = _blank_text(
        concerns, "what_happened", "why_worried", "child_description", "outcome_reason"
    )
    # The events are append-only against people changing history; retention is the one
    # exception, so the plain queryset is used on purpose, for their text only.
    events: models.QuerySet[ConcernEvent, Any] = models.QuerySet(ConcernEvent).filter(
        concern__child=child
    )
    changed += _blank_text(events, "text")
    return changed


def _identity(child: Child, names: list[str]) -> int:
    """The child (and any record merged into them): names, contact details and the exact date
    of birth go; the pseudonym, sex, ethnicity, locality, first language and the month and
    year of birth stay, so that figures still count the child."""
    records = [child, *Child.objects.filter(merged_into=child)]
    changed = 0
    for record in records:
        Child.objects.filter(pk=record.pk).update(
            given_name=ANONYMISED_GIVEN_NAME,
            family_name=ANONYMISED_FAMILY_NAME,
            preferred_name="",
            other_names=[],
            date_of_birth=record.date_of_birth.replace(day=1),
            date_of_birth_is_approximate=True,
            nhs_number="",
            gender_as_recorded="",
            religion="",
            school=None,
            updated_at=timezone.now(),
        )
        changed += 1
        changed += Address.objects.filter(child=record).update(
            line_1=REMOVED_NAME, line_2="", postcode=""
        )
        changed += (
            HouseholdMember.objects.filter(child=record)
            .exclude(full_name=REMOVED_NAME, telephone="")
            .update(full_name=REMOVED_NAME, telephone="")
        )
        changed += _blank_text(
            ChildMerge.objects.filter(Q(survivor=record) | Q(merged=record)),
            "reason",
            "unmerge_reason",
        )
        changed += _rights_records(record)
    # The keys are rebuilt from the anonymised details, so the old name, date of birth and
    # address find nothing; a merged record had its keys removed by the merge and keeps none.
    child.refresh_from_db()
    match_keys_refresh(child)
    return changed


def _rights_records(child: Child) -> int:
    """What information governance recorded about the child's rights names people too."""
    rectifications = Rectification.objects.filter(child=child)
    changed = _blank_text(
        rectifications, "old_value", "new_value", "requested_by", text=REMOVED_NAME
    )
    changed += _blank_text(rectifications, "reason")
    restrictions = Restriction.objects.filter(child=child)
    changed += _blank_text(restrictions, "requested_by", text=REMOVED_NAME)
    changed += _blank_text(restrictions, "reason", "lift_reason")
    requests = SubjectAccessRequest.objects.filter(child=child)
    changed += _blank_text(requests, "requester_name", text=REMOVED_NAME)
    changed += _blank_text(requests, "notes")
    changed += requests.exclude(redacted_names=[]).update(redacted_names=[])
    changed += _blank_text(requests, "released_to", text=REMOVED_NAME)
    changed += _blank_text(requests, "release_method_other", "closed_reason")
    changed += requests.exclude(released_redactions=[]).update(released_redactions=[])
    return changed


ANONYMISERS: dict[str, Callable[[Child, list[str]], int]] = {
    RecordType.REFERRAL: _referrals,
    RecordType.CONSENT: _consent,
    RecordType.ASSESSMENT: _assessments,
    RecordType.PANEL: _panel,
    RecordType.PLAN: _plans,
    RecordType.ACTION: _actions,
    RecordType.SAFEGUARDING: _safeguarding,
    RecordType.CLOSED_CASE: _identity,
}
