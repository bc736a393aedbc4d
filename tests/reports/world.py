"""A hand-built data set for the report's figures, January to March 2026, with every expected
value worked out by hand in tests/reports/test_figures.py.

Easton is served by the Easton panel, Knowle West by the Knowle panel. Five referrals in the
quarter (and one either side of it); decisions, plans, assessments, meetings, actions and
services around them."""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from joinedup.actions.models import ActionStatus
from joinedup.assessments.models import Assessment, AssessmentKind, AssessmentStatus, DomainRating
from joinedup.children.models import Ethnicity, Religion, Sex
from joinedup.organisations.models import OrganisationKind
from joinedup.panels.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
)
from joinedup.plans.models import Intervention, Outcome, Plan, PlanStatus, Purpose
from joinedup.referrals.models import Referral
from joinedup.reports.tables import Period
from tests.factories import (
    ActionFactory,
    ChildFactory,
    DomainFactory,
    LocalityFactory,
    MeetingFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
    UserFactory,
)

QUARTER = Period.quarter(2026, 1)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class World:
    easton: Any
    knowle: Any
    easton_panel: Any
    knowle_panel: Any
    children: dict[str, Any]
    referrals: dict[str, Any]


def build(prefix: str = "") -> World:
    """The data set; `prefix` names a second copy's places, panels, agencies and areas of life
    (for counting queries over twice the data)."""
    slug = prefix.strip().replace(" ", "-") + ("-" if prefix else "")
    easton = LocalityFactory(name=f"{prefix}Easton", slug=f"{slug}easton")
    knowle = LocalityFactory(name=f"{prefix}Knowle West", slug=f"{slug}knowle-west")
    easton_panel = PanelFactory(
        name=f"{prefix}Easton panel", slug=f"{slug}easton-panel", localities=[easton]
    )
    knowle_panel = PanelFactory(
        name=f"{prefix}Knowle panel", slug=f"{slug}knowle-panel", localities=[knowle]
    )
    school = OrganisationFactory(name=f"{prefix}School A", kind=OrganisationKind.SCHOOL)
    police = OrganisationFactory(name=f"{prefix}Police", kind=OrganisationKind.POLICE)
    club = OrganisationFactory(name=f"{prefix}Youth Club", kind=OrganisationKind.VOLUNTARY)
    keyworker = UserFactory()

    def child(locality, born, sex, ethnicity, religion):
        return ChildFactory(
            given_name="Quillon",
            family_name="Zarrowby",
            locality=locality,
            date_of_birth=born,
            sex=sex,
            ethnicity=ethnicity,
            religion=religion,
        )

    children = {
        "r1": child(
            easton, date(2015, 6, 1), Sex.FEMALE, Ethnicity.WHITE_BRITISH, Religion.CHRISTIAN
        ),
        # Turns 12 five days after the referral: 11 when referred.
        "r2": child(easton, date(2014, 1, 25), Sex.MALE, Ethnicity.BLACK_AFRICAN, Religion.MUSLIM),
        # Referred on their 10th birthday.
        "r3": child(easton, date(2016, 2, 5), Sex.FEMALE, "", ""),
        "r4": child(
            None,
            date(2012, 12, 31),
            Sex.NOT_KNOWN,
            Ethnicity.NOT_RECORDED,
            Religion.PREFER_NOT_TO_SAY,
        ),
        "r5": child(
            knowle, date(2017, 3, 1), Sex.MALE, Ethnicity.WHITE_BRITISH, Religion.NO_RELIGION
        ),
        "before": child(easton, date(2014, 1, 1), Sex.MALE, Ethnicity.WHITE_IRISH, ""),
        "after": child(knowle, date(2014, 1, 1), Sex.MALE, Ethnicity.WHITE_IRISH, ""),
        "old": child(easton, date(2013, 5, 5), Sex.FEMALE, Ethnicity.WHITE_BRITISH, ""),
        "other": child(knowle, date(2013, 5, 5), Sex.FEMALE, Ethnicity.WHITE_BRITISH, ""),
    }

    def referral(key, panel, org, day):
        made = ReferralFactory(child=children[key], panel=panel, referring_organisation=org)
        Referral.objects.filter(pk=made.pk).update(submitted_at=at(day))
        return made

    referrals = {
        "r1": referral("r1", easton_panel, school, date(2026, 1, 10)),
        "r2": referral("r2", easton_panel, school, date(2026, 1, 20)),
        "r3": referral("r3", easton_panel, police, date(2026, 2, 5)),
        "r4": referral("r4", easton_panel, club, date(2026, 3, 3)),
        "r5": referral("r5", knowle_panel, police, date(2026, 2, 14)),
        "before": referral("before", easton_panel, school, date(2025, 12, 31)),
        "after": referral("after", knowle_panel, school, date(2026, 4, 2)),
    }

    def plan(key, panel, opened, closed=None, outcome=""):
        return Plan.objects.create(
            child=children[key],
            keyworker=keyworker,
            keyworker_organisation=club,
            panel=panel,
            opened_on=opened,
            next_review_on=opened,
            status=PlanStatus.CLOSED if closed else PlanStatus.OPEN,
            closed_on=closed,
            outcome=outcome,
        )

    plan1 = plan("r1", easton_panel, date(2026, 2, 1))
    plan5 = plan("r5", knowle_panel, date(2026, 2, 21), date(2026, 3, 20), Outcome.GOALS_MET)
    plan("old", easton_panel, date(2025, 10, 1), date(2026, 1, 15), Outcome.FAMILY_WITHDREW)
    other = plan("other", knowle_panel, date(2025, 11, 1))

    # Meetings and decisions.
    m1 = MeetingFactory(panel=easton_panel, starts_at=at(date(2026, 1, 30), 10))
    m2 = MeetingFactory(panel=easton_panel, starts_at=at(date(2026, 2, 25), 10))
    m3 = MeetingFactory(panel=knowle_panel, starts_at=at(date(2026, 2, 20), 10))
    m_later = MeetingFactory(panel=easton_panel, starts_at=at(date(2026, 4, 5), 10))

    def decide(meeting, key, outcome, made_plan=None):
        item = AgendaItem.objects.create(
            meeting=meeting, child=children[key], referral=referrals[key]
        )
        Decision.objects.create(item=item, outcome=outcome, rationale="Reasons.", plan=made_plan)

    decide(m1, "r1", DecisionOutcome.SUPPORT_PLAN, plan1)
    decide(m1, "r2", DecisionOutcome.SIGNPOST)
    decide(m2, "r3", DecisionOutcome.DEFER)
    decide(m3, "r5", DecisionOutcome.SUPPORT_PLAN, plan5)

    # Attendance.
    teacher = PanelMemberFactory(panel=easton_panel, organisation=school)
    officer = PanelMemberFactory(panel=easton_panel, organisation=police)
    sergeant = PanelMemberFactory(panel=easton_panel, organisation=police)
    youth_worker = PanelMemberFactory(panel=knowle_panel, organisation=club)
    for meeting, member, status in (
        (m1, teacher, AttendanceStatus.PRESENT),
        (m1, officer, AttendanceStatus.APOLOGIES),
        (m1, sergeant, AttendanceStatus.ABSENT),
        (m3, youth_worker, AttendanceStatus.PRESENT),
        (m_later, teacher, AttendanceStatus.ABSENT),
    ):
        Attendance.objects.create(meeting=meeting, member=member, status=status)

    # Actions.
    for panel, org, due, status in (
        (easton_panel, police, date(2026, 2, 1), ActionStatus.DONE),
        (easton_panel, police, date(2026, 2, 10), ActionStatus.OPEN),
        (easton_panel, school, date(2026, 3, 1), ActionStatus.DONE),
        (easton_panel, school, date(2026, 3, 2), ActionStatus.CANCELLED),
        (easton_panel, school, date(2026, 4, 10), ActionStatus.OPEN),
        (knowle_panel, club, date(2026, 2, 25), ActionStatus.OPEN),
    ):
        ActionFactory(
            panel=panel,
            organisation=org,
            due_on=due,
            status=status,
            completed_at=at(due) if status == ActionStatus.DONE else None,
            cancelled_at=at(due) if status == ActionStatus.CANCELLED else None,
            cancelled_reason="No longer needed." if status == ActionStatus.CANCELLED else "",
        )

    # Services.
    for made, purpose, starts in (
        (plan1, Purpose.MENTORING, date(2026, 2, 15)),
        (plan1, Purpose.FAMILY, date(2026, 3, 1)),
        (plan5, Purpose.MENTORING, date(2026, 3, 10)),
        (other, Purpose.LEARNING, date(2025, 12, 1)),
    ):
        Intervention.objects.create(
            plan=made,
            service="A service",
            purpose=purpose,
            provider_organisation=club,
            starts_on=starts,
            frequency="Weekly",
        )

    # Assessments: the default list's two areas.
    family = DomainFactory(panel=None, key=f"{slug}family", name=f"{prefix}Family", order=1)
    school_area = DomainFactory(panel=None, key=f"{slug}school", name=f"{prefix}School", order=2)

    def assess(key, version, on, ratings, completed=True):
        made = Assessment.objects.create(
            child=children[key],
            kind=AssessmentKind.INITIAL if version == 1 else AssessmentKind.REVIEW,
            version=version,
            organisation=club,
            assessed_on=on,
            status=AssessmentStatus.COMPLETED if completed else AssessmentStatus.DRAFT,
            completed_at=at(on) if completed else None,
        )
        for domain, rating in zip((family, school_area), ratings, strict=True):
            DomainRating.objects.create(
                assessment=made, domain=domain, rating=rating, evidence="Seen."
            )

    assess("r5", 1, date(2026, 2, 18), (3, 2))
    assess("r5", 2, date(2026, 3, 15), (1, 2))
    assess("r5", 3, date(2026, 3, 25), (4, 4))  # after the plan closed: not counted
    assess("old", 1, date(2025, 10, 5), (2, 1))
    assess("old", 2, date(2026, 1, 10), (3, 0))
    assess("old", 3, date(2026, 1, 12), (0, 0), completed=False)  # a draft: not counted

    return World(easton, knowle, easton_panel, knowle_panel, children, referrals)
