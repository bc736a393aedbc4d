from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.children import selectors, services
from joinedup.children.decorators import follows_merged_references
from joinedup.children.forms import ChildSearchForm, HouseholdMemberForm, TimelineFilterForm
from joinedup.children.search import SearchTermError
from joinedup.children.timeline import Kind
from joinedup.core.forms import add_domain_error
from joinedup.core.paging import paginate
from joinedup.core.rate_limits import CHILD_SEARCH, rate_limited
from joinedup.records.restrictions import live_restriction

TIMELINE_PAGE_SIZE = 50


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    children = selectors.caseload(viewer=request.user)
    return render(request, "children/caseload.html", {"children": children})


@require_GET
def child_detail(request: HttpRequest, reference: str) -> HttpResponse:
    reference = reference.upper()
    survivor = selectors.surviving_reference(reference=reference)
    if survivor is not None:
        # One child, one reference: an old reference leads to the record that now stands.
        return redirect("children:child_detail", reference=survivor)
    if selectors.is_identified_to(viewer=request.user, reference=reference):
        child = selectors.child_identified(viewer=request.user, reference=reference)
        involvements = list(child.involvements.all())
        return render(
            request,
            "children/child_detail.html",
            {
                "child": child,
                "current_team": [i for i in involvements if i.is_current],
                "past_team": [i for i in involvements if not i.is_current],
                "restriction": live_restriction(child),
            },
        )
    pseudonymous = selectors.child_pseudonymised(viewer=request.user, reference=reference)
    return render(request, "children/child_pseudonymised.html", {"child": pseudonymous})


@require_http_methods(["GET", "POST"])
@follows_merged_references
def household_add(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.household_child(viewer=request.user, reference=reference)
    form = HouseholdMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.household_member_add(
                actor=request.user, child=child, details=form.details()
            )
        except services.ChildRecordError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Added to the household: {member.get_relationship_display().lower()}"
            )
            return redirect("children:child_detail", reference=child.reference)
    return render(request, "children/household_member_form.html", {"child": child, "form": form})


@require_http_methods(["GET", "POST"])
@follows_merged_references
def household_change(request: HttpRequest, reference: str, member_id: Any) -> HttpResponse:
    member = selectors.household_member_detail(
        viewer=request.user, reference=reference, member_id=member_id
    )
    child = member.child
    form = HouseholdMemberForm(
        request.POST or None, initial=HouseholdMemberForm.initial_from(member)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_member_change(
                actor=request.user, member=member, details=form.details()
            )
        except services.ChildRecordError as error:
            add_domain_error(form, error)
        else:
            if form.has_changed():
                messages.success(request, "Details saved")
            else:
                messages.info(request, "Nothing was changed")
            return redirect("children:child_detail", reference=child.reference)
    return render(
        request,
        "children/household_member_form.html",
        {"child": child, "form": form, "member": member},
    )


@require_GET
@follows_merged_references
def timeline(request: HttpRequest, reference: str) -> HttpResponse:
    form = TimelineFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    result = selectors.child_timeline(
        viewer=request.user,
        reference=reference,
        kinds=form.kinds if valid else (),
        oldest_first=form.oldest_first if valid else False,
    )
    page, query = paginate(request, result.events, TIMELINE_PAGE_SIZE)
    return render(
        request,
        "children/timeline.html",
        {
            "child": result.child,
            "form": form,
            "page": page,
            "query": query,
            "filtered": valid and bool(form.kinds),
            "kind_labels": dict(Kind.choices),
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited(CHILD_SEARCH, counts=lambda request: request.method == "POST")
def search(request: HttpRequest) -> HttpResponse:
    # Posted, never in the address: a child's name typed in would otherwise be kept in the
    # browser's history and in every web server's and proxy's access log.
    form = ChildSearchForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "searched": False}
    if form.is_bound and form.is_valid():
        try:
            criteria = form.criteria()
        except SearchTermError as error:
            add_domain_error(form, error)
        else:
            if not criteria.is_empty:
                found = selectors.search_children(
                    viewer=request.user, criteria=criteria, page=request.POST.get("page", 1)
                )
                context.update(searched=True, results=found, page=found.page)
    response = render(request, "children/search.html", context)
    # What was searched for is personal data: no copy kept by the browser or on the way.
    response["Cache-Control"] = "no-store"
    return response
