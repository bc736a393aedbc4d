import re

from django import forms

from joinedup.core.forms import GovukForm
from joinedup.organisations.models import Locality, OrganisationKind

_OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


class OrganisationForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=[("", "Choose a kind"), *OrganisationKind.choices],
        error_messages={"invalid_choice": "Select a kind of organisation from the list"},
    )
    description = forms.CharField(
        label="What it does (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    localities = forms.ModelMultipleChoiceField(
        label="Localities it works in",
        help_text="Leave all unticked if it works across the whole city.",
        queryset=Locality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select localities from the list"},
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a website address like https://example.org"},
    )
    email = forms.EmailField(
        label="Contact email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    telephone = forms.CharField(label="Telephone (optional)", required=False, max_length=40)
    is_active = forms.BooleanField(
        label="Still working with the partnership",
        required=False,
        initial=True,
        help_text="Untick when an organisation closes or leaves. Its history is kept.",
    )

    def clean_telephone(self) -> str:
        telephone = str(self.cleaned_data.get("telephone") or "").strip()
        if telephone and not re.fullmatch(r"[0-9 +()\-]{6,40}", telephone):
            raise forms.ValidationError(
                "Enter a telephone number using digits, spaces and + ( ) - only, like 0117 496 0000"
            )
        return telephone


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\n]", value or "") if item.strip()]


class LocalityForm(GovukForm):
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=2000, widget=forms.Textarea
    )
    postcode_districts = forms.CharField(
        label="Postcode districts (optional)",
        required=False,
        max_length=500,
        help_text="The first part of the postcode, separated by commas, for example BS5, BS2",
    )
    wards = forms.CharField(
        label="Wards (optional)",
        required=False,
        max_length=1000,
        help_text="Separated by commas, for example Easton, Lawrence Hill",
    )

    def clean_postcode_districts(self) -> list[str]:
        districts = [
            d.upper().replace(" ", "") for d in _split_list(self.cleaned_data["postcode_districts"])
        ]
        wrong = [d for d in districts if not _OUTWARD_CODE.match(d)]
        if wrong:
            raise forms.ValidationError(
                f"{', '.join(wrong[:3])} is not the first part of a UK postcode, like BS5"
            )
        return list(dict.fromkeys(districts))

    def clean_wards(self) -> list[str]:
        return list(dict.fromkeys(_split_list(self.cleaned_data["wards"])))


class OrganisationSearchForm(GovukForm):
    q = forms.CharField(label="Name or what it does", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *OrganisationKind.choices],
        error_messages={"invalid_choice": "Select a kind from the list"},
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="Any locality",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
