from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.core.validators import no_markup
from joinedup.panels.models import Meeting, PanelRole


class MeetingForm(GovukForm):
    day = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2027")
    start_time = forms.TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={"invalid": "Enter the start time like 14:30"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    location = forms.CharField(
        label="Where (optional)",
        help_text="A room and building, or 'Online'",
        required=False,
        max_length=200,
    )

    def starts_at(self) -> datetime:
        day = self.cleaned_data["day"]
        start: time = self.cleaned_data["start_time"]
        return timezone.make_aware(datetime.combine(day, start))


class AgendaAddForm(GovukForm):
    meeting = forms.ChoiceField(label="Which meeting?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["meeting"]
        field.choices = [
            (
                str(meeting.pk),
                f"{timezone.localtime(meeting.starts_at):%A %-d %B %Y, %H:%M}"
                + (f" at {meeting.location}" if meeting.location else ""),
            )
            for meeting in meetings
        ]


class AgendaRemoveForm(GovukForm):
    reason = forms.CharField(
        label="Why is the case coming off the agenda?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class MemberAddForm(GovukForm):
    email = forms.EmailField(
        label="Their email address in JoinedUp",
        help_text="They need a JoinedUp account first: an administrator of their organisation "
        "can invite them.",
        max_length=254,
    )
    organisation = forms.ChoiceField(
        label="Which organisation do they represent? (optional)",
        help_text="Leave blank if they work for one organisation only.",
        required=False,
    )
    role = forms.ChoiceField(label="Their role on the panel", widget=forms.RadioSelect)
    has_delegated_authority = forms.ChoiceField(
        label="Can they commit their organisation's resources at the panel?",
        help_text="Delegated authority: they can agree to a service or a place without first "
        "asking a manager.",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    deputy_for = forms.ChoiceField(
        label="Are they a deputy? (optional)",
        help_text="A deputy attends in a member's place, for the same organisation.",
        required=False,
    )
    started_on = GovukDateField(label="Sitting from", help_text="For example, 1 9 2027")

    def __init__(
        self,
        *args: Any,
        organisations: list[Any],
        members: list[Any],
        criteria: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].choices = [("", "Choose an organisation")] + [
            (str(organisation.pk), organisation.name) for organisation in organisations
        ]
        fields["role"].choices = PanelRole.choices
        fields["deputy_for"].choices = [("", "Not a deputy")] + [
            (str(member.pk), f"Deputy for {member.user.display_name} ({member.organisation})")
            for member in members
            if member.deputy_for_id is None
        ]
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=f"How do they meet this criterion: {criterion.text}",
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
                # Added after the form's own set-up, so its checks are added here too.
                validators=[no_markup],
                error_messages={
                    "required": f"Say how they meet the criterion: {criterion.text}",
                    "max_length": "How they meet a criterion must be 500 characters or fewer",
                },
            )

    def criteria_met(self) -> dict[str, str]:
        return {
            str(criterion.pk): self.cleaned_data.get(f"criterion_{criterion.pk}", "")
            for criterion in self.criteria
        }


class MemberEndForm(GovukForm):
    ended_on = GovukDateField(label="Last day on the panel", help_text="For example, 31 7 2027")
    reason = forms.CharField(
        label="Why does the seat end?",
        help_text="For example: left the organisation, or another colleague takes the seat.",
        max_length=500,
    )


class CriterionForm(GovukForm):
    text = forms.CharField(
        label="Add a criterion",
        help_text='For example: "Works with children and families in the locality" or "Can '
        "commit their agency's resources\".",
        max_length=300,
    )


class TermsForm(GovukForm):
    text = forms.CharField(
        label="Terms of reference",
        help_text="The panel's purpose, who sits on it, how it decides, how often it meets, "
        "and how it shares information. Up to 9,000 characters (about three pages): for a "
        "longer document, summarise it here and say where the full text is kept.",
        max_length=9000,
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    adopted_on = GovukDateField(
        label="Date the panel adopted them", help_text="For example, 3 9 2027"
    )
    change_summary = forms.CharField(
        label="What changed from the last version (leave blank for the first version)",
        required=False,
        max_length=300,
    )
