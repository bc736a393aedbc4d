"""Each person's choice of how to hear of each kind of reminder, with the defaults for those
who never chose. No queries of personal data about children: only the person's own choices."""

from collections.abc import Iterable
from typing import Any

from joinedup.notifications.models import Delivery, NotificationPreference, ReminderKind

# Actions were emailed at once before preferences existed; the others, which can come in
# numbers (a coordinator's consents, a keyworker's reviews), are gathered into a daily email.
DEFAULTS: dict[str, str] = {
    ReminderKind.REVIEWS: Delivery.DAILY,
    ReminderKind.CONSENTS: Delivery.DAILY,
    ReminderKind.ACTIONS: Delivery.IMMEDIATE,
    ReminderKind.REFERRALS: Delivery.DAILY,
    # About services, not children, and weekly at most: a weekly email is plenty.
    ReminderKind.DIRECTORY: Delivery.WEEKLY,
}

# Reminders about a child who may be waiting for help: a plan's review, an action agreed for
# the child, a referral nobody has taken to the panel yet. Their notice in JoinedUp always
# comes (the email is the person's choice), so no child is lost because someone muted them.
ALWAYS_IN_APP: frozenset[str] = frozenset(
    {ReminderKind.REVIEWS, ReminderKind.ACTIONS, ReminderKind.REFERRALS}
)


def choices_for(kind: str) -> list[tuple[str, str]]:
    return [
        (value, label)
        for value, label in Delivery.choices
        if not (value == Delivery.OFF and kind in ALWAYS_IN_APP)
    ]


def allowed(kind: str, delivery: str) -> bool:
    return delivery in dict(choices_for(kind))


def deliveries_for(user: Any) -> dict[str, str]:
    """Every kind's delivery for one person: their choice, or the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {
        kind: chosen[kind] if allowed(kind, chosen.get(kind, "")) else DEFAULTS[kind]
        for kind in ReminderKind.values
    }


def deliveries_of(users: Iterable[Any], kind: str) -> dict[Any, str]:
    """One kind's delivery for many people at once (by user id): one query."""
    ids = {user.pk for user in users}
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen[pk] if allowed(kind, chosen.get(pk, "")) else DEFAULTS[kind] for pk in ids}


def delivery_for(user: Any, kind: str) -> str:
    return deliveries_of([user], kind)[user.pk]
