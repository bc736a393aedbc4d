from typing import Any

from django import forms

from joinedup.accounts.models import Membership
from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.panels.models import AgendaItem

NOT_ABOUT_A_CASE = ""


def owner_choices(owners: list[Membership]) -> list[tuple[str, str]]:
    return [
        ("", "Choose a person"),
        *((str(m.pk), f"{m.user.display_name}, {m.organisation.name}") for m in owners),
    ]


def _revision() -> forms.IntegerField:
    # The revision the page was opened at: a save is refused if someone changed it since.
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class _OwnerChoice:
    def owner_membership(self) -> Membership | None:
        form: Any = self
        chosen = form.cleaned_data.get("owner")
        return next((m for m in form.owners if str(m.pk) == chosen), None)


class ActionForm(_OwnerChoice, GovukForm):
    title = forms.CharField(
        label="What is to be done?",
        help_text="In a line. Name a child by their pseudonym, never their name.",
        max_length=200,
    )
    agenda_item = forms.ChoiceField(
        label="Which case is it about?", required=False, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner = forms.ChoiceField(
        label="Who will do it?",
        help_text="The person, and the organisation they act for.",
    )
    due_on = GovukDateField(label="Due date", help_text="For example, 27 3 2027")
    default_error_messages_by_field = {
        "owner": {"invalid_choice": "Select who will do it from the list"},
        "agenda_item": {"invalid_choice": "Select a case on this meeting's agenda"},
    }

    def __init__(
        self,
        *args: Any,
        owners: list[Membership],
        items: list[AgendaItem] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owners = owners
        self.items = items or []
        owner: Any = self.fields["owner"]
        owner.choices = owner_choices(owners)
        if self.items:
            item: Any = self.fields["agenda_item"]
            item.choices = [
                *((str(i.pk), f"{i.child.pseudonym} ({i.child.reference})") for i in self.items),
                (NOT_ABOUT_A_CASE, "Not about one child's case"),
            ]
        else:
            del self.fields["agenda_item"]

    def chosen_item(self) -> AgendaItem | None:
        chosen = self.cleaned_data.get("agenda_item")
        return next((i for i in self.items if str(i.pk) == chosen), None)


class CompleteForm(GovukForm):
    revision = _revision()
    outcome = forms.CharField(
        label="What was done?",
        help_text="Enough for the panel to see the action is finished. Name a child by their "
        "pseudonym.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReassignForm(_OwnerChoice, GovukForm):
    revision = _revision()
    owner = forms.ChoiceField(label="Who will do it now?")
    default_error_messages_by_field = {
        "owner": {"invalid_choice": "Select who will do it now from the list"}
    }
    reason = forms.CharField(
        label="Why is it moving?", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = owners
        owner: Any = self.fields["owner"]
        owner.choices = owner_choices(owners)


class DueDateForm(GovukForm):
    revision = _revision()
    due_on = GovukDateField(label="New due date", help_text="For example, 27 3 2027")
    reason = forms.CharField(
        label="Why does the date change?",
        help_text="Kept with the action and shown to the panel.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(GovukForm):
    revision = _revision()
    reason = forms.CharField(
        label="Why is the action no longer needed?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportPeriodForm(GovukForm):
    start = GovukDateField(label="Actions due from", required=False)
    end = GovukDateField(label="Actions due up to", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be the same as or after its start")
        return cleaned
