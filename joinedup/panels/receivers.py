"""What the panels app does when something happens elsewhere."""

from typing import Any

from django.dispatch import receiver

from joinedup.children.models import Child
from joinedup.consent.models import Scope
from joinedup.consent.services import consent_in_force
from joinedup.consent.signals import consent_withdrawn
from joinedup.panels import services


@receiver(consent_withdrawn, dispatch_uid="panels_take_case_off_future_agendas")
def take_case_off_future_agendas(
    sender: Any, *, child: Child, scope: str, actor: Any, **kwargs: Any
) -> None:
    # Another person's consent may still stand; the consent rules decide, not the signal.
    if scope == Scope.PANEL_DISCUSSION and not consent_in_force(
        child=child, scope=Scope.PANEL_DISCUSSION
    ):
        services.agenda_withdraw_consent(actor=actor, child=child)
