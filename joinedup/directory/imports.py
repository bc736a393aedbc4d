"""What an import tells the person who ran it: every row or record, accepted or rejected, with
the reasons. Both imports (an ORUK feed, oruk_import.py, and a spreadsheet, csv_import.py)
report in this one shape, and one template shows it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowOutcome:
    """One row of a CSV file (`line` is its line number in the file, the header being line 1)
    or one record of a feed (`line` is None and `label` says which)."""

    line: int | None
    label: str
    reasons: tuple[str, ...] = ()
    created: bool = False


@dataclass
class ImportReport:
    source: str
    # What one row is, for the words on the pages: a CSV row is a service; a feed also holds
    # organisations and needs, so its rows are "records".
    row_noun: str = "service"
    accepted: list[RowOutcome] = field(default_factory=list)
    rejected: list[RowOutcome] = field(default_factory=list)
    # True once the accepted rows are in the directory; False for a check that saved nothing.
    saved: bool = False

    @property
    def created(self) -> int:
        return sum(1 for row in self.accepted if row.created)

    @property
    def updated(self) -> int:
        return sum(1 for row in self.accepted if not row.created)

    def accept(self, *, line: int | None, label: str, created: bool) -> None:
        self.accepted.append(RowOutcome(line=line, label=label, created=created))

    def reject(self, *, line: int | None, label: str, reasons: list[str] | tuple[str, ...]) -> None:
        self.rejected.append(RowOutcome(line=line, label=label, reasons=tuple(reasons)))
