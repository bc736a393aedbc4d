"""The partnerships pages' rows of the bad-input table (tests/accounts/test_bad_input.py).
`world` is that module's World."""

from typing import Any

from django.urls import reverse

from joinedup.partnerships.models import Partnership, PartnershipMember
from tests.conftest import sign_in_client
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory

TEXT = ("name", "purpose", "terms_of_reference")
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
WRONG = (
    ("kind", "club"),
    ("level", "galaxy"),
    ("locality", UNKNOWN_ID),
    ("parent", "not-a-uuid"),
    ("panel", UNKNOWN_ID),
)


def _partnership(world: Any) -> Partnership:
    if not hasattr(world, "partnership"):
        world.partnership = PartnershipFactory(name="Lockleaze forum", slug="lockleaze-forum")
        world.member_organisation = OrganisationFactory(name="Better Together (test)")
        world.member_person = PersonFactory(organisation=world.member_organisation)
    partnership: Partnership = world.partnership
    return partnership


def _as_keeper(world: Any, url: str) -> str:
    sign_in_client(world.client, world.persona("strategic_manager"))
    return url


def create_page(world: Any) -> str:
    return _as_keeper(world, reverse("partnerships:partnership_create"))


def edit_page(world: Any) -> str:
    slug = _partnership(world).slug
    return _as_keeper(world, reverse("partnerships:partnership_edit", kwargs={"slug": slug}))


def member_page(world: Any) -> str:
    slug = _partnership(world).slug
    return _as_keeper(world, reverse("partnerships:member_add", kwargs={"slug": slug}))


def search_page(world: Any) -> str:
    sign_in_client(world.client, world.persona("keyworker"))
    return reverse("partnerships:partnership_list")


def map_page(world: Any) -> str:
    sign_in_client(world.client, world.persona("keyworker"))
    return reverse("partnerships:map")


def map_table_page(world: Any) -> str:
    sign_in_client(world.client, world.persona("keyworker"))
    return reverse("partnerships:map_table")


# The map's and its table's filters (a GET form each).
MAP_WRONG = (
    ("locality", "no-such-place"),
    ("sector", "galaxy"),
    ("level", "galaxy"),
    ("partnership", "no-such-partnership"),
)


def answers(world: Any) -> dict[str, Any]:
    return {
        "name": "Lockleaze forum",
        "kind": "forum",
        "purpose": "Groups working with young people meet to share news.",
        "level": "other",
        "is_active": "on",
    }


def member_answers(world: Any) -> dict[str, Any]:
    _partnership(world)
    return {
        "organisation": str(world.member_organisation.pk),
        "person": str(world.member_person.pk),
        "role": "member",
    }


def count(world: Any) -> int:
    return Partnership.objects.count()


def state(world: Any) -> tuple[Any, ...]:
    partnership = Partnership.objects.get(pk=_partnership(world).pk)
    return (partnership.name, partnership.purpose, partnership.kind, partnership.level)


def member_count(world: Any) -> int:
    return PartnershipMember.objects.count()
