"""The transfer pages' rows of the bad-input table (tests/accounts/test_bad_input.py): the
records each form needs, made only when a row asks for them. `world` is that module's World."""

from typing import Any

from django.urls import reverse

from joinedup.transfers.models import Transfer
from tests.conftest import sign_in_client
from tests.transfers import world as transfers_world


def _world(world: Any) -> Any:
    if not hasattr(world, "transfers"):
        world.transfers = transfers_world.build()
    return world.transfers


def _transfer(world: Any) -> Any:
    if not hasattr(world, "transfer"):
        world.transfer = transfers_world.requested(_world(world))
    return world.transfer


def request_page(world: Any) -> str:
    ours = _world(world)
    sign_in_client(world.client, ours.easton_coordinator)
    return reverse("transfers:request", kwargs={"reference": ours.child.reference})


def request_answers(world: Any) -> dict[str, Any]:
    ours = _world(world)
    moves_on = transfers_world.details(ours).moves_on
    return {
        "new_locality": str(ours.lockleaze.pk),
        "moves_on_day": str(moves_on.day),
        "moves_on_month": str(moves_on.month),
        "moves_on_year": str(moves_on.year),
        "new_address_line_1": "12 Gainsborough Square",
        "new_postcode": "BS7 9XA",
        "reason": "A new tenancy.",
        "risks": "Missed school during the move.",
        "what_is_working": "Mentoring.",
        "who_knows_the_child": "The keyworker.",
    }


def transfers_as_saved(world: Any) -> list[tuple[Any, ...]]:
    return list(Transfer.objects.order_by("pk").values_list("pk", "status", "updated_at"))


def answer_page(world: Any, name: str) -> str:
    transfer = _transfer(world)
    sign_in_client(world.client, _world(world).lockleaze_coordinator)
    return reverse(name, kwargs={"transfer_id": transfer.pk})


def withdraw_page(world: Any) -> str:
    transfer = _transfer(world)
    sign_in_client(world.client, _world(world).easton_coordinator)
    return reverse("transfers:withdraw", kwargs={"transfer_id": transfer.pk})
