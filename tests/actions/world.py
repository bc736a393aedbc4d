"""A panel at work, for the action tests: its coordinator and chair, a member, a past meeting
with a child's case on its agenda, and owners from two agencies."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.actions import services
from joinedup.core.roles import Role
from joinedup.organisations.models import Organisation
from joinedup.panels.models import AgendaItem, Meeting, Panel, PanelRole
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    MeetingFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)


@dataclass
class PanelWorld:
    panel: Panel
    coordinator: Any
    chair: Any
    member: Any
    police: Organisation
    school: Organisation
    sergeant: Any  # works for the police
    teacher: Any  # works for the school
    meeting: Meeting
    item: AgendaItem
    child: Any

    def create(self, *, actor: Any = None, owner: Any = None, **fields: Any) -> Any:
        """An action agreed at the meeting about the child's case, through the service."""
        owner = owner or self.sergeant
        organisation = owner.memberships.order_by("started_on").first().organisation
        defaults = {
            "title": "Ask the school about attendance",
            "owner": owner,
            "organisation": organisation,
            "due_on": timezone.localdate() + timedelta(days=7),
            "meeting": self.meeting,
            "agenda_item": self.item,
        }
        return services.action_create(
            actor=actor or self.coordinator, new=services.NewAction(**{**defaults, **fields})
        )


def person_at(organisation: Organisation, role: Role, **fields: Any) -> Any:
    person = make_person(role, **fields)
    membership = person.memberships.get()
    membership.organisation = organisation
    membership.save()
    return person


def panel_world(*, meeting_days_ago: int = 3) -> PanelWorld:
    panel = PanelFactory(name="Easton actions panel", slug="easton-actions")
    coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    chair = make_person(Role.PANEL_CHAIR, full_name="Chris Chair")
    PanelMemberFactory(panel=panel, user=chair, role=PanelRole.CHAIR)
    police = OrganisationFactory(name="Avon and Somerset Police")
    school = OrganisationFactory(name="Easton Primary School")
    sergeant = person_at(police, Role.PANEL_MEMBER, full_name="Sam Sergeant")
    PanelMemberFactory(panel=panel, user=sergeant, role=PanelRole.MEMBER, organisation=police)
    member = sergeant
    teacher = person_at(school, Role.REFERRER, full_name="Tia Teacher")
    child = ChildFactory(given_name="Zebedee", family_name="Quixwort")
    meeting = MeetingFactory(
        panel=panel, starts_at=timezone.now() - timedelta(days=meeting_days_ago)
    )
    referral = ReferralFactory(child=child, panel=panel)
    item = AgendaItem.objects.create(meeting=meeting, child=child, referral=referral)
    return PanelWorld(
        panel=panel,
        coordinator=coordinator,
        chair=chair,
        member=member,
        police=police,
        school=school,
        sergeant=sergeant,
        teacher=teacher,
        meeting=meeting,
        item=item,
        child=child,
    )
