"""A child moves from Easton to Lockleaze: the Easton coordinator asks for a transfer from the
child's record, and a Lockleaze coordinator reads the handover by pseudonym and accepts the
case, on the demo data, with axe-core run on every page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from joinedup.accounts.models import Membership, User
from joinedup.core.roles import Role
from joinedup.demo.catalogue import EASTON, LOCKLEAZE
from joinedup.demo.loader import DEMO_PASSWORD, load_demo_data
from joinedup.panels.models import Panel, PanelMember, PanelRole
from joinedup.referrals.models import IdentityStatus
from joinedup.transfers import services
from joinedup.transfers.models import Transfer, TransferStatus

from .conftest import assert_accessible
from .signing_in import sign_in

LOCKLEAZE_COORDINATOR = "lockleaze.coordinator@demo.joinedup.test"


@pytest.fixture
def demo(transactional_db):
    load_demo_data()
    easton = Panel.objects.get(slug=EASTON)
    lockleaze = Panel.objects.get(slug=LOCKLEAZE)
    # The demo coordinator serves every panel; here Lockleaze has a coordinator of its own.
    PanelMember.objects.filter(panel=lockleaze, role=PanelRole.COORDINATOR).update(
        ended_on=timezone.localdate()
    )
    person = User.objects.create_user(
        email=LOCKLEAZE_COORDINATOR, password=DEMO_PASSWORD, full_name="Lee Lockleaze"
    )
    seat = PanelMember.objects.filter(panel=easton, role=PanelRole.COORDINATOR).first()
    assert seat is not None
    Membership.objects.create(
        user=person, organisation=seat.organisation, role=Role.PANEL_COORDINATOR
    )
    TOTPDevice.objects.create(user=person, name="Demo authenticator", confirmed=True)
    PanelMember.objects.create(
        panel=lockleaze,
        user=person,
        organisation=seat.organisation,
        role=PanelRole.COORDINATOR,
        started_on=timezone.localdate() - timedelta(days=1),
    )
    child = next(
        referral.child
        for referral in easton.referrals.filter(
            identity_status__in=[IdentityStatus.NEW, IdentityStatus.LINKED]
        ).select_related("child")
        if services.current_case(referral.child) is not None
        and services.current_case(referral.child).panel_id == easton.pk  # type: ignore[union-attr]
        and 8 <= referral.child.age <= 13
    )
    return child


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_easton_asks_and_lockleaze_accepts_the_case(page: Page, demo) -> None:
    child = demo
    checked: list[str] = []
    sign_in(page, "coordinator@demo.joinedup.test", checked=checked)

    page.goto(f"/children/{child.reference}/")
    page.get_by_role("link", name="Transfer the case to another locality's panel").click()
    expect(page.get_by_role("heading", name="Transfer the case to another panel")).to_be_visible()
    assert_accessible(page, checked)

    # A mistake first: the error names the field.
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Select the locality the child is moving to")
    ).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_label("Lockleaze & Upper Horfield").check()
    moves_on = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Day").fill(str(moves_on.day))
    page.get_by_label("Month").fill(str(moves_on.month))
    page.get_by_label("Year").fill(str(moves_on.year))
    page.get_by_label("Why is the case moving?").fill("The family has a new tenancy.")
    page.get_by_label("What should the receiving panel know about risks?").fill(
        f"{child.pseudonym} missed school during the move."
    )
    page.get_by_label("What is working for the child?").fill("Weekly mentoring.")
    page.get_by_label("Who knows the child?").fill("The keyworker at the youth project.")
    page.get_by_role("button", name="Ask for the transfer").click()

    expect(
        page.get_by_role("heading", name=re.compile("^Transfer to the Lockleaze"))
    ).to_be_visible()
    expect(page.get_by_text("Waiting for an answer").first).to_be_visible()
    assert_accessible(page, checked)
    transfer = Transfer.objects.get(child=child)
    _sign_out(page)

    sign_in(page, LOCKLEAZE_COORDINATOR, checked=checked, check_each_page=False)
    page.get_by_role("link", name="Answer transfers").click()
    expect(page.get_by_role("heading", name="Transfers", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name=re.compile(child.pseudonym)).first.click()
    expect(
        page.get_by_role("heading", name=re.compile("^Transfer to the Lockleaze"))
    ).to_be_visible()
    assert child.given_name not in page.content()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Accept the case").click()
    expect(page.get_by_role("heading", name=re.compile("^Accept the case"))).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("I have read the handover, and the panel takes the case").check()
    page.get_by_role("button", name="Accept the case").click()

    expect(page.get_by_text("Accepted", exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile("ask them again"))).to_be_visible()
    assert_accessible(page, checked)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert len(checked) >= 6
