"""One page per level of the partnership (the research's four: keyworkers, the panel, local and
city-wide steering groups): what each needs to act on today, built from the selectors of the
apps that own the records."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from joinedup.actions import selectors as action_selectors
from joinedup.core.permissions import may_open, policy_for
from joinedup.dashboards import selectors
from joinedup.dashboards.forms import AreaForm
from joinedup.directory import insight as directory_insight
from joinedup.panels import pipeline
from joinedup.panels import selectors as panel_selectors
from joinedup.plans import selectors as plan_selectors
from joinedup.tracking import selectors as tracking_selectors

# Each dashboard and whom it is for, in the order a person holding several roles sees them.
DASHBOARDS = (
    ("dashboards:keyworker", "Keyworker"),
    ("dashboards:coordinator", "Panel coordinator"),
    ("dashboards:chair", "Panel chair"),
    ("dashboards:steering", "Steering group"),
)
# The coordinator's dashboard shows the cases longest in their stage, from the pipeline.
LONGEST_WAITING = 5


def _dashboards_for(user: Any) -> list[tuple[str, str]]:
    found = []
    for url_name, label in DASHBOARDS:
        access = policy_for(url_name)
        if access is not None and may_open(user, access):
            found.append((url_name, label))
    return found


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    current = request.resolver_match.view_name if request.resolver_match else ""
    others = [item for item in _dashboards_for(request.user) if item[0] != current]
    return render(request, template, {**context, "other_dashboards": others})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The "Dashboard" link of the menu: the dashboard of the person's first role that has one
    (each dashboard links to their others)."""
    url_name, _ = _dashboards_for(request.user)[0]
    return redirect(url_name)


@require_GET
def keyworker(request: HttpRequest) -> HttpResponse:
    plans = plan_selectors.caseload(viewer=request.user)
    horizon = timezone.localdate() + timedelta(days=selectors.REVIEWS_AHEAD_DAYS)
    mine = action_selectors.actions_for_owner(viewer=request.user)
    return _render(
        request,
        "dashboards/keyworker.html",
        {
            "caseload": len(plans),
            # The caseload comes soonest review first, so the overdue ones lead.
            "reviews": [plan for plan in plans if plan.next_review_on <= horizon],
            "reviews_ahead": selectors.REVIEWS_AHEAD_DAYS,
            "actions": mine.open,
            "actions_overdue": mine.overdue_count,
        },
    )


@require_GET
def coordinator(request: HttpRequest) -> HttpResponse:
    cases = panel_selectors.pipeline_page(
        viewer=request.user, stage=pipeline.ALL, per_page=LONGEST_WAITING
    )
    counts = cases.counts
    return _render(
        request,
        "dashboards/coordinator.html",
        {
            "coordinates_a_panel": panel_selectors.coordinates_any(viewer=request.user),
            "stages": [(name, label, counts[name]) for name, label in pipeline.STAGES.items()],
            "counts": counts,
            "longest_waiting": cases,
            "consents": selectors.consents_to_renew(viewer=request.user),
            "consent_ahead": selectors.CONSENT_AHEAD_DAYS,
            "packs": selectors.packs_to_build(viewer=request.user),
            "packs_ahead": selectors.PACKS_AHEAD_DAYS,
            "waiting": selectors.referrals_waiting(viewer=request.user),
            "waiting_days": selectors.REFERRAL_WAITING_DAYS,
            "flag_counts": tracking_selectors.flag_counts(viewer=request.user),
            "funding_ending": directory_insight.services_with_funding_ending(),
        },
    )


@require_GET
def chair(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "dashboards/chair.html",
        {"panels": selectors.chaired_panels(viewer=request.user)},
    )


@require_GET
def steering(request: HttpRequest) -> HttpResponse:
    form = AreaForm(request.GET)
    figures = None
    if form.is_valid():
        figures = selectors.steering_figures(locality=form.cleaned_data["area"])
    return _render(request, "dashboards/steering.html", {"form": form, "figures": figures})
