"""The funding pages (docs/funding.md). Reading: system administrators, strategic managers and
panel coordinators; changing: system administrators and strategic managers."""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.core.spreadsheets import safe_cell
from joinedup.directory.models import Service
from joinedup.funding import selectors, services
from joinedup.funding.forms import (
    FunderForm,
    PostAttachForm,
    ServiceAttachForm,
    StreamEndForm,
    StreamFilterForm,
    StreamForm,
    TimelineForm,
)
from joinedup.funding.models import Funder, FundingStream, Post
from joinedup.plans import selectors as plan_selectors

SEARCH_MAX = 100


def _stream(stream_id: Any) -> FundingStream:
    return get_object_or_404(FundingStream.objects.select_related("funder"), pk=stream_id)


@require_GET
def stream_list(request: HttpRequest) -> HttpResponse:
    form = StreamFilterForm(request.GET)
    streams = None
    if form.is_valid():
        data = form.cleaned_data
        streams = selectors.stream_list(
            viewer=request.user,
            funder=data["funder"],
            locality=data["locality"],
            months=data["months"],
            query=data["q"],
        )
    return render(
        request,
        "funding/stream_list.html",
        {
            "form": form,
            "streams": streams,
            "filtered": any(request.GET.get(k) for k in ("q", "funder", "locality", "months")),
            "may_manage": services.may_manage(request.user),
        },
    )


@require_GET
def stream_detail(request: HttpRequest, stream_id: Any) -> HttpResponse:
    entry = selectors.stream_detail(viewer=request.user, stream_id=stream_id)
    removed_service = removed_post = None
    if services.may_manage(request.user):
        removed_service = plan_selectors.directory_services_by_id(
            [request.GET.get("removed_service")]
        )
        removed_post = Post.objects.filter(pk__in=_ids(request.GET.get("removed_post"))).first()
    return render(
        request,
        "funding/stream_detail.html",
        {
            "entry": entry,
            "stream": entry.stream,
            "may_manage": services.may_manage(request.user),
            "removed_service": removed_service[0] if removed_service else None,
            "removed_post": removed_post,
        },
    )


def _ids(value: Any) -> list[Any]:
    """`value` as a list of one id when it is a UUID, else empty (a hand-typed address)."""
    try:
        return [uuid.UUID(str(value))]
    except ValueError:
        return []


# Funders.


@require_GET
def funder_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/funder_list.html",
        {"funders": selectors.funders(), "may_manage": services.may_manage(request.user)},
    )


def _funder_page(request: HttpRequest, funder: Funder | None) -> HttpResponse:
    initial = {}
    if funder is not None:
        initial = {"name": funder.name, "kind": funder.kind, "organisation": funder.organisation}
    form = FunderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if funder is None:
                saved = services.funder_create(actor=request.user, **form.cleaned_data)
            else:
                saved = services.funder_update(
                    actor=request.user, funder=funder, **form.cleaned_data
                )
        except services.FundingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("funding:funder_list")
    return render(request, "funding/funder_form.html", {"form": form, "funder": funder})


@require_http_methods(["GET", "POST"])
def funder_create(request: HttpRequest) -> HttpResponse:
    return _funder_page(request, None)


@require_http_methods(["GET", "POST"])
def funder_edit(request: HttpRequest, funder_id: Any) -> HttpResponse:
    return _funder_page(request, get_object_or_404(Funder, pk=funder_id))


# Streams.


def _stream_page(request: HttpRequest, stream: FundingStream | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if stream is not None:
        initial = {
            "funder": stream.funder,
            "name": stream.name,
            "purpose": stream.purpose,
            "amount": stream.amount,
            "starts_on": stream.starts_on,
            "ends_on": stream.ends_on,
            "locality": stream.locality,
            "is_renewable": stream.is_renewable,
            "renewal_decision_on": stream.renewal_decision_on,
            "notes": stream.notes,
        }
    elif request.GET.get("funder"):
        initial = {"funder": Funder.objects.filter(pk__in=_ids(request.GET["funder"])).first()}
    form = StreamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if stream is None:
                saved = services.stream_create(actor=request.user, **form.cleaned_data)
            else:
                saved = services.stream_update(
                    actor=request.user, stream=stream, **form.cleaned_data
                )
        except services.FundingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("funding:stream_detail", stream_id=saved.pk)
    return render(request, "funding/stream_form.html", {"form": form, "stream": stream})


@require_http_methods(["GET", "POST"])
def stream_create(request: HttpRequest) -> HttpResponse:
    return _stream_page(request, None)


@require_http_methods(["GET", "POST"])
def stream_edit(request: HttpRequest, stream_id: Any) -> HttpResponse:
    return _stream_page(request, _stream(stream_id))


@require_http_methods(["GET", "POST"])
def stream_end(request: HttpRequest, stream_id: Any) -> HttpResponse:
    stream = _stream(stream_id)
    form = StreamEndForm(request.POST or None, initial={"ends_on": stream.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.stream_end(actor=request.user, stream=stream, **form.cleaned_data)
        except services.FundingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{stream.name} now ends on {stream.ends_on:%-d %B %Y}.")
            return redirect("funding:stream_detail", stream_id=stream.pk)
    return render(request, "funding/stream_end.html", {"form": form, "stream": stream})


# What a stream pays for.


@require_http_methods(["GET", "POST"])
def service_attach(request: HttpRequest, stream_id: Any) -> HttpResponse:
    """Search the directory (the search stays in the address, so it survives a refused save),
    then choose one of the services found."""
    stream = _stream(stream_id)
    query = " ".join((request.GET.get("q") or "").split())[:SEARCH_MAX]
    results = plan_selectors.directory_services_matching(query) if query else []
    shown = {service.pk for service in results}
    chosen = plan_selectors.directory_services_by_id([request.POST.get("service")])
    offered = [*(s for s in chosen if s.pk not in shown), *results]
    form = ServiceAttachForm(request.POST or None, services=offered)
    if request.method == "POST" and form.is_valid():
        service = form.cleaned_data["service"]
        try:
            services.service_attach(
                actor=request.user,
                stream=stream,
                service=service,
                amount=form.cleaned_data["amount"],
            )
        except services.FundingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{service.name} is funded by {stream.name}.")
            return redirect("funding:stream_detail", stream_id=stream.pk)
    return render(
        request,
        "funding/service_attach.html",
        {"form": form, "stream": stream, "query": query, "results": results},
    )


@require_POST
def service_detach(request: HttpRequest, stream_id: Any, service_id: Any) -> HttpResponse:
    stream = _stream(stream_id)
    service = get_object_or_404(Service, pk=service_id)
    try:
        services.service_detach(actor=request.user, stream=stream, service=service)
    except services.FundingError as error:
        messages.error(request, error.message)
        return redirect("funding:stream_detail", stream_id=stream.pk)
    response = redirect("funding:stream_detail", stream_id=stream.pk)
    response["Location"] += f"?removed_service={service.pk}"
    return response


@require_http_methods(["GET", "POST"])
def post_attach(request: HttpRequest, stream_id: Any) -> HttpResponse:
    stream = _stream(stream_id)
    form = PostAttachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.post_attach(actor=request.user, stream=stream, **form.cleaned_data)
        except services.FundingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{link.post} is funded by {stream.name}.")
            return redirect("funding:stream_detail", stream_id=stream.pk)
    return render(request, "funding/post_attach.html", {"form": form, "stream": stream})


@require_POST
def post_detach(request: HttpRequest, stream_id: Any, post_id: Any) -> HttpResponse:
    stream = _stream(stream_id)
    post = get_object_or_404(Post, pk=post_id)
    try:
        services.post_detach(actor=request.user, stream=stream, post=post)
    except services.FundingError as error:
        messages.error(request, error.message)
        return redirect("funding:stream_detail", stream_id=stream.pk)
    response = redirect("funding:stream_detail", stream_id=stream.pk)
    response["Location"] += f"?removed_post={post.pk}"
    return response


# Funding ending.


@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    form = TimelineForm(request.GET)
    found = None
    if form.is_valid():
        found = selectors.funding_timeline(viewer=request.user, months=form.cleaned_data["months"])
    return render(request, "funding/timeline.html", {"form": form, "timeline": found})


@require_GET
def timeline_csv(request: HttpRequest) -> HttpResponse:
    """The timeline as a spreadsheet: one row per service or post each stream pays for (one
    row for a stream that pays for neither), counts of children as the page shows them."""
    form = TimelineForm(request.GET)
    if not form.is_valid():
        return render(request, "funding/timeline.html", {"form": form, "timeline": None})
    found = selectors.funding_timeline(viewer=request.user, months=form.cleaned_data["months"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="funding-ending.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Quarter",
            "Funder",
            "Stream",
            "Amount (GBP)",
            "Starts on",
            "Ends on",
            "Locality",
            "Funds",
            "Service or post",
            "Provider or employer",
            "Amount for it (GBP)",
            "Children in open plans using the service",
        ]
    )
    for quarter in found.quarters:
        for entry in quarter.entries:
            stream = entry.stream
            start = [
                quarter.label,
                stream.funder.name,
                stream.name,
                stream.amount,
                stream.starts_on,
                stream.ends_on,
                stream.locality.name if stream.locality else "The whole city",
            ]
            rows = [
                [
                    "Service",
                    line.link.service.name,
                    line.link.service.provider.name,
                    line.link.amount,
                    line.children.text,
                ]
                for line in entry.services
            ] + [
                ["Post", str(link.post), link.post.organisation.name, link.share, ""]
                for link in entry.posts
            ]
            for row in rows or [["Nothing recorded", "", "", "", ""]]:
                writer.writerow([safe_cell(cell) for cell in start + row])
    return response
