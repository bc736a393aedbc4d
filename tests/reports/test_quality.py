"""Completeness and validity of the reported fields, against hand-built data with
hand-counted results (joinedup/reports/quality.py)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from joinedup.children.models import Ethnicity, Sex
from joinedup.organisations.models import Sector
from joinedup.plans.models import Plan, PlanStatus
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.reports import quality
from joinedup.reports.catalogue import FIGURES, REPORTED_FIELDS
from joinedup.reports.quality import completeness, field_quality, records_to_fix
from joinedup.reports.tables import Completeness, Period, Scope
from tests.factories import (
    ChildFactory,
    LocalityFactory,
    OrganisationFactory,
    PanelFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARCH = Period.month(2026, 3)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


def referral(panel, day: date, **child_fields):
    locality = child_fields.pop("locality", None) or panel.localities.first()
    child = ChildFactory(
        locality=locality,
        sex=child_fields.pop("sex", Sex.FEMALE),
        ethnicity=child_fields.pop("ethnicity", Ethnicity.WHITE_BRITISH),
        religion=child_fields.pop("religion", "none"),
        **child_fields,
    )
    made = ReferralFactory(child=child, panel=panel)
    Referral.objects.filter(pk=made.pk).update(submitted_at=at(day))
    made.refresh_from_db()
    return made


def test_every_reported_field_has_one_rule():
    assert set(quality.RULES) == {field.key for field in REPORTED_FIELDS}
    for figure in FIGURES:
        for key in figure.fields:
            assert key in quality.RULES


def test_completeness_counts_records_with_every_field_recorded_and_valid():
    panel = PanelFactory()
    # Four referrals in March, one in April (outside the period).
    referral(panel, date(2026, 3, 2), date_of_birth=date(2015, 3, 2))
    referral(
        panel, date(2026, 3, 10), date_of_birth=date(2014, 1, 1), ethnicity=Ethnicity.NOT_RECORDED
    )
    referral(panel, date(2026, 3, 20), date_of_birth=date(2014, 1, 1), sex=Sex.NOT_KNOWN)
    referral(panel, date(2026, 3, 31), date_of_birth=date(2027, 1, 1))  # born in the future
    referral(panel, date(2026, 4, 1), date_of_birth=date(2014, 1, 1), ethnicity="")
    scope = Scope(kind="panel", panel=panel)

    assert completeness(["child.ethnicity"], scope=scope, period=MARCH) == Completeness(3, 4)
    assert completeness(["child.sex"], scope=scope, period=MARCH) == Completeness(3, 4)
    assert completeness(["child.date_of_birth"], scope=scope, period=MARCH) == Completeness(3, 4)
    # Every field at once: only the first and... the first referral has all three.
    both = completeness(
        ["child.ethnicity", "child.sex", "child.date_of_birth"], scope=scope, period=MARCH
    )
    assert both == Completeness(1, 4)
    assert both.percent == 25


def test_age_at_referral_must_be_0_to_25():
    panel = PanelFactory()
    day = date(2026, 3, 15)
    referral(panel, day, date_of_birth=date(2000, 3, 16))  # 25, a day before 26: valid
    referral(panel, day, date_of_birth=date(2000, 3, 15))  # 26 on the day: not valid
    referral(panel, day, date_of_birth=date(2026, 3, 15))  # born that day: 0, valid
    referral(panel, day, date_of_birth=date(2026, 3, 16))  # born after referral: not valid
    scope = Scope(kind="panel", panel=panel)
    result = completeness(["child.date_of_birth"], scope=scope, period=MARCH)
    assert result == Completeness(2, 4)


def test_scope_panel_locality_and_city():
    north, south = LocalityFactory(), LocalityFactory()
    panel_a, panel_b = PanelFactory(localities=[north]), PanelFactory(localities=[south])
    referral(panel_a, date(2026, 3, 5))
    referral(panel_a, date(2026, 3, 6), religion="")
    referral(panel_b, date(2026, 3, 7), religion="")
    # Lives in the north but went to the south's panel: religion fine, locality not valid.
    referral(panel_b, date(2026, 3, 8), locality=north)

    religion = ["child.religion"]
    assert completeness(religion, scope=Scope(), period=MARCH) == Completeness(2, 4)
    assert completeness(
        religion, scope=Scope(kind="panel", panel=panel_a), period=MARCH
    ) == Completeness(1, 2)
    assert completeness(
        religion, scope=Scope(kind="locality", locality=north), period=MARCH
    ) == Completeness(2, 3)
    assert completeness(
        ["child.locality"], scope=Scope(kind="panel", panel=panel_b), period=MARCH
    ) == Completeness(1, 2)


def test_no_records_means_no_percentage():
    result = completeness(["plan.outcome"], scope=Scope(), period=MARCH)
    assert result == Completeness(0, 0)
    assert result.percent is None


def test_unknown_field_is_an_error():
    with pytest.raises(KeyError):
        completeness(["child.shoe_size"], scope=Scope(), period=MARCH)


def test_fields_of_different_records_add_up(django_assert_max_num_queries):
    panel = PanelFactory()
    referral(panel, date(2026, 3, 2))
    referral(panel, date(2026, 3, 3), ethnicity="")
    closed = referral(panel, date(2026, 1, 3))
    keyworker = UserFactory()
    organisation = OrganisationFactory()
    for reason in ("Goals met at school.", "   "):
        Plan.objects.create(
            child=closed.child,
            keyworker=keyworker,
            keyworker_organisation=organisation,
            panel=panel,
            status=PlanStatus.CLOSED,
            opened_on=date(2026, 1, 10),
            next_review_on=date(2026, 4, 10),
            closed_on=date(2026, 3, 20),
            outcome="goals_met",
            outcome_reason=reason,
        )
    scope = Scope(kind="panel", panel=panel)
    with django_assert_max_num_queries(2):
        result = completeness(
            ["child.ethnicity", "plan.outcome", "plan.outcome_reason"], scope=scope, period=MARCH
        )
    # Referrals: 1 of 2; closed plans: 1 of 2 (a reason of spaces is no reason).
    assert result == Completeness(2, 4)


def test_sector_comes_from_the_organisation_kind():
    assert Sector.OTHER  # the sector is worked out from the kind
    panel = PanelFactory()
    made = referral(panel, date(2026, 3, 2))
    made.referring_organisation.kind = ""
    made.referring_organisation.save()
    referral(panel, date(2026, 3, 3))
    scope = Scope(kind="panel", panel=panel)
    assert completeness(["organisation.sector"], scope=scope, period=MARCH) == Completeness(1, 2)


def test_referral_panel_needed_only_when_received():
    referral_to_none = ReferralFactory(panel=None)
    signposted = ReferralFactory(panel=None, status=ReferralStatus.NOT_ELIGIBLE)
    Referral.objects.filter(pk__in=[referral_to_none.pk, signposted.pk]).update(
        submitted_at=at(date(2026, 3, 9))
    )
    assert completeness(["referral.panel"], scope=Scope(), period=MARCH) == Completeness(1, 2)


def test_grid_counts_by_panel_and_month():
    panel = PanelFactory()
    referral(panel, date(2026, 2, 27))
    referral(panel, date(2026, 3, 2), ethnicity="")
    referral(panel, date(2026, 3, 3))
    months = [Period.month(2026, 2), MARCH]
    grid = field_quality(["child.ethnicity"], panel_ids=[panel.pk], months=months)
    assert grid[("child.ethnicity", panel.pk, (2026, 2))] == quality.Quality(1, 1, 1)
    march = grid[("child.ethnicity", panel.pk, (2026, 3))]
    assert march == quality.Quality(2, 1, 1)
    assert (march.recorded_percent, march.valid_percent, march.to_fix) == (50, 50, 1)


def test_records_to_fix_name_what_is_wrong():
    panel = PanelFactory()
    referral(panel, date(2026, 3, 2))
    missing = referral(panel, date(2026, 3, 3), ethnicity=Ethnicity.NOT_RECORDED)
    rows, total = records_to_fix("child.ethnicity", panel=panel, period=MARCH)
    assert total == 1
    assert [row.record.pk for row in rows] == [missing.pk]
    assert rows[0].problem == "Ethnicity is blank or \u201cnot recorded\u201d"
    assert rows[0].fix_url == f"/children/{missing.child.reference}/"
    assert rows[0].child == missing.child


def test_months_end_with_this_one():
    months = quality.last_months(3, today=date(2026, 1, 20))
    assert [m.label for m in months] == ["November 2025", "December 2025", "January 2026"]
    assert months[-1].end == date(2026, 1, 31)
    assert months[0].start == date(2025, 11, 1)
    assert timedelta(days=1)
