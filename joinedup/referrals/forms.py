"""The referral's question pages, one form each, in the order a referrer meets them."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.children.identifiers import nhs_number_is_valid, nhs_number_normalise
from joinedup.children.models import Child, Ethnicity, Relationship, Religion, Sex
from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.organisations.models import Locality, Organisation, OrganisationKind
from joinedup.referrals.models import Concern, FamilyAware, Urgency

YES_NO = [("yes", "Yes"), ("no", "No")]


class ChildForm(GovukForm):
    given_name = forms.CharField(label="Given name", max_length=100)
    family_name = forms.CharField(label="Family name", max_length=100)
    preferred_name = forms.CharField(
        label="Name they like to be called (optional)", max_length=100, required=False
    )
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2015")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born >= timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return born


class MoreAboutChildForm(GovukForm):
    """Optional details that help match records and meet the child's needs."""

    other_names = forms.CharField(
        label="Other or previous names (optional)",
        help_text="Separate names with commas, for example a previous family name.",
        max_length=300,
        required=False,
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        help_text="10 digits, for example 943 476 5919",
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOT_RECORDED
    )
    first_language = forms.CharField(
        label="First language (optional)", max_length=60, required=False
    )
    interpreter_needed = forms.BooleanField(
        label="The child or family needs an interpreter", required=False
    )
    religion = forms.ChoiceField(
        label="Religion or faith (optional)",
        choices=[("", "Not recorded"), *Religion.choices],
        required=False,
    )
    school = forms.ModelChoiceField(
        label="School (optional)",
        queryset=Organisation.objects.filter(kind=OrganisationKind.SCHOOL, is_active=True),
        required=False,
        empty_label="Not known or not listed",
        error_messages={"invalid_choice": "Select a school from the list"},
    )

    def clean_nhs_number(self) -> str:
        number = nhs_number_normalise(self.cleaned_data.get("nhs_number") or "")
        if number and not nhs_number_is_valid(number):
            raise forms.ValidationError(
                "NHS number must be 10 digits with a correct check digit, like 943 476 5919"
            )
        return number

    def clean_other_names(self) -> list[str]:
        raw = self.cleaned_data.get("other_names") or ""
        return [name.strip() for name in raw.split(",") if name.strip()]


class HomeForm(GovukForm):
    line_1 = forms.CharField(label="Address line 1", max_length=150)
    postcode = forms.RegexField(
        label="Postcode",
        max_length=8,
        regex=r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$",
        error_messages={"invalid": "Enter a real postcode, like BS5 6XY"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        queryset=Locality.objects.order_by("name"),
        empty_label="Choose the locality",
        help_text="The neighbourhood where the child lives.",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )


class CarerForm(GovukForm):
    carer_name = forms.CharField(label="Parent or carer's full name", max_length=150)
    carer_relationship = forms.ChoiceField(
        label="Their relationship to the child",
        choices=[("", "Choose a relationship"), *Relationship.choices],
        error_messages={"invalid_choice": "Select a relationship from the list"},
    )
    carer_has_parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility?", choices=YES_NO, widget=forms.RadioSelect
    )


class AboutYouForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Which organisation are you referring for?",
        queryset=Organisation.objects.none(),
        empty_label="Choose your organisation",
        error_messages={"invalid_choice": "Select one of your organisations"},
    )
    relationship_to_child = forms.CharField(
        label="Your relationship to the child",
        help_text="For example, class teacher, youth worker or family support worker",
        max_length=150,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(
            memberships__in=user.active_memberships()
        ).distinct()


class ReasonsForm(GovukForm):
    concerns = forms.ModelMultipleChoiceField(
        label="What is happening for the child?",
        help_text="Select all that apply.",
        queryset=Concern.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select reasons from the list"},
    )
    concerns_other = forms.CharField(
        label="Anything else, in your own words (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )
    what_has_been_tried = forms.CharField(
        label="What has been tried already?",
        help_text="Support the child or family has had, and what happened.",
        max_length=4000,
        widget=forms.Textarea,
    )
    urgency = forms.ChoiceField(
        label="How soon does the child need support?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("concerns")
            and not cleaned.get("concerns_other")
            and not (self.errors.get("concerns") or self.errors.get("concerns_other"))
        ):
            self.add_error(
                "concerns", "Select at least one reason for the referral, or describe it"
            )
        return cleaned


class FamilyForm(GovukForm):
    family_aware = forms.ChoiceField(
        label="Does the child's family know about this referral?",
        choices=FamilyAware.choices,
        widget=forms.RadioSelect,
    )
    family_not_aware_reason = forms.CharField(
        label="If not, why not?",
        help_text="Support through the panel is voluntary: the family will be asked to agree.",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("family_aware") == FamilyAware.NO and not cleaned.get(
            "family_not_aware_reason"
        ):
            self.add_error(
                "family_not_aware_reason",
                "Explain why the family does not know about the referral",
            )
        return cleaned


class SafeguardingForm(GovukForm):
    safeguarding_concern = forms.ChoiceField(
        label="Do you have a concern that the child is being harmed or is at risk of harm?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    safeguarding_details = forms.CharField(
        label="If yes, describe the concern",
        max_length=4000,
        required=False,
        widget=forms.Textarea,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("safeguarding_concern") == "yes" and not cleaned.get("safeguarding_details"):
            self.add_error("safeguarding_details", "Describe the safeguarding concern")
        return cleaned


class IdentityDecisionForm(GovukForm):
    """Who the referred child is, chosen from the possible existing records."""

    decision = forms.ChoiceField(
        label="Is this child already known?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who this child is"},
    )
    note = forms.CharField(
        label="Why (required when linking or deciding later)",
        help_text=(
            "For example: the same NHS number and date of birth; or: waiting for the school "
            "to confirm the date of birth."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, candidates: Sequence[Child] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (f"link:{child.pk}", f"The same child as {child.known_as} ({child.reference})")
            for child in candidates
        ]
        choices += [
            ("new", "A new child: none of these records"),
            ("later", "Decide later"),
        ]
        field: Any = self.fields["decision"]
        field.choices = choices


class IdentityUnlinkForm(GovukForm):
    reason = forms.CharField(
        label="Why was the link wrong?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
