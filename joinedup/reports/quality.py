"""How complete and how valid the recorded fields behind the reports are (docs/data-quality.md).

Every field key of `catalogue.REPORTED_FIELDS` has one declared `FieldRule` here: which records
it applies to, which date puts a record in a month, which panel (and locality) it belongs to,
what "recorded" means and what "valid" means. Everything is counted in the database with
conditional counts, one query per kind of record (never one per record), so the same rules
serve a panel's month and the whole city's quarter at national scale.

- A record is *recorded* for a field when the field is filled in with something that says
  what it is: not blank, and not "not known" where the choices have such a value.
- A record is *valid* for a field when it is recorded and the value makes sense beside the
  rest of the record (a date of birth not in the future and giving an age from 0 to 25 at
  referral; a plan closed on or after it opened; ...). Valid counts are out of every record,
  so the valid share is never more than the recorded share.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Trim, TruncMonth
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from joinedup.actions.models import Action, ActionStatus
from joinedup.assessments.models import Assessment, AssessmentStatus, DomainRating
from joinedup.children.models import Ethnicity, Religion, Sex
from joinedup.organisations.models import OrganisationKind
from joinedup.panels.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    Meeting,
    Panel,
    PanelMember,
)
from joinedup.plans.models import Intervention, Outcome, Plan, PlanStatus
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.reports.catalogue import FIELD_LABELS, REPORTED_FIELDS
from joinedup.reports.tables import Completeness, Period, Scope

OLDEST_AGE = 25  # a child or young person at referral is 0 to 25 years old


def _today() -> date:
    return timezone.localdate()


def _now() -> datetime:
    return timezone.now()


# Kinds of record. Rules of the same kind share one query.


@dataclass(frozen=True)
class RecordKind:
    key: str
    label: str  # one record, in words: "Referral"
    records: Callable[[], QuerySet[Any]]
    month_field: str  # the date (or date and time) that puts a record in a month
    panel_field: str  # the panel's id
    locality_field: str  # the locality's id, for a locality's scope
    child_field: str | None  # the child's id, where the record is about one child

    def queryset(self) -> QuerySet[Any]:
        return self.records()

    @property
    def month_is_datetime(self) -> bool:
        model = self.records().model
        field: Any = None
        for part in self.month_field.split("__"):
            field = model._meta.get_field(part)
            if field.is_relation:
                model = field.related_model
        return isinstance(field, DateTimeField)


def _years_between_referral_and_birth() -> Any:
    return ExpressionWrapper(
        ExtractYear("submitted_at") - ExtractYear("child__date_of_birth"),
        output_field=IntegerField(),
    )


def _birthday_passed_at_referral() -> Q:
    """Whether the child's birthday had come in the year of the referral, by month and day."""
    referral_day = ExpressionWrapper(
        ExtractMonth("submitted_at") * 100 + ExtractDay("submitted_at"),
        output_field=IntegerField(),
    )
    birth_day = ExpressionWrapper(
        ExtractMonth("child__date_of_birth") * 100 + ExtractDay("child__date_of_birth"),
        output_field=IntegerField(),
    )
    return Q(GreaterThanOrEqual(referral_day, birth_day))


def _age_at_referral_valid() -> Q:
    """Born by today, and aged 0 to OLDEST_AGE on the day of referral. The age is the
    difference in years, less one if the birthday had not come yet that year."""
    years = _years_between_referral_and_birth()
    passed = _birthday_passed_at_referral()
    at_least_0 = Q(GreaterThan(years, 0)) | (Q(Exact(years, 0)) & passed)
    at_most_oldest = Q(LessThanOrEqual(years, OLDEST_AGE)) | (
        Q(Exact(years, OLDEST_AGE + 1)) & ~passed
    )
    return Q(child__date_of_birth__lte=_today()) & at_least_0 & at_most_oldest


def _locality_served_by_panel() -> Q:
    return Q(
        Exists(
            Panel.localities.through.objects.filter(
                panel_id=OuterRef("panel_id"), locality_id=OuterRef("child__locality_id")
            )
        )
    )


def _past_agenda_items() -> QuerySet[Any]:
    return AgendaItem.objects.filter(removed_at__isnull=True, meeting__starts_at__lt=_now())


def _current_decision() -> QuerySet[Any]:
    return Decision.objects.filter(item_id=OuterRef("pk"), superseded_at__isnull=True)


def _decision_complete() -> Q:
    return Q(
        Exists(
            _current_decision()
            .filter(outcome__in=DecisionOutcome.values)
            .exclude(outcome=DecisionOutcome.SIGNPOST, signpost_to="")
            .exclude(outcome=DecisionOutcome.DEFER, deferred_to__isnull=True, defer_reason="")
        )
    )


def _past_meetings() -> QuerySet[Any]:
    return Meeting.objects.filter(starts_at__lt=_now())


def _attendance_complete() -> Q:
    """Every member seated on the meeting's day has attendance recorded (deputies attend in a
    member's place and have none of their own), and a sent deputy is named."""
    seated_without_attendance = (
        PanelMember.objects.filter(
            panel_id=OuterRef("panel_id"),
            deputy_for__isnull=True,
            started_on__lte=OuterRef("starts_at"),
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("starts_at")))
        .exclude(
            Exists(
                Attendance.objects.filter(
                    meeting_id=OuterRef(OuterRef("pk")), member=OuterRef("pk")
                )
            )
        )
    )
    bad_status = Attendance.objects.filter(meeting_id=OuterRef("pk")).filter(
        ~Q(status__in=AttendanceStatus.values)
        | Q(status=AttendanceStatus.DEPUTY, deputy__isnull=True)
    )
    return ~Q(Exists(seated_without_attendance)) & ~Q(Exists(bad_status))


def _ratings() -> QuerySet[Any]:
    return DomainRating.objects.filter(assessment_id=OuterRef("pk"))


def _every_area_rated() -> Q:
    return Q(Exists(_ratings())) & ~Q(Exists(_ratings().filter(rating__isnull=True)))


def _referred_by_start() -> Q:
    return Q(
        Exists(
            Referral.objects.filter(
                child_id=OuterRef("plan__child_id"),
                submitted_at__date__lte=OuterRef("starts_on"),
            )
        )
    )


def _reason_given() -> Q:
    return ~Q(Exact(Trim("outcome_reason"), ""))


KINDS: dict[str, RecordKind] = {
    kind.key: kind
    for kind in (
        RecordKind(
            "referral",
            "Referral",
            records=lambda: Referral.objects.all(),
            month_field="submitted_at",
            panel_field="panel_id",
            locality_field="child__locality_id",
            child_field="child_id",
        ),
        RecordKind(
            "agenda_item",
            "Case on a meeting's agenda",
            records=_past_agenda_items,
            month_field="meeting__starts_at",
            panel_field="meeting__panel_id",
            locality_field="child__locality_id",
            child_field="child_id",
        ),
        RecordKind(
            "plan",
            "Support plan",
            records=lambda: Plan.objects.all(),
            month_field="created_at",
            panel_field="panel_id",
            locality_field="child__locality_id",
            child_field="child_id",
        ),
        RecordKind(
            "closed_plan",
            "Closed support plan",
            records=lambda: Plan.objects.filter(status=PlanStatus.CLOSED),
            month_field="closed_on",
            panel_field="panel_id",
            locality_field="child__locality_id",
            child_field="child_id",
        ),
        RecordKind(
            "intervention",
            "Service in a plan",
            records=lambda: Intervention.objects.all(),
            month_field="created_at",
            panel_field="plan__panel_id",
            locality_field="plan__child__locality_id",
            child_field="plan__child_id",
        ),
        RecordKind(
            "assessment",
            "Completed assessment",
            records=lambda: Assessment.objects.filter(status=AssessmentStatus.COMPLETED),
            month_field="completed_at",
            panel_field="panel_id",
            locality_field="child__locality_id",
            child_field="child_id",
        ),
        RecordKind(
            "meeting",
            "Panel meeting",
            records=_past_meetings,
            month_field="starts_at",
            panel_field="panel_id",
            locality_field="panel__localities",
            child_field=None,
        ),
        RecordKind(
            "done_action",
            "Action marked done",
            records=lambda: Action.objects.filter(status=ActionStatus.DONE),
            month_field="due_on",
            panel_field="panel_id",
            locality_field="panel__localities",
            child_field=None,
        ),
    )
}


@dataclass(frozen=True)
class FieldRule:
    """How one reported field is measured."""

    key: str
    kind: str  # a key of KINDS
    recorded: Callable[[], Q]
    valid: Callable[[], Q]  # checked on records that are recorded
    why: str  # why the field matters, in plain words
    missing: str  # what is wrong with a record that is not recorded
    invalid: str  # what is wrong with a recorded record that is not valid
    fix: Callable[[Any], str]  # the address of the page where a record is put right
    fix_text: str  # the link's words

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.key]

    @property
    def record_kind(self) -> RecordKind:
        return KINDS[self.kind]


def _child_page(referral: Any) -> str:
    return reverse("children:child_detail", args=[referral.child.reference])


def _referral_page(referral: Any) -> str:
    return reverse("referrals:referral_review", args=[referral.pk])


def _plan_page(plan: Any) -> str:
    return reverse("plans:plan_detail", args=[plan.child.reference, plan.pk])


def _always() -> Q:
    return Q(pk__isnull=False)


RULES: dict[str, FieldRule] = {
    rule.key: rule
    for rule in (
        FieldRule(
            "child.date_of_birth",
            "referral",
            recorded=lambda: Q(child__date_of_birth__isnull=False),
            valid=_age_at_referral_valid,
            why="Without a date of birth the partnership cannot say which ages it reaches, or "
            "whether children are referred early enough for prevention to work.",
            missing="No date of birth",
            invalid="The date of birth is in the future or gives an age outside 0 to 25 at "
            "referral",
            fix=_child_page,
            fix_text="Open the child's record",
        ),
        FieldRule(
            "child.sex",
            "referral",
            recorded=lambda: ~Q(child__sex__in=["", Sex.NOT_KNOWN]),
            valid=lambda: Q(child__sex__in=Sex.values),
            why="Without sex the partnership cannot show whether girls and boys are referred "
            "and supported alike.",
            missing="Sex is blank or \u201cnot known\u201d",
            invalid="Sex is not one of the listed choices",
            fix=_child_page,
            fix_text="Open the child's record",
        ),
        FieldRule(
            "child.ethnicity",
            "referral",
            recorded=lambda: ~Q(child__ethnicity__in=["", Ethnicity.NOT_RECORDED]),
            valid=lambda: Q(child__ethnicity__in=Ethnicity.values),
            why="Without ethnicity the partnership cannot show whether it reaches every community.",
            missing="Ethnicity is blank or \u201cnot recorded\u201d",
            invalid="Ethnicity is not one of the 2021 Census categories",
            fix=_child_page,
            fix_text="Open the child's record",
        ),
        FieldRule(
            "child.religion",
            "referral",
            recorded=lambda: ~Q(child__religion=""),
            valid=lambda: Q(child__religion__in=Religion.values),
            why="Without religion or faith the partnership cannot show whether faith "
            "communities are reached, or plan with faith groups.",
            missing="Religion or faith is blank",
            invalid="Religion or faith is not one of the listed choices",
            fix=_child_page,
            fix_text="Open the child's record",
        ),
        FieldRule(
            "child.locality",
            "referral",
            recorded=lambda: Q(child__locality__isnull=False),
            valid=lambda: Q(panel__isnull=True) | _locality_served_by_panel(),
            why="Without the child's locality the partnership cannot see where need is, or "
            "whether each panel covers the areas it serves.",
            missing="No locality",
            invalid="The child's locality is not one the referral's panel serves",
            fix=_child_page,
            fix_text="Open the child's record",
        ),
        FieldRule(
            "referral.referring_organisation",
            "referral",
            recorded=lambda: Q(referring_organisation__isnull=False),
            valid=_always,
            why="Without the referring organisation the partnership cannot see which agencies "
            "refer, or thank and support those that do.",
            missing="No referring organisation",
            invalid="",
            fix=_referral_page,
            fix_text="Open the referral",
        ),
        FieldRule(
            "organisation.sector",
            "referral",
            recorded=lambda: ~Q(referring_organisation__kind=""),
            valid=lambda: Q(referring_organisation__kind__in=OrganisationKind.values),
            why="Without the sector the partnership cannot show whether voluntary, community "
            "and faith groups refer as well as statutory services.",
            missing="The referring organisation has no kind, so no sector",
            invalid="The referring organisation's kind is not one of the listed kinds",
            fix=lambda referral: reverse(
                "organisations:organisation_edit", args=[referral.referring_organisation.slug]
            ),
            fix_text="Change the organisation",
        ),
        FieldRule(
            "referral.panel",
            "referral",
            # A referral signposted elsewhere or escalated needs no panel.
            recorded=lambda: Q(panel__isnull=False) | ~Q(status=ReferralStatus.RECEIVED),
            valid=lambda: Q(panel__isnull=True) | Q(panel__is_active=True),
            why="Without the panel a referral went to, it counts towards no panel's figures "
            "and may wait unseen.",
            missing="A referral received for the panels that went to no panel",
            invalid="The referral went to a panel that no longer meets",
            fix=_referral_page,
            fix_text="Open the referral",
        ),
        FieldRule(
            "decision.outcome",
            "agenda_item",
            recorded=lambda: Q(Exists(_current_decision())),
            valid=_decision_complete,
            why="Without the panel's decision the partnership cannot show how referrals turn "
            "into support, or how long children wait for a decision.",
            missing="The case was on the agenda of a past meeting but no decision is recorded",
            invalid="The decision does not say where to signpost, or what it was deferred to",
            fix=lambda item: reverse("panels:decision_record", args=[item.pk]),
            fix_text="Record the decision",
        ),
        FieldRule(
            "plan.opened_on",
            "plan",
            recorded=lambda: Q(opened_on__isnull=False),
            valid=lambda: (
                Q(opened_on__lte=_today())
                & Q(opened_on__gte=F("child__date_of_birth"))
                & (Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")))
            ),
            why="Without the date a plan opened the partnership cannot count plans or the time "
            "from referral to support.",
            missing="No date the plan opened",
            invalid="The plan opens in the future, before the child was born, or after it closed",
            fix=lambda plan: reverse("plans:plan_edit", args=[plan.child.reference, plan.pk]),
            fix_text="Change the plan",
        ),
        FieldRule(
            "plan.outcome",
            "closed_plan",
            recorded=lambda: ~Q(outcome=""),
            valid=lambda: (
                Q(outcome__in=Outcome.values)
                & Q(closed_on__isnull=False, closed_on__gte=F("opened_on"))
            ),
            why="Without the outcome of each closed plan the partnership cannot show whether "
            "support works.",
            missing="The plan is closed without an outcome",
            invalid="The outcome is not a listed one, or the plan closed before it opened",
            fix=_plan_page,
            fix_text="Open the plan",
        ),
        FieldRule(
            "plan.outcome_reason",
            "closed_plan",
            recorded=_reason_given,
            valid=lambda: (
                ~Q(outcome="") & Q(closed_on__isnull=False, closed_on__gte=F("opened_on"))
            ),
            why="Without the reason a plan closed, an outcome cannot be understood or learned "
            "from.",
            missing="The plan is closed without a reason",
            invalid="The plan has a reason but no outcome, or closed before it opened",
            fix=_plan_page,
            fix_text="Open the plan",
        ),
        FieldRule(
            "intervention.starts_on",
            "intervention",
            recorded=lambda: Q(starts_on__isnull=False),
            valid=_referred_by_start,
            why="Without the date a service started the partnership cannot show how long "
            "children wait for support.",
            missing="No date the service started",
            invalid="The service starts before the child was first referred",
            fix=lambda intervention: reverse(
                "plans:intervention_edit",
                args=[intervention.plan.child.reference, intervention.plan_id, intervention.pk],
            ),
            fix_text="Change the service",
        ),
        FieldRule(
            "assessment.ratings",
            "assessment",
            recorded=_every_area_rated,
            valid=lambda: (
                ~Q(Exists(_ratings().filter(Q(rating__gt=4) | (Q(rating__gt=0) & Q(evidence="")))))
                & Q(assessed_on__lte=_today())
                & Q(assessed_on__gte=F("child__date_of_birth"))
            ),
            why="Without every area of life rated the partnership cannot show how children's "
            "lives change between the first assessment and the end of support.",
            missing="The assessment is completed with areas of life not rated",
            invalid="A rating is outside 0 to 4 or has no evidence, or the assessment date is in "
            "the future",
            fix=lambda assessment: reverse(
                "assessments:assessment_detail",
                args=[assessment.child.reference, assessment.pk],
            ),
            fix_text="Open the assessment",
        ),
        FieldRule(
            "attendance.status",
            "meeting",
            recorded=lambda: Q(Exists(Attendance.objects.filter(meeting_id=OuterRef("pk")))),
            valid=_attendance_complete,
            why="Without attendance the partnership cannot show which agencies come to the "
            "table, or whether meetings could decide.",
            missing="No attendance recorded for the meeting",
            invalid="Attendance is missing for some members, or a deputy is not named",
            fix=lambda meeting: reverse("panels:attendance_record", args=[meeting.pk]),
            fix_text="Record attendance",
        ),
        FieldRule(
            "action.completed_at",
            "done_action",
            recorded=lambda: Q(completed_at__isnull=False),
            valid=lambda: Q(completed_at__gte=F("created_at"), completed_at__lte=_now()),
            why="Without the date actions were done the partnership cannot show which agencies "
            "follow through on what they agree.",
            missing="The action is marked done without the date it was done",
            invalid="The action was completed before it was agreed, or in the future",
            fix=lambda action: reverse("actions:action_detail", args=[action.pk]),
            fix_text="Open the action",
        ),
    )
}

assert set(RULES) == {field.key for field in REPORTED_FIELDS}, "a reported field has no rule"


# Filtering by scope and period.


def _bounds(period_start: date, period_end: date, *, as_datetime: bool) -> dict[str, Any]:
    if not as_datetime:
        return {"gte": period_start, "lte": period_end}
    tz = timezone.get_current_timezone()
    return {
        "gte": datetime.combine(period_start, time.min, tzinfo=tz),
        "lt": datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=tz),
    }


def _in_period(kind: RecordKind, start: date, end: date) -> Q:
    bounds = _bounds(start, end, as_datetime=kind.month_is_datetime)
    return Q(**{f"{kind.month_field}__{op}": value for op, value in bounds.items()})


def _in_scope(kind: RecordKind, scope: Scope) -> Q:
    if scope.kind == "panel":
        return Q(**{kind.panel_field: scope.panel.pk})
    if scope.kind == "locality":
        return Q(**{kind.locality_field: scope.locality.pk})
    return Q()


def records_for(kind: RecordKind, *, scope: Scope, period: Period) -> QuerySet[Any]:
    return kind.queryset().filter(
        _in_period(kind, period.start, period.end), _in_scope(kind, scope)
    )


def _ok(rule: FieldRule) -> Q:
    return rule.recorded() & rule.valid()


def _rules(field_keys: Iterable[str]) -> list[FieldRule]:
    unknown = [key for key in field_keys if key not in RULES]
    if unknown:
        raise KeyError(f"No data-quality rule for {', '.join(unknown)}")
    return [RULES[key] for key in dict.fromkeys(field_keys)]


def completeness(field_keys: Sequence[str], *, scope: Scope, period: Period) -> Completeness:
    """Of the records the fields apply to, within the scope and period, how many have every one
    of those fields recorded and valid. Fields about different kinds of record (a decision and a
    plan) are counted on their own records and added up. One query per kind of record."""
    return completeness_many({"": field_keys}, scope=scope, period=period)[""]


def completeness_many(
    field_sets: Mapping[str, Sequence[str]], *, scope: Scope, period: Period
) -> dict[str, Completeness]:
    """`completeness` of several sets of fields at once (say, one per figure of a report, by
    figure key): one query per kind of record that any set touches, however many sets, so a
    whole report costs at most one query per kind of record."""
    wanted: dict[str, dict[str, list[FieldRule]]] = {}  # kind -> set name -> rules
    for name, keys in field_sets.items():
        for rule in _rules(keys):
            wanted.setdefault(rule.kind, {}).setdefault(name, []).append(rule)
    known = dict.fromkeys(field_sets, 0)
    total = dict.fromkeys(field_sets, 0)
    for kind_key, sets in wanted.items():
        kind = KINDS[kind_key]
        counts: dict[str, Any] = {"q_total": Count("pk")}
        labels = {}
        # Figures that rest on the same fields share one count: each count is a pass over
        # every record in the period (at national scale, seconds).
        by_fields: dict[frozenset[str], str] = {}
        for name, rules in sets.items():
            fields = frozenset(rule.key for rule in rules)
            if fields not in by_fields:
                everything = Q()
                for rule in rules:
                    everything &= _ok(rule)
                by_fields[fields] = f"q_known_{len(by_fields)}"
                counts[by_fields[fields]] = Count("pk", filter=everything)
            labels[name] = by_fields[fields]
        # A locality's scope meets each record once: one panel-locality pair per panel.
        row = records_for(kind, scope=scope, period=period).aggregate(**counts)
        for name, label in labels.items():
            known[name] += row[label]
            total[name] += row["q_total"]
    return {name: Completeness(known=known[name], total=total[name]) for name in field_sets}


# The grid: per field, panel and month.


@dataclass(frozen=True)
class Quality:
    total: int
    recorded: int
    valid: int

    @property
    def recorded_percent(self) -> int | None:
        return round(100 * self.recorded / self.total) if self.total else None

    @property
    def valid_percent(self) -> int | None:
        return round(100 * self.valid / self.total) if self.total else None

    @property
    def to_fix(self) -> int:
        return self.total - self.valid


def last_months(count: int, *, today: date | None = None) -> list[Period]:
    """The last `count` calendar months, this one last."""
    today = today or _today()
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(Period.month(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_key(value: Any) -> tuple[int, int]:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return (value.year, value.month)


def field_quality(
    field_keys: Sequence[str], *, panel_ids: Sequence[Any], months: Sequence[Period]
) -> dict[tuple[str, Any, tuple[int, int]], Quality]:
    """Recorded and valid counts by (field key, panel id, (year, month)), for the panels and
    months asked about; a cell with no records is left out. One query per kind of record."""
    result: dict[tuple[str, Any, tuple[int, int]], Quality] = {}
    if not panel_ids or not months:
        return result
    by_kind: dict[str, list[FieldRule]] = {}
    for rule in _rules(field_keys):
        by_kind.setdefault(rule.kind, []).append(rule)
    start, end = months[0].start, months[-1].end
    for kind_key, rules in by_kind.items():
        kind = KINDS[kind_key]
        counts: dict[str, Any] = {"q_total": Count("pk")}
        for n, rule in enumerate(rules):
            counts[f"q_recorded_{n}"] = Count("pk", filter=rule.recorded())
            counts[f"q_valid_{n}"] = Count("pk", filter=_ok(rule))
        rows = (
            kind.queryset()
            .filter(_in_period(kind, start, end), **{f"{kind.panel_field}__in": list(panel_ids)})
            .annotate(q_panel=F(kind.panel_field), q_month=TruncMonth(kind.month_field))
            .values("q_panel", "q_month")
            .annotate(**counts)
            .order_by()
        )
        for row in rows:
            month = _month_key(row["q_month"])
            for n, rule in enumerate(rules):
                key = (rule.key, row["q_panel"], month)
                previous = result.get(key, Quality(0, 0, 0))
                result[key] = Quality(
                    previous.total + row["q_total"],
                    previous.recorded + row[f"q_recorded_{n}"],
                    previous.valid + row[f"q_valid_{n}"],
                )
    return result


# The records to fix for one field, panel and month.


@dataclass(frozen=True)
class RecordToFix:
    record: Model
    problem: str
    fix_url: str
    fix_text: str
    child: Any  # the child the record is about, or None
    when: Any  # the date that puts it in the month


def records_to_fix(
    field_key: str, *, panel: Any, period: Period, limit: int = 200
) -> tuple[list[RecordToFix], int]:
    """The records of one panel and month that are not recorded or not valid for a field, oldest
    first, at most `limit` of them, with how many there are in all. Three queries."""
    rule = RULES[field_key]
    kind = rule.record_kind
    failing = (
        records_for(kind, scope=Scope(kind="panel", panel=panel), period=period)
        .exclude(_ok(rule))
        .annotate(
            q_is_recorded=Case(
                When(rule.recorded(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    total = failing.count()
    related = [
        path
        for path in (
            "child",
            "plan__child",
            "referring_organisation",
            "meeting",
        )
        if _has_path(kind, path)
    ]
    rows = list(failing.select_related(*related).order_by(kind.month_field, "pk")[:limit])
    found = []
    for row in rows:
        problem = rule.invalid if row.q_is_recorded else rule.missing
        child = _child_of(kind, row)
        found.append(
            RecordToFix(
                record=row,
                problem=problem,
                fix_url=rule.fix(row),
                fix_text=rule.fix_text,
                child=child,
                when=_value(row, kind.month_field),
            )
        )
    return found, total


def _has_path(kind: RecordKind, path: str) -> bool:
    model = kind.records().model
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:
            return False
        if not field.is_relation:
            return False
        model = field.related_model
    return True


def _value(row: Any, path: str) -> Any:
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def _child_of(kind: RecordKind, row: Any) -> Any:
    if kind.child_field is None:
        return None
    return _value(row, kind.child_field.removesuffix("_id"))


def month_period(year: int, month: int) -> Period:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError("month out of range")
    calendar.monthrange(year, month)
    return Period.month(year, month)
