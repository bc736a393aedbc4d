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


class ChildSearchForm(GovukForm):
    """Finding a child. Every box is optional; `q` is read as a reference, a pseudonym, a date
    of birth, a postcode or a name (joinedup.children.search.Criteria.from_text)."""

    q = forms.CharField(
        label="Name, reference or date of birth",
        help_text="For example Amina Yusuf, JU-7KQ2-M9XD, Child K7Q-2M or 3/4/2012. Names are "
        "found even when spelt a little differently.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = forms.CharField(
        label="Date of birth",
        help_text="For example 3/4/2012 or 2012-04-03 (day first)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    school = forms.CharField(
        label="School",
        help_text="Part of the school's name is enough",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label="Postcode of where the child lives now",
        help_text="A full postcode like BS2 0JA, or its first part like BS5",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-10"}),
    )

    def clean_date_of_birth(self) -> Any:
        from joinedup.children.search import SearchTermError, parse_date

        text = self.cleaned_data.get("date_of_birth", "")
        try:
            born = parse_date(text)
        except SearchTermError as error:
            raise forms.ValidationError(error.message) from error
        if text.strip() and born is None:
            raise forms.ValidationError("Date of birth must be a date, like 3/4/2012 or 2012-04-03")
        return born

    def criteria(self) -> Any:
        """The search to run; raises SearchTermError (naming `q` or `postcode`) for terms that
        cannot be searched for as typed."""
        from joinedup.children.search import Criteria

        data = self.cleaned_data
        return Criteria.from_text(
            data.get("q", ""),
            date_of_birth=data.get("date_of_birth"),
            school=data.get("school", ""),
            postcode=data.get("postcode", ""),
        )


class _KindsField(forms.MultipleChoiceField):
    """Kinds of event; a blank value, as an empty form sends, means none chosen."""

    def to_python(self, value: Any) -> list[str]:
        return [item for item in super().to_python(value) if item]


class TimelineFilterForm(GovukForm):
    kind = _KindsField(
        label="Show only",
        help_text="Choose none to see everything",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select kinds of event from the list"},
    )
    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("newest", "Newest first"), ("oldest", "Oldest first")],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select newest first or oldest first"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from joinedup.children.timeline import Kind

        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = Kind.choices

    @property
    def kinds(self) -> list[str]:
        return list(self.cleaned_data.get("kind") or []) if self.is_bound else []

    @property
    def oldest_first(self) -> bool:
        return self.is_bound and self.cleaned_data.get("order") == "oldest"
