from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from joinedup.notifications import selectors, services


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notices = selectors.notifications_for(viewer=request.user)
    return render(
        request,
        "notifications/notification_list.html",
        {"notices": notices, "any_unread": any(n.read_at is None for n in notices)},
    )


@require_GET
def notification_open(request: HttpRequest, notification_id: Any) -> HttpResponse:
    """Opening a notice marks it read and goes where it points. A GET that changes something:
    harmless here, as only the notice's own recipient can open it and reading is idempotent."""
    notice = selectors.notification_for(viewer=request.user, notification_id=notification_id)
    services.mark_read(actor=request.user, notification=notice)
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notifications:notification_list")


@require_POST
def mark_read(request: HttpRequest, notification_id: Any) -> HttpResponse:
    notice = selectors.notification_for(viewer=request.user, notification_id=notification_id)
    services.mark_read(actor=request.user, notification=notice)
    messages.success(request, "Notice marked as read.")
    return redirect("notifications:notification_list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user)
    messages.success(
        request,
        f"{count} notice{'s' if count != 1 else ''} marked as read." if count else "Nothing new.",
    )
    return redirect("notifications:notification_list")
