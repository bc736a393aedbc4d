from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.core.forms import add_domain_error
from joinedup.reviews import services as round_services
from joinedup.reviews.confidential import min_answers
from joinedup.reviews.survey import forms, selectors, services


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, round_id: UUID) -> HttpResponse:
    """Two steps, nothing saved until the last: the partners the organisation works with (sent
    in the address, so the browser's back button works), then the questions about them."""
    summary = selectors.survey_round(viewer=request.user, round_id=round_id)
    review_round = summary.review_round
    seat = round_services.respondent_seat(request.user, review_round)
    context: dict[str, Any] = {
        "summary": summary,
        "review_round": review_round,
        "min_answers": min_answers(),
    }
    if seat is None or summary.answered_by_viewer or not review_round.is_open(timezone.localdate()):
        return render(request, "reviews/survey/cannot_answer.html", {**context, "seat": seat})
    organisation = seat.organisation.name
    context["organisation"] = seat.organisation
    partners = selectors.partners_to_rate(viewer=request.user, review_round=review_round)
    # The first step's form sends "step" too, so that continuing with no box ticked (which
    # sends no "partners") is answered with an error rather than the blank form again.
    choosing = ("partners" in request.GET or "step" in request.GET) and "change" not in request.GET
    chosen = request.GET.copy()
    chosen.setlist("partners", [slug for slug in request.GET.getlist("partners") if slug])
    pick = forms.PartnersForm(
        chosen if choosing else None,
        partners=partners,
        organisation=organisation,
        initial={"partners": request.GET.getlist("partners")},
    )
    if not choosing or not pick.is_valid():
        return render(request, "reviews/survey/answer_partners.html", {**context, "form": pick})
    form = forms.RatingsForm(
        request.POST if request.method == "POST" else None,
        partners=pick.chosen(),
        organisation=organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                actor=request.user,
                review_round=review_round,
                ratings=form.ratings(),
                contributions=form.cleaned_data["contributions"],
            )
        except round_services.ReviewError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Thank you: your answers are saved. Nobody else can see them."
            )
            return redirect("reviews:round_detail", round_id=review_round.pk)
    context["change_url"] = f"?change=1&{request.GET.urlencode()}"
    return render(request, "reviews/survey/answer_ratings.html", {**context, "form": form})


@require_GET
def survey_results(request: HttpRequest, round_id: UUID) -> HttpResponse:
    summary = selectors.survey_round(viewer=request.user, round_id=round_id)
    review_round = summary.review_round
    today = timezone.localdate()
    # Figures that moved as each answer came in would show each answer as the difference, so
    # they wait until the round has ended.
    ended = review_round.has_ended(today)
    return render(
        request,
        "reviews/survey/results.html",
        {
            "summary": summary,
            "review_round": review_round,
            "ended": ended,
            # Only a round too thin to show figures can be reopened (services.round_reopen).
            "may_change": review_round.closed_at is not None
            and review_round.closes_on >= today
            and round_services.may_reopen_answered(summary.answered),
            "survey": (
                selectors.survey_results(viewer=request.user, review_round=review_round)
                if ended
                else None
            ),
            "min_answers": min_answers(),
        },
    )
