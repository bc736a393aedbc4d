"""Reading record CSV files strictly, naming the line and column of any bad input, and
writing output files all at once or not at all."""

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from joinedup.matching.records import PersonRecord

REQUIRED_COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "school",
)
OPTIONAL_COLUMNS = ("nhs_number",)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InputError(Exception):
    """Bad input, with a message that names the file, line and column."""


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line} is not valid UTF-8 text (byte {error.start}); "
            "save the file as UTF-8 and try again"
        ) from error


def _date_of_birth(text: str, where: str) -> date | None:
    if not text:
        return None
    if not _ISO_DATE.match(text):
        raise InputError(f"{where}: date_of_birth {text!r} is not a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InputError(f"{where}: date_of_birth {text!r} is not a real date") from error


def read_records(path: Path | str) -> list[PersonRecord]:
    path = Path(path)
    try:
        text = _decode(path)
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from error
    if not text.strip():
        raise InputError(f"{path}: the file is empty; expected a header line and records")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader)]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InputError(f"{path}: line 1 (header) is missing column(s) {', '.join(missing)}")
    position = {
        column: header.index(column)
        for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        if column in header
    }
    records: list[PersonRecord] = []
    first_line_of: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(value.strip() for value in row):
            continue
        where = f"{path}: line {line}"
        if len(row) != len(header):
            raise InputError(f"{where}: has {len(row)} values but the header has {len(header)}")
        values = {column: row[index].strip() for column, index in position.items()}
        record_id = values["record_id"]
        if not record_id:
            raise InputError(f"{where}: record_id is blank")
        if record_id in first_line_of:
            first_line = first_line_of[record_id]
            raise InputError(
                f"{where}: record_id {record_id!r} is a duplicate of line {first_line}"
            )
        first_line_of[record_id] = line
        records.append(
            PersonRecord(
                record_id=record_id,
                given_name=values["given_name"],
                family_name=values["family_name"],
                date_of_birth=_date_of_birth(values["date_of_birth"], where),
                sex=values["sex"],
                postcode=values["postcode"],
                address=values["address"],
                school=values["school"],
                nhs_number=values.get("nhs_number", ""),
            )
        )
    if not records:
        raise InputError(f"{path}: has a header but no records")
    return records


def write_csv_atomically(
    path: Path | str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Write to a temporary file beside the target and rename it into place, so a failure
    part way leaves no half-written output."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as output:
            writer = csv.writer(output)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
