"""The consent pages' forms. Each checks what it can show next to the field; the services
check everything again, so no other way in can skip a rule."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.children.models import Child
from joinedup.consent import uploads
from joinedup.consent.models import Competence, HowTold, Method, Scope
from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.organisations.models import Organisation

CHILD = "child"


def _not_in_future(value: date | None, label: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")
    return value


class ConsentRecordForm(GovukForm):
    given_by = forms.ChoiceField(
        label="Who gave consent?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who gave consent",
            "invalid_choice": "Select who gave consent from the list",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What did they agree to?",
        help_text="Select all that apply.",
        choices=[(s.value, s.label) for s in Scope if s != Scope.SHARE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select what they agreed to from the list"},
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Which organisations may their information be shared with?",
        help_text=(
            "Select each organisation they agreed to. An organisation that is not selected "
            "cannot be added to the team around the child."
        ),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Select organisations from the list",
            "invalid_pk_value": "Select organisations from the list",
        },
    )
    method = forms.ChoiceField(
        label="How did they give consent?",
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they gave consent"},
    )
    witness_name = forms.CharField(
        label="Name of the witness (if they said so)",
        help_text="Someone who heard them agree, such as a colleague or interpreter.",
        max_length=150,
        required=False,
    )
    signed_form = forms.FileField(
        label="Signed consent form (if they signed one)",
        help_text="A scan or photo of the signed form: a PDF, JPEG or PNG file, smaller than 5 MB.",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    given_on = GovukDateField(label="Date consent was given", help_text="For example, 27 3 2026")
    expires_on = GovukDateField(
        label="Date consent ends (optional)",
        help_text="Leave blank if it lasts until they withdraw it or the case closes.",
        required=False,
    )

    def __init__(self, *args: Any, child: Child, child_competent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (str(member.pk), f"{member.full_name} ({member.get_relationship_display().lower()})")
            for member in child.household.all()
            if member.has_parental_responsibility
        ]
        if child_competent:
            choices.append((CHILD, f"{child.known_as}, the child"))
        field: Any = self.fields["given_by"]
        field.choices = choices
        self.members = {str(m.pk): m for m in child.household.all()}

    def clean_given_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("given_on"), "Date consent was given")

    def clean_signed_form(self) -> Any:
        upload = self.cleaned_data.get("signed_form")
        if upload:
            problem = uploads.signed_form_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("scopes")
            and not cleaned.get("organisations")
            and not (self.errors.get("scopes") or self.errors.get("organisations"))
        ):
            self.add_error(
                "scopes", "Select what they agreed to, or at least one organisation to share with"
            )
        method = cleaned.get("method")
        if (
            method == Method.VERBAL
            and not cleaned.get("witness_name")
            and not self.errors.get("witness_name")
        ):
            self.add_error("witness_name", "Enter the name of the witness")
        if (
            method == Method.SIGNED_FORM
            and not cleaned.get("signed_form")
            and not self.errors.get("signed_form")
        ):
            self.add_error("signed_form", "Choose the signed consent form to upload")
        given, ends = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and ends and ends <= given:
            self.add_error("expires_on", "Date consent ends must be after the date it was given")
        return cleaned


class ConsentWithdrawForm(GovukForm):
    withdrawn_on = GovukDateField(
        label="Date they withdrew consent", help_text="For example, 27 3 2026"
    )
    told_us = forms.ChoiceField(
        label="How did they tell us?",
        choices=HowTold.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they told us"},
    )
    reason = forms.CharField(
        label="What did they say?",
        help_text=(
            "Their reason, in their words if you can. Nobody has to give a reason: if they "
            "did not, write 'No reason given'."
        ),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what they said, or 'No reason given'"},
    )

    def __init__(self, *args: Any, given_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.given_on = given_on

    def clean_withdrawn_on(self) -> date | None:
        withdrawn = _not_in_future(
            self.cleaned_data.get("withdrawn_on"), "Date they withdrew consent"
        )
        if withdrawn is not None and withdrawn < self.given_on:
            raise forms.ValidationError(
                "Date they withdrew consent must be on or after the date it was given"
            )
        return withdrawn


class ChildViewForm(GovukForm):
    in_their_words = forms.CharField(
        label="What does the child say, in their own words?",
        help_text=(
            "What they think about getting support and about their information being shared. "
            "Write down what they said, not your summary of it."
        ),
        max_length=4000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what the child said, in their words"},
    )
    recorded_on = GovukDateField(
        label="Date the child told you", help_text="For example, 27 3 2026"
    )
    competence = forms.ChoiceField(
        label="Is the child competent to consent for themself?",
        help_text=(
            "Gillick competence: whether they understand what they are agreeing to, what "
            "happens to their information and that they can say no or change their mind."
        ),
        choices=Competence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child is competent to consent"},
    )
    competence_notes = forms.CharField(
        label="How did you judge this? (unless not assessed)",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )

    def clean_recorded_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("recorded_on"), "Date the child told you")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        competence = cleaned.get("competence")
        if (
            competence
            and competence != Competence.NOT_ASSESSED
            and not cleaned.get("competence_notes")
            and not self.errors.get("competence_notes")
        ):
            self.add_error(
                "competence_notes",
                "Explain how you judged whether the child could consent for themself",
            )
        return cleaned
