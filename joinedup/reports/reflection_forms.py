from django import forms

from joinedup.core.forms import GovukForm
from joinedup.reports.models_reflections import CommittedToActions
from joinedup.reports.reflection_services import REFLECTION_LENGTH

SCALE = [
    ("1", "1: not at all"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5: very"),
]


class PulseForm(GovukForm):
    useful = forms.ChoiceField(
        label="How useful was the meeting?", choices=SCALE, widget=forms.RadioSelect
    )
    heard = forms.ChoiceField(
        label="How far did you feel heard?", choices=SCALE, widget=forms.RadioSelect
    )
    actions = forms.ChoiceField(
        label="Did we commit to clear actions?",
        choices=CommittedToActions.choices,
        widget=forms.RadioSelect,
    )
    reflection = forms.CharField(
        label="Your reflection (optional)",
        required=False,
        max_length=REFLECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "What worked, what did not, what would make the next meeting better. Anonymous: "
            "shown without your name, apart from your scores, and only once enough people have "
            "answered. Do not name people, children or families, or write anything that would "
            f"show who you are. {REFLECTION_LENGTH} characters at most."
        ),
    )
