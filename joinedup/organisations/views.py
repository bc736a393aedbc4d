from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.accounts.selectors import organisation_people
from joinedup.core.paging import paginate
from joinedup.organisations import forms, selectors, services
from joinedup.organisations.models import Locality, Organisation

PAGE_SIZE = 25


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "organisations/organisation_list.html", {"form": form})
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
    organisations = selectors.organisation_search(viewer=request.user, **filters)
    page, query = paginate(request, organisations, PAGE_SIZE)
    return render(
        request,
        "organisations/organisation_list.html",
        {"form": form, "page": page, "query": query},
    )


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_detail(viewer=request.user, slug=slug)
    people = organisation_people(viewer=request.user, organisation=organisation)
    return render(
        request,
        "organisations/organisation_detail.html",
        {"organisation": organisation, "people": people},
    )


def _organisation_form_page(
    request: HttpRequest, organisation: Organisation | None
) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True}
    if organisation is not None:
        initial = {
            "name": organisation.name,
            "kind": organisation.kind,
            "description": organisation.description,
            "localities": list(organisation.localities.all()),
            "website": organisation.website,
            "email": organisation.email,
            "telephone": organisation.telephone,
            "is_active": organisation.is_active,
        }
    form = forms.OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_save(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except services.OrganisationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("organisations:organisation_detail", slug=saved.slug)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form_page(request, None)


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _organisation_form_page(
        request, selectors.organisation_detail(viewer=request.user, slug=slug)
    )


@require_GET
def locality_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/locality_list.html",
        {
            "localities": selectors.locality_list(viewer=request.user),
            "city_wide": selectors.city_wide_organisations(viewer=request.user),
        },
    )


@require_GET
def locality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request,
        "organisations/locality_detail.html",
        {"locality": selectors.locality_detail(viewer=request.user, slug=slug)},
    )


def _locality_form_page(request: HttpRequest, locality: Locality | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if locality is not None:
        initial = {
            "name": locality.name,
            "description": locality.description,
            "postcode_districts": ", ".join(locality.postcode_districts),
            "wards": ", ".join(locality.wards),
        }
    form = forms.LocalityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.locality_save(
                actor=request.user, locality=locality, **form.cleaned_data
            )
        except services.OrganisationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("organisations:locality_detail", slug=saved.slug)
    return render(request, "organisations/locality_form.html", {"form": form, "locality": locality})


@require_http_methods(["GET", "POST"])
def locality_create(request: HttpRequest) -> HttpResponse:
    return _locality_form_page(request, None)


@require_http_methods(["GET", "POST"])
def locality_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _locality_form_page(request, selectors.locality_detail(viewer=request.user, slug=slug))
