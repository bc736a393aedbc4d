from django import forms

from joinedup.core.forms import GovukForm
from joinedup.panels.models import Contribution

ATTENDING = [("yes", "Yes, I expect to be there"), ("no", "No, the panel has my written view")]


class ContributionForm(GovukForm):
    view = forms.CharField(
        label="Your view of the case for the panel",
        help_text="What you know of the child and family, what has helped so far and what you "
        "think would help now. Members outside the team around the child read it with the "
        "child's and family's names taken out.",
        max_length=Contribution.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    will_attend = forms.ChoiceField(
        label="Will you be at the meeting?", choices=ATTENDING, widget=forms.RadioSelect
    )

    def will_attend_value(self) -> bool:
        return bool(self.cleaned_data["will_attend"] == "yes")
