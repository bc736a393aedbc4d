from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.panels.models import Meeting


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
