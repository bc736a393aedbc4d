"""A partnership with one of each reminder due, for the reminder, digest and preference tests:
a keyworker whose plan's review is due, consent for that child ending soon, a referral that
has waited at the panel, and a panel member's overdue action. Every child is called Zebedee
Quixwort, so that a text naming a child is caught."""

from dataclasses import dataclass
from datetime import date, timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.notifications.models import NotificationPreference
from joinedup.panels.models import Panel, PanelRole
from joinedup.panels.pipeline import cases_refresh
from joinedup.plans.models import Plan
from joinedup.referrals.models import Referral
from tests.actions.world import PanelWorld, panel_world, person_at
from tests.factories import ChildFactory, ConsentRecordFactory, ReferralFactory

GIVEN_NAME = "Zebedee"
FAMILY_NAME = "Quixwort"


@dataclass
class Reminders:
    today: date
    panel: Panel
    coordinator: Any
    keyworker: Any
    sergeant: Any  # owns an overdue action
    child: Any  # has an open plan with the keyworker
    plan: Plan
    waiting_child: Any
    referral: Referral
    action: Any
    panel_world: PanelWorld


def reminders_world() -> Reminders:
    world = panel_world()
    today = timezone.localdate()
    keyworker = person_at(world.school, Role.KEYWORKER, full_name="Kit Keyworker")
    child = world.child
    plan = Plan.objects.create(
        child=child,
        keyworker=keyworker,
        keyworker_organisation=world.school,
        panel=world.panel,
        opened_on=today - timedelta(days=80),
        next_review_on=today + timedelta(days=3),
    )
    ConsentRecordFactory(
        child=child,
        given_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=20),
    )
    waiting_child = ChildFactory(given_name=GIVEN_NAME, family_name=FAMILY_NAME)
    referral = ReferralFactory(child=waiting_child, panel=world.panel)
    Referral.objects.filter(pk=referral.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    action = world.create(due_on=today)
    type(action).objects.filter(pk=action.pk).update(due_on=today - timedelta(days=2))
    # Rows made here bypass the services that store each case's stage: store them as they do.
    cases_refresh(child, waiting_child)
    return Reminders(
        today=today,
        panel=world.panel,
        coordinator=world.coordinator,
        keyworker=keyworker,
        sergeant=world.sergeant,
        child=child,
        plan=plan,
        waiting_child=waiting_child,
        referral=referral,
        action=action,
        panel_world=world,
    )


def prefer(user: Any, **choices: str) -> None:
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


def run(today: date | None = None) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    args = ["send_reminders"] + ([f"--today={today.isoformat()}"] if today else [])
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def names_no_child(text: str) -> bool:
    return GIVEN_NAME not in text and FAMILY_NAME not in text


__all__ = ["PanelRole", "Reminders", "names_no_child", "prefer", "reminders_world", "run"]
