"""The retention and rights pages' rows of the bad-input table (tests/accounts/test_bad_input.py):
the records each form needs, made only when a row asks for them. `world` is that module's
World."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.children.models import HouseholdMember
from joinedup.records.models import (
    Rectification,
    Restriction,
    RetentionPeriod,
    SubjectAccessRequest,
)
from joinedup.records.services import restriction_start
from tests.factories import ChildFactory


def _child(world: Any) -> Any:
    if not hasattr(world, "rights_child"):
        world.rights_child = ChildFactory()
        HouseholdMember.objects.create(
            child=world.rights_child, full_name="Hester Hale", relationship="mother"
        )
    return world.rights_child


def as_officer(world: Any, url_name: str, **kwargs: Any) -> str:
    return world.as_persona("ig_officer", reverse(url_name, kwargs=kwargs))


def retention_page(world: Any) -> str:
    return as_officer(world, "records:retention_edit", record_type="closed_case")


def retention_answers(world: Any) -> dict[str, Any]:
    return {"months": "84", "until_age": "25", "reason": "Agreed by the partnership board"}


def retention_as_saved(world: Any) -> tuple[Any, ...]:
    period = RetentionPeriod.objects.get(record_type="closed_case")
    return period.months, period.until_age


def sar_answers(world: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "reference": _child(world).reference,
        "requester_name": "Hester Hale",
        "requester": "parent",
        "received_on_day": today.day,
        "received_on_month": today.month,
        "received_on_year": today.year,
        "notes": "",
    }


def sar_count(world: Any) -> int:
    return SubjectAccessRequest.objects.count()


def redaction_page(world: Any) -> str:
    if not hasattr(world, "access_request"):
        today = timezone.localdate()
        world.access_request = SubjectAccessRequest.objects.create(
            child=_child(world),
            requester_name="Hester Hale",
            requester="parent",
            received_on=today,
            due_on=today,
        )
    return as_officer(world, "records:sar_detail", sar_id=world.access_request.pk)


def redactions_as_saved(world: Any) -> list[str]:
    return SubjectAccessRequest.objects.get(pk=world.access_request.pk).redacted_names


def rights_page(world: Any, url_name: str, *, restricted: bool = False) -> str:
    child = _child(world)
    if restricted and not Restriction.objects.filter(child=child).exists():
        restriction_start(actor=None, child=child, requested_by="The child", reason="Disputed")
    return as_officer(world, url_name, reference=child.reference)


def rectification_answers(world: Any) -> dict[str, Any]:
    return {
        "field": "family_name",
        "new_value": "Halewood",
        "requested_by": "The child",
        "reason": "Misspelt on the referral",
    }


def rights_as_saved(world: Any) -> tuple[Any, ...]:
    child = _child(world)
    child.refresh_from_db()
    return (
        child.family_name,
        Rectification.objects.count(),
        list(Restriction.objects.values_list("lifted_at", "lift_reason")),
    )


def _open_request(world: Any) -> Any:
    """A request whose copy has been produced, ready to be released, refused or withdrawn."""
    if not hasattr(world, "open_request"):
        today = timezone.localdate()
        world.open_request = SubjectAccessRequest.objects.create(
            child=_child(world),
            requester_name="Hester Hale",
            requester="parent",
            received_on=today,
            due_on=today,
            exported_at=timezone.now(),
        )
    return world.open_request


def release_page(world: Any) -> str:
    return as_officer(world, "records:sar_release", sar_id=_open_request(world).pk)


def close_page(world: Any) -> str:
    return as_officer(world, "records:sar_close", sar_id=_open_request(world).pk)


def _today_boxes(name: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {f"{name}_day": today.day, f"{name}_month": today.month, f"{name}_year": today.year}


def release_answers(world: Any) -> dict[str, Any]:
    return {
        **_today_boxes("released_on"),
        "method": "other",
        "method_other": "Handed to their solicitor",
        "released_to": "Hester Hale",
    }


def close_answers(world: Any) -> dict[str, Any]:
    return {**_today_boxes("closed_on"), "outcome": "withdrawn", "reason": "Asked by phone"}


def request_as_saved(world: Any) -> tuple[Any, ...]:
    request = SubjectAccessRequest.objects.get(pk=_open_request(world).pk)
    return request.status, request.released_on, request.released_to, request.closed_reason


def member_rectification_answers(world: Any) -> dict[str, Any]:
    return {
        "member": str(_child(world).household.get().pk),
        "field": "relationship",
        "new_value": "Kinship carer",
        "requested_by": "Hester Hale",
        "reason": "She is the child's aunt, not the mother",
    }


def member_as_saved(world: Any) -> tuple[Any, ...]:
    member = _child(world).household.get()
    return member.full_name, member.relationship, member.telephone, Rectification.objects.count()
