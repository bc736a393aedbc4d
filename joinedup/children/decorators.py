"""View decorators shared by every page addressed by a child's reference."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from joinedup.children import selectors


def follows_merged_references(view: Callable[..., Any]) -> Callable[..., Any]:
    """One child, one reference: a page asked for by the reference of a record merged into
    another is shown for the record that now stands. Only reads are redirected; a form
    posted to an old reference is answered as the view answers a reference it cannot see,
    so nothing is written to a record the person did not open."""

    @wraps(view)
    def wrapper(request: HttpRequest, reference: str, **kwargs: Any) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            survivor = selectors.surviving_reference(reference=reference.upper())
            if survivor is not None and request.resolver_match is not None:
                return redirect(request.resolver_match.view_name, reference=survivor, **kwargs)
        response: HttpResponse = view(request, reference, **kwargs)
        return response

    return wrapper
