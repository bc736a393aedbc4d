"""Information governance pages: retention periods and runs, subject access requests, and a
child's rectifications and restrictions."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.core.forms import add_domain_error
from joinedup.records import sar, selectors, services
from joinedup.records.forms import (
    MemberRectificationForm,
    RectificationForm,
    RestrictionForm,
    RestrictionLiftForm,
    RetentionPeriodForm,
    RightsFindForm,
    SarCloseForm,
    SarCreateForm,
    SarRedactionForm,
    SarReleaseForm,
)
from joinedup.records.models import RecordType, SarStatus
from joinedup.records.restrictions import live_restriction

PAPER_STYLESHEETS = ("core/paper.css", "records/sar-print.css")


def _no_store(response: HttpResponse) -> HttpResponse:
    # An export holds everything about a child: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "records/retention.html",
        {"periods": selectors.retention_periods(viewer=request.user)},
    )


@require_http_methods(["GET", "POST"])
def retention_edit(request: HttpRequest, record_type: str) -> HttpResponse:
    period = selectors.retention_period(viewer=request.user, record_type=record_type)
    initial = {"months": period.months, "until_age": period.until_age}
    form = RetentionPeriodForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_period_change(
                actor=request.user,
                record_type=period.record_type,
                months=form.cleaned_data["months"],
                until_age=form.cleaned_data["until_age"],
                reason=form.cleaned_data["reason"],
            )
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{RecordType(period.record_type).label}: period changed")
            return redirect("records:retention")
    return render(request, "records/retention_edit.html", {"period": period, "form": form})


@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    return render(request, "records/runs.html", {"runs": selectors.runs(viewer=request.user)})


@require_GET
def run_detail(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = selectors.run_detail(viewer=request.user, run_id=run_id)
    labels = dict(RecordType.choices)
    counts = [(labels.get(key, key), count) for key, count in run.report.get("counts", {}).items()]
    return render(
        request,
        "records/run_detail.html",
        {"run": run, "counts": counts, "labels": labels},
    )


@require_GET
def sar_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "records/sar_list.html", {"requests": selectors.sar_list(viewer=request.user)}
    )


@require_http_methods(["GET", "POST"])
def sar_create(request: HttpRequest) -> HttpResponse:
    form = SarCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        details = services.SarDetails(**form.cleaned_data)
        try:
            created = services.sar_create(actor=request.user, details=details)
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Subject access request recorded: due {created.due_on:%d %B %Y}"
            )
            return redirect("records:sar_detail", sar_id=created.pk)
    return render(request, "records/sar_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sar_detail(request: HttpRequest, sar_id: Any) -> HttpResponse:
    access_request = selectors.sar_detail(viewer=request.user, sar_id=sar_id)
    parties = sar.third_parties(access_request.child)
    names = sorted({party["name"] for party in parties} | set(access_request.redacted_names))
    form = SarRedactionForm(
        request.POST if request.method == "POST" else None,
        names=names,
        initial={"names": access_request.redacted_names},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sar_redactions_set(
                actor=request.user,
                request=access_request,
                names=form.cleaned_data["names"],
                reason=form.cleaned_data["reason"],
            )
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Redactions saved: the PDF and JSON now leave those names out"
            )
            return redirect("records:sar_detail", sar_id=access_request.pk)
    return render(
        request,
        "records/sar_detail.html",
        {
            "access_request": access_request,
            "parties": parties,
            "form": form,
            "sections": sar.SECTIONS,
        },
    )


@require_http_methods(["GET", "POST"])
def sar_release(request: HttpRequest, sar_id: Any) -> HttpResponse:
    access_request = selectors.sar_detail(viewer=request.user, sar_id=sar_id)
    form = SarReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sar_release(
                actor=request.user,
                request=access_request,
                release=services.SarRelease(**form.cleaned_data),
            )
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Recorded: the copy was released")
            return redirect("records:sar_detail", sar_id=access_request.pk)
    return render(
        request, "records/sar_release.html", {"access_request": access_request, "form": form}
    )


@require_http_methods(["GET", "POST"])
def sar_close(request: HttpRequest, sar_id: Any) -> HttpResponse:
    access_request = selectors.sar_detail(viewer=request.user, sar_id=sar_id)
    form = SarCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == SarStatus.REFUSED:
                services.sar_refuse(
                    actor=request.user,
                    request=access_request,
                    refused_on=data["closed_on"],
                    reason=data["reason"],
                )
            else:
                services.sar_withdraw(
                    actor=request.user,
                    request=access_request,
                    withdrawn_on=data["closed_on"],
                    reason=data["reason"],
                )
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Recorded: the request is closed")
            return redirect("records:sar_detail", sar_id=access_request.pk)
    return render(
        request, "records/sar_close.html", {"access_request": access_request, "form": form}
    )


def render_sar_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    flagged = [party["name"] for party in data["third_parties"]]
    html = render_to_string(
        "records/sar_print.html", {"data": data, "flagged": flagged, "sections": sar.SECTIONS}
    )
    sheets = [CSS(filename=path) for name in PAPER_STYLESHEETS if (path := finders.find(name))]
    return bytes(HTML(string=html).write_pdf(stylesheets=sheets))


@require_GET
def sar_pdf(request: HttpRequest, sar_id: Any) -> HttpResponse:
    access_request = selectors.sar_detail(viewer=request.user, sar_id=sar_id)
    data = services.sar_export(actor=request.user, request=access_request, file_format="pdf")
    response = HttpResponse(render_sar_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{access_request.short_id}.pdf"'
    )
    return _no_store(response)


@require_GET
def sar_json(request: HttpRequest, sar_id: Any) -> HttpResponse:
    access_request = selectors.sar_detail(viewer=request.user, sar_id=sar_id)
    data = services.sar_export(actor=request.user, request=access_request, file_format="json")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{access_request.short_id}.json"'
    )
    return _no_store(response)


@require_GET
def rights_find(request: HttpRequest) -> HttpResponse:
    form = RightsFindForm(request.GET or None)
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper()
        if selectors.child_exists(viewer=request.user, reference=reference):
            return redirect("records:child_rights", reference=reference)
        form.add_error("reference", "No child has this JoinedUp reference: check it")
    return render(request, "records/rights_find.html", {"form": form})


@require_GET
def child_rights(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.child_rights(viewer=request.user, reference=reference)
    return render(
        request,
        "records/child_rights.html",
        {"child": child, "restriction": live_restriction(child)},
    )


@require_http_methods(["GET", "POST"])
def rectification_add(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.child_rights(viewer=request.user, reference=reference)
    form = RectificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_record(
                actor=request.user,
                child=child,
                details=services.RectificationDetails(**form.cleaned_data),
            )
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The correction is made and recorded")
            return redirect("records:child_rights", reference=child.reference)
    return render(request, "records/rectification_add.html", {"child": child, "form": form})


@require_http_methods(["GET", "POST"])
def restriction_add(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.child_rights(viewer=request.user, reference=reference)
    form = RestrictionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.restriction_start(actor=request.user, child=child, **form.cleaned_data)
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Processing is restricted")
            return redirect("records:child_rights", reference=child.reference)
    return render(
        request,
        "records/restriction_form.html",
        {"child": child, "form": form, "restriction": live_restriction(child), "lifting": False},
    )


@require_http_methods(["GET", "POST"])
def restriction_lift(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.child_rights(viewer=request.user, reference=reference)
    form = RestrictionLiftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.restriction_lift(
                actor=request.user, child=child, reason=form.cleaned_data["reason"]
            )
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The restriction is lifted")
            return redirect("records:child_rights", reference=child.reference)
    return render(
        request,
        "records/restriction_form.html",
        {"child": child, "form": form, "restriction": live_restriction(child), "lifting": True},
    )


def _member_choices(child: Any) -> list[tuple[Any, str]]:
    """Household members in words that do not name them: relationship, parental responsibility
    and, where two read the same, the day each was added."""
    members = list(child.household.all())

    def words(member: Any) -> str:
        text = member.get_relationship_display()
        if member.has_parental_responsibility:
            text += ", with parental responsibility"
        return text

    counts: dict[str, int] = {}
    for member in members:
        counts[words(member)] = counts.get(words(member), 0) + 1
    return [
        (
            member,
            words(member)
            if counts[words(member)] == 1
            else f"{words(member)}, added {member.created_at:%d %B %Y %H:%M}",
        )
        for member in members
    ]


@require_http_methods(["GET", "POST"])
def member_rectification_add(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.child_rights(viewer=request.user, reference=reference)
    members = _member_choices(child)
    form = MemberRectificationForm(
        request.POST if request.method == "POST" else None, members=members
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = next(m for m, _ in members if str(m.pk) == data["member"])
        try:
            services.member_rectification_record(
                actor=request.user,
                member=member,
                details=services.RectificationDetails(
                    field=data["field"],
                    new_value=data["new_value"],
                    requested_by=data["requested_by"],
                    reason=data["reason"],
                ),
            )
        except services.RecordsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The household member's details are corrected and recorded")
            return redirect("records:child_rights", reference=child.reference)
    return render(
        request,
        "records/member_rectification_add.html",
        {"child": child, "form": form, "has_household": bool(members)},
    )
