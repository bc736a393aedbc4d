from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone

from joinedup.children import matching
from joinedup.children.identifiers import nhs_number_is_valid, nhs_number_normalise
from joinedup.children.models import (
    Address,
    Child,
    ChildMerge,
    HouseholdMember,
    Involvement,
    InvolvementRole,
    MatchKey,
)
from joinedup.children.need_to_know import current_involvements, sees_identity
from joinedup.consent import rules
from joinedup.consent.models import ConsentRecord, Scope
from joinedup.consent.services import require_consent
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
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


class ChildRecordError(FieldError):
    """A rule of this domain was broken; `field` names the form field at fault."""


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
        match_keys_refresh(child)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=child,
            fields=[*IDENTIFYING_FIELDS, "address", "household"],
        )
    return child


def _check_in_team(actor: Any, child: Child) -> None:
    # None is the system itself (the demo loader, a command); a person must be in the team.
    if actor is not None and not sees_identity(actor, child):
        raise ChildRecordError(
            "Only people working with the child can add or change their parents, carers and "
            "household members",
            code="not_in_team",
        )


def _household_values(details: HouseholdMemberDetails) -> dict[str, Any]:
    return {
        "full_name": details.full_name.strip(),
        "relationship": details.relationship,
        "has_parental_responsibility": details.has_parental_responsibility,
        "lives_with_child": details.lives_with_child,
        "telephone": details.telephone.strip(),
    }


def _consent_in_force_from(member: HouseholdMember) -> list[rules.Standing]:
    """The things this person's consent keeps in force today, read with the consent page's
    own rules (a withdrawal by anyone for the same thing stops it)."""
    records = ConsentRecord.objects.filter(child_id=member.child_id).select_related(
        "household_member", "organisation"
    )
    return [
        standing
        for standing in rules.standings(records, today=timezone.localdate())
        if any(record.household_member_id == member.pk for record in standing.in_force)
    ]


def household_member_add(
    *, actor: Any, child: Child, details: HouseholdMemberDetails
) -> HouseholdMember:
    """Add a parent, carer or other member of the child's household after the referral."""
    _check_in_team(actor, child)
    with transaction.atomic():
        member = HouseholdMember(child=child, **_household_values(details))
        _clean(member, prefix="")
        member.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=child,
            fields=["household"],
            detail={"household_member": str(member.pk), "added": True},
        )
    return member


def household_member_change(
    *,
    actor: Any,
    member: HouseholdMember,
    details: HouseholdMemberDetails,
    rectification_reason: str = "",
) -> HouseholdMember:
    """Correct a household member's details. The row is changed in place, so consent they
    gave stays theirs; a change that changes nothing is neither saved nor audited.

    `rectification_reason`: the change answers a request to correct the record (UK GDPR
    article 16), recorded by an information governance officer, who is not in the team around
    the child; every other rule here applies to them as to the team."""
    with transaction.atomic():
        locked = (
            HouseholdMember.objects.select_for_update(of=("self",))
            .select_related("child")
            .get(pk=member.pk)
        )
        if not (rectification_reason and has_role(actor, Role.IG_OFFICER)):
            _check_in_team(actor, locked.child)
        values = _household_values(details)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, values[name])
        _clean(locked, prefix="")
        if "has_parental_responsibility" in changed and not values["has_parental_responsibility"]:
            # Consent counts only from someone with parental responsibility (DESIGN.md,
            # rule 2): taking it away would silently end consent the team relies on.
            in_force = _consent_in_force_from(locked)
            if in_force:
                what = "; ".join(standing.label for standing in in_force)
                raise ChildRecordError(
                    f"They have given consent that is in force ({what}). Consent counts only "
                    "from someone with parental responsibility, so this cannot be changed to "
                    "No while it is in force: if they do not have parental responsibility, "
                    "withdraw their consent on the child's consent page first",
                    field="has_parental_responsibility",
                    code="consent_in_force",
                )
        locked.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked.child,
            fields=["household"],
            purpose=f"Rectification: {rectification_reason}" if rectification_reason else "",
            detail={"household_member": str(locked.pk), "changed": changed},
        )
    return locked


def _shares_the_record(child: Child, organisation: Organisation, role: str) -> bool:
    """Joining the team around the child opens the child's record to the organisation, which
    needs the family's consent to share with it (DESIGN.md, rule 2), unless it already works
    with the child or is the referrer making the child's first record: it holds what it sent."""
    if current_involvements().filter(child=child, organisation=organisation).exists():
        return False
    first = not Involvement.objects.filter(child=child).exists()
    return not (role == InvolvementRole.REFERRER and first)


def involvement_start(
    *,
    actor: Any,
    child: Child,
    organisation: Organisation,
    role: str,
    worker: Any = None,
    started_on: date | None = None,
) -> Involvement:
    """Raises consent.services.ConsentRequired when the organisation is not in the consent."""
    with transaction.atomic():
        if _shares_the_record(child, organisation, role):
            require_consent(child=child, scope=Scope.SHARE, organisation=organisation)
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


# Fields of the surviving record that a merge fills in when they are blank there but known in
# the merged record, and how each counts as blank.
MERGE_FILLS_BLANK: dict[str, Any] = {
    "nhs_number": "",
    "preferred_name": "",
    "first_language": "",
    "gender_as_recorded": "",
    "religion": "",
    "ethnicity": "not_recorded",
    "sex": "not_known",
    "school_id": None,
    "locality_id": None,
}
# Rows that belong to a record itself, not to the child's story: not moved by a merge. A
# possible match is a question about the record as a candidate (settled on its own referral),
# and moving it could put the same candidate on a referral twice.
_NOT_MOVED_BY_MERGE = {
    "children.childmerge",
    "children.matchkey",
    "children.child",
    "referrals.possiblematch",
}


def _rows_pointing_at(child: Child) -> list[tuple[type[Any], str]]:
    """Every model with a foreign key to Child whose rows describe the child (referrals,
    involvements, addresses, consent, agenda items, plans, actions...): found from the model
    registry, so a new app's records follow a merge without anyone remembering to add them
    here. Keys declared without a reverse accessor (related_name="+", as on an action) count
    too: they are as much the child's story as any other."""
    relations: list[tuple[type[Any], str]] = []
    for relation in Child._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not isinstance(relation, ForeignObjectRel):
            continue  # only the reverse side of other models' keys
        if not relation.one_to_many or model is None or isinstance(model, str):
            continue
        if model._meta.label_lower in _NOT_MOVED_BY_MERGE:
            continue
        relations.append((model, relation.field.name))
    return relations


def _refuse_two_open_plans(survivor: Child, merged: Child) -> None:
    """A child has one integrated support plan open at a time (a database rule): two open plans
    cannot become one by moving rows, and which to keep is the keyworkers' call, not the
    system's. Asked before anything moves, so a refused merge leaves both records as they were.
    The plans app is looked up, not imported: it builds on children, not the other way."""
    plan_model = apps.get_model("plans", "Plan")
    open_on = set(
        plan_model._default_manager.filter(child__in=[survivor, merged], status="open").values_list(
            "child_id", flat=True
        )
    )
    if open_on >= {survivor.pk, merged.pk}:
        raise ChildRecordError(
            "Both records have an open integrated support plan: close one first (keeping its "
            "goals in the other's review), then link the records",
            field="survivor",
        )


def child_merge(*, actor: Any, survivor: Child, merged: Child, reason: str) -> ChildMerge:
    """Fold `merged` into `survivor`: the child's referrals, team, addresses, household and
    every other record move to the survivor, blanks there are filled from the merged record,
    and the merged reference leads to the survivor from now on. Undone by child_unmerge."""
    if not reason.strip():
        raise ChildRecordError("Say why these are the same child", field="reason")
    if survivor.pk == merged.pk:
        raise ChildRecordError("A record cannot be merged into itself", field="survivor")
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Child.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])
        }
        survivor, merged = locked[survivor.pk], locked[merged.pk]
        if survivor.merged_into_id or merged.merged_into_id:
            raise ChildRecordError(
                "One of these records has already been merged into another", field="survivor"
            )
        _refuse_two_open_plans(survivor, merged)
        previous: dict[str, Any] = {}
        # The newer referral knows where the child lives now: the survivor's current address
        # becomes a previous one. Recorded so that an unmerge puts it back.
        merged_current = Address.objects.filter(child=merged, moved_out__isnull=True).first()
        survivor_current = Address.objects.filter(child=survivor, moved_out__isnull=True).first()
        if merged_current and survivor_current:
            survivor_current.moved_out = timezone.localdate()
            survivor_current.save(update_fields=["moved_out", "updated_at"])
            previous["ended_address"] = str(survivor_current.pk)
        moved: dict[str, dict[str, Any]] = {}
        for model, field_name in _rows_pointing_at(merged):
            rows = model._default_manager.filter(**{field_name: merged})
            ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
            if not ids:
                continue
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk__in=ids).update(**{field_name: survivor})
            except IntegrityError as error:
                raise ChildRecordError(
                    f"Both records have {model._meta.verbose_name_plural} that cannot be "
                    "combined (for example, both on the same meeting's agenda): sort that "
                    "out first",
                    field="survivor",
                ) from error
            moved[model._meta.label_lower] = {"field": field_name, "ids": ids}
        filled: dict[str, Any] = {}
        for field_name, blank in MERGE_FILLS_BLANK.items():
            mine, theirs = getattr(survivor, field_name), getattr(merged, field_name)
            if mine == blank and theirs != blank:
                filled[field_name] = str(mine) if mine is not None else None
                setattr(survivor, field_name, theirs)
        other_names = list(survivor.other_names)
        for name in [f"{merged.given_name} {merged.family_name}", *merged.other_names]:
            if name not in other_names and name != f"{survivor.given_name} {survivor.family_name}":
                other_names.append(name)
        if other_names != survivor.other_names:
            filled["other_names"] = list(survivor.other_names)
            survivor.other_names = other_names
        previous["fields"] = filled
        survivor.save()
        merged.merged_into = survivor
        merged.save(update_fields=["merged_into", "updated_at"])
        record = ChildMerge.objects.create(
            survivor=survivor,
            merged=merged,
            reason=reason.strip(),
            moved=moved,
            previous=previous,
            merged_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        match_keys_refresh(survivor)
        MatchKey.objects.filter(child=merged).delete()
        audit.record(
            actor=actor,
            verb=AuditVerb.MERGED,
            target=survivor,
            fields=sorted({*filled, *moved}),
            detail={"merged": merged.reference, "merge": str(record.pk)},
            purpose=reason.strip(),
        )
    return record


def child_unmerge(*, actor: Any, merge: ChildMerge, reason: str) -> ChildMerge:
    """Undo a merge exactly: the rows that moved go back, the survivor's filled-in fields
    return to what they were, and both references lead to their own records again. Anything
    recorded on the survivor since the merge stays with it."""
    if not reason.strip():
        raise ChildRecordError("Say why the merge was wrong", field="reason")
    with transaction.atomic():
        merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.unmerged_at is not None:
            raise ChildRecordError("This merge has already been undone", field="merge")
        survivor = Child.objects.select_for_update().get(pk=merge.survivor_id)
        merged = Child.objects.select_for_update().get(pk=merge.merged_id)
        if survivor.merged_into_id:
            raise ChildRecordError(
                "The surviving record has since been merged into another: undo that first",
                field="merge",
            )
        for label, moved in merge.moved.items():
            model = apps.get_model(label)
            model._default_manager.filter(pk__in=moved["ids"], **{moved["field"]: survivor}).update(
                **{moved["field"]: merged}
            )
        for field_name, value in merge.previous.get("fields", {}).items():
            setattr(survivor, field_name, value)
        survivor.save()
        ended_address = merge.previous.get("ended_address")
        if ended_address:
            Address.objects.filter(pk=ended_address, child=survivor).update(moved_out=None)
        merged.merged_into = None
        merged.save(update_fields=["merged_into", "updated_at"])
        merge.unmerged_at = timezone.now()
        merge.unmerged_by = actor if getattr(actor, "is_authenticated", False) else None
        merge.unmerge_reason = reason.strip()
        merge.save(update_fields=["unmerged_at", "unmerged_by", "unmerge_reason", "updated_at"])
        match_keys_refresh(survivor)
        match_keys_refresh(merged)
        audit.record(
            actor=actor,
            verb=AuditVerb.UNMERGED,
            target=survivor,
            fields=sorted({*merge.previous.get("fields", {}), *merge.moved}),
            detail={"merged": merged.reference, "merge": str(merge.pk)},
            purpose=reason.strip(),
        )
    return merge


def match_keys_refresh(child: Child) -> None:
    """Recompute the child's blocking keys for the intake search."""
    keys = matching.keys_for(child)
    MatchKey.objects.filter(child=child).exclude(key__in=keys).delete()
    existing = set(MatchKey.objects.filter(child=child).values_list("key", flat=True))
    MatchKey.objects.bulk_create([MatchKey(child=child, key=key) for key in keys - existing])


def child_move(
    *,
    actor: Any,
    child: Child,
    locality: Locality,
    moved_in: date,
    line_1: str = "",
    postcode: str = "",
) -> Child:
    """The child has moved home to `locality` (for a transfer between panels): the record's
    locality changes and, when the new address is known, the current address ends on the day
    of the move and the new one starts."""
    with transaction.atomic():
        child.locality = locality
        child.save(update_fields=["locality", "updated_at"])
        fields = ["locality"]
        if line_1.strip() and postcode.strip():
            Address.objects.filter(child=child, moved_out__isnull=True).update(
                moved_out=moved_in, updated_at=timezone.now()
            )
            address = Address(
                child=child,
                line_1=line_1.strip(),
                postcode=postcode.strip().upper(),
                locality=locality,
                moved_in=moved_in,
            )
            _clean(address, prefix="address_")
            address.save()
            fields.append("address")
        match_keys_refresh(child)
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=child,
            fields=fields,
            detail={"locality": str(locality.pk)},
        )
    return child
