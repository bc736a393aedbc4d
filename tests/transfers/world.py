"""Two localities' panels (Easton and Lockleaze, as in the demo) and a child whose case is with
the Easton panel: an open plan with a keyworker, consent in force, and a future meeting with the
case on its agenda."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.children.models import Address, InvolvementRole
from joinedup.consent.models import Scope
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality
from joinedup.panels.models import AgendaItem, PanelRole
from joinedup.plans.models import Plan
from joinedup.transfers import services
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    InvolvementFactory,
    LocalityFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    ParentFactory,
    ReferralFactory,
)


@dataclass
class World:
    easton: Any
    lockleaze: Any
    easton_panel: Any
    lockleaze_panel: Any
    easton_coordinator: Any
    lockleaze_coordinator: Any
    keyworker: Any
    child: Any
    referral: Any
    plan: Any
    meeting: Any
    item: Any
    mother: Any


def coordinator_of(panel: Any, name: str) -> Any:
    person = make_person(Role.PANEL_COORDINATOR, full_name=name)
    organisation = person.active_memberships().get().organisation
    PanelMemberFactory(
        panel=panel, user=person, organisation=organisation, role=PanelRole.COORDINATOR
    )
    return person


def build() -> World:
    # Other tables' worlds may have made Easton already, in the same test.
    easton = Locality.objects.filter(name="Easton").first() or LocalityFactory(name="Easton")
    lockleaze = LocalityFactory(name="Lockleaze")
    easton_panel = PanelFactory(
        name="Easton & Lawrence Hill panel", slug="transfers-easton", localities=[easton]
    )
    lockleaze_panel = PanelFactory(
        name="Lockleaze & Upper Horfield panel", slug="transfers-lockleaze", localities=[lockleaze]
    )
    child = ChildFactory(
        given_name="Zebedee",
        family_name="Quixwort",
        date_of_birth=timezone.localdate() - timedelta(days=365 * 10 + 40),
        locality=easton,
    )
    Address.objects.create(
        child=child, line_1="77 Marmalade Lane", postcode="BS5 9QQ", locality=easton
    )
    mother = ParentFactory(child=child, full_name="Philippa Quixwort")
    for scope in (Scope.PANEL_DISCUSSION, Scope.CONTACT):
        ConsentRecordFactory(child=child, household_member=mother, scope=scope)
    keyworker = make_person(Role.KEYWORKER, full_name="Kit Keyworker")
    organisation = keyworker.active_memberships().get().organisation
    involvement = InvolvementFactory(
        child=child, organisation=organisation, worker=keyworker, role=InvolvementRole.KEYWORKER
    )
    today = timezone.localdate()
    plan = Plan.objects.create(
        child=child,
        keyworker=keyworker,
        keyworker_organisation=organisation,
        keyworker_involvement=involvement,
        panel=easton_panel,
        opened_on=today,
        next_review_on=today + timedelta(weeks=12),
    )
    referral = ReferralFactory(child=child, panel=easton_panel)
    meeting = MeetingFactory(panel=easton_panel)
    item = AgendaItem.objects.create(meeting=meeting, child=child, referral=referral)
    return World(
        easton=easton,
        lockleaze=lockleaze,
        easton_panel=easton_panel,
        lockleaze_panel=lockleaze_panel,
        easton_coordinator=coordinator_of(easton_panel, "Edna Easton"),
        lockleaze_coordinator=coordinator_of(lockleaze_panel, "Lola Lockleaze"),
        keyworker=keyworker,
        child=child,
        referral=referral,
        plan=plan,
        meeting=meeting,
        item=item,
        mother=mother,
    )


def details(world: World, **changes: Any) -> services.TransferDetails:
    answers: dict[str, Any] = {
        "new_locality": world.lockleaze,
        "moves_on": timezone.localdate() + timedelta(days=14),
        "reason": "The family has a new tenancy in Lockleaze.",
        "risks": "Child Q missed school for three weeks during the move.",
        "what_is_working": "Weekly mentoring; the football club on Saturdays.",
        "who_knows_the_child": "Kit Keyworker at the youth project; the class teacher.",
        "new_address_line_1": "12 Gainsborough Square",
        "new_postcode": "BS7 9XA",
        **changes,
    }
    return services.TransferDetails(**answers)


def requested(world: World, **changes: Any) -> Any:
    return services.transfer_request(
        actor=world.easton_coordinator, child=world.child, details=details(world, **changes)
    )
