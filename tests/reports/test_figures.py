"""Every figure against the hand-built data set (tests/reports/world.py), expected values
worked out by hand: the counted tables before disclosure control, then what is published."""

from datetime import date

import pytest

from joinedup.reports import figures
from joinedup.reports.selectors import build_report
from joinedup.reports.tables import Period, Scope
from tests.reports import world as hand_built

Q1 = hand_built.QUARTER


@pytest.fixture
def world(db):
    return hand_built.build()


def rows(key, scope=None, period=Q1):
    table = figures.COUNTERS[key](scope or Scope("city"), period)
    return {label: values for label, values in table.rows}


def nonzero(key, scope=None, period=Q1):
    return {label: values for label, values in rows(key, scope, period).items() if any(values)}


def test_referrals_by_month(world):
    assert rows("referrals_by_month") == {
        "January 2026": (2,),
        "February 2026": (2,),
        "March 2026": (1,),
    }
    panel = Scope("panel", panel=world.easton_panel)
    assert list(rows("referrals_by_month", panel).values()) == [(2,), (1,), (1,)]
    assert rows("referrals_by_month", period=Period.month(2026, 2)) == {"February 2026": (2,)}


def test_referrals_by_organisation_sector_and_locality(world):
    assert rows("referrals_by_organisation") == {
        "Police": (2,),
        "School A": (2,),
        "Youth Club": (1,),
    }
    assert rows("referrals_by_sector") == {
        "Statutory": (4,),
        "Voluntary, community and faith": (1,),
        "Other": (0,),
    }
    assert rows("referrals_by_locality") == {
        "Easton": (3,),
        "Knowle West": (1,),
        "Not recorded": (1,),
    }
    easton = Scope("locality", locality=world.easton)
    assert rows("referrals_by_locality", easton) == {"Easton": (3,), "Not recorded": (0,)}


def test_referrals_by_age_at_referral(world):
    # 10 (r1), 11 (r2: birthday five days later), 10 (r3: on the birthday), 13 (r4), 8 (r5).
    assert rows("referrals_by_age") == {
        "Under 8": (0,),
        "8 to 9": (1,),
        "10 to 11": (3,),
        "12 to 13": (1,),
        "14 to 15": (0,),
        "16 and over": (0,),
    }


def test_referrals_by_sex_ethnicity_and_religion_with_not_recorded_rows(world):
    assert nonzero("referrals_by_sex") == {"Female": (2,), "Male": (2,), "Not recorded": (1,)}
    assert nonzero("referrals_by_ethnicity") == {
        "White: English, Welsh, Scottish, Northern Irish or British": (2,),
        "Black, Black British, Caribbean or African: African": (1,),
        "Not recorded": (2,),
    }
    assert nonzero("referrals_by_religion") == {
        "No religion": (1,),
        "Christian": (1,),
        "Muslim": (1,),
        "Prefer not to say": (1,),
        "Not recorded": (1,),
    }
    # Every group is a row, so a group with no referrals reads 0.
    assert rows("referrals_by_religion")["Sikh"] == (0,)


def test_referral_conversion(world):
    assert rows("referral_conversion") == {
        "Support plan opened": (2,),  # r1, r5
        "Panel decided, no support plan": (1,),  # r2 signposted
        "No panel decision yet": (2,),  # r3 deferred, r4 not yet on an agenda
    }


def test_time_to_decision_and_to_first_service(world):
    decision = figures.time_to_decision(Scope("city"), Q1)
    # r1 20 days, r2 10 (both January), r5 6 (February); nearest-rank percentiles.
    assert dict(decision.rows) == {
        "January 2026": (10, 20),
        "February 2026": (6, 6),
        "March 2026": (0, 0),
        "The whole period": (10, 20),
    }
    assert decision.bases == ((2, 2), (1, 1), (0, 0), (3, 3))
    service = figures.time_to_first_service(Scope("city"), Q1)
    # r1: plan's first service 15 February, 36 days; r5: 10 March, 24 days.
    assert dict(service.rows)["January 2026"] == (36, 36)
    assert dict(service.rows)["February 2026"] == (24, 24)
    assert dict(service.rows)["The whole period"] == (24, 36)
    assert service.bases[-1] == (2, 2)


def test_plans_opened_closed_and_open_at_the_end(world):
    assert rows("plans_open_closed") == {
        "Opened": (2,),
        "Closed": (2,),
        "Open at the end of the period": (2,),
    }
    assert nonzero("plan_outcomes") == {"Goals met": (1,), "The family withdrew": (1,)}
    knowle = Scope("panel", panel=world.knowle_panel)
    assert nonzero("plan_outcomes", knowle) == {"Goals met": (1,)}


def test_assessment_change_from_first_to_last_before_closure(world):
    # r5: family 3 -> 1 (better), school 2 -> 2; old: family 2 -> 3 (worse), school 1 -> 0.
    assert rows("assessment_change") == {"Family": (1, 0, 1), "School": (1, 1, 0)}
    mean = figures.assessment_mean_change(Scope("city"), Q1)
    assert dict(mean.rows) == {"Family": (-0.5,), "School": (-0.5,)}
    assert mean.bases == ((2,), (2,))


def test_an_area_left_unrated_at_first_is_compared_from_its_first_rating(world):
    """The first assessment of the child called "old" leaves School unrated; a later one
    (1 December) rates it 1, and the last before closure (10 January) rates it 0: still an
    improvement of 1."""
    from joinedup.assessments.models import (
        Assessment,
        AssessmentKind,
        AssessmentStatus,
        DomainRating,
    )

    old = world.children["old"]
    first = Assessment.objects.get(child=old, version=1)
    DomainRating.objects.filter(assessment=first, domain__name="School").update(rating=None)
    between = Assessment.objects.create(
        child=old,
        kind=AssessmentKind.REVIEW,
        version=4,
        organisation=first.organisation,
        assessed_on=date(2025, 12, 1),
        status=AssessmentStatus.COMPLETED,
        completed_at=first.completed_at,
    )
    for rating in first.ratings.all():
        DomainRating.objects.create(
            assessment=between,
            domain=rating.domain,
            rating=1 if rating.domain.name == "School" else 2,
            evidence="Seen.",
        )

    assert rows("assessment_change") == {"Family": (1, 0, 1), "School": (1, 1, 0)}
    mean = figures.assessment_mean_change(Scope("city"), Q1)
    assert dict(mean.rows) == {"Family": (-0.5,), "School": (-0.5,)}


def test_attendance_and_actions_by_agency_kind_for_the_city_and_a_locality(world):
    # The school, the police and the youth club (a voluntary organisation) hold one seat each.
    attendance = figures.attendance_by_agency(Scope("city"), Q1)
    assert attendance.row_heading == "Kind of agency"
    assert rows("attendance_by_agency") == {
        "Police": (0, 1, 1),
        "School": (1, 0, 0),
        "Voluntary organisation": (1, 0, 0),
    }
    easton = Scope("locality", locality=world.easton)
    assert rows("attendance_by_agency", easton) == {"Police": (0, 1, 1), "School": (1, 0, 0)}
    assert rows("actions_by_agency") == {
        "Police": (1, 1),
        "School": (1, 0),
        "Voluntary organisation": (0, 1),
    }


def test_a_panels_attendance_and_actions_name_each_agency(world):
    easton = Scope("panel", panel=world.easton_panel)
    attendance = figures.attendance_by_agency(easton, Q1)
    assert attendance.row_heading == "Agency"
    assert rows("attendance_by_agency", easton) == {"Police": (0, 1, 1), "School A": (1, 0, 0)}
    assert rows("actions_by_agency", easton) == {"Police": (1, 1), "School A": (1, 0)}


def test_services_used_and_waiting_times(world):
    assert nonzero("services_used") == {
        "Mentoring or one-to-one support": (2,),
        "Family and parenting support": (1,),
    }
    waiting = figures.services_waiting(Scope("city"), Q1)
    # Mentoring: 14 days (plan 1) and 17 (plan 5); family support: 28.
    assert dict(waiting.rows)["Mentoring or one-to-one support"] == (14, 17)
    assert dict(waiting.rows)["Family and parenting support"] == (28, 28)


def test_the_published_report_hides_the_small_numbers(world, strategic_manager):
    report = build_report(viewer=strategic_manager, scope=Scope("city"), period=Q1)
    by_key = {table.key: table for table in report.tables}
    # 4 and 1: both small, and adding up to 5 neither can be told apart from 0 or 5.
    sector = by_key["referrals_by_sector"]
    assert [cells[0].text for _, cells in sector.rows] == ["fewer than 5", "fewer than 5", "0"]
    assert sector.grand_total.text == "5"
    decision = by_key["time_to_decision"]
    assert {cells[0].text for _, cells in decision.rows} == {"fewer than 5 records", "no records"}
    for table in report.tables:
        assert table.completeness is not None
    # Only the figures asked for.
    some = build_report(
        viewer=strategic_manager, scope=Scope("city"), period=Q1, keys=["services_used"]
    )
    assert [table.key for table in some.tables] == ["services_used"]
