"""The funding pages' forms: GOV.UK components, each error naming its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.funding.models import Funder, FunderKind, Post
from joinedup.funding.selectors import WINDOWS
from joinedup.organisations.models import Locality, Organisation


class QuietModelChoiceField(forms.ModelChoiceField):
    """A choice that is not even an id gets the same message as an unknown one, rather than
    the database's words about UUIDs."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


def _money(label: str, help_text: str, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": f"{label} must be a number of pounds, like 25000",
            "min_value": f"{label} must be £0 or more",
            "max_digits": f"{label} must be less than £10,000,000,000",
            "max_decimal_places": f"{label} must have no more than 2 decimal places (pence)",
            "max_whole_digits": f"{label} must be less than £10,000,000,000",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


WINDOW_CHOICES = [("", "Any time")] + [(str(m), f"In the next {m} months") for m in WINDOWS]


class StreamFilterForm(GovukForm):
    q = forms.CharField(
        label="Search",
        help_text="Words from the stream's name, its purpose or its funder.",
        required=False,
        max_length=100,
    )
    funder = QuietModelChoiceField(
        label="Funder",
        required=False,
        queryset=Funder.objects.all(),
        empty_label="Every funder",
        error_messages={"invalid_choice": "Select a funder from the list"},
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        help_text="Streams for one locality. City-wide streams have no locality.",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="Every locality",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
    months = forms.TypedChoiceField(
        label="Ending",
        required=False,
        coerce=int,
        empty_value=None,
        choices=WINDOW_CHOICES,
        error_messages={"invalid_choice": "Select when the streams end from the list"},
    )


class TimelineForm(GovukForm):
    months = forms.TypedChoiceField(
        label="Show streams ending",
        required=False,
        coerce=int,
        empty_value=None,
        choices=WINDOW_CHOICES,
        error_messages={"invalid_choice": "Select when the streams end from the list"},
    )


class FunderForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, help_text="For example, “Bristol City Council”."
    )
    kind = forms.ChoiceField(
        label="Kind of funder",
        choices=FunderKind.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the kind of funder"},
    )
    organisation = QuietModelChoiceField(
        label="Partner organisation (optional)",
        help_text="If the funder is also a partner in JoinedUp, its organisation.",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="Not a partner",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )


class StreamForm(GovukForm):
    funder = QuietModelChoiceField(
        label="Funder",
        help_text="Not in the list? Add the funder first.",
        queryset=Funder.objects.all(),
        error_messages={
            "required": "Select the funder",
            "invalid_choice": "Select a funder from the list",
        },
    )
    name = forms.CharField(
        label="Name of the stream",
        max_length=200,
        help_text="As the funder calls it, for example “Early help grant 2025 to 2027”.",
    )
    purpose = forms.CharField(
        label="What it is for (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = _money("Amount", "The whole stream, in pounds.", required=True)
    starts_on = GovukDateField(label="Date it starts", help_text="For example, 1 4 2025.")
    ends_on = GovukDateField(label="Date it ends", help_text="For example, 31 3 2027.")
    locality = forms.ModelChoiceField(
        label="Locality",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="The whole city",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
    is_renewable = forms.BooleanField(
        label="The stream can be renewed or bid for again", required=False
    )
    renewal_decision_on = GovukDateField(
        label="Date the renewal is decided (optional)",
        required=False,
        help_text="Only for a stream that can be renewed.",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=4000,
        help_text="Conditions, reporting dates, who to talk to at the funder.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StreamEndForm(GovukForm):
    ends_on = GovukDateField(
        label="Date it ends", help_text="On or before the date it was due to end."
    )
    reason = forms.CharField(
        label="Why it ends early",
        max_length=2000,
        help_text="For example, “The council cut the grant in its budget”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ServiceAttachForm(GovukForm):
    """The service is picked from the directory search above the form (as in the plans'
    service picker); `services` are the choices that search offered."""

    service = forms.ChoiceField(
        label="Service",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a service from the directory",
            "invalid_choice": "Select a service from the directory",
        },
    )
    amount = _money(
        "Amount for this service (optional)",
        "The part of the stream that goes to this service, if you know it.",
        required=False,
    )

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = {str(service.pk): service for service in services}
        service_field: Any = self.fields["service"]
        service_field.choices = [
            (pk, f"{service.name} ({service.provider.name})")
            for pk, service in self.services.items()
        ]

    def clean_service(self) -> Any:
        return self.services[self.cleaned_data["service"]]


class PostAttachForm(GovukForm):
    post = QuietModelChoiceField(
        queryset=Post.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That post no longer exists: describe it below"},
    )
    title = forms.CharField(
        label="Job title",
        max_length=200,
        required=False,
        help_text="For example, “Family support worker”.",
    )
    organisation = QuietModelChoiceField(
        label="Employer",
        help_text="The partner organisation that employs the post.",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours each week",
        help_text="Full time is 37 hours: 22.2 hours is 0.6 of a full-time post.",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal(60),
        max_digits=4,
        decimal_places=1,
        error_messages={
            "invalid": "Hours each week must be a number, like 22.5",
            "min_value": "Hours each week must be between 0.5 and 60",
            "max_value": "Hours each week must be between 0.5 and 60",
            "max_digits": "Hours each week must be between 0.5 and 60",
            "max_whole_digits": "Hours each week must be between 0.5 and 60",
            "max_decimal_places": "Hours each week must have no more than one decimal place",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    share = _money(
        "Amount for this post (optional)",
        "The part of the stream that pays for this post, if you know it.",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("post") is None and "post" not in self.errors:
            for name, message in (
                ("title", "Enter the post's job title"),
                ("organisation", "Select the organisation that employs the post"),
                ("hours_per_week", "Enter the post's hours each week"),
            ):
                if name not in self.errors and cleaned.get(name) in (None, ""):
                    self.add_error(name, message)
        return cleaned
