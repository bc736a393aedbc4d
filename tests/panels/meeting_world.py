"""A panel at its meeting, for the meeting tests and the bad-input table: a coordinator, a
chair, three members from other agencies (one with a deputy), a meeting that started an hour
ago with children's cases on its agenda, and a later meeting."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.utils import timezone

from joinedup.assessments.models import AssessmentStatus, DomainRating
from joinedup.core.roles import Role
from joinedup.organisations.models import Organisation
from joinedup.panels import conduct
from joinedup.panels.models import AgendaItem, AttendanceStatus, PanelRole
from tests.conftest import make_person
from tests.factories import (
    AssessmentFactory,
    ChildFactory,
    DomainFactory,
    MeetingFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)


@dataclass
class MeetingWorld:
    panel: Any
    coordinator: Any
    chair: Any
    seats: dict[str, Any]
    meeting: Any
    next_meeting: Any
    items: list[Any] = field(default_factory=list)

    def add_case(self, **child_fields: Any) -> Any:
        # A family name no test's wording contains: a random one (Hill, Barton...) would make
        # reasons such as "Barton Hill youth club" name the child.
        child_fields.setdefault("family_name", "Quixwort")
        child = ChildFactory(**child_fields)
        referral = ReferralFactory(child=child, panel=self.panel)
        item = AgendaItem.objects.create(meeting=self.meeting, child=child, referral=referral)
        self.items.append(item)
        return item

    def everyone_present(self, meeting: Any = None) -> None:
        meeting = meeting or self.meeting
        conduct.attendance_record(
            actor=self.coordinator,
            meeting=meeting,
            entries={
                seat: conduct.AttendanceEntry(AttendanceStatus.PRESENT)
                for name, seat in self.seats.items()
                if name != "deputy"
            },
        )


def seat(panel: Any, role: str, *, name: str, organisation: Any = None, **extra: Any) -> Any:
    user = make_person(
        Role.PANEL_COORDINATOR
        if role == PanelRole.COORDINATOR
        else Role.PANEL_CHAIR
        if role == PanelRole.CHAIR
        else Role.PANEL_MEMBER,
        full_name=name,
    )
    return PanelMemberFactory(
        panel=panel,
        user=user,
        role=role,
        organisation=organisation or OrganisationFactory(name=f"{name}'s agency"),
        started_on=timezone.localdate() - timedelta(days=365),
        **extra,
    )


# Seat ids known in advance, for tables that name a form's fields before the world exists.
SEAT_IDS = {
    name: UUID(f"00000000-0000-4000-8000-00000000000{number}")
    for number, name in enumerate(["coordinator", "chair", "police", "school", "deputy"], start=1)
}


def meeting_world(*, cases: int = 1, started: bool = True, fixed_ids: bool = False) -> MeetingWorld:
    def ids(name: str) -> dict[str, Any]:
        return {"id": SEAT_IDS[name]} if fixed_ids else {}

    panel = PanelFactory(name="Easton panel", slug="easton")
    # Other worlds in the same test (the bad-input table builds several) may have the police.
    police = Organisation.objects.filter(name="Avon and Somerset Police").first()
    police = police or OrganisationFactory(name="Avon and Somerset Police")
    seats = {
        "coordinator": seat(
            panel, PanelRole.COORDINATOR, name="Cora Coordinator", **ids("coordinator")
        ),
        "chair": seat(
            panel,
            PanelRole.CHAIR,
            name="Chris Chair",
            organisation=OrganisationFactory(name="Children's social care"),
            has_delegated_authority=True,
            **ids("chair"),
        ),
        "police": seat(
            panel, PanelRole.MEMBER, name="Pat Police", organisation=police, **ids("police")
        ),
        "school": seat(
            panel,
            PanelRole.MEMBER,
            name="Sam Senco",
            organisation=OrganisationFactory(name="Easton Primary"),
            **ids("school"),
        ),
    }
    seats["deputy"] = seat(
        panel,
        PanelRole.MEMBER,
        name="Dee Deputy",
        organisation=police,
        deputy_for=seats["police"],
        **ids("deputy"),
    )
    starts = timezone.now() - timedelta(hours=1) if started else timezone.now() + timedelta(days=7)
    world = MeetingWorld(
        panel=panel,
        coordinator=seats["coordinator"].user,
        chair=seats["chair"].user,
        seats=seats,
        meeting=MeetingFactory(panel=panel, starts_at=starts),
        next_meeting=MeetingFactory(panel=panel, starts_at=starts + timedelta(days=28)),
    )
    for number in range(cases):
        world.add_case(given_name=f"Zebedee{number}" if number else "Zebedee")
    return world


def completed_assessment(child: Any, ratings: list[int], *, version: int = 1) -> Any:
    """A completed assessment of the child, one area per rating."""
    assessment = AssessmentFactory(
        child=child, version=version, status=AssessmentStatus.COMPLETED, completed_at=timezone.now()
    )
    for number, rating in enumerate(ratings):
        DomainRating.objects.create(
            assessment=assessment,
            domain=DomainFactory(panel=None, name=f"Area {number}"),
            rating=rating,
            evidence="Seen at school." if rating else "",
        )
    return assessment
