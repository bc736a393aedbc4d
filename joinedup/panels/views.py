from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.panels import selectors, services
from joinedup.panels.forms import AgendaAddForm, AgendaRemoveForm, MeetingForm
from joinedup.referrals import selectors as referral_selectors


@require_GET
def panel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "panels/panel_list.html", {"panels": selectors.panels_for(viewer=request.user)}
    )


@require_GET
def panel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    panel = selectors.panel_for(viewer=request.user, slug=slug)
    return render(
        request,
        "panels/panel_detail.html",
        {
            "panel": panel,
            "coordinates": selectors.coordinates(viewer=request.user, panel_id=panel.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    panel = selectors.panel_for(viewer=request.user, slug=slug)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                actor=request.user,
                panel=panel,
                starts_at=form.starts_at(),
                location=form.cleaned_data["location"],
            )
        except services.PanelError as error:
            form.add_error("day" if error.field == "starts_at" else None, error.message)
        else:
            messages.success(request, "Meeting added. Put referred children's cases on its agenda.")
            return redirect("panels:meeting_detail", meeting_id=meeting.pk)
    return render(request, "panels/meeting_form.html", {"panel": panel, "form": form})


def _render_meeting(request: HttpRequest, meeting: Any) -> HttpResponse:
    items = list(meeting.items.all())
    return render(
        request,
        "panels/meeting_detail.html",
        {
            "meeting": meeting,
            "on_agenda": [item for item in items if item.removed_at is None],
            "taken_off": [item for item in items if item.removed_at is not None],
            "coordinates": selectors.coordinates(viewer=request.user, panel_id=meeting.panel_id),
        },
    )


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    meeting = selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
    return _render_meeting(request, meeting)


@require_http_methods(["GET", "POST"])
def agenda_add(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = referral_selectors.referral_for_coordinator(
        viewer=request.user, referral_id=referral_id, purpose="Preparing the panel's agenda"
    )
    meetings = selectors.future_meetings(panel_id=referral.panel_id)
    form = AgendaAddForm(request.POST if request.method == "POST" else None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        meeting = next(m for m in meetings if str(m.pk) == form.cleaned_data["meeting"])
        try:
            services.agenda_add(actor=request.user, meeting=meeting, referral=referral)
        except services.PanelError as error:
            form.add_error("meeting", error.message)
        else:
            messages.success(request, "The case is on the meeting's agenda.")
            return redirect("panels:meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "panels/agenda_add.html",
        {"referral": referral, "form": form, "meetings": meetings},
    )


@require_http_methods(["GET", "POST"])
def agenda_remove(request: HttpRequest, item_id: Any) -> HttpResponse:
    item = selectors.agenda_item_for(viewer=request.user, item_id=item_id)
    form = AgendaRemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_remove(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except services.PanelError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, "The case has come off the agenda.")
            return redirect("panels:meeting_detail", meeting_id=item.meeting_id)
    return render(request, "panels/agenda_remove.html", {"item": item, "form": form})
