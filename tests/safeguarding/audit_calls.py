"""The safeguarding selectors' rows of the audited-selector table (tests/core/test_audit_trail.py):
a concern about `child` raised by `viewer` and routed to them as a designated safeguarding lead,
so that every selector returns it."""

from collections.abc import Callable
from typing import Any

from joinedup.core.roles import Role
from joinedup.safeguarding import selectors, services
from tests.factories import MembershipFactory


def safeguarding_calls(viewer: Any, child: Any) -> dict[str, Callable[[], Any]]:
    membership = MembershipFactory(user=viewer, role=Role.SAFEGUARDING_LEAD)
    concern = services.concern_raise(
        actor=viewer, child=child, organisation=membership.organisation, details="Bruises."
    )
    on_concern = {"viewer": viewer, "concern_id": concern.pk}
    return {
        "joinedup.safeguarding.selectors.inbox": lambda: selectors.inbox(viewer=viewer),
        "joinedup.safeguarding.selectors.concern_for_lead": (
            lambda: selectors.concern_for_lead(**on_concern)
        ),
        "joinedup.safeguarding.selectors.concern_for_raiser": (
            lambda: selectors.concern_for_raiser(**on_concern)
        ),
        "joinedup.safeguarding.selectors.concerns_raised_by": (
            lambda: selectors.concerns_raised_by(viewer=viewer)
        ),
    }
