"""The forms the people who keep directory entries fill in (docs/directory-editing.md)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.core.validators import no_markup
from joinedup.directory.models import (
    AGE_RANGE,
    ReferralRoute,
    Service,
    ServiceStatus,
    TaxonomyTerm,
    Weekday,
)
from joinedup.directory.services import CLOSED_STATUSES, FundingStream, ServiceDetails
from joinedup.organisations.models import Locality

# A service shows at least this many funding rows, and always one empty row more than it has.
FUNDING_ROWS = 2
_PHONE = re.compile(r"[0-9 +()\-]{6,40}")
_TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def _whole(label: str) -> dict[str, str]:
    return {
        "invalid": f"{label} must be a whole number, like 12",
        "min_value": f"{label} must be 0 or more",
    }


class ProviderForm(GovukForm):
    name = forms.CharField(label="Name of the provider", max_length=250)
    description = forms.CharField(
        label="What the provider does",
        max_length=4000,
        widget=forms.Textarea,
        help_text="One or two sentences that families and professionals will read.",
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a website address like https://example.org"},
    )


class ServiceForm(GovukForm):
    name = forms.CharField(label="Name of the service", max_length=250)
    description = forms.CharField(
        label="What the service does",
        max_length=4000,
        widget=forms.Textarea,
        help_text="What a child or young person does there and what difference it makes.",
    )
    needs = forms.ModelMultipleChoiceField(
        label="Needs it helps with",
        queryset=TaxonomyTerm.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply. Search uses these to find the service.",
        error_messages={"invalid_choice": "Select needs from the list"},
    )
    minimum_age = forms.IntegerField(
        label="Youngest age (optional)",
        required=False,
        help_text=f"In years, from {AGE_RANGE[0]} to {AGE_RANGE[1]}. Leave empty if any age.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages=_whole("Youngest age"),
    )
    maximum_age = forms.IntegerField(
        label="Oldest age (optional)",
        required=False,
        help_text=f"In years, from {AGE_RANGE[0]} to {AGE_RANGE[1]}.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages=_whole("Oldest age"),
    )
    eligibility_description = forms.CharField(
        label="Who else it is for (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example, young carers, or children out of school.",
    )
    referral_route = forms.ChoiceField(
        label="How people get to the service",
        choices=ReferralRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select how people get to the service"},
    )
    how_to_refer = forms.CharField(
        label="How to refer or get in touch",
        max_length=2000,
        widget=forms.Textarea,
        help_text="What a professional or family does first: who to call, which form to send.",
    )
    localities = forms.ModelMultipleChoiceField(
        label="Localities it works in",
        queryset=Locality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if it works across the whole city.",
        error_messages={"invalid_choice": "Select localities from the list"},
    )
    location_name = forms.CharField(
        label="Name of the place (optional)",
        required=False,
        max_length=250,
        help_text="For example, Easton Community Centre. Leave the address empty if it has no "
        "place of its own.",
    )
    address_1 = forms.CharField(label="Address (optional)", required=False, max_length=250)
    city = forms.CharField(label="Town or city (optional)", required=False, max_length=100)
    postal_code = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=10,
        help_text="For example, BS5 0HE. Distance search uses it.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    contact_name = forms.CharField(
        label="Contact name or role (optional)",
        required=False,
        max_length=200,
        help_text="A role such as Duty worker is best: it stays right when people move on.",
    )
    contact_phone = forms.CharField(label="Telephone (optional)", required=False, max_length=40)
    contact_email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    url = forms.URLField(
        label="Web page (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address like https://example.org/service"},
    )
    languages = forms.CharField(
        label="Languages it is delivered in (optional)",
        required=False,
        max_length=500,
        help_text="Separated by commas, for example English, Somali, Polish.",
    )
    is_free = forms.TypedChoiceField(
        label="Cost",
        choices=[("yes", "Free"), ("no", "There is a charge")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select whether there is a charge"},
    )
    cost_amount = forms.DecimalField(
        label="Charge in pounds (if there is one)",
        required=False,
        max_digits=9,
        decimal_places=2,
        help_text="For example, 2.50",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "Charge must be an amount in pounds, like 2.50",
            "max_digits": "Charge must be less than £10,000,000",
            "max_decimal_places": "Charge must be in pounds and pence, like 2.50",
            "max_whole_digits": "Charge must be less than £10,000,000",
        },
    )
    cost_description = forms.CharField(
        label="What the charge is for (optional)",
        required=False,
        max_length=250,
        help_text="For example, per session, with a reduced rate for families on benefits.",
    )
    days = forms.MultipleChoiceField(
        label="Days it is open (optional)",
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select days from the list"},
    )
    opens_at = forms.TimeField(
        label="Opens at (optional)",
        required=False,
        input_formats=_TIME_FORMATS,
        help_text="24-hour clock, for example 16:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Opens at must be a time on the 24-hour clock, like 16:00"},
    )
    closes_at = forms.TimeField(
        label="Closes at (optional)",
        required=False,
        input_formats=_TIME_FORMATS,
        help_text="24-hour clock, for example 18:30",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Closes at must be a time on the 24-hour clock, like 18:30"},
    )
    capacity = forms.IntegerField(
        label="How many it can work with at once (optional)",
        required=False,
        min_value=0,
        max_value=100000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={**_whole("Capacity"), "max_value": "Capacity must be 100,000 or fewer"},
    )
    waiting_list_count = forms.IntegerField(
        label="How many are waiting (optional)",
        required=False,
        min_value=0,
        max_value=100000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            **_whole("Number waiting"),
            "max_value": "Number waiting must be 100,000 or fewer",
        },
    )
    waiting_weeks = forms.IntegerField(
        label="Usual wait in weeks (optional)",
        required=False,
        min_value=0,
        max_value=520,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={**_whole("Wait"), "max_value": "Wait must be 520 weeks or fewer"},
    )
    faith_based = forms.BooleanField(
        label="Run by or within a faith group",
        required=False,
        help_text="Families can then choose with that in mind; everyone is welcome to look.",
    )
    culturally_specific_for = forms.CharField(
        label="Culturally specific: who it is for (optional)",
        required=False,
        max_length=250,
        help_text="In your own words, for example Somali families.",
    )

    def __init__(self, *args: Any, funding_rows: int = FUNDING_ROWS, **kwargs: Any) -> None:
        self.funding_rows = max(funding_rows, 1)
        super().__init__(*args, **kwargs)
        for number in range(1, self.funding_rows + 1):
            self.fields[f"funding_{number}_source"] = forms.CharField(
                label=f"Funding stream {number}: where it comes from (optional)",
                required=False,
                max_length=250,
                help_text="For example, the Supporting Families grant." if number == 1 else "",
            )
            self.fields[f"funding_{number}_amount"] = forms.DecimalField(
                label=f"Funding stream {number}: amount in pounds (optional)",
                required=False,
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
                ),
                error_messages={
                    "invalid": "Amount must be in pounds, like 12000",
                    "min_value": "Amount cannot be less than £0",
                    "max_digits": "Amount must be less than £10,000,000,000",
                    "max_whole_digits": "Amount must be less than £10,000,000,000",
                    "max_decimal_places": "Amount must be in pounds and pence",
                },
            )
            self.fields[f"funding_{number}_starts_on"] = GovukDateField(
                label=f"Funding stream {number}: start date (optional)",
                required=False,
                help_text="For example, 1 4 2026",
            )
            self.fields[f"funding_{number}_ends_on"] = GovukDateField(
                label=f"Funding stream {number}: end date (optional)",
                required=False,
                help_text="For example, 31 3 2027. The partnership watches for funding ending.",
            )
        # GovukFormMixin set its messages before these fields existed.
        for name, field in self.fields.items():
            if name.startswith("funding_") and isinstance(field, forms.CharField):
                field.error_messages["max_length"] = (
                    f"{field.label} must be {field.max_length} characters or fewer"
                )
                if no_markup not in field.validators:
                    field.validators.append(no_markup)

    def clean_contact_phone(self) -> str:
        phone = str(self.cleaned_data.get("contact_phone") or "").strip()
        if phone and not _PHONE.fullmatch(phone):
            raise forms.ValidationError(
                "Enter a telephone number using digits, spaces and + ( ) - only, like 0117 496 0000"
            )
        return phone

    def clean_languages(self) -> list[str]:
        names = [n.strip() for n in str(self.cleaned_data.get("languages") or "").split(",")]
        names = [n for n in names if n]
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError("Each language must be 100 characters or fewer")
        return names

    def funding_sections(self) -> list[list[Any]]:
        return [
            [self[f"funding_{n}_{part}"] for part in ("source", "amount", "starts_on", "ends_on")]
            for n in range(1, self.funding_rows + 1)
        ]

    def details(self, *, status: str = ServiceStatus.ACTIVE) -> ServiceDetails:
        data = self.cleaned_data
        fundings = []
        for number in range(1, self.funding_rows + 1):
            parts = {
                part: data.get(f"funding_{number}_{part}")
                for part in ("source", "amount", "starts_on", "ends_on")
            }
            if any(value not in (None, "") for value in parts.values()):
                fundings.append(
                    FundingStream(
                        source=parts["source"] or "",
                        amount=parts["amount"],
                        starts_on=parts["starts_on"],
                        ends_on=parts["ends_on"],
                    )
                )
        simple: dict[str, Any] = {
            name: data.get(name)
            for name in (
                "name",
                "description",
                "minimum_age",
                "maximum_age",
                "eligibility_description",
                "referral_route",
                "how_to_refer",
                "location_name",
                "address_1",
                "city",
                "postal_code",
                "contact_name",
                "contact_phone",
                "contact_email",
                "url",
                "cost_amount",
                "cost_description",
                "opens_at",
                "closes_at",
                "capacity",
                "waiting_list_count",
                "waiting_weeks",
                "culturally_specific_for",
            )
        }
        for name, value in simple.items():
            if value is None and name in _TEXT_ANSWERS:
                simple[name] = ""
        return ServiceDetails(
            **simple,
            status=status,
            needs=list(data.get("needs") or []),
            localities=list(data.get("localities") or []),
            languages=data.get("languages") or [],
            is_free=bool(data.get("is_free")),
            days=list(data.get("days") or []),
            faith_based=bool(data.get("faith_based")),
            fundings=fundings,
        )


_TEXT_ANSWERS = {
    "name",
    "description",
    "eligibility_description",
    "referral_route",
    "how_to_refer",
    "location_name",
    "address_1",
    "city",
    "postal_code",
    "contact_name",
    "contact_phone",
    "contact_email",
    "url",
    "cost_description",
    "culturally_specific_for",
}


def funding_rows_for(service: Service | None) -> int:
    count = len(service.fundings.all()) if service is not None else 0
    return max(FUNDING_ROWS, count + 1)


def initial_for(service: Service) -> dict[str, Any]:
    """The form's answers as the service stands (its lists prefetched)."""
    initial: dict[str, Any] = {
        name: getattr(service, name)
        for name in (
            "name",
            "description",
            "minimum_age",
            "maximum_age",
            "eligibility_description",
            "referral_route",
            "how_to_refer",
            "url",
            "capacity",
            "waiting_list_count",
            "waiting_weeks",
            "faith_based",
            "culturally_specific_for",
        )
    }
    initial["needs"] = [link.term_id for link in service.service_terms.all()]
    initial["localities"] = [a.locality_id for a in service.service_areas.all() if a.locality_id]
    initial["languages"] = ", ".join(language.name for language in service.languages.all())
    initial["is_free"] = "yes" if service.is_free else "no"
    cost = next(iter(service.cost_options.all()), None)
    if cost is not None:
        initial["cost_amount"] = cost.amount
        initial["cost_description"] = cost.amount_description or cost.option
    contact = next(iter(service.contacts.all()), None)
    if contact is not None:
        initial.update(
            contact_name=contact.name, contact_phone=contact.phone, contact_email=contact.email
        )
    if not initial.get("contact_email"):
        initial["contact_email"] = service.email
    schedule = next(iter(service.schedules.all()), None)
    if schedule is not None:
        initial["days"] = [day for day in schedule.byday.split(",") if day]
        initial["opens_at"] = schedule.opens_at
        initial["closes_at"] = schedule.closes_at
    link = next(iter(service.service_at_locations.all()), None)
    if link is not None:
        location = link.location
        initial.update(
            location_name=location.name,
            address_1=location.address_1,
            city=location.city,
            postal_code=location.postal_code,
        )
    for number, funding in enumerate(service.fundings.all(), start=1):
        initial[f"funding_{number}_source"] = funding.source
        initial[f"funding_{number}_amount"] = funding.amount
        initial[f"funding_{number}_starts_on"] = funding.starts_on
        initial[f"funding_{number}_ends_on"] = funding.ends_on
    return initial


class CloseForm(GovukForm):
    status = forms.ChoiceField(
        label="Is it closed for good?",
        choices=[(value, ServiceStatus(value).label) for value in CLOSED_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select whether it is closed for good or for a while"},
    )
    alert = forms.CharField(
        label="Message for people who find the service",
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example, Closed over the summer holidays; sessions start again on "
        "8 September. Or where to go instead.",
    )
