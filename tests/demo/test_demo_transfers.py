"""The demo has a transfer waiting for an answer (joinedup/demo/transfers.py): an Easton child
moving to Lockleaze, asked for through the transfers service (audited, the receiving panel's
coordinators told), on the Transfers page; loading the demo again adds no other."""

from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.demo.catalogue import EASTON, LOCKLEAZE
from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.notifications.models import Notification
from joinedup.transfers.models import Transfer, TransferStatus
from tests.conftest import sign_in_client


def test_the_demo_has_a_transfer_waiting_on_the_transfers_page(db, client):
    load_demo_data()
    coordinator = User.objects.get(email=f"coordinator@{DEMO_EMAIL_DOMAIN}")

    transfer = Transfer.objects.get()
    assert transfer.status == TransferStatus.REQUESTED
    assert transfer.from_panel.slug == EASTON
    assert transfer.to_panel.slug == LOCKLEAZE
    assert transfer.new_locality.slug == LOCKLEAZE
    assert transfer.requested_by == coordinator
    # Made by the service: audited, and the Lockleaze panel's coordinators told by pseudonym.
    assert AuditEntry.objects.filter(
        verb=AuditVerb.CREATE, target_id=str(transfer.pk), actor=coordinator
    ).exists()
    notice = Notification.objects.get(recipient=coordinator, kind="transfer")
    assert transfer.child.pseudonym in notice.text
    assert transfer.child.family_name not in notice.text

    page = sign_in_client(client, coordinator).get(reverse("transfers:list"))
    assert page.status_code == 200
    assert reverse("transfers:detail", kwargs={"transfer_id": transfer.pk}) in page.text

    load_demo_data()
    assert Transfer.objects.count() == 1
