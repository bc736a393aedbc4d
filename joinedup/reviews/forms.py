from django import forms

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.reviews.models import ReviewKind

KIND_HELP = {
    ReviewKind.RELATIONSHIPS: (
        "Each member organisation rates the partners it works with on value and trust, "
        "as in the PARTNER tool."
    ),
    ReviewKind.HEALTH: (
        "Each member rates statements about the six partnership principles and can add "
        "hopes and fears, anonymously."
    ),
}


class RoundForm(GovukForm):
    kind = forms.ChoiceField(
        label="Which review",
        choices=ReviewKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which review this round is for"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Members see this, for example “Spring 2027 health check”.",
        error_messages={"required": "Enter a title for the round"},
    )
    opens_on = GovukDateField(label="Date it opens", help_text="For example, 4 1 2027.")
    closes_on = GovukDateField(
        label="Date it closes",
        help_text="Members can answer until the end of this day. Three or four weeks is usual.",
    )
