import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.actions import selectors, services
from joinedup.actions.forms import (
    ActionForm,
    CancelForm,
    CompleteForm,
    DueDateForm,
    ReassignForm,
    ReportPeriodForm,
)
from joinedup.core.forms import add_domain_error
from joinedup.panels import selectors as panel_selectors

# The report's period when none is chosen: the last three months.
REPORT_DEFAULT_DAYS = 91


def _uuid_or_404(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404("No such record.") from error


@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "actions/my_actions.html",
        {
            "mine": selectors.actions_for_owner(viewer=request.user),
            "panels_led": selectors.panels_led(viewer=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest) -> HttpResponse:
    meeting: Any = None
    items: list[Any] = []
    meeting_id = _uuid_or_404(request.GET.get("meeting"))
    if meeting_id is not None:
        meeting = panel_selectors.meeting_for(viewer=request.user, meeting_id=meeting_id)
        items = [item for item in meeting.items.all() if item.removed_at is None]
    wanted_item = request.GET.get("item", "")
    initial = {"agenda_item": wanted_item} if any(str(i.pk) == wanted_item for i in items) else {}
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        owners=selectors.possible_owners(),
        items=items,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.owner_membership()
        if chosen is None:
            form.add_error("owner", "Select who will do it")
        else:
            try:
                action = services.action_create(
                    actor=request.user,
                    new=services.NewAction(
                        title=form.cleaned_data["title"],
                        detail=form.cleaned_data["detail"],
                        owner=chosen.user,
                        organisation=chosen.organisation,
                        due_on=form.cleaned_data["due_on"],
                        meeting=meeting,
                        agenda_item=form.chosen_item() if items else None,
                    ),
                )
            except services.ActionError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, f"Action recorded. {chosen.user.display_name} has been told."
                )
                return redirect("actions:action_detail", action_id=action.pk)
    return render(
        request, "actions/action_form.html", {"form": form, "meeting": meeting, "items": items}
    )


@require_GET
def action_detail(request: HttpRequest, action_id: Any) -> HttpResponse:
    action = selectors.action_for(viewer=request.user, action_id=action_id)
    return render(request, "actions/action_detail.html", {"action": action})


def _step(
    request: HttpRequest,
    action_id: Any,
    *,
    allowed: str,
    form_class: type[Any],
    heading: str,
    button: str,
    run: Callable[[Any, Any], Any],
    done: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    action: Any = selectors.action_for(viewer=request.user, action_id=action_id)
    if not action.may[allowed]:
        # Open to see; this change is not theirs to make (or the action is closed).
        return render(
            request,
            "actions/action_step.html",
            {"action": action, "heading": heading, "refused": True},
            status=403 if action.is_open else 200,
        )
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial={"revision": action.revision},
        **(form_kwargs or {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            run(action, form)
        except services.ActionError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("actions:action_detail", action_id=action.pk)
    return render(
        request,
        "actions/action_step.html",
        {"action": action, "form": form, "heading": heading, "button": button},
    )


@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, action_id: Any) -> HttpResponse:
    return _step(
        request,
        action_id,
        allowed="complete",
        form_class=CompleteForm,
        heading="Record the action done",
        button="Record as done",
        run=lambda action, form: services.action_complete(
            actor=request.user,
            action=action,
            revision=form.cleaned_data["revision"],
            outcome=form.cleaned_data["outcome"],
        ),
        done="The action is recorded as done.",
    )


@require_http_methods(["GET", "POST"])
def action_reassign(request: HttpRequest, action_id: Any) -> HttpResponse:
    def run(action: Any, form: Any) -> Any:
        chosen = form.owner_membership()
        if chosen is None:
            raise services.ActionError("Select who will do it now", field="owner")
        return services.action_reassign(
            actor=request.user,
            action=action,
            revision=form.cleaned_data["revision"],
            owner=chosen.user,
            organisation=chosen.organisation,
            reason=form.cleaned_data["reason"],
        )

    return _step(
        request,
        action_id,
        allowed="reassign",
        form_class=ReassignForm,
        heading="Give the action to someone else",
        button="Give to them",
        run=run,
        done="The action has a new owner, who has been told.",
        form_kwargs={"owners": selectors.possible_owners()},
    )


@require_http_methods(["GET", "POST"])
def action_due_date(request: HttpRequest, action_id: Any) -> HttpResponse:
    return _step(
        request,
        action_id,
        allowed="redate",
        form_class=DueDateForm,
        heading="Change the due date",
        button="Change the due date",
        run=lambda action, form: services.action_change_due_date(
            actor=request.user,
            action=action,
            revision=form.cleaned_data["revision"],
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
        ),
        done="The due date has changed. The reason is kept with the action.",
    )


@require_http_methods(["GET", "POST"])
def action_cancel(request: HttpRequest, action_id: Any) -> HttpResponse:
    return _step(
        request,
        action_id,
        allowed="cancel",
        form_class=CancelForm,
        heading="Cancel the action",
        button="Cancel the action",
        run=lambda action, form: services.action_cancel(
            actor=request.user,
            action=action,
            revision=form.cleaned_data["revision"],
            reason=form.cleaned_data["reason"],
        ),
        done="The action is cancelled.",
    )


@require_GET
def panel_report(request: HttpRequest, slug: str) -> HttpResponse:
    panel = selectors.panel_led_by(viewer=request.user, slug=slug)
    today = timezone.localdate()
    form = ReportPeriodForm(request.GET or None)
    start, end = today - timedelta(days=REPORT_DEFAULT_DAYS), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if not form.is_bound:
        form = ReportPeriodForm(initial={"start": start, "end": end})
    report = None
    if not form.errors:
        report = selectors.panel_action_report(
            viewer=request.user, panel=panel, start=start, end=end
        )
    return render(
        request,
        "actions/panel_report.html",
        {"panel": panel, "form": form, "report": report, "today": today},
    )
