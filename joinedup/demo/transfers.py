"""A transfer waiting for an answer, so that the Transfers page (/transfers/) has something on
it in the demo: an Easton child whose family is moving to Lockleaze, asked for by the demo
coordinator (who coordinates every panel) through the transfers service, so that it is audited
and the Lockleaze panel's coordinators are told, as a real request would be.

Loaded once: nothing is added once a transfer of a demo child exists. The handover names the
child by pseudonym only, as the service requires. Every person is made up."""

from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.children.models import Child
from joinedup.demo.catalogue import EASTON, LOCKLEAZE
from joinedup.organisations.models import Locality
from joinedup.referrals.models import IdentityStatus, ReferralStatus
from joinedup.transfers import services
from joinedup.transfers.models import Transfer

# The street in Lockleaze the family is moving to (made up, in a real BS7 postcode district).
NEW_ADDRESS = ("14 Gainsborough Square", "BS7 9XA")


def _candidates() -> list[Child]:
    """Easton children whose case the Easton panel has taken in, whoever they are settled to
    be, in a steady order (by reference): the first one the Lockleaze panel may take moves."""
    return list(
        Child.objects.filter(
            merged_into__isnull=True,
            referrals__panel__slug=EASTON,
            referrals__status=ReferralStatus.RECEIVED,
        )
        .exclude(referrals__identity_status__in=[IdentityStatus.TO_CHECK, IdentityStatus.DEFERRED])
        .distinct()
        .order_by("reference")
    )


def load_demo_transfers(*, coordinator: User) -> Transfer | None:
    if Transfer.objects.exists():
        return None
    lockleaze = Locality.objects.get(slug=LOCKLEAZE)
    for child in _candidates():
        details = services.TransferDetails(
            new_locality=lockleaze,
            moves_on=timezone.localdate() + timedelta(days=21),
            reason=(
                "The family has been offered a housing association tenancy in Lockleaze and "
                "moves at the end of the month."
            ),
            risks=(
                f"{child.pseudonym} has found moves hard before: attendance dropped for several "
                "weeks the last time the family moved."
            ),
            what_is_working=(
                "Weekly sessions at the youth project, which the child asks to keep going to, "
                "and a good relationship with the learning mentor at school."
            ),
            who_knows_the_child=(
                "The learning mentor at school and the youth project's family support worker; "
                "both have agreed to speak to the new keyworker."
            ),
            new_address_line_1=NEW_ADDRESS[0],
            new_postcode=NEW_ADDRESS[1],
        )
        try:
            return services.transfer_request(actor=coordinator, child=child, details=details)
        except services.TransferError:
            # Not this child (too old for the Lockleaze panel, say): the next one.
            continue
    return None
