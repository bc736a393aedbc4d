from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.reviews import forms, selectors, services
from joinedup.reviews.confidential import min_answers
from joinedup.reviews.models import ReviewKind


@require_GET
def my_rounds(request: HttpRequest) -> HttpResponse:
    summaries = selectors.rounds_for_member(viewer=request.user)
    return render(
        request,
        "reviews/my_rounds.html",
        {
            "waiting": [s for s in summaries if s.status == "Open" and not s.answered_by_viewer],
            "others": [s for s in summaries if s.status != "Open" or s.answered_by_viewer],
            "min_answers": min_answers(),
        },
    )


@require_GET
def partnership_rounds(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_for_rounds(viewer=request.user, slug=slug)
    return render(
        request,
        "reviews/partnership_rounds.html",
        {
            "partnership": partnership,
            "rounds": selectors.partnership_rounds(viewer=request.user, partnership=partnership),
            "may_run": services.may_run_rounds(request.user, partnership),
            "min_answers": min_answers(),
        },
    )


@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_for_rounds(viewer=request.user, slug=slug)
    if not services.may_run_rounds(request.user, partnership):
        raise PermissionDenied("Only the partnership's chair and managers can open a round")
    today = timezone.localdate()
    form = forms.RoundForm(
        request.POST or None,
        initial={"kind": request.GET.get("kind", ""), "opens_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_round = services.round_open(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except services.ReviewError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"“{review_round.title}” is set up.")
            return redirect("reviews:round_detail", round_id=review_round.pk)
    return render(
        request,
        "reviews/round_form.html",
        {"partnership": partnership, "form": form, "kind_help": forms.KIND_HELP},
    )


@require_GET
def round_detail(request: HttpRequest, round_id: UUID) -> HttpResponse:
    summary = selectors.round_detail(viewer=request.user, round_id=round_id)
    review_round = summary.review_round
    today = timezone.localdate()
    context: dict[str, Any] = {
        "summary": summary,
        "review_round": review_round,
        "kinds": ReviewKind,
        "may_run": services.may_run_rounds(request.user, review_round.partnership),
        "may_answer": (
            review_round.is_open(today)
            and not summary.answered_by_viewer
            and services.respondent_seat(request.user, review_round) is not None
        ),
        "may_reopen": review_round.closed_at is not None
        and review_round.closes_on >= today
        and services.may_reopen_answered(summary.answered),
    }
    return render(request, "reviews/round_detail.html", context)


def _round_change(request: HttpRequest, round_id: UUID, change: Any, done: str) -> HttpResponse:
    summary = selectors.round_detail(viewer=request.user, round_id=round_id)
    try:
        change(actor=request.user, review_round=summary.review_round)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("reviews:round_detail", round_id=round_id)


@require_POST
def round_close(request: HttpRequest, round_id: UUID) -> HttpResponse:
    return _round_change(
        request, round_id, services.round_close, "The round is closed: no more answers."
    )


@require_POST
def round_reopen(request: HttpRequest, round_id: UUID) -> HttpResponse:
    return _round_change(
        request, round_id, services.round_reopen, "The round is open again for answers."
    )
