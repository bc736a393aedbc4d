from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.core.forms import add_domain_error
from joinedup.panels import meeting_views, selectors, services
from joinedup.panels import pipeline as pipeline_stages
from joinedup.panels.forms import (
    AgendaAddForm,
    AgendaRemoveForm,
    CriterionForm,
    MeetingForm,
    MemberAddForm,
    MemberEndForm,
    TermsForm,
)
from joinedup.referrals import selectors as referral_selectors


@require_GET
def panel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "panels/panel_list.html",
        {
            "panels": selectors.panels_for(viewer=request.user),
            "coordinates_a_panel": selectors.coordinates_any(viewer=request.user),
        },
    )


@require_GET
def panel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
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
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
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
    on_agenda = [item for item in items if item.removed_at is None]
    return render(
        request,
        "panels/meeting_detail.html",
        {
            "meeting": meeting,
            "on_agenda": on_agenda,
            "taken_off": [item for item in items if item.removed_at is not None],
            "coordinates": selectors.coordinates(viewer=request.user, panel_id=meeting.panel_id),
            **meeting_views.conduct_context(request, meeting, on_agenda),
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


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
    organisations = selectors.organisations_to_represent()
    form = MemberAddForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        members=panel.current_members,
        criteria=panel.adopted_criteria,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = selectors.person_to_seat(email=data["email"])
        if found is None:
            form.add_error(
                "email",
                "Nobody in JoinedUp has this email address: check it, or ask "
                "an administrator of their organisation to invite them",
            )
        else:
            user, works_for = found
            chosen = next((o for o in organisations if str(o.pk) == data["organisation"]), None)
            if chosen is None and len(works_for) == 1:
                chosen = works_for[0]
            if chosen is None:
                form.add_error(
                    "organisation",
                    "Select the organisation they represent: they work for "
                    + (", ".join(o.name for o in works_for) or "no organisation in JoinedUp"),
                )
            else:
                deputy_for = next(
                    (m for m in panel.current_members if str(m.pk) == data["deputy_for"]), None
                )
                try:
                    services.member_add(
                        actor=request.user,
                        panel=panel,
                        seat=services.SeatDetails(
                            user=user,
                            organisation=chosen,
                            role=data["role"],
                            has_delegated_authority=data["has_delegated_authority"] == "yes",
                            deputy_for=deputy_for,
                            started_on=data["started_on"],
                            criteria_met=form.criteria_met(),
                        ),
                    )
                except services.PanelError as error:
                    add_domain_error(form, error)
                else:
                    messages.success(request, f"{user.display_name} now sits on the panel.")
                    return redirect("panels:panel_detail", slug=panel.slug)
    return render(request, "panels/member_add.html", {"panel": panel, "form": form})


@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, seat_id: Any) -> HttpResponse:
    seat = selectors.seat_for(viewer=request.user, seat_id=seat_id)
    form = MemberEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                actor=request.user,
                member=seat,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except services.PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{seat.user.display_name}'s seat ends as recorded.")
            return redirect("panels:panel_detail", slug=seat.panel.slug)
    return render(request, "panels/member_end.html", {"seat": seat, "form": form})


@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
    form = CriterionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_add(actor=request.user, panel=panel, text=form.cleaned_data["text"])
        except services.PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Criterion added. It is checked for everyone added from now on."
            )
            return redirect("panels:criteria", slug=panel.slug)
    return render(
        request,
        "panels/criteria.html",
        {
            "panel": panel,
            "form": form,
            "coordinates": selectors.coordinates(viewer=request.user, panel_id=panel.pk),
        },
    )


@require_http_methods(["POST"])
def criterion_retire(request: HttpRequest, criterion_id: Any) -> HttpResponse:
    criterion = selectors.criterion_for(viewer=request.user, criterion_id=criterion_id)
    try:
        services.criterion_retire(actor=request.user, criterion=criterion)
    except services.PanelError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"No longer a criterion: {criterion.text}")
    return redirect("panels:criteria", slug=criterion.panel.slug)


@require_GET
def terms(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
    return render(
        request,
        "panels/terms.html",
        {
            "panel": panel,
            "current": panel.all_terms[0] if panel.all_terms else None,
            "coordinates": selectors.coordinates(viewer=request.user, panel_id=panel.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def terms_adopt(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
    current = panel.all_terms[0] if panel.all_terms else None
    form = TermsForm(
        request.POST if request.method == "POST" else None,
        initial={"text": current.text} if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            adopted = services.terms_adopt(
                actor=request.user,
                panel=panel,
                text=form.cleaned_data["text"],
                adopted_on=form.cleaned_data["adopted_on"],
                change_summary=form.cleaned_data["change_summary"],
            )
        except services.PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Terms of reference version {adopted.version} recorded.")
            return redirect("panels:terms", slug=panel.slug)
    return render(
        request, "panels/terms_form.html", {"panel": panel, "form": form, "current": current}
    )


@require_GET
def pipeline(request: HttpRequest) -> HttpResponse:
    """Every case of the panels the coordinator coordinates, from referral to closure."""
    stage = request.GET.get("stage", "all")
    if stage not in pipeline_stages.FILTERS:
        stage = "all"
    cases = selectors.pipeline_page(
        viewer=request.user, stage=stage, page=request.GET.get("page") or 1
    )
    counts = cases.counts
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "panels/pipeline.html",
        {
            "stage": stage,
            "stage_label": pipeline_stages.FILTERS[stage],
            "filters": [
                (name, label, counts[name]) for name, label in pipeline_stages.FILTERS.items()
            ],
            "counts": counts,
            "cases": cases,
            "page": cases.page,
            "query": query.urlencode(),
            # Only an empty pipeline needs to say why it is empty.
            "coordinates_a_panel": bool(counts["all"])
            or selectors.coordinates_any(viewer=request.user),
        },
    )
