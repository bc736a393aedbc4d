"""The partnership health check's pages: answering a round, and its results."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.core.forms import add_domain_error
from joinedup.reviews import confidential, health, health_selectors, health_services, services
from joinedup.reviews.health_forms import HealthCheckForm


@require_http_methods(["GET", "POST"])
def health_answer(request: HttpRequest, round_id: UUID) -> HttpResponse:
    summary = health_selectors.health_round(viewer=request.user, round_id=round_id)
    review_round = summary.review_round
    version = health_services.round_version(review_round)
    seat = services.respondent_seat(request.user, review_round)
    may_answer = (
        review_round.is_open(timezone.localdate())
        and not summary.answered_by_viewer
        and seat is not None
    )
    if request.method == "POST" and seat is None:
        raise PermissionDenied("Only the partnership's current members can answer its rounds")
    form = HealthCheckForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            health_services.health_answer(
                actor=request.user,
                review_round=review_round,
                ratings=form.ratings(),
                hopes=form.cleaned_data["hopes"],
                fears=form.cleaned_data["fears"],
                version=version,
            )
        except services.ReviewError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your answers are saved, without your name. Thank you.")
            return redirect("reviews:round_detail", round_id=review_round.pk)
    return render(
        request,
        "reviews/health_answer.html",
        {
            "summary": summary,
            "review_round": review_round,
            "form": form,
            "may_answer": may_answer or form.errors,
            "seat": seat,
            "principles": health.principles(version),
            "min_answers": confidential.min_answers(),
        },
    )


@require_GET
def health_results(request: HttpRequest, round_id: UUID) -> HttpResponse:
    summary = health_selectors.health_round(viewer=request.user, round_id=round_id)
    found = health_selectors.health_results(viewer=request.user, review_round=summary.review_round)
    return render(
        request,
        "reviews/health_results.html",
        {
            "summary": summary,
            "review_round": summary.review_round,
            "found": found,
            "scale": health.SCALE,
            "disagreement_sd": health.DISAGREEMENT_SD,
        },
    )
