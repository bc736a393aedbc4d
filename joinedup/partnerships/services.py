"""Changes to partnerships, their members and the people who represent organisations.

System administrators and strategic managers keep every partnership; a partnership's own chair
keeps its details and members. Everyone else is refused with PermissionDenied.
"""

from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from joinedup.accounts.models import User
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels.models import Panel
from joinedup.partnerships.models import (
    LoggedRelationship,
    MemberRole,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    PartnershipMember,
    Person,
    RelationshipKind,
)


class PartnershipError(FieldError):
    """A rule of this domain was broken; `field` names the form field at fault."""


RecordT = TypeVar("RecordT", Partnership, Person)
RESERVED_SLUGS = {"new", "people", "edit", "members", "network", "relationships", "map"}
_KEEPERS = (Role.SYSTEM_ADMIN, Role.STRATEGIC_MANAGER)
# Who logs relationship-building work: keyworkers and the people who run panels and steering
# groups ("partnership workers"). Referrers, safeguarding leads and information governance
# officers do not broker partnerships in their role. Kept equal to the page policy's
# RELATIONSHIP_LOGGERS (a test checks).
LOGGERS = (
    Role.KEYWORKER,
    Role.PANEL_COORDINATOR,
    Role.PANEL_CHAIR,
    Role.PANEL_MEMBER,
    Role.STRATEGIC_MANAGER,
    Role.SYSTEM_ADMIN,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def chairs(user: Any, partnership: Partnership) -> bool:
    if not _signed_in(user):
        return False
    return (
        PartnershipMember.objects.current()
        .filter(partnership=partnership, role=MemberRole.CHAIR, person__user=user)
        .exists()
    )


def chairs_any(user: Any) -> bool:
    if not _signed_in(user):
        return False
    return (
        PartnershipMember.objects.current()
        .filter(role=MemberRole.CHAIR, person__user=user)
        .exists()
    )


def may_create(user: Any) -> bool:
    return _signed_in(user) and has_role(user, *_KEEPERS)


def may_manage(user: Any, partnership: Partnership) -> bool:
    """Whether `user` may change `partnership` and its members."""
    return may_create(user) or chairs(user, partnership)


def may_keep_people(user: Any) -> bool:
    # A chair names the people who represent organisations on their partnership.
    return may_create(user) or chairs_any(user)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _unique_slug(name: str, exclude: Any = None) -> str:
    base = slugify(name)[:70] or "partnership"
    if base in RESERVED_SLUGS:
        base = f"{base}-1"
    slug, n = base, 2
    others = Partnership.objects.exclude(pk=exclude) if exclude else Partnership.objects.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_details(
    *,
    partnership: Partnership | None,
    name: str,
    kind: str,
    purpose: str,
    level: str,
    parent: Partnership | None,
    panel: Panel | None,
) -> None:
    others = Partnership.objects.all()
    if partnership is not None:
        others = others.exclude(pk=partnership.pk)
    if not name.strip():
        raise PartnershipError("Enter the partnership's name", field="name")
    if others.filter(name__iexact=name.strip()).exists():
        raise PartnershipError("A partnership with this name already exists", field="name")
    if kind not in PartnershipKind.values:
        raise PartnershipError("Select a kind of partnership from the list", field="kind")
    if not purpose.strip():
        raise PartnershipError("Enter the partnership's purpose", field="purpose")
    if level not in PartnershipLevel.values:
        raise PartnershipError("Select a level from the list", field="level")
    if parent is not None and partnership is not None:
        # Walk up from the proposed parent: meeting this partnership means a loop.
        seen: set[Any] = set()
        ancestor: Partnership | None = parent
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == partnership.pk:
                raise PartnershipError(
                    "A partnership cannot sit inside itself or one of its own sub-groups",
                    field="parent",
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
    if panel is not None and others.filter(panel=panel).exists():
        raise PartnershipError("That panel already belongs to another partnership", field="panel")


def _save_partnership(*, actor: Any, partnership: Partnership | None, **values: Any) -> Partnership:
    creating = partnership is None
    _check_details(
        partnership=partnership,
        name=values["name"],
        kind=values["kind"],
        purpose=values["purpose"],
        level=values["level"],
        parent=values["parent"],
        panel=values["panel"],
    )
    values["name"] = values["name"].strip()
    values["purpose"] = values["purpose"].strip()
    values["terms_of_reference"] = values["terms_of_reference"].strip()
    if partnership is None:
        partnership = Partnership(slug=_unique_slug(values["name"]))
    return _save_audited(
        actor,
        partnership,
        values,
        creating=creating,
        conflict=PartnershipError("A partnership with this name already exists", field="name"),
    )


def partnership_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    purpose: str,
    level: str,
    locality: Locality | None = None,
    parent: Partnership | None = None,
    terms_of_reference: str = "",
    panel: Panel | None = None,
    is_active: bool = True,
) -> Partnership:
    _require(
        may_create(actor),
        "Only system administrators and strategic managers can add partnerships",
    )
    return _save_partnership(
        actor=actor,
        partnership=None,
        name=name,
        kind=kind,
        purpose=purpose,
        level=level,
        locality=locality,
        parent=parent,
        terms_of_reference=terms_of_reference,
        panel=panel,
        is_active=is_active,
    )


def partnership_update(
    *,
    actor: Any,
    partnership: Partnership,
    name: str,
    kind: str,
    purpose: str,
    level: str,
    locality: Locality | None = None,
    parent: Partnership | None = None,
    terms_of_reference: str = "",
    panel: Panel | None = None,
    is_active: bool = True,
) -> Partnership:
    _require(
        may_manage(actor, partnership),
        "Only system administrators, strategic managers and the chair can change a partnership",
    )
    return _save_partnership(
        actor=actor,
        partnership=partnership,
        name=name,
        kind=kind,
        purpose=purpose,
        level=level,
        locality=locality,
        parent=parent,
        terms_of_reference=terms_of_reference,
        panel=panel,
        is_active=is_active,
    )


def member_add(
    *,
    actor: Any,
    partnership: Partnership,
    organisation: Organisation,
    person: Person | None = None,
    role: str = MemberRole.MEMBER,
    delegated_authority: bool = False,
    joined_on: date | None = None,
) -> PartnershipMember:
    """Add an organisation's seat (and who fills it); also the undo of `member_end`."""
    _require(
        may_manage(actor, partnership),
        "Only system administrators, strategic managers and the chair can change the members",
    )
    if role not in MemberRole.values:
        raise PartnershipError("Select a role from the list", field="role")
    joined_on = joined_on or timezone.localdate()
    if joined_on > timezone.localdate():
        raise PartnershipError(
            "The date they joined must be today or in the past", field="joined_on"
        )
    current = PartnershipMember.objects.current().filter(
        partnership=partnership, organisation=organisation, person=person
    )
    if current.exists():
        raise PartnershipError(
            f"{organisation.name} is already a member"
            + (f", represented by {person.name}" if person else " without a named representative"),
            field="person" if person else "organisation",
        )
    try:
        with transaction.atomic():
            member = PartnershipMember.objects.create(
                partnership=partnership,
                organisation=organisation,
                person=person,
                role=role,
                delegated_authority=delegated_authority,
                joined_on=joined_on,
            )
            audit.record(
                actor=actor,
                verb=AuditVerb.CREATE,
                target=member,
                fields=["organisation", "person", "role", "delegated_authority", "joined_on"],
                detail={"partnership": str(partnership.pk)},
            )
    except IntegrityError as error:
        raise PartnershipError("That member has just been added", field="organisation") from error
    return member


def member_end(
    *, actor: Any, member: PartnershipMember, left_on: date | None = None
) -> PartnershipMember:
    """End a seat, keeping it in the history. Adding the same member again is the undo."""
    _require(
        may_manage(actor, member.partnership),
        "Only system administrators, strategic managers and the chair can change the members",
    )
    if member.left_on is not None:
        raise PartnershipError("That membership has already ended", field="left_on")
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise PartnershipError(
            "The date they left must be on or after the date they joined", field="left_on"
        )
    with transaction.atomic():
        member.left_on = left_on
        member.save(update_fields=["left_on", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=member,
            fields=["left_on"],
            detail={"partnership": str(member.partnership_id)},
        )
    return member


def _check_person(*, person: Person | None, name: str, user: User | None) -> None:
    if not name.strip():
        raise PartnershipError("Enter the person's name", field="name")
    if user is not None:
        linked = Person.objects.filter(user=user)
        if person is not None:
            linked = linked.exclude(pk=person.pk)
        if linked.exists():
            raise PartnershipError(
                "That JoinedUp account is already linked to someone else", field="user"
            )


def _save_person(*, actor: Any, person: Person | None, **values: Any) -> Person:
    creating = person is None
    _check_person(person=person, name=values["name"], user=values["user"])
    values["name"] = values["name"].strip()
    values["role_title"] = values["role_title"].strip()
    values["email"] = values["email"].strip()
    return _save_audited(
        actor,
        person or Person(),
        values,
        creating=creating,
        conflict=PartnershipError(
            "That JoinedUp account is already linked to someone else", field="user"
        ),
    )


def _save_audited(
    actor: Any, record: RecordT, values: dict[str, Any], *, creating: bool, conflict: Exception
) -> RecordT:
    """Sets `values` on `record` and saves it with an audit entry naming the fields that
    changed, in one transaction; a clash with a unique constraint raises `conflict`."""
    try:
        with transaction.atomic():
            changed = [k for k, v in values.items() if getattr(record, k, None) != v]
            for key, value in values.items():
                setattr(record, key, value)
            record.save()
            audit.record(
                actor=actor,
                verb=AuditVerb.CREATE if creating else AuditVerb.UPDATE,
                target=record,
                fields=changed,
            )
    except IntegrityError as error:
        raise conflict from error
    return record


def person_create(
    *,
    actor: Any,
    name: str,
    role_title: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    user: User | None = None,
) -> Person:
    _require(
        may_keep_people(actor),
        "Only system administrators, strategic managers and chairs can add people",
    )
    return _save_person(
        actor=actor,
        person=None,
        name=name,
        role_title=role_title,
        email=email,
        organisation=organisation,
        user=user,
    )


def person_update(
    *,
    actor: Any,
    person: Person,
    name: str,
    role_title: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    user: User | None = None,
) -> Person:
    _require(
        may_keep_people(actor),
        "Only system administrators, strategic managers and chairs can change people",
    )
    return _save_person(
        actor=actor,
        person=person,
        name=name,
        role_title=role_title,
        email=email,
        organisation=organisation,
        user=user,
    )


def may_log(user: Any) -> bool:
    return _signed_in(user) and has_role(user, *LOGGERS)


def may_change_relationship(user: Any, relationship: LoggedRelationship) -> bool:
    """Its author while they still log relationships, or a partnership keeper."""
    if not _signed_in(user):
        return False
    return may_create(user) or (relationship.logged_by_id == user.pk and may_log(user))


_RELATIONSHIP_FIELDS = [
    "from_organisation",
    "to_organisation",
    "kind",
    "happened_on",
    "description",
    "partnership",
]


def _check_relationship(
    *,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    kind: str,
    happened_on: date | None,
    description: str,
) -> None:
    if from_organisation is None:
        raise PartnershipError("Select the first organisation", field="from_organisation")
    if to_organisation is None:
        raise PartnershipError("Select the other organisation", field="to_organisation")
    if from_organisation.pk == to_organisation.pk:
        raise PartnershipError(
            "Select two different organisations: a relationship is between two",
            field="to_organisation",
        )
    if kind not in RelationshipKind.values:
        raise PartnershipError("Select what kind of work it was", field="kind")
    if happened_on is None:
        raise PartnershipError("Enter the date it happened", field="happened_on")
    if happened_on > timezone.localdate():
        raise PartnershipError(
            "The date it happened must be today or in the past", field="happened_on"
        )
    if not description.strip():
        raise PartnershipError("Describe what happened, in a sentence", field="description")
    if len(description.strip()) > 500:
        raise PartnershipError("What happened must be 500 characters or fewer", field="description")


def _save_relationship(
    *, actor: Any, relationship: LoggedRelationship, creating: bool, values: dict[str, Any]
) -> LoggedRelationship:
    _check_relationship(
        from_organisation=values["from_organisation"],
        to_organisation=values["to_organisation"],
        kind=values["kind"],
        happened_on=values["happened_on"],
        description=values["description"],
    )
    values["description"] = values["description"].strip()
    with transaction.atomic():
        changed = [k for k in _RELATIONSHIP_FIELDS if getattr(relationship, k, None) != values[k]]
        for key in _RELATIONSHIP_FIELDS:
            setattr(relationship, key, values[key])
        relationship.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE if creating else AuditVerb.UPDATE,
            target=relationship,
            fields=_RELATIONSHIP_FIELDS if creating else changed,
        )
    return relationship


def relationship_log(
    *,
    actor: Any,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    kind: str,
    happened_on: date | None,
    description: str,
    partnership: Partnership | None = None,
) -> LoggedRelationship:
    """Log an introduction or joint work between two organisations."""
    _require(
        may_log(actor),
        "Only keyworkers, panel members, coordinators, chairs, strategic managers and system "
        "administrators can log relationships",
    )
    return _save_relationship(
        actor=actor,
        relationship=LoggedRelationship(logged_by=actor),
        creating=True,
        values={
            "from_organisation": from_organisation,
            "to_organisation": to_organisation,
            "kind": kind,
            "happened_on": happened_on,
            "description": description,
            "partnership": partnership,
        },
    )


def relationship_update(
    *,
    actor: Any,
    relationship: LoggedRelationship,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    kind: str,
    happened_on: date | None,
    description: str,
    partnership: Partnership | None = None,
) -> LoggedRelationship:
    _require(
        may_change_relationship(actor, relationship),
        "Only the person who logged it, system administrators and strategic managers can "
        "change a logged relationship",
    )
    if relationship.withdrawn_at is not None:
        raise PartnershipError("That relationship has been withdrawn", field="description")
    return _save_relationship(
        actor=actor,
        relationship=relationship,
        creating=False,
        values={
            "from_organisation": from_organisation,
            "to_organisation": to_organisation,
            "kind": kind,
            "happened_on": happened_on,
            "description": description,
            "partnership": partnership,
        },
    )


def relationship_withdraw(*, actor: Any, relationship: LoggedRelationship) -> LoggedRelationship:
    """Take a logged relationship off the log and the map; the row stays for the audit trail."""
    _require(
        may_change_relationship(actor, relationship),
        "Only the person who logged it, system administrators and strategic managers can "
        "withdraw a logged relationship",
    )
    if relationship.withdrawn_at is not None:
        raise PartnershipError("That relationship has already been withdrawn", field="description")
    with transaction.atomic():
        relationship.withdrawn_at = timezone.now()
        relationship.save(update_fields=["withdrawn_at", "updated_at"])
        audit.record(
            actor=actor, verb=AuditVerb.UPDATE, target=relationship, fields=["withdrawn_at"]
        )
    return relationship
