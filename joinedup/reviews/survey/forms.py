"""The survey's two forms: first which partners the organisation works with (a list of
checkboxes, which stays short to read however large the partnership), then the questions about
those partners only, one fieldset each."""

from typing import Any

from django import forms

from joinedup.core.forms import GovukForm
from joinedup.organisations.models import Organisation
from joinedup.reviews.survey.models import (
    INTENSITY_HELP,
    Contribution,
    Intensity,
    Scale,
)
from joinedup.reviews.survey.services import PartnerRating, field_name

NONE = "none"

# (measure, label, question): the question is asked of each partner, named in its fieldset.
QUESTIONS = (
    ("power", "Power and influence", "How much can they change things in the partnership's area?"),
    ("involvement", "Level of involvement", "How involved are they in the partnership's work?"),
    (
        "resources",
        "Resource contribution",
        "How much do they bring to the partnership: money, staff, rooms, information?",
    ),
    ("reliability", "Reliability", "How far do they do what they say they will?"),
    (
        "mission",
        "Support of the shared mission",
        "How far do they support what the partnership is for?",
    ),
    (
        "openness",
        "Openness to discussion",
        "How willing are they to talk things through, disagreements included?",
    ),
)


class PartnersForm(GovukForm):
    partners = forms.MultipleChoiceField(
        label="Which of these organisations do you work with?",
        help_text="Select all that apply. You will then answer a few questions about each one.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, partners: list[Organisation], organisation: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["partners"]
        field.label = f"Which of these organisations does {organisation} work with?"
        field.choices = [(o.slug, o.name) for o in partners] + [(NONE, "None of them")]
        field.error_messages["required"] = (
            f"Select the organisations {organisation} works with, or select “None of them”"
        )
        field.error_messages["invalid_choice"] = (
            "Select organisations from the list: the partnership's members may have changed"
        )
        self.by_slug = {o.slug: o for o in partners}

    def clean_partners(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["partners"]
        if NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                "Select “None of them” on its own, or the organisations you work with"
            )
        return [slug for slug in chosen if slug != NONE]

    def chosen(self) -> list[Organisation]:
        return [self.by_slug[slug] for slug in self.cleaned_data["partners"]]


def _lower_first(text: str) -> str:
    return f"{text[0].lower()}{text[1:]}"


def _scale_field(label: str, question: str, name: str, required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=question,
        choices=[(str(value), f"{value}: {text}") for value, text in Scale.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": required,
            "invalid_choice": f"{name}: choose from 1 (not at all) to 4 (a great deal)",
        },
    )


class RatingsForm(GovukForm):
    contributions = forms.MultipleChoiceField(
        label="What does your organisation contribute to the partnership?",
        help_text="Select all that apply.",
        choices=Contribution.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select contributions from the list"},
    )

    def __init__(
        self, *args: Any, partners: list[Organisation], organisation: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        self.fields[
            "contributions"
        ].label = f"What does {organisation} contribute to the partnership?"
        contributions = self.fields.pop("contributions")
        for partner in partners:
            for measure, label, question in QUESTIONS:
                self.fields[field_name(partner, measure)] = _scale_field(
                    label,
                    question,
                    f"{label} of {partner.name}",
                    f"Select how you rate {partner.name} on {_lower_first(label)}",
                )
            self.fields[field_name(partner, "intensity")] = forms.TypedChoiceField(
                label="How closely do you work together?",
                choices=[
                    (str(level.value), f"{level.label}: {_lower_first(INTENSITY_HELP[level])}")
                    for level in Intensity
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select how closely you work with {partner.name}",
                    "invalid_choice": f"Select how closely you work with {partner.name}: "
                    "one of the four levels",
                },
            )
        # Last, after the partners: a question about the answering organisation itself.
        self.fields["contributions"] = contributions

    def groups(self) -> list[tuple[Organisation, list[forms.BoundField]]]:
        """Each partner with its questions' fields, for one fieldset per partner."""
        return [
            (
                partner,
                [self[field_name(partner, m)] for m, _, _ in QUESTIONS]
                + [self[field_name(partner, "intensity")]],
            )
            for partner in self.partners
        ]

    def ratings(self) -> dict[Organisation, PartnerRating]:
        data = self.cleaned_data
        return {
            partner: PartnerRating(
                **{m: data[field_name(partner, m)] for m, _, _ in QUESTIONS},
                intensity=data[field_name(partner, "intensity")],
            )
            for partner in self.partners
        }
