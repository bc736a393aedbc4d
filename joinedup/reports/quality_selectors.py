"""The data-quality page's reads (docs/data-quality.md): the grid (counts only) for panel
coordinators (their own panels), strategic managers and system administrators (every panel);
the records to fix for the coordinators of the record's panel only, each child by name only
where joinedup.children.need_to_know says so, and every record shown audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from joinedup.children.need_to_know import identities_seen
from joinedup.core import audit
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.panels.models import Panel, PanelMember
from joinedup.reports.catalogue import REPORTED_FIELDS
from joinedup.reports.quality import (
    RULES,
    FieldRule,
    Quality,
    field_quality,
    last_months,
    month_period,
    records_to_fix,
)
from joinedup.reports.tables import Period

# Who sees every panel's grid: their work is the whole partnership, and the grid holds counts.
EVERY_PANEL_ROLES = (Role.STRATEGIC_MANAGER, Role.SYSTEM_ADMIN)
RECORDS_SHOWN = 200


def _coordinated_ids(viewer: Any) -> set[Any]:
    return set(PanelMember.objects.panels_coordinated_by(viewer).values_list("panel", flat=True))


@audit.audit_exempt("Panels only: no child and no record of a child.")
def grid_panels(viewer: Any) -> list[Panel]:
    """The panels whose grid `viewer` may see, by name."""
    panels = Panel.objects.order_by("name")
    if has_role(viewer, *EVERY_PANEL_ROLES):
        return list(panels.filter(is_active=True))
    if has_role(viewer, Role.PANEL_COORDINATOR):
        return list(panels.filter(pk__in=PanelMember.objects.panels_coordinated_by(viewer)))
    return []


@dataclass(frozen=True)
class GridCell:
    period: Period
    quality: Quality | None  # None where there were no records that month


@dataclass(frozen=True)
class FieldRow:
    rule: FieldRule
    cells: list[GridCell]  # one per month
    overall: Quality

    @property
    def sort_key(self) -> tuple[int, float, str]:
        # Worst first: lowest valid share; fields with no records at all last.
        if not self.overall.total:
            return (1, 0.0, self.rule.label)
        return (0, self.overall.valid / self.overall.total, self.rule.label)


@dataclass(frozen=True)
class PanelGrid:
    panel: Panel
    rows: list[FieldRow]
    may_fix: bool  # the viewer coordinates the panel: the cells open the records to fix

    @property
    def has_records(self) -> bool:
        return any(row.overall.total for row in self.rows)


@dataclass
class Grid:
    months: list[Period]
    panels: list[PanelGrid] = field(default_factory=list)


@audit.audit_exempt("Counts of records per panel and month only: no child and no record is shown.")
def quality_grid(*, viewer: Any, months: int = 6, panel: Panel | None = None) -> Grid:
    """The recorded and valid shares of every reported field, per panel the viewer may see and
    per month of the last `months`; one query per kind of record, whatever the data."""
    periods = last_months(months)
    panels = grid_panels(viewer)
    if panel is not None:
        panels = [p for p in panels if p.pk == panel.pk]
    keys = [reported.key for reported in REPORTED_FIELDS]
    counts = field_quality(keys, panel_ids=[p.pk for p in panels], months=periods)
    coordinated = _coordinated_ids(viewer) if panels else set()
    grid = Grid(months=periods)
    for each in panels:
        rows = []
        for key in keys:
            cells = [
                GridCell(p, counts.get((key, each.pk, (p.start.year, p.start.month))))
                for p in periods
            ]
            present = [cell.quality for cell in cells if cell.quality is not None]
            overall = Quality(
                sum(c.total for c in present),
                sum(c.recorded for c in present),
                sum(c.valid for c in present),
            )
            rows.append(FieldRow(rule=RULES[key], cells=cells, overall=overall))
        rows.sort(key=lambda row: row.sort_key)
        grid.panels.append(PanelGrid(panel=each, rows=rows, may_fix=each.pk in coordinated))
    return grid


class RecordsToFix(list[Any]):
    """The records shown (a list, so that each is audited), how many there are in all, and what
    they are about. Each record carries `to_fix` (quality.RecordToFix) and `child_shown`: the
    child's name where the viewer may see it, otherwise the pseudonym."""

    def __init__(
        self, rows: list[Any], *, total: int, panel: Panel, rule: FieldRule, period: Period
    ) -> None:
        super().__init__(rows)
        self.total = total
        self.panel = panel
        self.rule = rule
        self.period = period

    @property
    def more(self) -> int:
        return self.total - len(self)


@audit.audited_read(fields=("child", "reported field"))
def quality_records(
    *, viewer: Any, panel_slug: str, field_key: str, year: int, month: int, purpose: str = ""
) -> RecordsToFix:
    """The records of one panel and month that miss or get wrong one reported field, for the
    panel's coordinators only (anyone else: not found, as for other panels' records; the page
    policy keeps every other role out before this)."""
    rule = RULES.get(field_key)
    if rule is None:
        raise Http404("No such field")
    panel = Panel.objects.filter(
        slug=panel_slug, pk__in=PanelMember.objects.panels_coordinated_by(viewer)
    ).first()
    if panel is None:
        raise Http404("No such panel of yours")
    try:
        period = month_period(year, month)
    except ValueError as error:
        raise Http404("No such month") from error
    found, total = records_to_fix(field_key, panel=panel, period=period, limit=RECORDS_SHOWN)
    seen = identities_seen(viewer, [row.child.pk for row in found if row.child is not None])
    rows = []
    for row in found:
        record: Any = row.record
        record.to_fix = row
        child = row.child
        record.child_shown = (
            None if child is None else child.known_as if child.pk in seen else child.pseudonym
        )
        rows.append(record)
    return RecordsToFix(rows, total=total, panel=panel, rule=rule, period=period)
