"""A transfer for the tables that walk every URL and every selector
(tests/core/test_access_policy.py, tests/children/test_pseudonym_everywhere.py,
tests/core/test_audit_trail.py)."""

from collections.abc import Callable
from typing import Any

import factory
from django.utils import timezone

from joinedup.transfers import selectors
from joinedup.transfers.models import Transfer
from tests.factories import (
    LocalityFactory,
    OrganisationFactory,
    PanelFactory,
    ReferralFactory,
    UserFactory,
)


class TransferFactory(factory.django.DjangoModelFactory):
    """A transfer waiting for an answer, from the referral's panel to another."""

    class Meta:
        model = Transfer

    from_referral = factory.SubFactory(ReferralFactory)
    child = factory.SelfAttribute("from_referral.child")
    from_panel = factory.SubFactory(PanelFactory)
    new_locality = factory.SubFactory(LocalityFactory)
    to_panel = factory.LazyAttribute(lambda o: PanelFactory(localities=[o.new_locality]))
    moves_on = factory.LazyFunction(timezone.localdate)
    reason = "The family moved."
    risks = "Missed school during the move."
    what_is_working = "Mentoring."
    who_knows_the_child = "The keyworker."
    requested_by = factory.SubFactory(UserFactory)
    requesting_organisation = factory.SubFactory(OrganisationFactory)
    requested_at = factory.LazyFunction(timezone.now)


def transfer_calls(viewer: Any, child: Any) -> dict[str, Callable[[], Any]]:
    transfer = TransferFactory(child=child, requested_by=viewer)
    return {
        "joinedup.transfers.selectors.transfers_for": lambda: selectors.transfers_for(
            viewer=viewer
        ),
        "joinedup.transfers.selectors.transfer_for": lambda: selectors.transfer_for(
            viewer=viewer, transfer_id=transfer.pk
        ),
    }
