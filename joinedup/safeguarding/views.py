from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.children.identifiers import reference_is_valid
from joinedup.core.forms import add_domain_error
from joinedup.organisations.models import Locality
from joinedup.safeguarding import selectors, services
from joinedup.safeguarding.forms import ConcernActionForm, ConcernCloseForm, ConcernRaiseForm
from joinedup.safeguarding.models import ConcernSource, ConcernStatus, Routing


def _raise(request: HttpRequest, *, reference: str = "") -> HttpResponse:
    organisations = sorted(
        {m.organisation for m in request.user.active_memberships()},  # type: ignore[union-attr]
        key=lambda o: o.name,
    )
    form = ConcernRaiseForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        localities=[] if reference else list(Locality.objects.order_by("name")),
        for_reference=reference,
    )
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_raise(
                actor=request.user,
                child=None,
                source=(
                    ConcernSource.CHILD_RECORD if reference else ConcernSource.SAFEGUARDING_PAGE
                ),
                base_url=request.build_absolute_uri("/"),
                **form.raise_arguments(),
            )
        except services.SafeguardingError as error:
            add_domain_error(form, error)
        else:
            if concern.routing == Routing.NO_LEAD:
                messages.warning(
                    request,
                    "Your concern is recorded, but there is no designated safeguarding lead in "
                    "JoinedUp to send it to. Phone now: " + services.front_door(),
                )
            else:
                messages.success(
                    request, "Your concern has been sent to the designated safeguarding lead"
                )
            return redirect("safeguarding:concern_detail", concern_id=concern.pk)
    return render(
        request,
        "safeguarding/raise.html",
        {"form": form, "reference": reference, "front_door": services.front_door()},
    )


@require_http_methods(["GET", "POST"])
def concern_raise(request: HttpRequest) -> HttpResponse:
    return _raise(request)


@require_http_methods(["GET", "POST"])
def concern_raise_for_child(request: HttpRequest, reference: str) -> HttpResponse:
    # Only the reference's own shape is checked here, which says nothing about whether a
    # record with it exists: the page looks the same for every well-formed reference.
    reference = reference.upper()
    if not reference_is_valid(reference):
        raise Http404("Not a JoinedUp reference.")
    return _raise(request, reference=reference)


@require_GET
def concerns_raised(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "safeguarding/concerns_raised.html",
        {"concerns": selectors.concerns_raised_by(viewer=request.user, purpose=services.PURPOSE)},
    )


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    concerns = selectors.inbox(viewer=request.user, purpose=services.PURPOSE)
    return render(
        request,
        "safeguarding/inbox.html",
        {
            "open_concerns": [c for c in concerns if c.closed_at is None],
            "closed_concerns": [c for c in concerns if c.closed_at is not None],
            "NEW": ConcernStatus.NEW,
        },
    )


def _for_lead(request: HttpRequest, concern_id: Any) -> Any:
    concern = selectors.concern_for_lead(
        viewer=request.user, concern_id=concern_id, purpose=services.PURPOSE
    )
    if concern is None:
        raise Http404("No safeguarding concern you may see.")
    return concern


@require_GET
def concern_detail(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern = selectors.concern_for_lead(
        viewer=request.user, concern_id=concern_id, purpose=services.PURPOSE
    )
    if concern is not None:
        return render(request, "safeguarding/concern_lead.html", {"concern": concern})
    concern = selectors.concern_for_raiser(
        viewer=request.user, concern_id=concern_id, purpose=services.PURPOSE
    )
    return render(
        request,
        "safeguarding/concern_raiser.html",
        {"concern": concern, "front_door": services.front_door(), "NO_LEAD": Routing.NO_LEAD},
    )


@require_POST
def concern_acknowledge(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern = _for_lead(request, concern_id)
    try:
        services.concern_acknowledge(actor=request.user, concern=concern)
    except services.SafeguardingError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request, "Acknowledged: the person who raised the concern can see you have it"
        )
    return redirect("safeguarding:concern_detail", concern_id=concern.pk)


@require_http_methods(["GET", "POST"])
def concern_action(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern = _for_lead(request, concern_id)
    form = ConcernActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_action_record(
                actor=request.user, concern=concern, action=form.cleaned_data["action"]
            )
        except services.SafeguardingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "What you did is recorded")
            return redirect("safeguarding:concern_detail", concern_id=concern.pk)
    return render(request, "safeguarding/action.html", {"concern": concern, "form": form})


@require_http_methods(["GET", "POST"])
def concern_close(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern = _for_lead(request, concern_id)
    form = ConcernCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_close(
                actor=request.user,
                concern=concern,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except services.SafeguardingError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The concern is closed with its outcome")
            return redirect("safeguarding:concern_detail", concern_id=concern.pk)
    return render(request, "safeguarding/close.html", {"concern": concern, "form": form})
