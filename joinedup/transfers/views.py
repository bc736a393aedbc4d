from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.children import selectors as children_selectors
from joinedup.children.need_to_know import sees_identity
from joinedup.core.forms import add_domain_error
from joinedup.plans import selectors as plan_selectors
from joinedup.transfers import selectors, services
from joinedup.transfers.forms import (
    TransferAcceptForm,
    TransferDeclineForm,
    TransferRequestForm,
    TransferWithdrawForm,
)
from joinedup.transfers.models import Transfer, TransferStatus
from joinedup.transfers.rules import panel_consent_to_seek

PURPOSE = "Transfer of a child's case between panels"


@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    transfers = selectors.transfers_for(viewer=request.user)
    coordinated = selectors.panels_coordinated(viewer=request.user)
    named = selectors.children_named_for(viewer=request.user, transfers=transfers)
    incoming = [t for t in transfers if t.to_panel_id in coordinated]
    outgoing = [t for t in transfers if t.to_panel_id not in coordinated]
    return render(
        request,
        "transfers/list.html",
        {
            "waiting": [t for t in incoming if t.is_open],
            "incoming": [t for t in incoming if not t.is_open],
            "outgoing": outgoing,
            "named": named,
        },
    )


@require_http_methods(["GET", "POST"])
def transfer_request(request: HttpRequest, reference: str) -> HttpResponse:
    child = children_selectors.child_identified(
        viewer=request.user, reference=reference.upper(), purpose=PURPOSE
    )
    case = services.current_case(child)
    allowed = case is not None and services.may_request(request.user, child, case)
    form = TransferRequestForm(
        request.POST if request.method == "POST" else None, localities=selectors.localities()
    )
    if request.method == "POST" and allowed and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.transfer_request(
                actor=request.user,
                child=child,
                details=services.TransferDetails(
                    new_locality=form.locality(),
                    moves_on=data["moves_on"],
                    new_address_line_1=data["new_address_line_1"],
                    new_postcode=data["new_postcode"],
                    reason=data["reason"],
                    risks=data["risks"],
                    what_is_working=data["what_is_working"],
                    who_knows_the_child=data["who_knows_the_child"],
                ),
            )
        except services.TransferError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Transfer requested: the coordinators of the {transfer.to_panel.name} have "
                "been told",
            )
            return redirect("transfers:detail", transfer_id=transfer.pk)
    open_transfer = selectors.open_transfer_of(child=child)
    return render(
        request,
        "transfers/request.html",
        {
            "child": child,
            "case": case,
            "allowed": allowed,
            "open_transfer": open_transfer,
            "form": form,
        },
    )


def _transfer(request: HttpRequest, transfer_id: Any) -> Transfer:
    return selectors.transfer_for(viewer=request.user, transfer_id=transfer_id, purpose=PURPOSE)


@require_GET
def transfer_detail(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    transfer = _transfer(request, transfer_id)
    coordinated = selectors.panels_coordinated(viewer=request.user)
    receiving = transfer.to_panel_id in coordinated
    seek_consent = (
        panel_consent_to_seek(child=transfer.child, panel=transfer.to_panel)
        if transfer.status == TransferStatus.ACCEPTED and receiving
        else None
    )
    return render(
        request,
        "transfers/detail.html",
        {
            "transfer": transfer,
            "sees_child": sees_identity(request.user, transfer.child),
            "may_answer": transfer.is_open and receiving,
            "may_withdraw": transfer.is_open and services.may_withdraw(request.user, transfer),
            "receiving": receiving,
            "seek_consent": seek_consent,
        },
    )


def _answering(request: HttpRequest, transfer_id: Any) -> Transfer:
    transfer = _transfer(request, transfer_id)
    if transfer.to_panel_id not in selectors.panels_coordinated(viewer=request.user):
        raise Http404("Only the receiving panel's coordinators answer a transfer.")
    return transfer


def _closed(request: HttpRequest, transfer: Transfer) -> HttpResponse:
    messages.info(
        request,
        f"This transfer is no longer waiting for an answer: it was "
        f"{transfer.get_status_display().lower()}",
    )
    return redirect("transfers:detail", transfer_id=transfer.pk)


@require_http_methods(["GET", "POST"])
def transfer_accept(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    transfer = _answering(request, transfer_id)
    if not transfer.is_open:
        return _closed(request, transfer)
    plan = selectors.open_plan_of(child=transfer.child)
    keep = (
        f"Keep {plan.keyworker.display_name}, {plan.keyworker_organisation.name}"
        if plan is not None
        else None
    )
    form = TransferAcceptForm(
        request.POST if request.method == "POST" else None,
        memberships=plan_selectors.keyworkers() if plan is not None else [],
        keep_label=keep,
    )
    if request.method == "POST" and form.is_valid():
        keyworker, organisation = form.chosen_keyworker()
        try:
            transfer = services.transfer_accept(
                actor=request.user,
                transfer=transfer,
                new_keyworker=keyworker,
                new_keyworker_organisation=organisation,
            )
        except services.TransferError as error:
            if error.code == "not_open":
                return _closed(request, transfer)
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"The {transfer.to_panel.name} has taken the case. Ask the family for their "
                "consent to discussion at this panel before it goes on an agenda",
            )
            return redirect("transfers:detail", transfer_id=transfer.pk)
    return render(
        request, "transfers/accept.html", {"transfer": transfer, "form": form, "plan": plan}
    )


def _answer_with_reason(
    request: HttpRequest,
    transfer: Transfer,
    *,
    form_class: Any,
    service: Any,
    done: str,
    template: str,
) -> HttpResponse:
    """A transfer declined or withdrawn: one reason, then back to the transfer's page."""
    if not transfer.is_open:
        return _closed(request, transfer)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = service(
                actor=request.user, transfer=transfer, reason=form.cleaned_data["reason"]
            )
        except services.TransferError as error:
            if error.code == "not_open":
                return _closed(request, transfer)
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("transfers:detail", transfer_id=transfer.pk)
    return render(request, template, {"transfer": transfer, "form": form})


@require_http_methods(["GET", "POST"])
def transfer_decline(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    return _answer_with_reason(
        request,
        _answering(request, transfer_id),
        form_class=TransferDeclineForm,
        service=services.transfer_decline,
        done="Declined: whoever asked has been told why",
        template="transfers/decline.html",
    )


@require_http_methods(["GET", "POST"])
def transfer_withdraw(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    transfer = _transfer(request, transfer_id)
    if not services.may_withdraw(request.user, transfer):
        raise Http404("Only the sending side withdraws a transfer.")
    return _answer_with_reason(
        request,
        transfer,
        form_class=TransferWithdrawForm,
        service=services.transfer_withdraw,
        done="Withdrawn: the receiving panel has been told",
        template="transfers/withdraw.html",
    )
