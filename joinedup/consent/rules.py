"""Whether consent is in force, worked out from a child's consent records alone (no queries),
so the consent page and the checks other apps call give the same answer.

The rules (docs/consent.md):
- consent is in force when someone with parental responsibility has given it, it has not been
  withdrawn, and it has not expired (it stops on its expiry date);
- a withdrawal by anyone (a parent or carer, or a child judged competent) stops every earlier
  consent for the same thing, including consent other people gave; only consent recorded
  after the withdrawal puts it back in force.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from joinedup.consent.models import ConsentRecord, GivenBy, Scope

EXPIRING_SOON = timedelta(days=30)

Key = tuple[str, Any]  # (scope, organisation id or None)


@dataclass
class Standing:
    """Where consent for one thing stands: `in_force` and the records behind the answer."""

    scope: str
    organisation: Any = None
    in_force: list[ConsentRecord] = field(default_factory=list)
    withdrawn: list[ConsentRecord] = field(default_factory=list)
    expired: list[ConsentRecord] = field(default_factory=list)
    stopped_by_withdrawal: list[ConsentRecord] = field(default_factory=list)
    # A competent child's own consent: sought and recorded, but not enough on its own.
    childs_own: list[ConsentRecord] = field(default_factory=list)

    @property
    def is_in_force(self) -> bool:
        return bool(self.in_force)

    @property
    def label(self) -> str:
        if self.scope == Scope.SHARE and self.organisation is not None:
            return f"Sharing with {self.organisation.name}"
        return Scope(self.scope).label

    def expires_on(self) -> date | None:
        """The last consent in force to expire decides; None if one never expires."""
        ends = [record.expires_on for record in self.in_force]
        return None if not ends or None in ends else max(e for e in ends if e is not None)

    def expiring_soon(self, today: date) -> bool:
        ends = self.expires_on()
        return ends is not None and ends - today <= EXPIRING_SOON


def key_of(record: ConsentRecord) -> Key:
    return (record.scope, record.organisation_id if record.scope == Scope.SHARE else None)


def _from_parent_with_responsibility(record: ConsentRecord) -> bool:
    member = record.household_member
    return (
        record.given_by == GivenBy.PARENT
        and member is not None
        and member.has_parental_responsibility
    )


def standing_of(records: Iterable[ConsentRecord], *, scope: str, today: date) -> Standing:
    """The standing of one thing from all of its records (same scope and organisation)."""
    records = list(records)
    standing = Standing(scope=scope, organisation=records[0].organisation if records else None)
    withdrawals = [r.withdrawal_recorded_at for r in records if r.withdrawal_recorded_at]
    latest_withdrawal = max(withdrawals) if withdrawals else None
    for record in records:
        if record.is_withdrawn:
            standing.withdrawn.append(record)
        elif record.expires_on is not None and record.expires_on <= today:
            standing.expired.append(record)
        elif latest_withdrawal is not None and record.created_at <= latest_withdrawal:
            standing.stopped_by_withdrawal.append(record)
        elif _from_parent_with_responsibility(record):
            standing.in_force.append(record)
        else:
            standing.childs_own.append(record)
    return standing


def standings(records: Iterable[ConsentRecord], *, today: date) -> list[Standing]:
    """One standing per thing consented to, in the order of Scope, then organisation name."""
    grouped: dict[Key, list[ConsentRecord]] = defaultdict(list)
    for record in records:
        grouped[key_of(record)].append(record)
    order = list(Scope.values)
    result = [standing_of(group, scope=key[0], today=today) for key, group in grouped.items()]
    return sorted(
        result,
        key=lambda s: (order.index(s.scope), s.organisation.name if s.organisation else ""),
    )
