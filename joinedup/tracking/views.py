from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.tracking import selectors, services
from joinedup.tracking.forms import FlagLookForm, SettingsForm
from joinedup.tracking.models import FlagKind


@require_GET
def flags(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", selectors.ALL)
    if kind not in selectors.KIND_FILTERS:
        kind = selectors.ALL
    panel = request.GET.get("panel", "")
    board = selectors.flag_board(
        viewer=request.user, kind=kind, panel=panel, page=request.GET.get("page", 1)
    )
    if panel not in {p.slug for p in board.panels}:
        panel = ""
    query = urlencode({"kind": kind, **({"panel": panel} if panel else {})})
    return render(
        request,
        "tracking/flags.html",
        {
            "board": board,
            "kind": kind,
            "kind_label": selectors.KIND_FILTERS[kind],
            "panel": panel,
            "page": board.page,
            "query": query,
            "filters": [
                (name, label, board.counts[name]) for name, label in selectors.KIND_FILTERS.items()
            ],
            "is_coordinator": has_role(request.user, Role.PANEL_COORDINATOR),
        },
    )


def _flags_url(kind: str = "") -> str:
    url = reverse("tracking:flags")
    return f"{url}?kind={kind}" if kind else url


@require_http_methods(["GET", "POST"])
def flag_look(request: HttpRequest, reference: str) -> HttpResponse:
    kind = request.GET.get("kind", "")
    child, flag = selectors.flag_to_look_at(viewer=request.user, reference=reference, kind=kind)
    form = FlagLookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_look(
                actor=request.user, child=child, kind=kind, note=form.cleaned_data["note"]
            )
        except services.TrackingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Flag marked as looked at")
            return redirect(_flags_url())
    return render(
        request,
        "tracking/flag_look.html",
        {"child": child, "flag": flag, "form": form, "kind": kind},
    )


@require_POST
def flag_look_undo(request: HttpRequest, reference: str) -> HttpResponse:
    kind = request.GET.get("kind", "")
    child: Any = selectors.case_child(viewer=request.user, reference=reference)
    try:
        services.flag_look_undo(actor=request.user, child=child, kind=kind)
    except services.TrackingError as error:
        messages.info(request, error.message)
    else:
        label = FlagKind(kind).label
        messages.success(request, f"Undone: the flag “{label}” needs a look again")
    return redirect(_flags_url())


@require_GET
def settings_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracking/settings.html",
        {"rows": selectors.settings_for(viewer=request.user)},
    )


@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("panel", "")
    panel, thresholds = selectors.settings_to_change(viewer=request.user, panel=slug)
    form = SettingsForm(request.POST or None, thresholds=thresholds)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_change(actor=request.user, panel=panel, **form.cleaned_data)
        except services.TrackingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Settings saved")
            return redirect("tracking:settings")
    return render(
        request,
        "tracking/settings_form.html",
        {"form": form, "panel": panel},
    )
