from typing import Any

from django import forms
from django.conf import settings

from joinedup.core.forms import GovukForm
from joinedup.notifications.models import Delivery, ReminderKind
from joinedup.notifications.preferences import ALWAYS_IN_APP, choices_for


def help_texts() -> dict[str, str]:
    review_days = settings.JOINEDUP_REVIEW_REMINDER_DAYS
    waiting_days = settings.JOINEDUP_REFERRAL_WAITING_DAYS
    return {
        ReminderKind.REVIEWS: (
            f"To the keyworker, {review_days} days before a plan's review date, then weekly "
            "while it is overdue. Always shown in JoinedUp, so that no child's support goes "
            "unreviewed."
        ),
        ReminderKind.CONSENTS: (
            "To the panel's coordinator and the keyworker, 30 and 7 days before a consent "
            "ends. You can turn these off, for example if someone else renews consent for your "
            "panel: the child's consent page still shows when each consent ends."
        ),
        ReminderKind.ACTIONS: (
            "To the person who owns an action, on its due date, then weekly while it is "
            "overdue. Always shown in JoinedUp: something agreed for a child is still to do."
        ),
        ReminderKind.REFERRALS: (
            f"To the panel's coordinator, when a referral has waited {waiting_days} days "
            "without going on an agenda, then weekly. Always shown in JoinedUp: a child who "
            "was referred is waiting for help."
        ),
        ReminderKind.DIRECTORY: (
            "To everyone in an organisation that keeps directory entries, once a week while any "
            "of its services has not been checked for six months. You can turn these off if "
            "someone else in your organisation keeps the entries."
        ),
    }


class DeliveryField(forms.ChoiceField):
    """How to hear of one kind of reminder. "Not at all" is refused, with the reason, for
    the kinds that always appear in JoinedUp (the form does not offer it for them)."""

    def __init__(self, *, kind: ReminderKind, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(
            label=kind.label, choices=choices_for(kind), widget=forms.RadioSelect, **kwargs
        )
        lowered = kind.label.lower()
        self.error_messages["required"] = f"Select how to hear of {lowered}"
        self.error_messages["invalid_choice"] = f"Select one of the choices for {lowered}"

    def validate(self, value: Any) -> None:
        if value == Delivery.OFF and self.kind in ALWAYS_IN_APP:
            raise forms.ValidationError(
                f"{self.kind.label} always appear in JoinedUp: choose how you are emailed "
                "about them",
                code="always_in_app",
            )
        super().validate(value)


class PreferencesForm(GovukForm):
    """One set of radios per kind of reminder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        helps = help_texts()
        for kind in ReminderKind:
            self.fields[kind.value] = DeliveryField(kind=kind, help_text=helps[kind])
