from django.contrib.auth import views as auth_views
from django.urls import path

from joinedup.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("password-reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/skip/", views.two_factor_skip, name="two_factor_skip"),
    path("you/", views.my_account, name="my_account"),
    path("you/password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("people/", views.user_list, name="user_list"),
    path("people/invite/", views.user_invite, name="user_invite"),
    path("people/<uuid:user_id>/", views.user_detail, name="user_detail"),
    path("people/<uuid:user_id>/edit/", views.user_edit, name="user_edit"),
    path("people/<uuid:user_id>/roles/add/", views.membership_add, name="membership_add"),
    path(
        "people/<uuid:user_id>/roles/<uuid:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("people/<uuid:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("people/<uuid:user_id>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path(
        "people/<uuid:user_id>/reset-two-factor/",
        views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path(
        "people/<uuid:user_id>/resend-invitation/",
        views.user_resend_invitation,
        name="user_resend_invitation",
    ),
]
