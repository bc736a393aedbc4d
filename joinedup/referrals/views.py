from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.children import services as children
from joinedup.children.models import Relationship
from joinedup.core.forms import add_domain_error
from joinedup.panels import selectors as panel_selectors
from joinedup.referrals import forms as referral_forms
from joinedup.referrals import selectors, services, steps
from joinedup.referrals.steps import STEP_BY_SLUG, STEPS


@require_http_methods(["GET", "POST"])
def referral_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        steps.clear(request.session)
        return redirect("referrals:referral_step", step=STEPS[0].slug)
    return render(
        request, "referrals/start.html", {"has_draft": bool(steps.draft(request.session))}
    )


@require_http_methods(["GET", "POST"])
def referral_step(request: HttpRequest, step: str) -> HttpResponse:
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404("No such question page.")
    data = request.POST if request.method == "POST" else None
    form = steps.bound_form(current, request.session, request.user, data)
    if request.method == "POST" and form.is_valid():
        steps.save_answers(request.session, current, request.POST)
        following = steps.next_step(current)
        if request.GET.get("change") or following is None:
            return redirect("referrals:referral_check")
        return redirect("referrals:referral_step", step=following.slug)
    return _render_step(request, current, form)


def _render_step(
    request: HttpRequest, step: steps.Step, form: Any, *, change: bool = False
) -> HttpResponse:
    number = STEPS.index(step) + 1
    previous = STEPS[number - 2] if number > 1 else None
    back = (
        reverse("referrals:referral_step", kwargs={"step": previous.slug})
        if previous
        else reverse("referrals:referral_start")
    )
    change = change or bool(request.GET.get("change"))
    # Always post to the question's own address, even when shown from the check page.
    action = reverse("referrals:referral_step", kwargs={"step": step.slug})
    return render(
        request,
        "referrals/step.html",
        {
            "step": step,
            "form": form,
            "number": number,
            "total": len(STEPS),
            "back": back,
            "action": f"{action}?change=1" if change else action,
        },
    )


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(item) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        return str(value or "")
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        return str(dict(choices).get(value, value))
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value or "")


def _answers(cleaned_forms: dict[str, Any]) -> list[dict[str, Any]]:
    sections = []
    for step in STEPS:
        form = cleaned_forms[step.slug]
        rows = [
            {
                "label": field.label,
                "value": _shown(field, form.cleaned_data.get(name)) or "Not given",
            }
            for name, field in form.fields.items()
        ]
        sections.append({"step": step, "rows": rows})
    return sections


def _details(forms: dict[str, Any]) -> tuple[children.ChildDetails, services.ReferralDetails]:
    child, more = forms["child"].cleaned_data, forms["more"].cleaned_data
    home, carer = forms["home"].cleaned_data, forms["carer"].cleaned_data
    you, reasons = forms["you"].cleaned_data, forms["reasons"].cleaned_data
    family, safeguarding = forms["family"].cleaned_data, forms["safeguarding"].cleaned_data
    child_details = children.ChildDetails(
        given_name=child["given_name"],
        family_name=child["family_name"],
        preferred_name=child["preferred_name"],
        date_of_birth=child["date_of_birth"],
        sex=child["sex"],
        other_names=more["other_names"],
        nhs_number=more["nhs_number"],
        ethnicity=more["ethnicity"],
        first_language=more["first_language"],
        interpreter_needed=more["interpreter_needed"],
        religion=more["religion"],
        school=more["school"],
        address=children.AddressDetails(
            line_1=home["line_1"], postcode=home["postcode"], locality=home["locality"]
        ),
        household=[
            children.HouseholdMemberDetails(
                full_name=carer["carer_name"],
                relationship=Relationship(carer["carer_relationship"]),
                has_parental_responsibility=carer["carer_has_parental_responsibility"] == "yes",
            )
        ],
    )
    referral_details = services.ReferralDetails(
        organisation=you["organisation"],
        relationship_to_child=you["relationship_to_child"],
        concerns=list(reasons["concerns"]),
        concerns_other=reasons["concerns_other"],
        what_has_been_tried=reasons["what_has_been_tried"],
        urgency=reasons["urgency"],
        family_aware=family["family_aware"],
        family_not_aware_reason=family["family_not_aware_reason"],
        safeguarding_concern=safeguarding["safeguarding_concern"] == "yes",
        safeguarding_details=safeguarding["safeguarding_details"],
    )
    return child_details, referral_details


@require_http_methods(["GET", "POST"])
def referral_check(request: HttpRequest) -> HttpResponse:
    unfinished, forms = steps.first_unfinished(request.session, request.user)
    if unfinished is not None:
        return redirect("referrals:referral_step", step=unfinished.slug)
    if request.method == "POST":
        child_details, referral_details = _details(forms)
        try:
            referral = services.referral_submit(
                actor=request.user, child=child_details, details=referral_details
            )
        except (services.ReferralError, children.ChildRecordError) as error:
            slug = steps.STEP_OF_FIELD.get(error.field or "", "child")
            form = steps.bound_form(STEP_BY_SLUG[slug], request.session, request.user)
            form.is_valid()
            add_domain_error(form, error)
            return _render_step(request, STEP_BY_SLUG[slug], form, change=True)
        steps.clear(request.session)
        messages.success(request, "Referral sent")
        return redirect("referrals:referral_done", referral_id=referral.pk)
    return render(request, "referrals/check.html", {"sections": _answers(forms)})


@require_GET
def referral_done(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_made_by(viewer=request.user, referral_id=referral_id)
    return render(request, "referrals/done.html", {"referral": referral})


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/list.html",
        {"referrals": selectors.referrals_made_by(viewer=request.user)},
    )


@require_GET
def referral_inbox(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "to_check")
    if view not in selectors.INBOX_VIEWS:
        view = "to_check"
    counts = selectors.referral_inbox_counts(viewer=request.user)
    referrals = selectors.referral_inbox(
        viewer=request.user, view=view, page=request.GET.get("page") or 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/inbox.html",
        {
            "view": view,
            "views": [
                (name, label, counts[name]) for name, (label, _) in selectors.INBOX_VIEWS.items()
            ],
            "referrals": referrals,
            "page": referrals.page,
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
def referral_review(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_for_coordinator(
        viewer=request.user, referral_id=referral_id, purpose="Reviewing a referral"
    )
    matches = list(referral.possible_matches.all())
    candidates = {str(match.candidate.pk): match.candidate for match in matches}
    form = referral_forms.IdentityDecisionForm(
        request.POST if request.method == "POST" else None,
        candidates=[match.candidate for match in matches],
    )
    if request.method == "POST" and form.is_valid():
        decision, _, candidate_id = form.cleaned_data["decision"].partition(":")
        try:
            services.identity_decide(
                actor=request.user,
                referral=referral,
                decision=decision,
                candidate=candidates.get(candidate_id),
                note=form.cleaned_data["note"],
            )
        except services.ReferralError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _DECISION_MESSAGES[decision])
            return redirect("referrals:referral_review", referral_id=referral.pk)
    return render(
        request,
        "referrals/review.html",
        {
            "referral": referral,
            "matches": matches,
            "form": form,
            **_agenda_context(referral),
        },
    )


def _agenda_context(referral: Any) -> dict[str, Any]:
    return {
        "agenda_items": [item for item in referral.agenda_items.all() if item.removed_at is None],
        "has_meetings": bool(panel_selectors.future_meetings(panel_id=referral.panel_id)),
    }


_DECISION_MESSAGES = {
    "link": "Linked: the referral is now on the existing child's record.",
    "new": "Recorded as a new child.",
    "later": "Left to decide later. The referral stays in 'Decided later'.",
}


@require_http_methods(["GET", "POST"])
def referral_unlink(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_for_coordinator(
        viewer=request.user, referral_id=referral_id, purpose="Undoing a link"
    )
    form = referral_forms.IdentityUnlinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_unlink(
                actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
            )
        except services.ReferralError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(
                request, "The link is undone: both records are separate again. Decide again."
            )
            return redirect("referrals:referral_review", referral_id=referral.pk)
    return render(request, "referrals/unlink.html", {"referral": referral, "form": form})
