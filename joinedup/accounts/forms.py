from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator

from joinedup.core.forms import GovukForm, GovukFormMixin
from joinedup.core.roles import Role
from joinedup.organisations.models import Organisation

PASSWORD_MAX_LENGTH = 4096


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
    }
    default_error_messages_by_field = {
        "username": {
            "invalid": "Enter an email address in the correct format, like name@example.org"
        }
    }


class PasswordResetRequestForm(GovukFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    default_error_messages_by_field = {
        "email": {"invalid": "Enter an email address in the correct format, like name@example.org"}
    }


class NewPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 12 characters. A few unrelated words together make a strong password."
        )
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        for name in ("new_password1", "new_password2"):
            field = self.fields[name]
            field.widget.attrs["autocomplete"] = "new-password"
            # No longer than the sign-in form accepts, or the password could never be used.
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            field.error_messages["max_length"] = (
                f"{field.label} must be {PASSWORD_MAX_LENGTH} characters or fewer"
            )
            self.fields[name].error_messages["required"] = (
                "Enter a new password" if name == "new_password1" else "Confirm your new password"
            )
        self.error_messages["password_mismatch"] = "The two passwords do not match"


class ChangePasswordForm(NewPasswordForm, auth_forms.PasswordChangeForm):
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.error_messages["password_incorrect"] = "Your current password is not correct"


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code, for example 123456",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )
    default_error_messages_by_field = {
        "token": {
            "required": "Enter the 6-digit code from your authenticator app",
            "min_length": "Enter the 6-digit code from your authenticator app",
            "max_length": "Enter the 6-digit code from your authenticator app",
        }
    }

    def clean_token(self) -> str:
        token = "".join(str(self.cleaned_data["token"]).split())
        if not token.isdigit():
            raise forms.ValidationError("The code must be numbers only, like 123456")
        return token


def _organisation_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )


class RoleFields(GovukForm):
    organisation = _organisation_choices()
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select a role from the list",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)


class InviteForm(RoleFields):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work email address. The invitation goes here.",
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    field_order = ["full_name", "email", "organisation", "role", "job_title"]
    default_error_messages_by_field = {
        "email": {"invalid": "Enter an email address in the correct format, like name@example.org"}
    }


class UserEditForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    default_error_messages_by_field = InviteForm.default_error_messages_by_field


class UserSearchForm(GovukForm):
    q = forms.CharField(label="Name or email address", required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Any organisation",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
