from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from joinedup.core.audit import RequestContext, reset_request_context, set_request_context
from joinedup.core.permissions import may_open, policy_for, requires_two_factor

DEMO_SKIP_SESSION_KEY = "joinedup_demo_two_factor_skipped"


class RequestContextMiddleware:
    """Gives every audit entry written during a request that request's id, address and path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            ip_address=request.META.get("REMOTE_ADDR") or None,
            method=request.method or "",
            path=request.path,
        )
        token = set_request_context(context)
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-Id"] = context.request_id
        return response


def two_factor_satisfied(request: HttpRequest) -> bool:
    user: Any = request.user
    if not requires_two_factor(user):
        return True
    if user.is_verified():
        return True
    return bool(settings.JOINEDUP_DEMO and request.session.get(DEMO_SKIP_SESSION_KEY))


def two_factor_redirect(request: HttpRequest) -> HttpResponse:
    """Send someone to the two-factor check (or to set it up), then back to where they were."""
    user: Any = request.user
    target = (
        "accounts:two_factor_verify"
        if user.has_two_factor_device()
        else ("accounts:two_factor_setup")
    )
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class AccessPolicyMiddleware:
    """Applies `core.permissions.PAGE_POLICY` to every page before its view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        access = policy_for(match.view_name) if match else None
        if access is None:
            # A page nobody has declared a policy for stays closed.
            raise PermissionDenied("This page has no access policy.")
        if access.public:
            return None
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.allow_unverified and not two_factor_satisfied(request):
            return two_factor_redirect(request)
        if not may_open(user, access):
            raise PermissionDenied("Your roles do not include access to this page.")
        return None
