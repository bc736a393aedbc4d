from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.assessments import selectors, services
from joinedup.assessments.comparison import domain_changes
from joinedup.assessments.forms import (
    AssessmentCompareForm,
    AssessmentCompleteForm,
    AssessmentRatingsForm,
    AssessmentStartForm,
    OverToYouForm,
)
from joinedup.assessments.models import RATING_HINTS, Answer, Rating, Respondent
from joinedup.assessments.questionnaires import groups_for
from joinedup.children.decorators import follows_merged_references
from joinedup.consent.models import Scope
from joinedup.consent.services import consent_in_force
from joinedup.core.forms import add_domain_error

RATING_SCALE = [(value, label, RATING_HINTS[value]) for value, label in Rating.choices]


def _may_assess(child: Any) -> bool:
    return consent_in_force(child=child, scope=Scope.ASSESSMENT)


@require_GET
@follows_merged_references
def assessment_list(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.assessment_child(viewer=request.user, reference=reference)
    assessments = selectors.assessments_of(viewer=request.user, reference=reference)
    views = selectors.over_to_you_of(viewer=request.user, reference=reference)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "child": child,
            "assessments": assessments,
            "draft": next((a for a in assessments if a.is_draft), None),
            "views": views,
            "consent_in_force": _may_assess(child),
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def assessment_start(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.assessment_child(viewer=request.user, reference=reference)
    kinds = services.kinds_allowed(child)
    form = AssessmentStartForm(
        request.POST or None,
        kinds=kinds,
        organisations=selectors.organisations_of(viewer=request.user),
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=request.user,
                child=child,
                kind=form.cleaned_data["kind"],
                organisation=form.chosen_organisation(),
                assessed_on=form.cleaned_data["assessed_on"],
            )
        except services.AssessmentError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{assessment.label.capitalize()} started: rate each area")
            return redirect(
                "assessments:assessment_rate",
                reference=child.reference,
                assessment_id=assessment.pk,
            )
    return render(
        request,
        "assessments/assessment_start.html",
        {"child": child, "form": form, "consent_in_force": _may_assess(child)},
    )


@require_GET
@follows_merged_references
def assessment_detail(request: HttpRequest, reference: str, assessment_id: Any) -> HttpResponse:
    assessment = selectors.assessment_detail(
        viewer=request.user, reference=reference, assessment_id=assessment_id
    )
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "child": assessment.child,
            "assessment": assessment,
            "problems": services.completion_problems(assessment) if assessment.is_draft else [],
        },
    )


def _already_completed(request: HttpRequest, assessment: Any) -> HttpResponse:
    messages.info(
        request,
        f"{assessment.label.capitalize()} is completed and cannot be changed: start a review "
        "to record what has changed",
    )
    return redirect(
        "assessments:assessment_detail",
        reference=assessment.child.reference,
        assessment_id=assessment.pk,
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def assessment_rate(request: HttpRequest, reference: str, assessment_id: Any) -> HttpResponse:
    assessment = selectors.assessment_detail(
        viewer=request.user, reference=reference, assessment_id=assessment_id
    )
    if not assessment.is_draft:
        return _already_completed(request, assessment)
    child = assessment.child
    form = AssessmentRatingsForm(
        request.POST or None,
        ratings=list(assessment.ratings.all()),
        initial=AssessmentRatingsForm.initial_from(assessment),
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                actor=request.user,
                assessment=assessment,
                revision=form.cleaned_data["revision"],
                answers=form.answers(),
            )
        except services.AssessmentError as error:
            add_domain_error(form, error)
            stale = error.code == "stale"
        else:
            if request.POST.get("then") == "check":
                return redirect(
                    "assessments:assessment_complete",
                    reference=child.reference,
                    assessment_id=assessment.pk,
                )
            messages.success(request, f"{assessment.label.capitalize()} saved as a draft")
            return redirect("assessments:assessment_list", reference=child.reference)
    return render(
        request,
        "assessments/assessment_rate.html",
        {
            "child": child,
            "assessment": assessment,
            "form": form,
            "scale": RATING_SCALE,
            "stale": stale,
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def assessment_complete(request: HttpRequest, reference: str, assessment_id: Any) -> HttpResponse:
    assessment = selectors.assessment_detail(
        viewer=request.user, reference=reference, assessment_id=assessment_id
    )
    if not assessment.is_draft:
        return _already_completed(request, assessment)
    child = assessment.child
    form = AssessmentCompleteForm(request.POST or None, initial={"revision": assessment.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_complete(
                actor=request.user, assessment=assessment, revision=form.cleaned_data["revision"]
            )
        except services.AssessmentError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{assessment.label.capitalize()} completed")
            return redirect(
                "assessments:assessment_detail",
                reference=child.reference,
                assessment_id=assessment.pk,
            )
    return render(
        request,
        "assessments/assessment_complete.html",
        {
            "child": child,
            "assessment": assessment,
            "form": form,
            "problems": services.completion_problems(assessment),
        },
    )


@require_GET
@follows_merged_references
def assessment_compare(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.assessment_child(viewer=request.user, reference=reference)
    versions = selectors.assessments_of(viewer=request.user, reference=reference)
    form = AssessmentCompareForm(request.GET or None, versions=versions)
    # Unless two were chosen, the two newest versions: a review against the one before.
    pair = form.chosen() or (tuple(reversed(versions[:2])) if len(versions) > 1 else None)
    earlier = later = None
    rows: list[Any] = []
    if pair is not None:
        earlier, later = selectors.assessments_compared(
            viewer=request.user,
            reference=reference,
            earlier_id=pair[0].pk,
            later_id=pair[1].pk,
        )
        rows = domain_changes(earlier, later)
        if not form.is_bound:
            form = AssessmentCompareForm(
                initial={"earlier": str(earlier.pk), "later": str(later.pk)}, versions=versions
            )
    return render(
        request,
        "assessments/assessment_compare.html",
        {"child": child, "form": form, "earlier": earlier, "later": later, "rows": rows},
    )


def _over_to_you(request: HttpRequest, reference: str, respondent: Respondent) -> HttpResponse:
    child = selectors.assessment_child(viewer=request.user, reference=reference)
    household = list(child.household.all())
    form = OverToYouForm(
        request.POST or None,
        respondent=respondent,
        household=household,
        initial={"filled_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            view = services.over_to_you_record(
                actor=request.user,
                child=child,
                given=services.OverToYouGiven(
                    respondent=respondent,
                    answers=form.answers(),
                    in_their_words=form.cleaned_data["in_their_words"],
                    helped_by=form.cleaned_data["helped_by"],
                    filled_on=form.cleaned_data["filled_on"],
                    household_member=form.member(),
                ),
            )
        except services.AssessmentError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Thank you. Your answers are saved")
            return redirect(
                "assessments:over_to_you_detail", reference=child.reference, response_id=view.pk
            )
    return render(
        request,
        "assessments/over_to_you_form.html",
        {
            "child": child,
            "form": form,
            "respondent": respondent,
            "household": household,
            "consent_in_force": _may_assess(child),
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def child_over_to_you(request: HttpRequest, reference: str) -> HttpResponse:
    return _over_to_you(request, reference, Respondent.CHILD)


@require_http_methods(["GET", "POST"])
@follows_merged_references
def parent_over_to_you(request: HttpRequest, reference: str) -> HttpResponse:
    return _over_to_you(request, reference, Respondent.PARENT)


def _answer_label(value: str) -> str:
    return Answer(value).label if value in Answer.values else "Not answered"


@require_GET
@follows_merged_references
def over_to_you_detail(request: HttpRequest, reference: str, response_id: Any) -> HttpResponse:
    view = selectors.over_to_you_detail(
        viewer=request.user, reference=reference, response_id=response_id
    )
    groups = [
        (
            group.title,
            [(s.text, _answer_label(view.answers.get(s.key, ""))) for s in group.statements],
        )
        for group in groups_for(view.respondent)
    ]
    return render(
        request,
        "assessments/over_to_you_detail.html",
        {"child": view.child, "view": view, "groups": groups},
    )
