from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import forms, selectors, services
from joinedup.core import audit
from joinedup.core.middleware import DEMO_SKIP_SESSION_KEY
from joinedup.core.models import AuditVerb
from joinedup.core.paging import paginate
from joinedup.core.permissions import requires_two_factor

# --- Signing in ---------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    form_class = forms.SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _safe_next(request: HttpRequest, default: str = "core:start") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _qr_svg(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#0b0c0c"))


def _grouped_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _throttled_until(device: TOTPDevice | None) -> str:
    """django-otp makes each wrong code lengthen the wait before the next try. Say so only
    when a wait is already running, not after the first mistake."""
    allowed, details = device.verify_is_allowed() if device else (True, None)
    if allowed or not details or not details.get("locked_until"):
        return ""
    wait = timezone.localtime(details["locked_until"])
    return f"Too many wrong codes. Wait until {wait:%H:%M:%S} and try again"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.has_two_factor_device():
        # Replacing an authenticator needs the current one, or an administrator's reset.
        if not user.is_verified():
            return redirect(f"{reverse('accounts:two_factor_verify')}?{request.GET.urlencode()}")
        messages.info(request, "Two-factor sign-in is already set up on your account.")
        return redirect("accounts:my_account")
    device = services.two_factor_device_for_setup(user=user)
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled_until(device)
        if wait:
            form.add_error("token", wait)
        elif services.two_factor_confirm(
            user=user, device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return HttpResponseRedirect(_safe_next(request))
        else:
            form.add_error(
                "token",
                "The code is not right. Check the time on your phone is correct, "
                "then enter the newest code",
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": _grouped_secret(device),
            "next": _safe_next(request),
            "demo_skip": settings.JOINEDUP_DEMO,
            "required": requires_two_factor(user),
        },
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_two_factor_device():
        return redirect(f"{reverse('accounts:two_factor_setup')}?{request.GET.urlencode()}")
    if user.is_verified():
        return HttpResponseRedirect(_safe_next(request))
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled_until(TOTPDevice.objects.filter(user=user, confirmed=True).first())
        matched = None if wait else match_token(user, form.cleaned_data["token"])
        if matched is not None:
            otp_login(request, matched)
            audit.record(actor=user, verb=AuditVerb.TWO_FACTOR_VERIFIED, target=user)
            return HttpResponseRedirect(_safe_next(request))
        audit.record(actor=user, verb=AuditVerb.TWO_FACTOR_FAILED, target=user)
        form.add_error(
            "token", wait or "The code is not right. Enter the newest code from your app"
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _safe_next(request), "demo_skip": settings.JOINEDUP_DEMO},
    )


@require_POST
def two_factor_skip(request: HttpRequest) -> HttpResponse:
    if not settings.JOINEDUP_DEMO:
        raise Http404("Two-factor sign-in can only be skipped in the demo.")
    request.session[DEMO_SKIP_SESSION_KEY] = True
    audit.record(actor=request.user, verb=AuditVerb.TWO_FACTOR_SKIPPED, target=request.user)  # type: ignore[arg-type]
    return HttpResponseRedirect(_safe_next(request))


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    form_class = forms.NewPasswordForm
    template_name = "accounts/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("accounts:two_factor_setup")
    reset_url_token = "set-password"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, "Your password is set. Welcome to JoinedUp.")
        return response


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response


class ResetRequestView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        audit.record(
            actor=None,
            verb=AuditVerb.PASSWORD_RESET_REQUESTED,
            actor_label=form.cleaned_data["email"],
        )
        return super().form_valid(form)


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = forms.ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:my_account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, "Your password has been changed.")
        return response


@require_GET
def my_account(request: HttpRequest) -> HttpResponse:
    account = selectors.own_account(viewer=request.user)
    return render(request, "accounts/my_account.html", {"account": account})


# --- Administering people and roles ---------------------------------------------------------

USER_PAGE_SIZE = 50


@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    form = forms.UserSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Listing everyone under a filter that could not be applied would mislead.
        return render(request, "accounts/user_list.html", {"form": form, "page": None})
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
    users = selectors.user_search(viewer=request.user, **filters)
    page, query = paginate(request, users, USER_PAGE_SIZE)
    rows = selectors.user_page_rows(viewer=request.user, users=list(page.object_list))
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "rows": rows, "query": query},
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(
                actor=request.user,  # type: ignore[arg-type]
                invitation=services.Invitation(**form.cleaned_data),
                base_url=_base_url(request),
            )
        except services.AccountError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


@require_GET
def user_detail(request: HttpRequest, user_id: Any) -> HttpResponse:
    person = selectors.user_detail(viewer=request.user, user_id=user_id)
    return render(
        request,
        "accounts/user_detail.html",
        {"person": person},
    )


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: Any) -> HttpResponse:
    person = selectors.user_detail(viewer=request.user, user_id=user_id)
    form = forms.UserEditForm(
        request.POST or None, initial={"full_name": person.full_name, "email": person.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=person, **form.cleaned_data)  # type: ignore[arg-type]
        except services.AccountError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Details saved.")
            return redirect("accounts:user_detail", user_id=person.pk)
    return render(request, "accounts/user_edit.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, user_id: Any) -> HttpResponse:
    person = selectors.user_detail(viewer=request.user, user_id=user_id)
    form = forms.RoleFields(request.POST or None, prefix="role")
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_grant(
                actor=request.user,  # type: ignore[arg-type]
                user=person,
                **form.cleaned_data,
            )
        except services.AccountError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"{person.display_name} is now {membership}.")
            return redirect("accounts:user_detail", user_id=person.pk)
    return render(request, "accounts/membership_add.html", {"form": form, "person": person})


def _admin_action(request: HttpRequest, user_id: Any, action: Any, done: str) -> HttpResponse:
    person = selectors.user_detail(viewer=request.user, user_id=user_id)
    try:
        action(person)
    except services.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done.format(name=person.display_name))
    return redirect("accounts:user_detail", user_id=person.pk)


@require_POST
def membership_end(request: HttpRequest, user_id: Any, membership_id: Any) -> HttpResponse:
    membership = selectors.membership_for_admin(viewer=request.user, membership_id=membership_id)
    if str(membership.user_id) != str(user_id):
        raise Http404("No such role for this person.")
    return _admin_action(
        request,
        user_id,
        lambda person: services.membership_end(actor=request.user, membership=membership),  # type: ignore[arg-type]
        f"{{name}} is no longer {membership}. To undo, add the role again.",
    )


@require_POST
def user_deactivate(request: HttpRequest, user_id: Any) -> HttpResponse:
    return _admin_action(
        request,
        user_id,
        lambda person: services.user_deactivate(actor=request.user, user=person),  # type: ignore[arg-type]
        "{name} can no longer sign in. To undo, reactivate the account.",
    )


@require_POST
def user_reactivate(request: HttpRequest, user_id: Any) -> HttpResponse:
    return _admin_action(
        request,
        user_id,
        lambda person: services.user_reactivate(actor=request.user, user=person),  # type: ignore[arg-type]
        "{name} can sign in again.",
    )


@require_POST
def user_reset_two_factor(request: HttpRequest, user_id: Any) -> HttpResponse:
    return _admin_action(
        request,
        user_id,
        lambda person: services.two_factor_reset(actor=request.user, user=person),  # type: ignore[arg-type]
        "{name} will set up a new authenticator app the next time they sign in.",
    )


@require_POST
def user_resend_invitation(request: HttpRequest, user_id: Any) -> HttpResponse:
    return _admin_action(
        request,
        user_id,
        lambda person: services.invitation_resend(
            actor=request.user,  # type: ignore[arg-type]
            user=person,
            base_url=_base_url(request),
        ),
        "A new invitation has been sent to {name}.",
    )
