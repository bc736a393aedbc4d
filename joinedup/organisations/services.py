from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Locality, Organisation


class OrganisationError(FieldError):
    """A rule of this domain was broken; `field` names the form field at fault."""


# Words the URLs use, which a slug must not take.
RESERVED_SLUGS = {"new", "localities", "edit"}


def _unique_slug(model: type[Organisation] | type[Locality], name: str, exclude: Any = None) -> str:
    base = slugify(name)[:70] or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-1"
    slug, n = base, 2
    others = model.objects.exclude(pk=exclude) if exclude else model.objects.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _duplicate_name(model: type[Organisation] | type[Locality], name: str, exclude: Any) -> bool:
    return model.objects.filter(name__iexact=name.strip()).exclude(pk=exclude).exists()


def organisation_save(
    *,
    actor: Any,
    organisation: Organisation | None,
    name: str,
    kind: str,
    description: str = "",
    localities: Iterable[Locality] = (),
    website: str = "",
    email: str = "",
    telephone: str = "",
    is_active: bool = True,
) -> Organisation:
    """Create an organisation, or change one when `organisation` is given."""
    creating = organisation is None
    exclude = None if organisation is None else organisation.pk
    if _duplicate_name(Organisation, name, exclude):
        raise OrganisationError("An organisation with this name already exists", field="name")
    values = {
        "name": name.strip(),
        "kind": kind,
        "description": description.strip(),
        "website": website,
        "email": email,
        "telephone": telephone.strip(),
        "is_active": is_active,
    }
    try:
        with transaction.atomic():
            if organisation is None:
                organisation = Organisation(slug=_unique_slug(Organisation, name))
            changed = [k for k, v in values.items() if getattr(organisation, k, None) != v]
            for key, value in values.items():
                setattr(organisation, key, value)
            organisation.save()
            new_localities = set(localities)
            if creating or set(organisation.localities.all()) != new_localities:
                organisation.localities.set(new_localities)
                changed.append("localities")
            audit.record(
                actor=actor,
                verb=AuditVerb.CREATE if creating else AuditVerb.UPDATE,
                target=organisation,
                fields=changed,
            )
    except IntegrityError as error:
        raise OrganisationError(
            "An organisation with this name already exists", field="name"
        ) from error
    return organisation


def locality_save(
    *,
    actor: Any,
    locality: Locality | None,
    name: str,
    description: str = "",
    postcode_districts: list[str] | None = None,
    wards: list[str] | None = None,
) -> Locality:
    creating = locality is None
    exclude = None if locality is None else locality.pk
    if _duplicate_name(Locality, name, exclude):
        raise OrganisationError("A locality with this name already exists", field="name")
    try:
        with transaction.atomic():
            if locality is None:
                locality = Locality(slug=_unique_slug(Locality, name))
            locality.name = name.strip()
            locality.description = description.strip()
            locality.postcode_districts = postcode_districts or []
            locality.wards = wards or []
            locality.save()
            audit.record(
                actor=actor,
                verb=AuditVerb.CREATE if creating else AuditVerb.UPDATE,
                target=locality,
                fields=["name", "description", "postcode_districts", "wards"],
            )
    except IntegrityError as error:
        raise OrganisationError("A locality with this name already exists", field="name") from error
    return locality
