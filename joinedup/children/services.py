from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.children.identifiers import nhs_number_is_valid, nhs_number_normalise
from joinedup.children.models import Address, Child, HouseholdMember, Involvement
from joinedup.core import audit
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Locality, Organisation

IDENTIFYING_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "other_names",
    "date_of_birth",
    "nhs_number",
    "sex",
    "gender_as_recorded",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "religion",
    "school",
    "locality",
)


class ChildRecordError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class AddressDetails:
    line_1: str
    postcode: str
    line_2: str = ""
    town: str = "Bristol"
    locality: Locality | None = None
    moved_in: date | None = None


@dataclass(frozen=True)
class HouseholdMemberDetails:
    full_name: str
    relationship: str
    has_parental_responsibility: bool = False
    lives_with_child: bool = True
    telephone: str = ""


@dataclass(frozen=True)
class ChildDetails:
    given_name: str
    family_name: str
    date_of_birth: date
    preferred_name: str = ""
    other_names: Sequence[str] = ()
    date_of_birth_is_approximate: bool = False
    nhs_number: str = ""
    sex: str = "not_known"
    gender_as_recorded: str = ""
    ethnicity: str = "not_recorded"
    first_language: str = ""
    interpreter_needed: bool = False
    religion: str = ""
    school: Organisation | None = None
    address: AddressDetails | None = None
    household: Sequence[HouseholdMemberDetails] = field(default_factory=tuple)


def _validate(details: ChildDetails) -> str:
    today = timezone.localdate()
    if details.date_of_birth > today:
        raise ChildRecordError("Date of birth must be in the past", field="date_of_birth")
    if today.year - details.date_of_birth.year > 25:
        raise ChildRecordError(
            "Date of birth must be within the last 25 years: JoinedUp is for children and "
            "young people",
            field="date_of_birth",
        )
    nhs_number = nhs_number_normalise(details.nhs_number)
    if nhs_number and not nhs_number_is_valid(nhs_number):
        raise ChildRecordError(
            "NHS number must be 10 digits with a correct check digit, like 943 476 5919",
            field="nhs_number",
        )
    return nhs_number


def _clean(record: Any, *, prefix: str) -> None:
    """Model validation as a domain error naming the first field at fault; raised inside the
    transaction, so whatever was saved before it is rolled back."""
    try:
        record.full_clean(exclude=["child", "created_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ChildRecordError(
            f"{field.replace('_', ' ').capitalize()}: {messages[0]}", field=f"{prefix}{field}"
        ) from error


def child_create(*, actor: Any, details: ChildDetails, reference: str | None = None) -> Child:
    """Create a child's record with their current address and household, all or nothing."""
    nhs_number = _validate(details)
    address = details.address
    with transaction.atomic():
        child = Child(
            given_name=details.given_name.strip(),
            family_name=details.family_name.strip(),
            preferred_name=details.preferred_name.strip(),
            other_names=[name.strip() for name in details.other_names if name.strip()],
            date_of_birth=details.date_of_birth,
            date_of_birth_is_approximate=details.date_of_birth_is_approximate,
            nhs_number=nhs_number,
            sex=details.sex,
            gender_as_recorded=details.gender_as_recorded.strip(),
            ethnicity=details.ethnicity,
            first_language=details.first_language.strip(),
            interpreter_needed=details.interpreter_needed,
            religion=details.religion,
            school=details.school,
            locality=address.locality if address else None,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if reference:
            child.reference = reference
        _clean(child, prefix="")
        child.save()
        if address is not None:
            current = Address(
                child=child,
                line_1=address.line_1.strip(),
                line_2=address.line_2.strip(),
                town=address.town.strip(),
                postcode=address.postcode.strip().upper(),
                locality=address.locality,
                moved_in=address.moved_in,
            )
            _clean(current, prefix="address_")
            current.save()
        members = [HouseholdMember(child=child, **vars(member)) for member in details.household]
        for member in members:
            _clean(member, prefix="household_")
        HouseholdMember.objects.bulk_create(members)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=child,
            fields=[*IDENTIFYING_FIELDS, "address", "household"],
        )
    return child


def involvement_start(
    *,
    actor: Any,
    child: Child,
    organisation: Organisation,
    role: str,
    worker: Any = None,
    started_on: date | None = None,
) -> Involvement:
    with transaction.atomic():
        involvement = Involvement.objects.create(
            child=child,
            organisation=organisation,
            worker=worker,
            role=role,
            started_on=started_on or timezone.localdate(),
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=child,
            fields=["involvements"],
            detail={"involvement": str(involvement.pk), "role": role, "started": True},
        )
    return involvement


def involvement_end(*, actor: Any, involvement: Involvement) -> Involvement:
    with transaction.atomic():
        locked = Involvement.objects.select_for_update().get(pk=involvement.pk)
        if locked.ended_on is None:
            locked.ended_on = max(timezone.localdate(), locked.started_on)
            locked.save(update_fields=["ended_on", "updated_at"])
            audit.record(
                actor=actor,
                verb=AuditVerb.UPDATE,
                target=locked.child,
                fields=["involvements"],
                detail={"involvement": str(locked.pk), "role": locked.role, "ended": True},
            )
    return locked
