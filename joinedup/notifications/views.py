from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.errors import FieldError
from joinedup.core.forms import add_domain_error
from joinedup.notifications import selectors, services
from joinedup.notifications.forms import PreferencesForm
from joinedup.notifications.models import ReminderKind


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


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """How the person hears of each kind of reminder: in JoinedUp, by email now, in a digest."""
    current = selectors.preferences_of(viewer=request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_save(
                actor=request.user,
                choices={kind: form.cleaned_data[kind] for kind in ReminderKind.values},
            )
        except FieldError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your choices for reminders are saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
