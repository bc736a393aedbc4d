"""The panel pack (a page and a PDF) and the written views practitioners send for it."""

from typing import Any

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.panels import pack, pack_services
from joinedup.panels.pack_forms import ContributionForm
from joinedup.panels.services import PanelError

PRINT_STYLESHEET = "panels/pack-print.css"


def _no_store(response: HttpResponse) -> HttpResponse:
    # A pack holds children's case details: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def pack_page(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    prepared = pack.pack_for(
        viewer=request.user, meeting_id=meeting_id, purpose="Panel pack, read on screen"
    )
    return _no_store(render(request, "panels/pack.html", {"pack": prepared}))


def render_pack_pdf(prepared: pack.Pack) -> bytes:
    """The pack as a PDF, from the same content as the page with the print stylesheet."""
    from weasyprint import CSS, HTML

    html = render_to_string("panels/pack_print.html", {"pack": prepared})
    stylesheet = finders.find(PRINT_STYLESHEET)
    return bytes(
        HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)] if stylesheet else [])
    )


@require_GET
def pack_pdf(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    prepared = pack.pack_for(
        viewer=request.user, meeting_id=meeting_id, purpose="Panel pack, downloaded as a PDF"
    )
    response = HttpResponse(render_pack_pdf(prepared), content_type="application/pdf")
    day = timezone.localtime(prepared.meeting.starts_at)
    response["Content-Disposition"] = (
        f'attachment; filename="panel-pack-{prepared.meeting.panel.slug}-{day:%Y-%m-%d}.pdf"'
    )
    return _no_store(response)


@require_GET
def contribution_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "panels/pack_contribution_list.html",
        {"children": pack.children_on_upcoming_agendas(viewer=request.user)},
    )


@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, item_id: Any) -> HttpResponse:
    item: Any = pack.contribution_item_for(viewer=request.user, item_id=item_id)
    own = item.own_contribution
    initial = {"view": own.view, "will_attend": "yes" if own.will_attend else "no"} if own else None
    form = ContributionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        given = pack_services.ContributionGiven(
            view=form.cleaned_data["view"], will_attend=form.will_attend_value()
        )
        try:
            if own is None:
                pack_services.contribution_submit(actor=request.user, item=item, given=given)
            else:
                pack_services.contribution_amend(actor=request.user, contribution=own, given=given)
        except PanelError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                "Your view is in the panel pack. You can change or withdraw it until the "
                "meeting starts.",
            )
            return redirect("panels:contribution_list")
    return render(
        request, "panels/pack_contribution_form.html", {"item": item, "own": own, "form": form}
    )


@require_POST
def contribution_withdraw(request: HttpRequest, item_id: Any) -> HttpResponse:
    item: Any = pack.contribution_item_for(viewer=request.user, item_id=item_id)
    if item.own_contribution is None:
        messages.error(request, "You have no view of this case to withdraw.")
        return redirect("panels:contribution_list")
    try:
        pack_services.contribution_withdraw(actor=request.user, contribution=item.own_contribution)
    except PanelError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your view is withdrawn: the panel pack no longer shows it.")
    return redirect("panels:contribution_list")
