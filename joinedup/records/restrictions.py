"""Whether processing of a child's data is restricted (UK GDPR article 18), for the apps that
must stop while it is: panels (no agenda), referrals (held), plans (none opened). Imports
nothing but the records model, so any app can ask without an import cycle."""

from typing import Any

from joinedup.core.errors import FieldError
from joinedup.records.models import Restriction

HELD_MESSAGE = (
    "Processing of this child's data is restricted at the request of the child or their family "
    "(recorded by information governance): it is held until the restriction is lifted"
)


class ProcessingRestricted(FieldError):
    """The child's data may not be used for this while a restriction stands."""


def live_restriction(child: Any) -> Restriction | None:
    if child is None:
        return None
    return Restriction.objects.filter(child_id=child.pk, lifted_at__isnull=True).first()


def is_restricted(child: Any) -> bool:
    return child is not None and (
        Restriction.objects.filter(child_id=child.pk, lifted_at__isnull=True).exists()
    )


def refuse_if_restricted(child: Any, *, field: str | None = None) -> None:
    if is_restricted(child):
        raise ProcessingRestricted(HELD_MESSAGE, field=field, code="restricted")
