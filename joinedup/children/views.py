from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from joinedup.children import selectors


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
            },
        )
    pseudonymous = selectors.child_pseudonymised(viewer=request.user, reference=reference)
    return render(request, "children/child_pseudonymised.html", {"child": pseudonymous})
