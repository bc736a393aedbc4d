from typing import Any

from django import forms

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.organisations.models import Locality
from joinedup.panels.models import Panel
from joinedup.reports import story_services
from joinedup.reports.models_stories import (
    FIGURE_CHOICES,
    ConsentGiver,
    ConsentHow,
    FamilyResponse,
    StoryScope,
    WithdrawnBy,
)


class StoryForm(GovukForm):
    child = forms.ChoiceField(
        label="Which child or young person is the story about?",
        help_text="Only the children and young people you work with are listed.",
    )
    figure = forms.ChoiceField(
        label="Which figure does the story illustrate?",
        choices=[("", "Choose a figure"), *FIGURE_CHOICES],
        help_text="The story is shown beside this figure in reports.",
    )
    scope = forms.ChoiceField(
        label="Whose figures is it for?", choices=StoryScope.choices, widget=forms.RadioSelect
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        queryset=Locality.objects.order_by("name"),
        required=False,
        help_text="If the story is for a locality's figures.",
    )
    panel = forms.ModelChoiceField(
        label="Panel",
        queryset=Panel.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text="If the story is for a panel's figures.",
    )
    title = forms.CharField(
        label="Title", max_length=story_services.TITLE_LENGTH, help_text="A few words."
    )
    text = forms.CharField(
        label="The story",
        max_length=story_services.TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "What happened, what helped and what changed, in a few paragraphs. Write naturally: "
            "the child's and family's names, the school, the address and places are replaced "
            "before anyone else reads it, and you check the result before it goes anywhere."
        ),
    )
    own_words = forms.CharField(
        label="The child's or family's own words (optional)",
        required=False,
        max_length=story_services.OWN_WORDS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only with their consent: record it below.",
    )
    consent_given_by = forms.ChoiceField(
        label="Who agreed to their own words being used?",
        choices=ConsentGiver.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    consent_given_on = GovukDateField(label="When they agreed", required=False)
    consent_how = forms.ChoiceField(
        label="How they agreed",
        choices=ConsentHow.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        child_field: Any = self.fields["child"]
        child_field.choices = [
            ("", "Choose a child or young person"),
            *((child.reference, f"{child.known_as} ({child.reference})") for child in children),
        ]
        self.children = {child.reference: child for child in children}

    def child_chosen(self) -> Any:
        return self.children.get(self.cleaned_data.get("child", ""))


class AnonymisedForm(GovukForm):
    anonymised_title = forms.CharField(label="Title, as readers will see it", max_length=200)
    anonymised_text = forms.CharField(
        label="The story, as readers will see it",
        max_length=story_services.TEXT_LENGTH + 1000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Take out anything else that could identify the child or family: other people's "
            "names, a rare event, a job, a club. Names and places from the child's record are "
            "taken out again when you save."
        ),
    )
    anonymised_own_words = forms.CharField(
        label="Their own words, as readers will see them",
        required=False,
        max_length=story_services.OWN_WORDS_LENGTH + 500,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class FamilyResponseForm(GovukForm):
    response = forms.ChoiceField(
        label="What did the child or family say?",
        choices=FamilyResponse.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What they asked to change, or anything else they said (optional)",
        required=False,
        max_length=story_services.COMMENTS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if they asked for changes. Erased if the story is withdrawn.",
    )


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Publish it: it is anonymous and ready to be read beside the figures"),
            ("return", "Return it to the author with comments"),
        ],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label="Comments for the author",
        required=False,
        max_length=story_services.COMMENTS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if you return it: say what to change.",
    )


class WithdrawForm(GovukForm):
    by = forms.ChoiceField(
        label="Who is withdrawing the story?",
        choices=WithdrawnBy.choices,
        widget=forms.RadioSelect,
        help_text=(
            "The story's words are erased at once and it disappears from every report. This "
            "cannot be undone."
        ),
    )
