"""Search and the service page: open to everyone, signed in or not, because families use the
directory too. Nothing here is about a child."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.forms import GovukForm, add_domain_error
from joinedup.core.navigation import directory_links_for
from joinedup.core.rate_limits import DIRECTORY_SEARCH, rate_limited
from joinedup.directory.models import (
    AGE_RANGE,
    ReferralRoute,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from joinedup.directory.search import (
    SearchCriteria,
    SearchResults,
    schedule_words,
    service_search,
)
from joinedup.directory.search_index import directory_index
from joinedup.organisations.models import Locality

DISTANCES = [("1", "Within 1 mile")] + [(m, f"Within {m} miles") for m in ("2", "3", "5", "10")]


class DirectorySearchForm(GovukForm):
    q = forms.CharField(
        label="Search words",
        required=False,
        max_length=200,
        help_text="For example, mentoring, football or the name of a group",
    )
    need = forms.ChoiceField(label="What kind of help", required=False)
    age = forms.IntegerField(
        label="Age",
        required=False,
        min_value=AGE_RANGE[0],
        max_value=AGE_RANGE[1],
        help_text="The age of the child or young person the support is for, from 0 to 25",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text="A full postcode, like BS5 0HE, or the first half, like BS5",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    distance = forms.ChoiceField(
        label="Distance from the postcode",
        required=False,
        choices=(("", "Any distance"), *DISTANCES),
    )
    locality = forms.ChoiceField(label="Area of the city", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    route = forms.ChoiceField(
        label="How to get support",
        required=False,
        choices=(("", "Any way"), *ReferralRoute.choices),
    )
    free = forms.BooleanField(label="Free services only", required=False)
    open_now = forms.BooleanField(label="Open now", required=False)

    default_error_messages_by_field = {
        "age": {
            "invalid": "Age must be a number, like 12",
            "min_value": "Age must be between 0 and 25",
            "max_value": "Age must be between 0 and 25",
        },
        "need": {"invalid_choice": "Select a kind of help from the list"},
        "distance": {"invalid_choice": "Select a distance from the list"},
        "locality": {"invalid_choice": "Select an area of the city from the list"},
        "language": {"invalid_choice": "Select a language from the list"},
        "route": {"invalid_choice": "Select how to get support from the list"},
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = search_choices()
        fields: Any = self.fields
        fields["need"].choices = [("", "Any kind of help"), *choices["needs"]]
        fields["locality"].choices = [("", "Anywhere in the city"), *choices["localities"]]
        fields["language"].choices = [("", "Any language"), *choices["languages"]]
        self._locality_ids = {slug: pk for slug, _, pk in choices["locality_rows"]}

    def clean_postcode(self) -> str:
        text = self.cleaned_data.get("postcode") or ""
        if not text.strip():
            return ""
        from joinedup.directory.postcodes import normalise_postcode

        try:
            return normalise_postcode(text)
        except FieldError as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("distance")
            and not cleaned.get("postcode")
            and "postcode" not in self.errors
        ):
            self.add_error("postcode", "Enter a postcode to search by distance")
        return cleaned

    def criteria(self, page: int) -> SearchCriteria:
        data = self.cleaned_data
        locality = self._locality_ids.get(data.get("locality") or "")
        return SearchCriteria(
            words=data.get("q") or "",
            need=uuid.UUID(data["need"]) if data.get("need") else None,
            age=data.get("age"),
            locality=locality,
            postcode=data.get("postcode") or "",
            distance=float(data["distance"]) if data.get("distance") else None,
            language=data.get("language") or "",
            free_only=bool(data.get("free")),
            open_now=bool(data.get("open_now")),
            referral_route=data.get("route") or "",
            page=page,
        )

    def is_empty(self) -> bool:
        return not any(self.cleaned_data.values())


@audit.audit_exempt(reason="The search form's lists: needs, areas and languages, no people.")
def search_choices() -> dict[str, list[Any]]:
    localities = list(Locality.objects.values_list("slug", "name", "pk"))
    return {
        "locality_rows": localities,
        "needs": [(str(pk), name) for pk, name in TaxonomyTerm.objects.values_list("pk", "name")],
        "localities": [(slug, name) for slug, name, _ in localities],
        "languages": [(name, name) for name in directory_index().languages],
    }


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    return int(text) if text.isdigit() and 0 < len(text) < 6 and int(text) > 0 else 1


@require_GET
@rate_limited(DIRECTORY_SEARCH, counts=lambda request: bool(request.GET))
def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    results: SearchResults | None = None
    if not form.is_bound:
        results = service_search(SearchCriteria())
    elif form.is_valid():
        try:
            results = service_search(form.criteria(_page_number(request)))
        except FieldError as error:
            add_domain_error(form, error)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": results,
            "query": query.urlencode(),
            "filtered": form.is_bound and bool(form.is_valid()) and not form.is_empty(),
            "route_labels": dict(ReferralRoute.choices),
            "directory_links": directory_links_for(request.user),
        },
    )


@audit.audit_exempt(reason="A directory entry describes a service, not a person.")
def service_detail(*, service_id: uuid.UUID) -> Service:
    try:
        return (
            Service.objects.select_related("provider")
            .prefetch_related(
                "terms",
                "languages",
                "cost_options",
                "contacts",
                "service_areas__locality",
                "schedules",
                _places(),
            )
            .get(pk=service_id)
        )
    except Service.DoesNotExist as error:
        raise Http404("No such service") from error


def _places() -> Any:
    from django.db.models import Prefetch

    return Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
            Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at"))
        ),
    )


@require_GET
def service_page(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = service_detail(service_id=service_id)
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "running": service.status == ServiceStatus.ACTIVE,
            "opening_times": [schedule_words(s) for s in service.schedules.all()],
            "places": [
                (place, [schedule_words(s) for s in place.schedules.all()])
                for place in service.service_at_locations.all()
            ],
            "languages": sorted({language.name for language in service.languages.all()}),
        },
    )
