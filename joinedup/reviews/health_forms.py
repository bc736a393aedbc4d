from typing import Any

from django import forms

from joinedup.core.forms import GovukForm
from joinedup.reviews import health

REFLECTION_LENGTH = 1000
REFLECTION_HELP = (
    "Optional. Anonymous: it is shown without your name, apart from your ratings, and only "
    "once enough people have answered. Do not name people, children or families, or write "
    f"anything that would show who you are. {REFLECTION_LENGTH} characters at most."
)
ANSWER_CHOICES = [
    *((str(point), label) for point, label in health.SCALE),
    (health.DONT_KNOW, health.DONT_KNOW_LABEL),
]


class HealthCheckForm(GovukForm):
    """One radio question per statement of the round's version, then the hopes and fears."""

    hopes = forms.CharField(
        label="Your hopes for the partnership",
        required=False,
        max_length=REFLECTION_LENGTH,
        widget=forms.Textarea,
        help_text=REFLECTION_HELP,
    )
    fears = forms.CharField(
        label="Your fears for the partnership",
        required=False,
        max_length=REFLECTION_LENGTH,
        widget=forms.Textarea,
        help_text=REFLECTION_HELP,
    )

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        number = 0
        statement_fields: dict[str, forms.Field] = {}
        for principle in health.principles(version):
            for statement in principle.statements:
                number += 1
                statement_fields[statement.key] = forms.ChoiceField(
                    label=f"{number}. {statement.text}",
                    choices=ANSWER_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": (
                            f"Select how far you agree with statement {number}, or “Don't know”"
                        ),
                        "invalid_choice": (
                            f"Statement {number}: choose one of the answers shown, or “Don't know”"
                        ),
                    },
                )
        # The statements first, in the order the page shows them.
        self.fields = {**statement_fields, **self.fields}

    def groups(self) -> list[tuple[health.Principle, list[forms.BoundField]]]:
        return [
            (principle, [self[s.key] for s in principle.statements])
            for principle in health.principles(self.version)
        ]

    def ratings(self) -> dict[str, int | None]:
        return {
            key: None if self.cleaned_data[key] == health.DONT_KNOW else int(self.cleaned_data[key])
            for key in health.statement_keys(self.version)
        }
