from typing import Any

from django import forms

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.records.models import (
    MAX_RETENTION_MONTHS,
    MAX_UNTIL_AGE,
    MIN_UNTIL_AGE,
    MemberRectifiableField,
    RectifiableField,
    ReleaseMethod,
    Requester,
    SarStatus,
)

MAX_TEXT = 2000


def _text(label: str, help_text: str = "", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _reference() -> forms.CharField:
    return forms.CharField(
        label="The child's JoinedUp reference",
        help_text="Like JU-7KQ2-M9XD. Find it on any letter or record the family was given, or "
        "ask the child's keyworker or panel coordinator.",
        max_length=20,
    )


class RetentionPeriodForm(GovukForm):
    months = forms.IntegerField(
        label="Months after the case closed",
        help_text=f"A whole number of months, from 1 to {MAX_RETENTION_MONTHS}. For "
        "notifications, months after the notice was sent.",
        min_value=1,
        max_value=MAX_RETENTION_MONTHS,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    until_age = forms.IntegerField(
        label="And at least until the child is this age (optional)",
        help_text=f"A whole number from {MIN_UNTIL_AGE} to {MAX_UNTIL_AGE}, or leave empty.",
        min_value=MIN_UNTIL_AGE,
        max_value=MAX_UNTIL_AGE,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    reason = _text(
        "Why is the period changing?",
        "Kept in the audit trail: for example the partnership's decision and its date.",
    )
    default_error_messages_by_field = {
        "months": {
            "invalid": "Months must be a whole number",
            "min_value": "Months must be 1 or more",
            "max_value": f"Months must be {MAX_RETENTION_MONTHS} or fewer",
        },
        "until_age": {
            "invalid": "Age must be a whole number",
            "min_value": f"Age must be {MIN_UNTIL_AGE} or more",
            "max_value": f"Age must be {MAX_UNTIL_AGE} or less",
        },
    }


class SarCreateForm(GovukForm):
    reference = _reference()
    requester_name = forms.CharField(label="Who made the request?", max_length=150)
    requester = forms.ChoiceField(
        label="Who are they?", choices=Requester.choices, widget=forms.RadioSelect
    )
    received_on = GovukDateField(
        label="Date received",
        help_text="The day the request reached any partner: it is due one calendar month later.",
    )
    notes = _text(
        "Notes (optional)",
        "For example how their identity was checked. Not released to them.",
        required=False,
    )
    default_error_messages_by_field = {
        "reference": {"required": "Enter the child's JoinedUp reference, like JU-7KQ2-M9XD"},
        "requester_name": {"required": "Enter who made the request"},
        "requester": {"required": "Select who made the request"},
    }


class SarRedactionForm(GovukForm):
    names = forms.MultipleChoiceField(
        label="Names to take out of the copy that is released",
        help_text="Each is replaced by “[redacted: another person]” in the PDF and the JSON. "
        "Leave a name in where the requester already knows it or the person agreed.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = _text(
        "Why these names, or none?",
        "Kept in the audit trail: for example “the mother's details are known to the "
        "requester” or “the witness did not agree to their name being released”.",
    )

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["names"]
        field.choices = [(name, name) for name in names]
        field.error_messages["invalid_choice"] = "Choose names from the list of other people"


class SarReleaseForm(GovukForm):
    released_on = GovukDateField(
        label="Date the copy was sent",
        help_text="The day it was emailed, posted or handed over. For example, 27 3 2026.",
    )
    method = forms.ChoiceField(
        label="How was it sent?", choices=ReleaseMethod.choices, widget=forms.RadioSelect
    )
    method_other = forms.CharField(
        label="If another way, say how",
        help_text="For example “handed to their solicitor at the council offices”.",
        required=False,
        max_length=200,
    )
    released_to = forms.CharField(
        label="Who was it released to?",
        help_text="The person the copy was sent or handed to, for example the requester.",
        max_length=150,
    )
    default_error_messages_by_field = {
        "method": {"required": "Select how the copy was sent"},
        "released_to": {"required": "Enter who the copy was released to"},
    }


class SarCloseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What happened to the request?",
        choices=[
            (SarStatus.REFUSED, "It was refused"),
            (SarStatus.WITHDRAWN, "The requester withdrew it"),
        ],
        widget=forms.RadioSelect,
    )
    closed_on = GovukDateField(
        label="Date", help_text="The day it was refused or withdrawn. For example, 27 3 2026."
    )
    reason = _text(
        "Why?",
        "Kept with the request and in the audit trail. For a refusal, the reason given to the "
        "requester (for example, manifestly unfounded or excessive) and their right to "
        "complain to the Information Commissioner's Office.",
    )
    default_error_messages_by_field = {
        "outcome": {"required": "Select whether the request was refused or withdrawn"},
    }


class RightsFindForm(GovukForm):
    reference = _reference()


class RectificationForm(GovukForm):
    field = forms.ChoiceField(
        label="Which part of the record is wrong?", choices=RectifiableField.choices
    )
    new_value = forms.CharField(
        label="What should it say?",
        help_text="A date of birth like 2014-03-27; for sex, ethnicity or religion, the "
        "words of one of the choices on the child's record.",
        max_length=150,
        required=False,
    )
    requested_by = forms.CharField(label="Who asked for the correction?", max_length=150)
    reason = _text("Why was the record wrong?", "Kept with the correction and in the audit trail.")


class RestrictionForm(GovukForm):
    requested_by = forms.CharField(label="Who asked for the restriction?", max_length=150)
    reason = _text(
        "Why is processing restricted?",
        "For example: the family say the record is wrong, while that is checked.",
    )


class RestrictionLiftForm(GovukForm):
    reason = _text("Why is the restriction lifted?")


class MemberRectificationForm(GovukForm):
    member = forms.ChoiceField(
        label="Whose details are wrong?",
        help_text="Household members are shown by relationship: their names are in the subject "
        "access copy.",
        widget=forms.RadioSelect,
    )
    field = forms.ChoiceField(
        label="Which of their details is wrong?", choices=MemberRectifiableField.choices
    )
    new_value = forms.CharField(
        label="What should it say?",
        help_text="For relationship, the words of one of the choices (for example Mother, "
        "Kinship carer); for parental responsibility or living with the child, Yes or No.",
        max_length=150,
        required=False,
    )
    requested_by = forms.CharField(label="Who asked for the correction?", max_length=150)
    reason = _text("Why was the record wrong?", "Kept with the correction and in the audit trail.")
    default_error_messages_by_field = {
        "member": {
            "required": "Select whose details are wrong",
            "invalid_choice": "Select a member of the child's household from the list",
        },
        "field": {"required": "Select which of their details is wrong"},
        "requested_by": {"required": "Enter who asked for the correction"},
    }

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["member"]
        field.choices = [(str(member.pk), label) for member, label in members]
