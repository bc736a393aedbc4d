from django import forms

from joinedup.core.forms import GovukForm
from joinedup.organisations.models import Locality


class AreaForm(GovukForm):
    """Which figures a steering group reads: one locality's, or the whole city's."""

    area = forms.ModelChoiceField(
        label="Area",
        help_text="A locality's local steering group, or the city-wide steering group.",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="The whole city",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select an area from the list"},
    )
