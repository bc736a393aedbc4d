"""The meeting reflections' pages (docs/reflections.md)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.core.forms import add_domain_error
from joinedup.reports import reflection_selectors, reflection_services
from joinedup.reports.reflection_forms import PulseForm
from joinedup.reviews import confidential


@require_http_methods(["GET", "POST"])
def pulse_give(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    page = reflection_selectors.pulse_page(viewer=request.user, meeting_id=meeting_id)
    if request.method == "POST" and not page.attended:
        raise PermissionDenied("Only the people who attended the meeting give its pulse")
    form = PulseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reflection_services.pulse_give(
                actor=request.user, meeting=page.meeting, **form.cleaned_data
            )
        except reflection_services.PulseError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your answers are saved, without your name. Thank you.")
            return redirect("reports:reflections_panel", slug=page.meeting.panel.slug)
    return render(
        request,
        "reports/pulse_give.html",
        {
            "page": page,
            "form": form,
            "may_give": page.may_give or bool(form.errors),
            "min_answers": confidential.min_answers(),
            "days": reflection_services.PULSE_DAYS,
        },
    )


@require_GET
def reflections_home(request: HttpRequest) -> HttpResponse:
    panels = reflection_selectors.reflection_panels(viewer=request.user)
    return render(request, "reports/reflections_home.html", {"panels": panels})


@require_GET
def reflections_panel(request: HttpRequest, slug: str) -> HttpResponse:
    found = reflection_selectors.panel_reflections(viewer=request.user, slug=slug)
    return render(
        request,
        "reports/reflections_panel.html",
        {"found": found, "days": reflection_services.PULSE_DAYS},
    )
