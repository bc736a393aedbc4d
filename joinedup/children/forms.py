"""The child record's forms. Each checks what it can show next to the field; the services
check everything again, so no other way in can skip a rule."""

import re
from typing import Any

from django import forms

from joinedup.children.models import HouseholdMember, Relationship
from joinedup.children.services import HouseholdMemberDetails
from joinedup.core.forms import GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]


class HouseholdMemberForm(GovukForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter their full name"},
        # Another person's details: the browser must not offer the worker's own name.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=[("", "Choose a relationship"), *Relationship.choices],
        error_messages={
            "required": "Select their relationship to the child",
            "invalid_choice": "Select a relationship from the list",
        },
    )
    has_parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility for the child?",
        help_text="Only someone with parental responsibility can give consent for the child.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they have parental responsibility",
            "invalid_choice": "Select Yes or No for parental responsibility",
        },
    )
    lives_with_child = forms.ChoiceField(
        label="Do they live with the child?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they live with the child",
            "invalid_choice": "Select Yes or No for whether they live with the child",
        },
    )
    telephone = forms.CharField(
        label="Telephone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )

    @staticmethod
    def initial_from(member: HouseholdMember) -> dict[str, Any]:
        return {
            "full_name": member.full_name,
            "relationship": member.relationship,
            "has_parental_responsibility": "yes" if member.has_parental_responsibility else "no",
            "lives_with_child": "yes" if member.lives_with_child else "no",
            "telephone": member.telephone,
        }

    def clean_telephone(self) -> str:
        telephone = str(self.cleaned_data.get("telephone") or "").strip()
        if telephone and not re.fullmatch(r"[0-9 +()\-]{6,40}", telephone):
            raise forms.ValidationError(
                "Enter a telephone number using digits, spaces and + ( ) - only, like 0117 496 0000"
            )
        return telephone

    def details(self) -> HouseholdMemberDetails:
        data = self.cleaned_data
        return HouseholdMemberDetails(
            full_name=data["full_name"],
            relationship=data["relationship"],
            has_parental_responsibility=data["has_parental_responsibility"] == "yes",
            lives_with_child=data["lives_with_child"] == "yes",
            telephone=data["telephone"],
        )
