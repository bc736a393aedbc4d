"""The pages where an organisation keeps its own directory entries (docs/directory-editing.md).
Any signed-in person may open them; which entries each may change is decided in
services.may_maintain, and anyone else's entry answers 403."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.directory import forms, selectors, services
from joinedup.directory.models import Provider, Service, ServiceStatus


def _service_path(service: Service) -> str:
    return reverse("directory:service", args=[service.pk])


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    entries = selectors.services_maintained_by(viewer=request.user)
    for service in entries.services:
        service.page_path = _service_path(service)  # type: ignore[attr-defined]
    return render(request, "directory/mine.html", {"entries": entries})


def _service_form_page(
    request: HttpRequest, provider: Provider, service: Service | None
) -> HttpResponse:
    rows = forms.funding_rows_for(service)
    initial = forms.initial_for(service) if service is not None else {"is_free": "yes"}
    if service is None:
        initial.setdefault("referral_route", "referral")
    form = forms.ServiceForm(request.POST or None, initial=initial, funding_rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            if service is None:
                saved = services.service_create(
                    actor=request.user, provider=provider, details=form.details()
                )
            else:
                saved = services.service_update(
                    actor=request.user,
                    service=service,
                    details=form.details(status=service.status),
                )
        except services.DirectoryError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved. Thank you for keeping it up to date.")
            return redirect("directory:mine")
    return render(
        request,
        "directory/edit_service.html",
        {"form": form, "provider": provider, "service": service},
    )


@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_to_maintain(viewer=request.user, provider_id=provider_id)
    return _service_form_page(request, provider, None)


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = selectors.service_to_maintain(viewer=request.user, service_id=service_id)
    return _service_form_page(request, service.provider, service)


@require_POST
def service_review(request: HttpRequest, service_id: str) -> HttpResponse:
    service = selectors.service_to_maintain(viewer=request.user, service_id=service_id)
    services.service_review(actor=request.user, service=service)
    messages.success(request, f"{service.name} marked as still correct. Thank you.")
    return redirect("directory:mine")


@require_http_methods(["GET", "POST"])
def service_close(request: HttpRequest, service_id: str) -> HttpResponse:
    service = selectors.service_to_maintain(viewer=request.user, service_id=service_id)
    if request.method == "POST" and request.POST.get("reopen"):
        if service.status != ServiceStatus.ACTIVE:
            services.service_reopen(actor=request.user, service=service)
            messages.success(request, f"{service.name} is shown as running again.")
        return redirect("directory:mine")
    initial = {"status": service.status, "alert": service.alert}
    form = forms.CloseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_close(
                actor=request.user,
                service=service,
                status=form.cleaned_data["status"],
                alert=form.cleaned_data["alert"],
            )
        except services.DirectoryError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{service.name} is shown as closed.")
            return redirect("directory:mine")
    return render(
        request,
        "directory/edit_close.html",
        {"form": form, "service": service, "is_closed": service.status != ServiceStatus.ACTIVE},
    )


@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_to_maintain(viewer=request.user, provider_id=provider_id)
    initial = {
        "name": provider.name,
        "description": provider.description,
        "email": provider.email,
        "website": provider.website,
    }
    form = forms.ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.provider_update(
                actor=request.user, provider=provider, **form.cleaned_data
            )
        except services.DirectoryError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("directory:mine")
    return render(request, "directory/edit_provider.html", {"form": form, "provider": provider})
