"""The safeguarding pages' rows of the bad-input table (tests/accounts/test_bad_input.py): the
records each form needs, made only when a row asks for them. `world` is that module's World."""

from typing import Any

from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.safeguarding import services
from joinedup.safeguarding.models import ConcernEvent, Outcome, SafeguardingConcern
from tests.conftest import sign_in_client
from tests.factories import ChildFactory, MembershipFactory, TOTPDeviceFactory, UserFactory


def _organisation(world: Any) -> Any:
    return world.keyworker.active_memberships().get().organisation


def _child(world: Any) -> Any:
    if not hasattr(world, "concern_child"):
        world.concern_child = ChildFactory()
    return world.concern_child


def raise_page(world: Any) -> str:
    return world.as_persona("keyworker", reverse("safeguarding:concern_raise"))


def raise_for_child_page(world: Any) -> str:
    reference = _child(world).reference
    return world.as_persona(
        "keyworker",
        reverse("safeguarding:concern_raise_for_child", kwargs={"reference": reference}),
    )


def raise_answers(world: Any, *, about_reference: bool = True) -> dict[str, Any]:
    answers = {
        "organisation": str(_organisation(world).pk),
        "what_happened": "He said he is hit at home.",
        "why_worried": "He had a bruise on his face.",
        "immediate_danger": "no",
    }
    if about_reference:
        answers |= {
            "knows_reference": "yes",
            "reference": _child(world).reference,
            "child_description": "",
            "locality": "",
        }
    return answers


def concern_count(world: Any) -> int:
    return SafeguardingConcern.objects.count()


def _concern(world: Any) -> Any:
    """A concern the keyworker raised, routed to the lead of their organisation."""
    if not hasattr(world, "concern"):
        lead = UserFactory(full_name="Lena Lead")
        MembershipFactory(user=lead, organisation=_organisation(world), role=Role.SAFEGUARDING_LEAD)
        TOTPDeviceFactory(user=lead)
        world.concern_lead = lead
        world.concern = services.concern_raise(
            actor=world.keyworker,
            child=_child(world),
            organisation=_organisation(world),
            details="He said he is hit at home.",
        )
    return world.concern


def lead_page(world: Any, name: str) -> str:
    concern = _concern(world)
    sign_in_client(world.client, world.concern_lead)
    return reverse(name, kwargs={"concern_id": concern.pk})


def history(world: Any) -> Any:
    return list(ConcernEvent.objects.filter(concern=_concern(world)).values_list("kind", "text"))


def closed(world: Any) -> Any:
    return SafeguardingConcern.objects.values_list("closed_at", "outcome").get(
        pk=_concern(world).pk
    )


CLOSE_ANSWERS = {"outcome": Outcome.ADVICE, "reason": "Advice given on what to watch for."}
