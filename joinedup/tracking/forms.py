from typing import Any

from django import forms

from joinedup.core.forms import GovukForm
from joinedup.tracking.models import GAP_WEEKS_RANGE, REPEAT_AGENCIES_RANGE, REPEAT_MONTHS_RANGE
from joinedup.tracking.services import NOTE_MAX


class FlagLookForm(GovukForm):
    note = forms.CharField(
        label="What did you find?",
        help_text=(
            "Say why nothing more is needed for now, for example who agreed what. The flag "
            "stays quiet until something new happens."
        ),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what you found and why nothing more is needed"},
    )


def _number(label: str, help_text: str, bounds: tuple[int, int], short: str) -> forms.IntegerField:
    low, high = bounds
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "required": f"Enter the {short}",
            "invalid": f"The {short} must be a whole number, like {low + 1}",
            "min_value": f"The {short} must be between {low} and {high}",
            "max_value": f"The {short} must be between {low} and {high}",
        },
    )


class SettingsForm(GovukForm):
    gap_weeks = _number(
        "Weeks without contact before a child is flagged",
        f"Between {GAP_WEEKS_RANGE[0]} and {GAP_WEEKS_RANGE[1]}. For children referred, or with "
        "a plan, who have no support started and nothing recorded for this long.",
        GAP_WEEKS_RANGE,
        "number of weeks without contact",
    )
    repeat_agencies = _number(
        "Different organisations referring the child",
        f"Between {REPEAT_AGENCIES_RANGE[0]} and {REPEAT_AGENCIES_RANGE[1]}. Two referrals "
        "from the same organisation count once.",
        REPEAT_AGENCIES_RANGE,
        "number of different organisations",
    )
    repeat_months = _number(
        "Within how many months",
        f"Between {REPEAT_MONTHS_RANGE[0]} and {REPEAT_MONTHS_RANGE[1]}.",
        REPEAT_MONTHS_RANGE,
        "number of months",
    )

    def __init__(self, *args: Any, thresholds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                gap_weeks=thresholds.gap_weeks,
                repeat_agencies=thresholds.repeat_agencies,
                repeat_months=thresholds.repeat_months,
            )
