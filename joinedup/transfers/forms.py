from typing import Any

from django import forms

from joinedup.accounts.models import Membership
from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.organisations.models import Locality, Organisation
from joinedup.transfers.services import TEXT_MAX


def _long_text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class TransferRequestForm(GovukForm):
    new_locality = forms.ChoiceField(
        label="Which locality is the child moving to?",
        help_text="The panel that covers it is asked to take the case.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the locality the child is moving to",
            "invalid_choice": "Select a locality from the list",
        },
    )
    moves_on = GovukDateField(
        label="Date the child moves", help_text="For example, 27 3 2026. It can be a planned date."
    )
    new_address_line_1 = forms.CharField(
        label="New address line 1 (optional)",
        help_text="Only the team around the child sees it, and the receiving panel once it "
        "accepts.",
        required=False,
        max_length=150,
    )
    new_postcode = forms.CharField(
        label="New postcode (optional)",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    reason = _long_text(
        "Why is the case moving?", "For example, the family has moved to a new tenancy."
    )
    risks = _long_text(
        "What should the receiving panel know about risks?",
        "What worries the people working with the child now, and what keeps them safe. "
        "Refer to the child by their pseudonym, not their name.",
    )
    what_is_working = _long_text(
        "What is working for the child?",
        "The support, people and routines that help, so they are not lost in the move.",
    )
    who_knows_the_child = _long_text(
        "Who knows the child?",
        "The workers and organisations the child trusts and how to reach them.",
    )

    def __init__(self, *args: Any, localities: list[Locality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["new_locality"]
        field.choices = [(str(locality.pk), locality.name) for locality in localities]
        self._localities = {str(locality.pk): locality for locality in localities}

    def locality(self) -> Locality | None:
        return self._localities.get(self.cleaned_data.get("new_locality") or "")


class TransferAcceptForm(GovukForm):
    handover_read = forms.BooleanField(
        label="I have read the handover, and the panel takes the case",
        error_messages={"required": "Confirm that you have read the handover"},
    )
    keyworker = forms.ChoiceField(
        label="Lead keyworker from now on",
        required=False,
        help_text="Leave it as it is for the keyworker to carry on. A new keyworker joins the "
        "team around the child and the one before leaves it.",
        error_messages={"invalid_choice": "Select a keyworker from the list"},
    )

    def __init__(
        self,
        *args: Any,
        memberships: list[Membership],
        keep_label: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if keep_label is None:
            # No open plan: there is no keyworker to keep or change.
            del self.fields["keyworker"]
            self._memberships: dict[str, Membership] = {}
            return
        field: Any = self.fields["keyworker"]
        field.choices = [
            ("", keep_label),
            *[(str(m.pk), f"{m.user.display_name}, {m.organisation.name}") for m in memberships],
        ]
        self._memberships = {str(m.pk): m for m in memberships}

    def chosen_keyworker(self) -> tuple[Any, Organisation | None]:
        membership = self._memberships.get(self.cleaned_data.get("keyworker") or "")
        if membership is None:
            return None, None
        return membership.user, membership.organisation


class TransferDeclineForm(GovukForm):
    reason = _long_text(
        "Why can the panel not take the case?",
        "The sending panel reads this, and the case stays with them. Say what would help.",
    )


class TransferWithdrawForm(GovukForm):
    reason = _long_text(
        "Why is the request withdrawn?", "For example, the family did not move after all."
    )
