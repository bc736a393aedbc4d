from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.core import selectors
from joinedup.core.forms import AuditSearchForm
from joinedup.core.middleware import two_factor_redirect, two_factor_satisfied
from joinedup.core.navigation import tasks_for
from joinedup.core.paging import paginate
from joinedup.core.permissions import roles_of
from joinedup.core.roles import ROLE_DESCRIPTIONS, Role


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated:
        return render(request, "core/start_anonymous.html")
    if not two_factor_satisfied(request):
        return two_factor_redirect(request)
    roles = [role for role in Role if role in roles_of(user)]
    sections = [
        {
            "role": role,
            "description": ROLE_DESCRIPTIONS[role],
            "tasks": tasks_for(user, role),
            "organisations": user.organisations_for_role(role),
        }
        for role in roles
    ]
    return render(request, "core/start.html", {"sections": sections})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


AUDIT_PAGE_SIZE = 50


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None, target_types=selectors.audit_target_types())
    page, query = None, ""
    if not form.is_bound or form.is_valid():
        search = form.to_search() if form.is_bound else selectors.AuditSearch()
        entries = selectors.audit_entry_search(viewer=request.user, search=search)
        page, query = paginate(request, entries, AUDIT_PAGE_SIZE)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No template context processors here: the database may be what failed.
    from django.template import loader

    return HttpResponse(
        loader.get_template("500.html").render({"request": request, "debug": settings.DEBUG}),
        status=500,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
