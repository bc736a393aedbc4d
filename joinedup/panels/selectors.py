from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from joinedup.core import audit
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels import pipeline, prioritisation, quorum
from joinedup.panels.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Declaration,
    Meeting,
    MembershipCriterion,
    Minutes,
    Panel,
    PanelMember,
    PanelRole,
    PrioritisationRule,
    QuorumRule,
    TermsOfReference,
)
from joinedup.panels.prioritisation import Evaluation
from joinedup.panels.quorum import QuorumState


@audit.audit_exempt(reason="Reads a panel's public settings; no personal data.")
def panel_serving(locality: Locality | None) -> Panel | None:
    """The active panel that takes referrals for children living in a locality."""
    if locality is None:
        return None
    return Panel.objects.filter(localities=locality, is_active=True).order_by("name").first()


@audit.audit_exempt(reason="Answers yes or no for the viewer; reads no record's contents.")
def coordinates(*, viewer: Any, panel_id: Any) -> bool:
    return PanelMember.objects.panels_coordinated_by(viewer).filter(panel_id=panel_id).exists()


def _seated(viewer: Any) -> Any:
    return PanelMember.objects.current().filter(user=viewer).values("panel")


@audit.audit_exempt(reason="Panels and meeting dates; no personal data.")
def panels_for(*, viewer: Any) -> list[Panel]:
    """The panels the viewer sits on, each with its upcoming meetings."""
    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    return list(
        Panel.objects.filter(pk__in=_seated(viewer))
        .prefetch_related("localities", Prefetch("meetings", upcoming, to_attr="upcoming"))
        .order_by("name")
    )


@audit.audit_exempt(reason="A panel, its seats and meeting dates; no child's data.")
def panel_for(*, viewer: Any, slug: str) -> Panel:
    panel = (
        Panel.objects.filter(pk__in=_seated(viewer), slug=slug)
        .prefetch_related(
            "localities",
            Prefetch(
                "members",
                PanelMember.objects.current().select_related(
                    "user", "organisation", "deputy_for__user"
                ),
                to_attr="current_members",
            ),
            Prefetch("meetings", Meeting.objects.order_by("-starts_at"), to_attr="all_meetings"),
            Prefetch(
                "criteria",
                MembershipCriterion.objects.filter(retired_on__isnull=True),
                to_attr="adopted_criteria",
            ),
            Prefetch("terms", TermsOfReference.objects.order_by("-version"), to_attr="all_terms"),
        )
        .first()
    )
    if panel is None:
        raise Http404("No panel you sit on with this name.")
    return panel


@audit.audit_exempt(
    reason="An agenda lists children by pseudonym and reference only; opening a child's "
    "record is audited there."
)
def meeting_for(*, viewer: Any, meeting_id: Any) -> Meeting:
    meeting = (
        Meeting.objects.filter(panel__in=_seated(viewer), pk=meeting_id)
        .select_related("panel")
        .prefetch_related(
            Prefetch(
                "items",
                AgendaItem.objects.select_related("child", "child__locality", "removed_by"),
            )
        )
        .first()
    )
    if meeting is None:
        raise Http404("No meeting of a panel you sit on with this id.")
    return meeting


@audit.audit_exempt(reason="Meeting dates of one panel; no personal data.")
def future_meetings(*, panel_id: Any) -> list[Meeting]:
    return list(
        Meeting.objects.filter(panel_id=panel_id, starts_at__gt=timezone.now()).order_by(
            "starts_at"
        )
    )


@audit.audit_exempt(reason="One agenda line: a pseudonym and reference; no identifying data.")
def agenda_item_for(*, viewer: Any, item_id: Any) -> AgendaItem:
    item = (
        AgendaItem.objects.filter(meeting__panel__in=_seated(viewer), pk=item_id)
        .select_related("meeting", "meeting__panel", "child", "child__locality")
        .first()
    )
    if item is None:
        raise Http404("No agenda item of a panel you sit on with this id.")
    return item


@audit.audit_exempt(reason="A panel seat: who sits for which organisation; no child's data.")
def seat_for(*, viewer: Any, seat_id: Any) -> PanelMember:
    seat = (
        PanelMember.objects.filter(panel__in=_seated(viewer), pk=seat_id)
        .select_related("panel", "user", "organisation")
        .first()
    )
    if seat is None:
        raise Http404("No seat on a panel you sit on with this id.")
    return seat


@audit.audit_exempt(reason="A panel's membership criteria; no personal data.")
def criterion_for(*, viewer: Any, criterion_id: Any) -> MembershipCriterion:
    criterion = (
        MembershipCriterion.objects.filter(panel__in=_seated(viewer), pk=criterion_id)
        .select_related("panel")
        .first()
    )
    if criterion is None:
        raise Http404("No criterion of a panel you sit on with this id.")
    return criterion


@audit.audit_exempt(reason="The partnership's organisations, by name; no personal data.")
def organisations_to_represent() -> list[Organisation]:
    return list(Organisation.objects.filter(is_active=True).order_by("name"))


@audit.audit_exempt(
    reason="Finds a worker's account and organisations to seat them; no child's data."
)
def person_to_seat(*, email: str) -> tuple[Any, list[Organisation]] | None:
    """The account with this email address and the organisations it works for now."""
    from joinedup.accounts.models import Membership, User

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return None
    organisations = [
        membership.organisation
        for membership in Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    return user, organisations


# The meeting itself: attendance, quorum, declarations, decisions and minutes.


@dataclass(frozen=True)
class SeatAttendance:
    seat: PanelMember
    deputies: list[PanelMember]
    attendance: Attendance | None


@dataclass
class MeetingConduct:
    """What the chair needs at the table, loaded in a fixed number of queries."""

    seats: list[SeatAttendance]
    quorum: QuorumState
    quorum_rule: str
    declarations: list[Declaration]
    minutes: Minutes | None
    earlier_minutes: list[Minutes]
    coordinates: bool
    decides: bool
    has_started: bool
    interests_by_item: dict[Any, list[str]] = field(default_factory=dict)


def _seats_on(meeting: Meeting) -> Any:
    day = timezone.localtime(meeting.starts_at).date()
    return (
        PanelMember.objects.filter(panel_id=meeting.panel_id, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("user", "organisation", "deputy_for")
        .order_by("role", "user__full_name")
    )


def _attendance_of(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting).select_related(
            "member__user",
            "member__organisation",
            "member__deputy_for",
            "deputy__user",
            "deputy__organisation",
            "deputy__deputy_for",
        )
    )


def _rule_of(panel: Panel) -> QuorumRule:
    return QuorumRule.objects.filter(panel=panel).first() or quorum.default_rule(panel)


@audit.audit_exempt(
    reason="Who sat and attended, declarations and decision states of a panel's meeting; "
    "children by pseudonym and reference only."
)
def meeting_conduct(*, viewer: Any, meeting: Meeting) -> MeetingConduct:
    """The meeting's attendance, quorum, declarations and minutes status, for a meeting the
    viewer may see (from `meeting_for`)."""
    seats = list(_seats_on(meeting))
    attendance = _attendance_of(meeting)
    by_seat = {entry.member_id: entry for entry in attendance}
    declarations = list(
        Declaration.objects.filter(meeting=meeting)
        .select_related("member__user", "member__organisation", "item__child")
        .order_by("created_at")
    )
    interests: dict[Any, list[str]] = {}
    for declaration in declarations:
        interests.setdefault(declaration.item_id, []).append(declaration.member.user.display_name)
    roles = set(
        PanelMember.objects.current()
        .filter(user=viewer, panel_id=meeting.panel_id)
        .values_list("role", flat=True)
    )
    rule = _rule_of(meeting.panel)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_at_meeting").first()
    earlier = list(
        Minutes.objects.filter(
            meeting__panel_id=meeting.panel_id,
            meeting__starts_at__lt=meeting.starts_at,
            approved_at__isnull=True,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )
    return MeetingConduct(
        seats=[
            SeatAttendance(
                seat=seat,
                deputies=[d for d in seats if d.deputy_for_id == seat.pk],
                attendance=by_seat.get(seat.pk),
            )
            for seat in seats
            if seat.deputy_for_id is None
        ],
        quorum=quorum.assess(rule, attendance),
        quorum_rule=quorum.rule_text(rule),
        declarations=declarations,
        minutes=minutes,
        earlier_minutes=earlier,
        coordinates=PanelRole.COORDINATOR in roles,
        decides=bool(roles & {PanelRole.COORDINATOR, PanelRole.CHAIR}),
        has_started=meeting.starts_at <= timezone.now(),
        interests_by_item=interests,
    )


@audit.audit_exempt(reason="Counts of who attends a meeting; no child's data.")
def quorum_of(*, meeting: Meeting, item: AgendaItem | None = None) -> QuorumState:
    """Whether the meeting is quorate: for one case, without those who declared an interest in
    it (or in the whole meeting)."""
    declared: list[Any] = []
    if item is not None:
        declared = list(
            Declaration.objects.filter(meeting=meeting)
            .filter(Q(item=item) | Q(item__isnull=True))
            .values_list("member_id", flat=True)
        )
    return quorum.assess(_rule_of(meeting.panel), _attendance_of(meeting), not_taking_part=declared)


@audit.audit_exempt(
    reason="A case's decisions (reasons and rule snapshot) by pseudonym and reference; the "
    "decision page shows no identifying data."
)
def decisions_of(*, item: AgendaItem) -> list[Decision]:
    """Every version of the decision on a case, newest first."""
    return list(
        Decision.objects.filter(item=item)
        .select_related("decided_by", "deferred_to")
        .order_by("-version")
    )


@audit.audit_exempt(
    reason="Counts for the panel's rule (agencies, risk areas) shown by pseudonym; the read of "
    "the assessment behind them is recorded here, against the assessment."
)
def case_evaluation(*, viewer: Any, item: AgendaItem, parents_ticked: bool = False) -> Evaluation:
    """The panel's prioritisation rule evaluated for the case, with the numbers it used."""
    rule = prioritisation.current_rule(item.meeting.panel)
    inputs, assessment = prioritisation.inputs_for(item.child, rule)
    if assessment is not None:
        audit.record_reads(
            actor=viewer,
            targets=[assessment],
            fields=("ratings",),
            purpose="Evaluating the panel's prioritisation rule for a decision",
        )
    return prioritisation.evaluate(rule, inputs, parents_ticked=parents_ticked)


@audit.audit_exempt(reason="A panel's rules (quorum, prioritisation); no personal data.")
def panel_rules(*, panel: Panel) -> tuple[QuorumRule, list[PrioritisationRule]]:
    """The quorum rule (or the default) and the prioritisation rule's versions, newest first."""
    versions = list(
        PrioritisationRule.objects.filter(panel=panel)
        .select_related("adopted_by")
        .order_by("-version")
    )
    return _rule_of(panel), versions


@audit.audit_exempt(reason="The minutes of a meeting; children by pseudonym and reference only.")
def minutes_of(*, meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("generated_by", "edited_by", "approved_by", "approved_at_meeting")
        .first()
    )


@audit.audit_exempt(reason="Meeting dates of one panel; no personal data.")
def later_meetings(*, meeting: Meeting) -> list[Meeting]:
    return list(
        Meeting.objects.filter(panel_id=meeting.panel_id, starts_at__gt=meeting.starts_at).order_by(
            "starts_at"
        )
    )


@dataclass(frozen=True)
class AttendanceRate:
    name: str
    organisation: str
    expected: int
    attended: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None


@dataclass(frozen=True)
class AttendanceReport:
    panel: Panel
    meetings: list[Meeting]
    members: list[AttendanceRate]
    agencies: list[AttendanceRate]


@audit.audit_exempt(reason="Attendance of panel members at meetings; no child's data.")
def attendance_report(*, viewer: Any, panel: Panel, last: int = 6) -> AttendanceReport:
    """Attendance over the panel's last `last` meetings with attendance recorded: per member
    (present, or their deputy sent) and per agency (someone from it in the room). For the
    panel's chair and coordinator."""
    if not (
        PanelMember.objects.current()
        .filter(user=viewer, panel=panel, role__in=[PanelRole.CHAIR, PanelRole.COORDINATOR])
        .exists()
    ):
        raise PermissionDenied("The attendance report is for the panel's chair and coordinator.")
    meetings = list(
        Meeting.objects.filter(panel=panel, starts_at__lte=timezone.now(), attendance__isnull=False)
        .distinct()
        .order_by("-starts_at")[:last]
    )
    entries = list(
        Attendance.objects.filter(meeting__in=meetings).select_related(
            "member__user", "member__organisation", "deputy__organisation"
        )
    )
    people: dict[Any, list[int]] = {}
    names: dict[Any, tuple[str, str]] = {}
    agency_expected: dict[str, set[Any]] = {}
    agency_attended: dict[str, set[Any]] = {}
    for entry in entries:
        seat = entry.member
        names[seat.pk] = (seat.user.display_name, seat.organisation.name)
        tally = people.setdefault(seat.pk, [0, 0])
        tally[0] += 1
        agency_expected.setdefault(seat.organisation.name, set()).add(entry.meeting_id)
        if entry.status in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY):
            tally[1] += 1
            in_room = entry.deputy if entry.status == AttendanceStatus.DEPUTY else seat
            if in_room is not None:
                agency_attended.setdefault(in_room.organisation.name, set()).add(entry.meeting_id)
    return AttendanceReport(
        panel=panel,
        meetings=meetings,
        members=sorted(
            (
                AttendanceRate(names[pk][0], names[pk][1], tally[0], tally[1])
                for pk, tally in people.items()
            ),
            key=lambda r: (r.organisation, r.name),
        ),
        agencies=[
            AttendanceRate(
                name,
                name,
                len(expected),
                len(agency_attended.get(name, set()) & expected),
            )
            for name, expected in sorted(agency_expected.items())
        ],
    )


@audit.audit_exempt(reason="The current decision of each case of a meeting; no identifying data.")
def current_decisions(*, meeting: Meeting) -> list[Decision]:
    return list(Decision.objects.filter(item__meeting=meeting, superseded_at__isnull=True))


@audit.audit_exempt(reason="Words for a panel rule; no personal data.")
def quorum_rule_text(*, rule: QuorumRule) -> str:
    return quorum.rule_text(rule)


@audit.audit_exempt(reason="Words for a panel rule; no personal data.")
def prioritisation_rule_text(*, rule: PrioritisationRule) -> str:
    return prioritisation.rule_text(rule)


@audit.audit_exempt(reason="A panel's default rule, not saved; no personal data.")
def default_prioritisation_rule(*, panel: Panel) -> PrioritisationRule:
    return prioritisation.default_rule(panel)


# The coordinator's pipeline: every case of their panels from referral to closure
# (joinedup/panels/pipeline.py works out each case's stage in SQL).


@audit.audited_read(fields=("child", "stage", "agenda_item", "decision", "plan"))
def pipeline_page(
    *, viewer: Any, stage: str = "all", page: int | str = 1, per_page: int = 50
) -> pipeline.PipelinePage:
    """One page of the cases of the panels the viewer coordinates (at one stage of
    `pipeline.FILTERS`: a stage, "all" or "overdue"), longest in their stage first, each with
    what the page shows about its stage; `.page` is Django's page for the pager and `.counts`
    the number of cases at each stage. A fixed number of queries, however many cases."""
    return pipeline.page_of(viewer, stage=stage, page=page, per_page=per_page)


@audit.audit_exempt(reason="Answers yes or no for the viewer; reads no record's contents.")
def coordinates_any(*, viewer: Any) -> bool:
    return PanelMember.objects.panels_coordinated_by(viewer).exists()
