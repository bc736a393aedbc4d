"""Whether a meeting may decide: who is present (members, and deputies in a member's place),
from how many agencies, and whether the chair and someone who can commit resources are there.
For one case, those who declared an interest in it (or in the whole meeting) do not count.

Plain functions over records already loaded, so the meeting page asks no more of the database
as its agenda grows."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from joinedup.panels.models import Attendance, AttendanceStatus, PanelRole, QuorumRule


def default_rule(panel: Any) -> QuorumRule:
    """The rule a panel uses until its coordinator sets its own (not saved)."""
    return QuorumRule(panel=panel)


def rule_text(rule: QuorumRule) -> str:
    parts = [
        f"at least {_people(rule.minimum_members)} from "
        f"{_count(rule.minimum_agencies, 'agency', 'agencies')}"
    ]
    if rule.chair_required:
        parts.append("the chair or the chair's deputy")
    if rule.delegated_authority_required:
        parts.append("someone who can commit their agency's resources")
    return "Quorate with " + _join(parts)


@dataclass(frozen=True)
class QuorumState:
    quorate: bool
    members: int
    agencies: int
    chair_present: bool
    authority_present: bool
    recorded: bool
    missing: tuple[str, ...] = ()
    not_taking_part: tuple[str, ...] = field(default=())
    rule: str = ""

    @property
    def summary(self) -> str:
        if not self.recorded:
            return "Not quorate: attendance has not been recorded"
        counted = f"{_people(self.members)} from {_count(self.agencies, 'agency', 'agencies')}"
        if self.quorate:
            return f"Quorate: {counted}"
        return f"Not quorate: {counted}; needs {_join(list(self.missing))}"

    def snapshot(self) -> dict[str, Any]:
        return {
            "quorate": self.quorate,
            "members": self.members,
            "agencies": self.agencies,
            "chair_present": self.chair_present,
            "authority_present": self.authority_present,
            "not_taking_part": list(self.not_taking_part),
            "rule": self.rule,
            "summary": self.summary,
        }


def people_present(attendance: Iterable[Attendance]) -> list[Any]:
    """The seats of the people in the room: members present, and deputies sent in their place."""
    present = []
    for entry in attendance:
        if entry.status == AttendanceStatus.PRESENT:
            present.append(entry.member)
        elif entry.status == AttendanceStatus.DEPUTY and entry.deputy is not None:
            present.append(entry.deputy)
    return present


def assess(
    rule: QuorumRule,
    attendance: Collection[Attendance],
    *,
    not_taking_part: Collection[Any] = (),
) -> QuorumState:
    """`not_taking_part`: the seat ids of people who declared an interest."""
    excluded = {str(seat_id) for seat_id in not_taking_part}
    room = people_present(attendance)
    counted = [seat for seat in room if str(seat.pk) not in excluded]
    agencies = {seat.organisation_id for seat in counted}
    chair = any(
        seat.role == PanelRole.CHAIR
        or (seat.deputy_for is not None and seat.deputy_for.role == PanelRole.CHAIR)
        for seat in counted
    )
    authority = any(seat.has_delegated_authority for seat in counted)
    missing = []
    if len(counted) < rule.minimum_members:
        missing.append(f"{_people(rule.minimum_members)} taking part")
    if len(agencies) < rule.minimum_agencies:
        missing.append(_count(rule.minimum_agencies, "agency", "agencies"))
    if rule.chair_required and not chair:
        missing.append("the chair or the chair's deputy")
    if rule.delegated_authority_required and not authority:
        missing.append("someone who can commit their agency's resources")
    recorded = bool(attendance)
    return QuorumState(
        quorate=recorded and not missing,
        members=len(counted),
        agencies=len(agencies),
        chair_present=chair,
        authority_present=authority,
        recorded=recorded,
        missing=tuple(missing),
        not_taking_part=tuple(
            sorted(seat.user.display_name for seat in room if str(seat.pk) in excluded)
        ),
        rule=rule_text(rule),
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _people(number: int) -> str:
    return _count(number, "member", "members")


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
