"""The data-quality page's filter (docs/data-quality.md)."""

from typing import Any

from django import forms

from joinedup.core.forms import GovukForm
from joinedup.panels.models import Panel

MONTH_CHOICES = [(3, "The last 3 months"), (6, "The last 6 months"), (12, "The last 12 months")]
DEFAULT_MONTHS = 6


class QualityFilterForm(GovukForm):
    months = forms.TypedChoiceField(
        label="Months to show",
        required=False,
        coerce=int,
        empty_value=None,
        choices=MONTH_CHOICES,
        initial=DEFAULT_MONTHS,
        error_messages={"invalid_choice": "Select how many months to show from the list"},
    )
    panel = forms.ModelChoiceField(
        label="Panel",
        required=False,
        queryset=Panel.objects.none(),
        empty_label="Every panel you can see",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a panel from the list"},
    )

    def __init__(self, *args: Any, panels: list[Panel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["panel"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Panel.objects.filter(pk__in=[p.pk for p in panels]).order_by("name")
