"""The partnerships pages' rows of the bad-input table (tests/accounts/test_bad_input.py).
`world` is that module's World."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.partnerships.models import LoggedRelationship, Partnership, PartnershipMember, Person
from tests.conftest import sign_in_client
from tests.factories import (
    LoggedRelationshipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)

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


# People (work contacts) and the relationship log.

PERSON_TEXT = ("name", "role_title", "email")
PERSON_WRONG = (
    ("email", "no-at-sign.example.org"),
    ("organisation", UNKNOWN_ID),
    ("organisation", "not-a-uuid"),
)


def person_create_page(world: Any) -> str:
    return _as_keeper(world, reverse("partnerships:person_create"))


def person_edit_page(world: Any) -> str:
    if not hasattr(world, "person"):
        world.person = PersonFactory(name="Ada Representative")
    return _as_keeper(
        world, reverse("partnerships:person_edit", kwargs={"person_id": world.person.pk})
    )


def person_search_page(world: Any) -> str:
    sign_in_client(world.client, world.persona("keyworker"))
    return reverse("partnerships:person_list")


def person_answers(world: Any) -> dict[str, Any]:
    return {"name": "Ade Johnson", "role_title": "Playworker", "email": "ade@example.org"}


def person_state(world: Any) -> tuple[Any, ...]:
    return tuple(Person.objects.order_by("pk").values_list("name", "role_title", "email"))


def _date_boxes(name: str, day: Any) -> dict[str, Any]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


DATE_BOXES = ("happened_on_day", "happened_on_month", "happened_on_year")
RELATIONSHIP_TEXT = ("description", *DATE_BOXES)
RELATIONSHIP_REQUIRED = (
    "from_organisation",
    "to_organisation",
    "kind",
    "happened_on_day",
    "description",
)
RELATIONSHIP_WRONG = (
    ("from_organisation", UNKNOWN_ID),
    ("to_organisation", "not-a-uuid"),
    ("kind", "gossip"),
    ("happened_on_month", "13"),
    ("happened_on_year", "2999"),
    ("partnership", UNKNOWN_ID),
)
RELATIONSHIP_ANCHORS = {box: "happened_on_day" for box in DATE_BOXES}


def _logger(world: Any) -> Any:
    keyworker = world.persona("keyworker")
    sign_in_client(world.client, keyworker)
    if not hasattr(world, "playground"):
        world.playground = OrganisationFactory(name="Adventure playground (test)")
        world.school = OrganisationFactory(name="Junior school (test)")
    return keyworker


def relationship_create_page(world: Any) -> str:
    _logger(world)
    return reverse("partnerships:relationship_create")


def relationship_edit_page(world: Any) -> str:
    keyworker = _logger(world)
    if not hasattr(world, "logged"):
        world.logged = LoggedRelationshipFactory(
            logged_by=keyworker, from_organisation=world.playground, to_organisation=world.school
        )
    return reverse("partnerships:relationship_edit", kwargs={"relationship_id": world.logged.pk})


def relationship_search_page(world: Any) -> str:
    sign_in_client(world.client, world.persona("keyworker"))
    return reverse("partnerships:relationship_list")


def relationship_answers(world: Any) -> dict[str, Any]:
    return {
        "from_organisation": str(world.playground.pk),
        "to_organisation": str(world.school.pk),
        "kind": "introduction",
        "description": "The playworker now runs a session at the school's club.",
        **_date_boxes("happened_on", timezone.localdate()),
    }


def relationship_state(world: Any) -> tuple[Any, ...]:
    return tuple(
        LoggedRelationship.objects.order_by("pk").values_list(
            "from_organisation", "to_organisation", "kind", "happened_on", "description"
        )
    )
