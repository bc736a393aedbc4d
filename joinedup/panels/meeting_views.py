"""Pages for the meeting itself: attendance, declarations, decisions, minutes, and the panel's
quorum and prioritisation rules. Thin: parse, call the service, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.panels import conduct, minutes, selectors
from joinedup.panels.meeting_forms import (
    WHOLE_MEETING,
    AttendanceForm,
    DecisionForm,
    DeclarationForm,
    MinutesApproveForm,
    MinutesEditForm,
    PrioritisationForm,
    QuorumForm,
)
from joinedup.panels.models import DecisionOutcome
from joinedup.panels.services import PanelError
from joinedup.plans import selectors as plan_selectors


def conduct_context(request: HttpRequest, meeting: Any, items: list[Any]) -> dict[str, Any]:
    """What the meeting page shows of the meeting itself, in a fixed number of queries."""
    state = selectors.meeting_conduct(viewer=request.user, meeting=meeting)
    decisions = {d.item_id: d for d in selectors.current_decisions(meeting=meeting)}
    for item in items:
        item.current_decision = decisions.get(item.pk)
        item.interests = state.interests_by_item.get(item.pk, [])
    return {"conduct": state}


@require_http_methods(["GET", "POST"])
def attendance_record(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    meeting = selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
    state = selectors.meeting_conduct(viewer=request.user, meeting=meeting)
    form = AttendanceForm(request.POST if request.method == "POST" else None, seats=state.seats)
    if request.method == "POST" and form.is_valid():
        try:
            conduct.attendance_record(
                actor=request.user,
                meeting=meeting,
                entries={
                    seat: conduct.AttendanceEntry(status=status, deputy=deputy)
                    for seat, status, deputy in form.entries()
                },
            )
        except PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Attendance recorded.")
            return redirect("panels:meeting_detail", meeting_id=meeting.pk)
    return render(
        request, "panels/attendance_form.html", {"meeting": meeting, "form": form, "conduct": state}
    )


@require_http_methods(["GET", "POST"])
def declaration_add(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    meeting = selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
    state = selectors.meeting_conduct(viewer=request.user, meeting=meeting)
    everyone = [row.seat for row in state.seats] + [
        deputy for row in state.seats for deputy in row.deputies
    ]
    members = (
        everyone if state.coordinates else [s for s in everyone if s.user_id == request.user.pk]
    )
    items = [item for item in meeting.items.all() if item.removed_at is None]
    form = DeclarationForm(
        request.POST if request.method == "POST" else None, members=members, items=items
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = next(s for s in members if str(s.pk) == data["member"])
        item = next((i for i in items if str(i.pk) == data["item"]), None)
        try:
            if item is None and data["item"] != WHOLE_MEETING:
                raise PanelError("Choose a case on this meeting's agenda", field="item")
            conduct.declaration_record(
                actor=request.user,
                meeting=meeting,
                member=member,
                item=item,
                interest=data["interest"],
            )
        except PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Declaration of interest recorded.")
            return redirect("panels:meeting_detail", meeting_id=meeting.pk)
    return render(request, "panels/declaration_form.html", {"meeting": meeting, "form": form})


@require_http_methods(["GET", "POST"])
def decision_record(request: HttpRequest, item_id: Any) -> HttpResponse:
    item = selectors.agenda_item_for(viewer=request.user, item_id=item_id)
    meeting = item.meeting
    state = selectors.meeting_conduct(viewer=request.user, meeting=meeting)
    if not state.decides:
        raise PermissionDenied("Decisions are recorded by the panel's coordinator or chair.")
    versions = selectors.decisions_of(item=item)
    current = next((d for d in versions if d.superseded_at is None), None)
    initial = None
    if current is not None:
        initial = {
            "outcome": current.outcome,
            "signpost_to": current.signpost_to,
            "deferred_to": str(current.deferred_to_id or ""),
            "defer_reason": current.defer_reason,
            "parents_concerned": current.parents_concerned,
            "rationale": current.rationale,
            "against_rule_reason": current.against_rule_reason,
            "version": current.version,
        }
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        later_meetings=selectors.later_meetings(meeting=meeting),
        keyworkers=plan_selectors.keyworkers(),
    )
    ticked = (
        request.POST.get("parents_concerned") in ("on", "true", "1")
        if request.method == "POST"
        else bool(current and current.parents_concerned)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        keyworker, keyworker_organisation = form.chosen_keyworker()
        try:
            decision = conduct.decision_record(
                actor=request.user,
                item=item,
                details=conduct.DecisionDetails(
                    outcome=data["outcome"],
                    rationale=data["rationale"],
                    signpost_to=data["signpost_to"],
                    deferred_to=form.deferred_meeting(),
                    defer_reason=data["defer_reason"],
                    parents_concerned=data["parents_concerned"],
                    against_rule_reason=data["against_rule_reason"],
                    correction_reason=data["correction_reason"],
                    keyworker=keyworker,
                    keyworker_organisation=keyworker_organisation,
                ),
                corrects_version=data["version"],
            )
        except PanelError as error:
            add_domain_error(form, error)
        else:
            started = ""
            if decision.plan_id is not None:
                started = (
                    f" The integrated support plan is open, led by "
                    f"{decision.plan.keyworker.display_name}."  # type: ignore[union-attr]
                )
            elif decision.outcome == DecisionOutcome.SUPPORT_PLAN:
                started = (
                    " Start the plan from the case's plans page once the lead keyworker is known."
                )
            elif decision.safeguarding_concern_id is not None:
                started = " The concern has gone to the designated safeguarding leads."
            messages.success(
                request,
                f"Decision recorded for {item.child.pseudonym}: "
                f"{decision.get_outcome_display().lower()}.{started}",
            )
            return redirect("panels:meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "panels/decision_form.html",
        {
            "item": item,
            "meeting": meeting,
            "form": form,
            "current": current,
            "earlier": [d for d in versions if d.superseded_at is not None],
            "quorum": selectors.quorum_of(meeting=meeting, item=item),
            "evaluation": selectors.case_evaluation(
                viewer=request.user, item=item, parents_ticked=ticked
            ),
            "interests": [d for d in state.declarations if d.item_id in (None, item.pk)],
            "minutes_approved": bool(state.minutes and state.minutes.is_approved),
        },
    )


def _minutes_page(request: HttpRequest, meeting: Any, **extra: Any) -> HttpResponse:
    state = selectors.meeting_conduct(viewer=request.user, meeting=meeting)
    return render(
        request,
        "panels/minutes.html",
        {
            "meeting": meeting,
            "minutes": selectors.minutes_of(meeting=meeting),
            "coordinates": state.coordinates,
            "has_started": state.has_started,
            **extra,
        },
    )


@require_GET
def minutes_detail(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    meeting = selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
    return _minutes_page(request, meeting)


@require_POST
def minutes_generate(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    meeting = selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
    try:
        minutes.minutes_generate(
            actor=request.user,
            meeting=meeting,
            overwrite_edits=request.POST.get("confirm") == "replace",
        )
    except PanelError as error:
        if error.field == "confirm" and "edited" in error.message:
            return _minutes_page(request, meeting, confirm_replace=True)
        messages.error(request, error.message)
    else:
        messages.success(request, "Draft minutes generated from the record.")
    return redirect("panels:minutes_detail", meeting_id=meeting.pk)


@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    meeting = selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
    current = selectors.minutes_of(meeting=meeting)
    if current is None:
        raise Http404("No minutes yet: generate them first.")
    form = MinutesEditForm(
        request.POST if request.method == "POST" else None,
        initial={"text": current.text, "revision": current.revision},
    )
    if request.method == "POST" and form.is_valid():
        try:
            minutes.minutes_edit(
                actor=request.user,
                minutes=current,
                text=form.cleaned_data["text"],
                revision=form.cleaned_data["revision"],
            )
        except PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Draft minutes saved.")
            return redirect("panels:minutes_detail", meeting_id=meeting.pk)
    return render(
        request, "panels/minutes_edit.html", {"meeting": meeting, "form": form, "minutes": current}
    )


@require_http_methods(["GET", "POST"])
def minutes_approve(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    """Record, at this meeting, that the panel approved an earlier meeting's minutes."""
    meeting = selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
    state = selectors.meeting_conduct(viewer=request.user, meeting=meeting)
    form = MinutesApproveForm(
        request.POST if request.method == "POST" else None, choices=state.earlier_minutes
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in state.earlier_minutes if str(m.pk) == form.cleaned_data["minutes"])
        try:
            minutes.minutes_approve(actor=request.user, minutes=chosen, at_meeting=meeting)
        except PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Approval of the minutes recorded. They are now read only.")
            return redirect("panels:meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "panels/minutes_approve.html",
        {"meeting": meeting, "form": form, "earlier": state.earlier_minutes},
    )


@require_GET
def attendance_report(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
    try:
        last = min(max(int(request.GET.get("last", "6")), 1), 24)
    except ValueError:
        last = 6
    report = selectors.attendance_report(viewer=request.user, panel=panel, last=last)
    return render(
        request,
        "panels/attendance_report.html",
        {"panel": panel, "report": report, "last": last, "choices": [3, 6, 12, 24]},
    )


def _yes(value: str) -> bool:
    return value == "yes"


@require_http_methods(["GET", "POST"])
def quorum_rule(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
    rule, _ = selectors.panel_rules(panel=panel)
    coordinates = selectors.coordinates(viewer=request.user, panel_id=panel.pk)
    if request.method == "POST" and not coordinates:
        raise PermissionDenied("The panel's coordinator sets its quorum.")
    form = QuorumForm(
        request.POST if request.method == "POST" else None,
        initial={
            "minimum_members": rule.minimum_members,
            "minimum_agencies": rule.minimum_agencies,
            "chair_required": "yes" if rule.chair_required else "no",
            "delegated_authority_required": "yes" if rule.delegated_authority_required else "no",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conduct.quorum_rule_set(
                actor=request.user,
                panel=panel,
                settings=conduct.QuorumSettings(
                    minimum_members=data["minimum_members"],
                    minimum_agencies=data["minimum_agencies"],
                    chair_required=_yes(data["chair_required"]),
                    delegated_authority_required=_yes(data["delegated_authority_required"]),
                ),
            )
        except PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The panel's quorum is changed for decisions from now on.")
            return redirect("panels:quorum_rule", slug=panel.slug)
    return render(
        request,
        "panels/quorum_rule.html",
        {
            "panel": panel,
            "form": form,
            "rule_text": selectors.quorum_rule_text(rule=rule),
            "saved": rule.pk is not None and not rule._state.adding,
            "coordinates": coordinates,
        },
    )


@require_http_methods(["GET", "POST"])
def prioritisation_rule(request: HttpRequest, slug: str) -> HttpResponse:
    panel: Any = selectors.panel_for(viewer=request.user, slug=slug)
    _, versions = selectors.panel_rules(panel=panel)
    current = versions[0] if versions else selectors.default_prioritisation_rule(panel=panel)
    coordinates = selectors.coordinates(viewer=request.user, panel_id=panel.pk)
    if request.method == "POST" and not coordinates:
        raise PermissionDenied("The panel's coordinator changes its prioritisation rule.")
    form = PrioritisationForm(
        request.POST if request.method == "POST" else None,
        initial={
            "minimum_agencies": current.minimum_agencies,
            "parents_concerned_qualifies": "yes" if current.parents_concerned_qualifies else "no",
            "minimum_risk_factors": current.minimum_risk_factors,
            "risk_rating_from": str(current.risk_rating_from),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adopted = conduct.prioritisation_rule_adopt(
                actor=request.user,
                panel=panel,
                settings=conduct.RuleSettings(
                    minimum_agencies=data["minimum_agencies"],
                    parents_concerned_qualifies=_yes(data["parents_concerned_qualifies"]),
                    minimum_risk_factors=data["minimum_risk_factors"],
                    risk_rating_from=int(data["risk_rating_from"]),
                    change_summary=data["change_summary"],
                ),
            )
        except PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Prioritisation rule version {adopted.version} adopted.")
            return redirect("panels:prioritisation_rule", slug=panel.slug)
    return render(
        request,
        "panels/prioritisation_rule.html",
        {
            "panel": panel,
            "form": form,
            "current": current,
            "versions": [(v, selectors.prioritisation_rule_text(rule=v)) for v in versions],
            "current_text": selectors.prioritisation_rule_text(rule=current),
            "coordinates": coordinates,
        },
    )
