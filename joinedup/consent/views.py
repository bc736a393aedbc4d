from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.children.decorators import follows_merged_references
from joinedup.consent import rules, selectors, services
from joinedup.consent.forms import CHILD, ChildViewForm, ConsentRecordForm, ConsentWithdrawForm
from joinedup.consent.models import Competence, Method
from joinedup.core.forms import add_domain_error


@require_GET
@follows_merged_references
def child_consent(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.consent_child(viewer=request.user, reference=reference)
    records = selectors.consent_records(viewer=request.user, reference=reference)
    views = selectors.child_views(viewer=request.user, reference=reference)
    today = timezone.localdate()
    standings = rules.standings(records, today=today)
    return render(
        request,
        "consent/child_consent.html",
        {
            "child": child,
            "standings": standings,
            "in_force": [s for s in standings if s.is_in_force],
            "expiring": [s for s in standings if s.is_in_force and s.expiring_soon(today)],
            "not_in_force": [s for s in standings if not s.is_in_force],
            "records": records,
            "views": views,
            "latest_view": views[0] if views else None,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def consent_record(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.consent_child(viewer=request.user, reference=reference)
    latest = services.latest_child_view(child)
    competent = latest is not None and latest.competence == Competence.COMPETENT
    form = ConsentRecordForm(
        request.POST or None,
        request.FILES or None,
        child=child,
        child_competent=competent,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_child = data["given_by"] == CHILD
        given = services.ConsentGiven(
            method=data["method"],
            given_on=data["given_on"],
            household_member=None if by_child else form.members.get(data["given_by"]),
            by_child=by_child,
            scopes=data["scopes"],
            organisations=list(data["organisations"]),
            expires_on=data["expires_on"],
            witness_name=data["witness_name"],
            signed_form=data["signed_form"] if data["method"] == Method.SIGNED_FORM else None,
        )
        try:
            records = services.consent_record(actor=request.user, child=child, given=given)
        except services.ConsentError as error:
            add_domain_error(form, error)
        else:
            count = len(records)
            messages.success(
                request, f"Consent recorded: {count} {'thing' if count == 1 else 'things'}"
            )
            return redirect("consent:child_consent", reference=child.reference)
    return render(
        request,
        "consent/consent_record.html",
        {"child": child, "form": form, "child_competent": competent},
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def consent_withdraw(request: HttpRequest, reference: str, record_id: Any) -> HttpResponse:
    record = selectors.consent_record_detail(
        viewer=request.user, reference=reference, record_id=record_id
    )
    child = record.child
    if record.is_withdrawn:
        messages.info(
            request, f"This consent was already withdrawn on {record.withdrawn_on:%d %B %Y}"
        )
        return redirect("consent:child_consent", reference=child.reference)
    form = ConsentWithdrawForm(
        request.POST or None,
        initial={"withdrawn_on": timezone.localdate()},
        given_on=record.given_on,
    )
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal = services.consent_withdraw(
                actor=request.user,
                record=record,
                reason=form.cleaned_data["reason"],
                told_us=form.cleaned_data["told_us"],
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                base_url=request.build_absolute_uri("/"),
            )
        except services.ConsentError as error:
            add_domain_error(form, error)
        else:
            told = withdrawal.told
            if told:
                names = ", ".join(person.display_name for person in told)
                who = f"We have emailed {names} to tell them."
            else:
                who = "Nobody else works with this child in JoinedUp, so nobody else was emailed."
            messages.success(request, f"Consent withdrawn: {record.what_label}. {who}")
            return redirect("consent:child_consent", reference=child.reference)
    return render(
        request, "consent/consent_withdraw.html", {"child": child, "record": record, "form": form}
    )


@require_GET
@follows_merged_references
def signed_form(request: HttpRequest, reference: str, record_id: Any) -> FileResponse:
    record = selectors.signed_form(viewer=request.user, reference=reference, record_id=record_id)
    extension = record.signed_form.name.rpartition(".")[2] or "bin"
    response = FileResponse(
        record.signed_form.open("rb"),
        as_attachment=True,
        filename=f"consent-{record.child.reference}-{record.given_on:%Y-%m-%d}.{extension}",
        content_type=record.signed_form_type or "application/octet-stream",
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@follows_merged_references
def child_view_record(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.consent_child(viewer=request.user, reference=reference)
    form = ChildViewForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.child_view_record(
                actor=request.user,
                child=child,
                in_their_words=data["in_their_words"],
                recorded_on=data["recorded_on"],
                competence=data["competence"],
                competence_notes=data["competence_notes"],
            )
        except services.ConsentError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The child's view is recorded")
            return redirect("consent:child_consent", reference=child.reference)
    return render(request, "consent/child_view_record.html", {"child": child, "form": form})


def _family_language(request: HttpRequest) -> str:
    """`?lang=` first (a worker can send a family the link in their language), then the
    browser's own preference."""
    offered = {code for code, _ in settings.LANGUAGES}
    asked = request.GET.get("lang", "")
    if asked in offered:
        return asked
    return translation.get_language_from_request(request)


@require_GET
def family_consent(request: HttpRequest) -> HttpResponse:
    language = _family_language(request)
    with translation.override(language):
        response = render(
            request,
            "consent/family_consent.html",
            {
                "language": language,
                "languages": [
                    {
                        "code": code,
                        "name": name,
                        "url": f"{reverse('consent:family_consent')}?lang={code}",
                        "current": code == language,
                    }
                    for code, name in settings.LANGUAGES
                ],
            },
        )
    response["Content-Language"] = language
    response.headers.setdefault("Vary", "Accept-Language, Cookie")
    return response
