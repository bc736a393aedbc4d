"""build_report runs every figure, for every scope, on an empty and a small data set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.reports.catalogue import FIGURES
from joinedup.reports.selectors import build_report
from joinedup.reports.tables import Period, Scope
from tests.dashboards.world import referral_to
from tests.factories import ChildFactory, LocalityFactory, PanelFactory


@pytest.mark.django_db
def test_every_figure_is_built_for_every_scope(strategic_manager):
    easton = LocalityFactory(name="Easton", slug="easton")
    panel = PanelFactory(localities=[easton])
    for _ in range(7):
        referral_to(panel, days_ago=1, child=ChildFactory(locality=easton))
    today = timezone.localdate() - timedelta(days=1)
    period = Period.month(today.year, today.month)
    for scope in (Scope("city"), Scope("locality", locality=easton), Scope("panel", panel=panel)):
        report = build_report(viewer=strategic_manager, scope=scope, period=period)
        assert [t.key for t in report.tables] == [f.key for f in FIGURES]
        by_key = {t.key: t for t in report.tables}
        assert by_key["referrals_by_sector"].grand_total.text == "7"


@pytest.mark.django_db
def test_the_page_renders(strategic_manager, sign_in):
    from django.urls import reverse

    easton = LocalityFactory(name="Easton", slug="easton")
    panel = PanelFactory(localities=[easton])
    for _ in range(7):
        referral_to(panel, days_ago=1, child=ChildFactory(locality=easton))
    today = timezone.localdate() - timedelta(days=1)
    client = sign_in(strategic_manager)
    response = client.get(reverse("reports:report"), {"period": f"{today:%Y-%m}"})
    assert response.status_code == 200, response.content[:2000]
    assert b'role="img"' in response.content
    empty = client.get(reverse("reports:report"), {"period": "2020-01"})
    assert empty.status_code == 200
