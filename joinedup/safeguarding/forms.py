from typing import Any

from django import forms

from joinedup.core.forms import GovukForm
from joinedup.organisations.models import Locality, Organisation
from joinedup.safeguarding.models import Outcome
from joinedup.safeguarding.services import MAX_TEXT

YES_NO = [("yes", "Yes"), ("no", "No")]
KNOWS_REFERENCE = [
    ("yes", "Yes"),
    ("no", "No, or the child is not in JoinedUp"),
]


def _long_text(label: str, help_text: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ConcernRaiseForm(GovukForm):
    """Raising a concern. From a child's page the child is already known (`for_reference`), so
    the questions about who the child is are left out."""

    knows_reference = forms.ChoiceField(
        label="Do you know the child's JoinedUp reference?",
        choices=KNOWS_REFERENCE,
        widget=forms.RadioSelect,
    )
    reference = forms.CharField(
        label="JoinedUp reference (if you know it)",
        help_text="For example, JU-7KQ2-M9XD. It is on the child's record in JoinedUp.",
        required=False,
        max_length=20,
    )
    child_description = _long_text(
        "Who is the child? (if you do not know the reference)",
        "Their name, age or date of birth, address or school: whatever you know. Only the "
        "safeguarding lead reads this.",
        required=False,
    )
    locality = forms.ChoiceField(label="Where does the child live? (optional)", required=False)
    organisation = forms.ChoiceField(
        label="Which organisation are you raising this for?", widget=forms.RadioSelect
    )
    what_happened = _long_text(
        "What did you see or hear, or what were you told?",
        "Use the words that were used, where you can, and say when it happened.",
    )
    why_worried = _long_text("Why are you worried about the child's safety?")
    immediate_danger = forms.ChoiceField(
        label="Do you think the child is in immediate danger?",
        help_text="If they are, call 999 now. JoinedUp is not an emergency service.",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    default_error_messages_by_field = {
        "knows_reference": {"required": "Select whether you know the child's JoinedUp reference"},
        "immediate_danger": {
            "required": "Select whether you think the child is in immediate danger"
        },
        "organisation": {"required": "Select the organisation you are raising this for"},
        "what_happened": {"required": "Enter what you saw or heard, or what you were told"},
        "why_worried": {"required": "Enter why you are worried about the child's safety"},
    }

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        localities: list[Locality],
        for_reference: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.for_reference = for_reference
        if for_reference:
            for name in ("knows_reference", "reference", "child_description", "locality"):
                del self.fields[name]
        else:
            locality: Any = self.fields["locality"]
            locality.choices = [("", "Not known"), *[(str(x.pk), x.name) for x in localities]]
            self.localities = {str(x.pk): x for x in localities}
        organisation: Any = self.fields["organisation"]
        organisation.choices = [(str(o.pk), o.name) for o in organisations]
        self.organisations = {str(o.pk): o for o in organisations}
        if len(organisations) == 1:
            self.initial.setdefault("organisation", str(organisations[0].pk))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.for_reference:
            return cleaned
        knows = cleaned.get("knows_reference")
        if knows == "yes" and not cleaned.get("reference", "").strip():
            self.add_error("reference", "Enter the child's JoinedUp reference")
        if knows == "no" and not cleaned.get("child_description", "").strip():
            self.add_error("child_description", "Enter who the child is, as far as you know")
        return cleaned

    def raise_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "organisation": self.organisations[data["organisation"]],
            "details": data["what_happened"],
            "why_worried": data["why_worried"],
            "immediate_danger": data["immediate_danger"] == "yes",
        }
        if self.for_reference:
            arguments["reference_given"] = self.for_reference
        elif data["knows_reference"] == "yes":
            arguments["reference_given"] = data["reference"]
        else:
            arguments["child_description"] = data["child_description"]
            arguments["locality"] = self.localities.get(data.get("locality") or "")
        return arguments


class ConcernActionForm(GovukForm):
    action = _long_text(
        "What did you do?",
        "For example: spoke to the person who raised it, checked with the child's school, made "
        "a referral to children's social care (with its reference).",
    )
    default_error_messages_by_field = {"action": {"required": "Enter what you did"}}


class ConcernCloseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What was the outcome?", choices=Outcome.choices, widget=forms.RadioSelect
    )
    reason = _long_text(
        "What was decided, and why?",
        "For no further safeguarding action, say why none is needed. The person who raised the "
        "concern sees the outcome, not this.",
    )
    default_error_messages_by_field = {
        "outcome": {"required": "Select the outcome"},
        "reason": {"required": "Enter what was decided, and why"},
    }
