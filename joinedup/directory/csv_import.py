"""Importing services into the directory from a spreadsheet saved as CSV, one row per service.

The layout (docs/directory-import.md) is flat so that a council officer can fill it in Excel
or LibreOffice: one column per thing a family or a practitioner asks about. `import_csv` reads
the file, checks every row and returns an `ImportReport` naming each rejected row's line and
column. With `save=True` the accepted rows are saved together in one transaction; a rejected
row saves nothing, and a failure part of the way through saves nothing at all.

A row is matched to an existing service by its provider's name and the service's name
(ignoring case and spacing), so importing the same sheet again updates the entries instead of
duplicating them. The row is then the whole truth for what the sheet covers: its needs,
localities, languages, cost, funding, contact, address and opening times replace the old ones.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.validators import no_markup
from joinedup.directory.imports import ImportReport
from joinedup.directory.models import (
    AGE_RANGE,
    Contact,
    CostOption,
    Funding,
    Location,
    LocationType,
    Provider,
    ReferralRoute,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTerm,
    TaxonomyTerm,
)
from joinedup.directory.search_text import search_text_refresh
from joinedup.organisations.models import Locality, Organisation

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Long enough for any real description; a cell longer than this is a paste gone wrong.
MAX_TEXT = 5000
CITY_WIDE = "Whole city"


class CsvFileError(FieldError):
    """The file as a whole cannot be read as the layout: nothing in it was looked at row by
    row. `field` is "file", the upload form's field."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="csv_file")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    example: str
    help: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "organisation",
        "Organisation name",
        "Easton Youth Trust",
        "Who runs the service. A new name adds the organisation to the directory.",
        aliases=("organisation", "organization name", "organization", "provider", "provider name"),
        required=True,
    ),
    Column(
        "service",
        "Service name",
        "Friday night football",
        "The name families know it by. With the organisation name, it identifies the entry: "
        "importing the same names again updates the entry.",
        aliases=("service", "name"),
        required=True,
    ),
    Column(
        "description",
        "Description",
        "Free football coaching and a hot meal for young people, led by youth workers.",
        "What happens there, in plain words.",
    ),
    Column(
        "minimum_age",
        "Minimum age",
        "10",
        f"The youngest age it is for, in whole years ({AGE_RANGE[0]} to {AGE_RANGE[1]}).",
        aliases=("min age", "age from"),
    ),
    Column(
        "maximum_age",
        "Maximum age",
        "16",
        f"The oldest age it is for, in whole years ({AGE_RANGE[0]} to {AGE_RANGE[1]}).",
        aliases=("max age", "age to"),
    ),
    Column(
        "needs",
        "Needs",
        "Positive activities; Healthy lifestyle",
        "The needs it helps with, separated by semicolons: names or codes from the list of needs.",
        aliases=("need", "categories", "taxonomy"),
    ),
    Column(
        "locality",
        "Locality",
        "Easton",
        "The locality it works in, by name or short name (slug); several separated by "
        "semicolons. Leave it blank if it covers the whole city.",
        aliases=("localities", "area", "service area"),
    ),
    Column(
        "address",
        "Address",
        "Easton Leisure Centre, Thrissell Street",
        "Where it happens, if there is a place to go.",
        aliases=("address line 1", "venue"),
    ),
    Column("postcode", "Postcode", "BS5 0SW", "The place's postcode.", aliases=("post code",)),
    Column(
        "latitude",
        "Latitude",
        "51.4613",
        "Optional, with longitude: where the place is, in decimal degrees.",
        aliases=("lat",),
    ),
    Column(
        "longitude",
        "Longitude",
        "-2.5712",
        "Optional, with latitude.",
        aliases=("lng", "long", "lon"),
    ),
    Column(
        "telephone",
        "Telephone",
        "0117 496 0123",
        "A number families and practitioners can call.",
        aliases=("phone", "telephone number", "phone number"),
    ),
    Column(
        "email",
        "Email",
        "hello@eastonyouth.example.org",
        "An email address for enquiries.",
        aliases=("email address", "e-mail"),
    ),
    Column(
        "website",
        "Website",
        "https://eastonyouth.example.org",
        "Its web page; 'www.' addresses are fine.",
        aliases=("url", "web site", "web address"),
    ),
    Column(
        "referral_route",
        "Referral route",
        "Open access",
        "'Open access' (anyone can go along), 'Referral' (a professional refers) or 'Panel' "
        "(only through the panel).",
        aliases=("referral", "access", "route"),
    ),
    Column(
        "how_to_refer",
        "How to refer",
        "Just turn up, or call the youth worker first.",
        "What a practitioner or family does to get a place.",
        aliases=("referral process", "how to access"),
    ),
    Column(
        "cost",
        "Cost",
        "Free",
        "'Free', or an amount and what it is for, such as '£2 per session'.",
        aliases=("fees", "price", "charge"),
    ),
    Column(
        "languages",
        "Languages",
        "English; Somali",
        "Languages it is delivered in without an interpreter, separated by semicolons.",
        aliases=("language",),
    ),
    Column(
        "days_and_times",
        "Days and times",
        "Fri 18:00-20:00",
        "When it runs, such as 'Mon, Wed 16:00-18:00' or 'Mon-Fri 09:00-17:00'; several "
        "separated by semicolons.",
        aliases=("opening times", "schedule", "times", "when"),
    ),
    Column(
        "funding_source",
        "Funding source",
        "Youth Endowment Fund",
        "Who pays for it.",
        aliases=("funding", "funder"),
    ),
    Column(
        "funding_end_date",
        "Funding end date",
        "31/03/2027",
        "When that funding ends, as 31/03/2027 or 2027-03-31.",
        aliases=("funding ends", "funding end"),
    ),
    Column(
        "capacity",
        "Capacity",
        "30",
        "How many children or young people it can work with at once, in whole numbers.",
    ),
    Column(
        "faith_based",
        "Faith-based",
        "No",
        "'Yes' if it is run by or for a faith group; blank means no.",
        aliases=("faith based", "faith"),
    ),
    Column(
        "culturally_specific_for",
        "Culturally specific for",
        "",
        "If it is for a particular community, who it is for in your own words ('Somali families').",
        aliases=("culturally specific", "community"),
    ),
    Column(
        "maintained_by",
        "Maintained by",
        "",
        "Optional: the partner organisation (its name or short name) whose people keep "
        "this organisation's entries up to date.",
        aliases=("maintainer",),
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def _normal(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.replace("\ufeff", "")).strip().lower()


_HEADINGS: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.heading, *_column.aliases):
        _HEADINGS[_normal(_name)] = _column.key


def template_csv() -> str:
    """The header and one example row, for people to download and fill in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.heading for column in COLUMNS])
    writer.writerow([column.example for column in COLUMNS])
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading the file

_FORMULA = re.compile(r"^[=@\t\r]|^[+\-]\s*[^\d\s.]")


def echo(value: str, limit: int = 60) -> str:
    """A cell as it may be shown back to a person: shortened and, if a spreadsheet would take
    it for a formula, quoted so that pasting the report into one cannot run it."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise CsvFileError(
                "The file could not be read as text. Save it as CSV UTF-8."
            ) from error
    if content.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            "The file is an Excel workbook, not a CSV file. In Excel choose File, Save as, "
            "'CSV UTF-8 (Comma delimited)' and upload that file."
        )
    if content.startswith(b"%PDF") or b"\x00" in content[:4096]:
        raise CsvFileError("The file is not a CSV file. Save the spreadsheet as CSV UTF-8.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Excel's "CSV (Comma delimited)" on Windows writes cp1252 ("£", curly quotes, "é").
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            "The file could not be read as text. Save it as 'CSV UTF-8 (Comma delimited)'."
        ) from error


def _delimiter(first_line: str) -> str:
    # Excel writes semicolons or tabs in some settings; the header has no semicolon lists.
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter])


@dataclass
class _Sheet:
    columns: list[str | None]
    rows: list[tuple[int, list[str]]]


def _read(content: bytes) -> _Sheet:
    if len(content) > MAX_BYTES:
        raise CsvFileError(
            f"The file is bigger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files."
        )
    if not content.strip():
        raise CsvFileError("The file is empty. Use the template: a header, then one row a service.")
    text = _decode(content)
    if not text.strip():
        raise CsvFileError("The file is empty. Use the template: a header, then one row a service.")
    first_line = text.lstrip().splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise CsvFileError(
            f"The file is not a CSV file this import can read (line {reader.line_num}: {error})."
        ) from error
    # The line a row starts on: csv counts the lines a quoted cell spans, so a row's own number
    # is one after the previous row's last line.
    started: list[tuple[int, list[str]]] = []
    previous_end = 0
    for end, row in records:
        started.append((previous_end + 1, row))
        previous_end = end
    started = [(line, row) for line, row in started if any(cell.strip() for cell in row)]
    if not started:
        raise CsvFileError("The file is empty. Use the template: a header, then one row a service.")
    _header_line, header = started[0]
    columns = _columns(header)
    rows = started[1:]
    if not rows:
        raise CsvFileError(
            "The file has a header but no services under it. Add one row for each service."
        )
    if len(rows) > MAX_ROWS:
        raise CsvFileError(
            f"The file has {len(rows)} services; at most {MAX_ROWS} can be imported at once. "
            "Split it into smaller files."
        )
    return _Sheet(columns=columns, rows=rows)


def _columns(header: list[str]) -> list[str | None]:
    columns: list[str | None] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for cell in header:
        name = _normal(cell)
        if not name:
            # Spreadsheets often save empty columns after the last one.
            columns.append(None)
            continue
        key = _HEADINGS.get(name)
        if key is None:
            unknown.append(cell.strip())
            columns.append(None)
            continue
        if key in seen:
            raise CsvFileError(
                f"The header names the column '{COLUMN_BY_KEY[key].heading}' twice. "
                "Keep one of them."
            )
        seen.add(key)
        columns.append(key)
    if unknown:
        names = ", ".join(f"'{echo(name, 40)}'" for name in unknown)
        raise CsvFileError(
            f"The header has columns this import does not know: {names}. The first line must "
            "name the columns of the template (download it from this page)."
        )
    missing = [column.heading for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise CsvFileError(
            f"The header has no {' or '.join(repr(name) for name in missing)} column. The first "
            "line must name the columns of the template (download it from this page)."
        )
    return columns


# --------------------------------------------------------------------------- checking a row


class _Bad(Exception):
    pass


@dataclass
class _Row:
    line: int
    organisation: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)
    terms: list[TaxonomyTerm] = field(default_factory=list)
    localities: list[Locality] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    cost: tuple[Decimal, str] | None = None
    schedules: list[tuple[str, time, time, str]] = field(default_factory=list)
    funding: tuple[str, date | None] | None = None
    location: dict[str, Any] | None = None
    telephone: str = ""
    maintained_by: Organisation | None = None

    @property
    def label(self) -> str:
        return f"{echo(self.name)} ({echo(self.organisation)})"

    @property
    def match_key(self) -> tuple[str, str]:
        return (_normal(self.organisation), _normal(self.name))


@dataclass
class _Lookups:
    """What rows refer to by name, read once per import, not once per row."""

    terms: dict[str, TaxonomyTerm]
    localities: dict[str, Locality]
    organisations: dict[str, Organisation]
    providers: dict[str, Provider]
    services: dict[tuple[str, str], Service]
    term_names: list[str]

    @classmethod
    def load(cls) -> _Lookups:
        terms: dict[str, TaxonomyTerm] = {}
        for term in TaxonomyTerm.objects.order_by("name"):
            for key in (term.name, term.code):
                if key:
                    terms.setdefault(_normal(key), term)
        localities: dict[str, Locality] = {}
        for locality in Locality.objects.all():
            localities.setdefault(_normal(locality.slug), locality)
            localities.setdefault(_normal(locality.name), locality)
        organisations: dict[str, Organisation] = {}
        for organisation in Organisation.objects.all():
            organisations.setdefault(_normal(organisation.slug), organisation)
            organisations.setdefault(_normal(organisation.name), organisation)
        providers: dict[str, Provider] = {}
        for provider in Provider.objects.order_by("created_at"):
            providers.setdefault(_normal(provider.name), provider)
        services: dict[tuple[str, str], Service] = {}
        for service in Service.objects.select_related("provider").order_by("created_at"):
            services.setdefault((_normal(service.provider.name), _normal(service.name)), service)
        return cls(
            terms=terms,
            localities=localities,
            organisations=organisations,
            providers=providers,
            services=services,
            term_names=sorted({term.name for term in terms.values()}),
        )


def _text(value: str, label: str, *, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if len(value) > limit:
        raise _Bad(f"{label}: must be {limit} characters or fewer (it has {len(value)})")
    if _FORMULA.match(value):
        raise _Bad(
            f"{label}: '{echo(value)}' looks like a spreadsheet formula; write the text itself "
            "without the '=', '+', '-' or '@' in front"
        )
    try:
        no_markup(value)
    except ValidationError as error:
        raise _Bad(f"{label}: remove the HTML or script (text in < > brackets)") from error
    return value


def _age(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"\d+", value):
        raise _Bad(f"{label}: '{echo(value)}' is not a number (write whole years, such as 11)")
    age = int(value)
    if not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
        raise _Bad(f"{label}: {age} is not between {AGE_RANGE[0]} and {AGE_RANGE[1]}")
    return age


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


REFERRAL_WORDS: dict[str, str] = {
    "open access": ReferralRoute.OPEN_ACCESS,
    "open": ReferralRoute.OPEN_ACCESS,
    "drop in": ReferralRoute.OPEN_ACCESS,
    "self referral": ReferralRoute.OPEN_ACCESS,
    "anyone": ReferralRoute.OPEN_ACCESS,
    "referral": ReferralRoute.REFERRAL,
    "referral needed": ReferralRoute.REFERRAL,
    "referral required": ReferralRoute.REFERRAL,
    "professional referral": ReferralRoute.REFERRAL,
    "by referral": ReferralRoute.REFERRAL,
    "panel": ReferralRoute.PANEL,
    "through the panel": ReferralRoute.PANEL,
    "panel only": ReferralRoute.PANEL,
    "via panel": ReferralRoute.PANEL,
    "yisp": ReferralRoute.PANEL,
}

YES_WORDS = {"yes", "y", "true", "1", "x"}
NO_WORDS = {"no", "n", "false", "0", ""}

LANGUAGE_CODES = {
    "english": "en",
    "welsh": "cy",
    "somali": "so",
    "polish": "pl",
    "urdu": "ur",
    "arabic": "ar",
    "bengali": "bn",
    "punjabi": "pa",
    "romanian": "ro",
    "portuguese": "pt",
    "spanish": "es",
    "french": "fr",
    "turkish": "tr",
    "kurdish": "ku",
    "farsi": "fa",
    "persian": "fa",
    "pashto": "ps",
    "tigrinya": "ti",
    "amharic": "am",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "yue",
    "gujarati": "gu",
    "hindi": "hi",
    "italian": "it",
    "lithuanian": "lt",
    "ukrainian": "uk",
    "russian": "ru",
    "british sign language": "bfi",
    "bsl": "bfi",
}

DAYS: dict[str, str] = {}
for _code, _names in (
    ("MO", ("mon", "monday", "mo")),
    ("TU", ("tue", "tues", "tuesday", "tu")),
    ("WE", ("wed", "weds", "wednesday", "we")),
    ("TH", ("thu", "thur", "thurs", "thursday", "th")),
    ("FR", ("fri", "friday", "fr")),
    ("SA", ("sat", "saturday", "sa")),
    ("SU", ("sun", "sunday", "su")),
):
    for _day in _names:
        DAYS[_day] = _code
DAY_ORDER = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
_TIMES = re.compile(
    rf"^(?P<days>.*?)\s*(?P<opens>{_TIME})\s*(?:-|\u2013|to)\s*(?P<closes>{_TIME})$"
)


def _clock(text: str) -> time | None:
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _days(text: str) -> list[str] | None:
    days: list[str] = []
    for part in re.split(r"\s*(?:,|&|\band\b|/)\s*", text.strip().lower()):
        if not part:
            continue
        span = re.split(r"\s*(?:-|\u2013|\bto\b)\s*", part)
        if len(span) == 2 and span[0] in DAYS and span[1] in DAYS:
            start, end = DAY_ORDER.index(DAYS[span[0]]), DAY_ORDER.index(DAYS[span[1]])
            if end < start:
                return None
            days.extend(DAY_ORDER[start : end + 1])
        elif part in DAYS:
            days.append(DAYS[part])
        else:
            return None
    return sorted(set(days), key=DAY_ORDER.index) or None


def _schedules(value: str, label: str) -> list[tuple[str, time, time, str]]:
    found = []
    for part in _split(value):
        match = _TIMES.match(part.lower())
        days = _days(match.group("days")) if match else None
        opens = _clock(match.group("opens")) if match else None
        closes = _clock(match.group("closes")) if match else None
        if not match or days is None or opens is None or closes is None:
            raise _Bad(
                f"{label}: '{echo(part)}' is not days and times such as 'Mon, Wed 16:00-18:00'"
            )
        if closes <= opens:
            raise _Bad(f"{label}: '{echo(part)}' closes before it opens")
        found.append((",".join(days), opens, closes, part))
    return found


def _date(value: str, label: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise _Bad(f"{label}: '{echo(value)}' is not a date (write 31/03/2027 or 2027-03-31)")


_MONEY = re.compile(r"^(?:£|gbp)?\s*(\d{1,7}(?:\.\d{1,2})?)\s*(p\b)?\s*(.*)$", re.IGNORECASE)


def _cost(value: str, label: str) -> tuple[Decimal, str] | None:
    value = value.strip()
    if not value or _normal(value) in ("free", "free of charge", "no cost", "none", "0", "£0"):
        return None
    match = _MONEY.match(value)
    if not match:
        raise _Bad(f"{label}: '{echo(value)}' is not 'Free' or an amount such as '£2 per session'")
    try:
        amount = Decimal(match.group(1))
        if match.group(2):
            amount = amount / 100
    except InvalidOperation as error:  # the pattern admits only digits; kept for safety
        raise _Bad(f"{label}: '{echo(value)}' is not an amount") from error
    description = _text(match.group(3), label, limit=250)
    if amount == 0:
        return None
    return amount, description


_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_PHONE = re.compile(r"^\+?[\d\s()\-]{10,20}$")


def _check_row(line: int, cells: dict[str, str], lookups: _Lookups) -> _Row:
    reasons: list[str] = []

    def check(key: str, parse: Callable[[str, str], Any]) -> Any:
        column = COLUMN_BY_KEY[key]
        label = f"Line {line}, {column.heading.lower()}"
        try:
            return parse(cells.get(key, ""), label)
        except _Bad as bad:
            reasons.append(str(bad))
            return None

    def required(limit: int) -> Callable[[str, str], str]:
        def parse(value: str, label: str) -> str:
            text = _text(value, label, limit=limit)
            if not text:
                raise _Bad(f"{label}: is blank; every row needs one")
            return text

        return parse

    def text(limit: int = MAX_TEXT) -> Callable[[str, str], str]:
        return lambda value, label: _text(value, label, limit=limit)

    organisation = check("organisation", required(250)) or ""
    name = check("service", required(250)) or ""
    row = _Row(line=line, organisation=organisation, name=name)
    values = row.values
    values["description"] = check("description", text())
    minimum = check("minimum_age", _age)
    maximum = check("maximum_age", _age)
    if minimum is not None and maximum is not None and minimum > maximum:
        reasons.append(f"Line {line}, maximum age: {maximum} is below the minimum age ({minimum})")
    values["minimum_age"], values["maximum_age"] = minimum, maximum

    def needs(value: str, label: str) -> list[TaxonomyTerm]:
        names = _split(value)
        unknown = [name for name in names if _normal(name) not in lookups.terms]
        if unknown:
            listed = ", ".join(f"'{echo(name)}'" for name in unknown)
            raise _Bad(
                f"{label}: {listed} {'is' if len(unknown) == 1 else 'are'} not in the list of "
                "needs (the list is on the import page)"
            )
        terms = [lookups.terms[_normal(name)] for name in names]
        return list({term.pk: term for term in terms}.values())

    row.terms = check("needs", needs) or []

    def localities(value: str, label: str) -> list[Locality]:
        names = _split(value)
        if len(names) == 1 and _normal(names[0]) in ("whole city", "city wide", "citywide", "all"):
            return []
        unknown = [name for name in names if _normal(name) not in lookups.localities]
        if unknown:
            listed = ", ".join(f"'{echo(name)}'" for name in unknown)
            raise _Bad(
                f"{label}: {listed} is not a locality in JoinedUp (leave it blank for the "
                "whole city)"
            )
        found = [lookups.localities[_normal(name)] for name in names]
        return list({locality.pk: locality for locality in found}.values())

    row.localities = check("locality", localities) or []

    address = check("address", text(250)) or ""

    def postcode(value: str, label: str) -> str:
        value = value.strip().upper()
        if not value:
            return ""
        match = _POSTCODE.match(value)
        if not match:
            raise _Bad(f"{label}: '{echo(value)}' is not a UK postcode (such as BS5 0SW)")
        return f"{match.group(1)} {match.group(2)}"

    code = check("postcode", postcode) or ""

    def coordinate(limit: int) -> Callable[[str, str], float | None]:
        def parse(value: str, label: str) -> float | None:
            value = value.strip()
            if not value:
                return None
            try:
                number = float(value)
            except ValueError as error:
                raise _Bad(
                    f"{label}: '{echo(value)}' is not a number in decimal degrees"
                ) from error
            if not -limit <= number <= limit:
                raise _Bad(f"{label}: {echo(value)} is not between -{limit} and {limit}")
            return number

        return parse

    before = len(reasons)
    latitude = check("latitude", coordinate(90))
    longitude = check("longitude", coordinate(180))
    if (latitude is None) != (longitude is None) and len(reasons) == before:
        missing = "longitude" if longitude is None else "latitude"
        reasons.append(
            f"Line {line}, {missing}: is blank; give both latitude and longitude, or neither"
        )
    if address or code or latitude is not None:
        row.location = {
            "address_1": address,
            "postal_code": code,
            "postcode_district": code.split(" ")[0] if code else "",
            "latitude": latitude,
            "longitude": longitude,
        }

    def telephone(value: str, label: str) -> str:
        value = value.strip()
        if value and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 10):
            raise _Bad(f"{label}: '{echo(value)}' is not a telephone number")
        return value

    row.telephone = check("telephone", telephone) or ""

    def email(value: str, label: str) -> str:
        value = value.strip()
        if value:
            try:
                EmailValidator()(value)
            except ValidationError as error:
                raise _Bad(f"{label}: '{echo(value)}' is not an email address") from error
        if len(value) > 254:
            raise _Bad(f"{label}: must be 254 characters or fewer")
        return value

    values["email"] = check("email", email) or ""

    def website(value: str, label: str) -> str:
        value = value.strip()
        if not value:
            return ""
        if not re.match(r"^https?://", value, re.IGNORECASE):
            value = "https://" + value
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as error:
            raise _Bad(f"{label}: '{echo(value)}' is not a web address") from error
        if len(value) > 200:
            raise _Bad(f"{label}: must be 200 characters or fewer")
        return value

    values["url"] = check("website", website) or ""

    def referral_route(value: str, label: str) -> str:
        if not value.strip():
            return ReferralRoute.REFERRAL
        route = REFERRAL_WORDS.get(_normal(value)) or next(
            (choice for choice in ReferralRoute.values if _normal(choice) == _normal(value)),
            None,
        )
        if route is None:
            raise _Bad(f"{label}: '{echo(value)}' is not 'Open access', 'Referral' or 'Panel'")
        return route

    values["referral_route"] = check("referral_route", referral_route)
    values["how_to_refer"] = check("how_to_refer", text())
    row.cost = check("cost", _cost)

    def languages(value: str, label: str) -> list[tuple[str, str]]:
        found = []
        for name in _split(value):
            name = _text(name, label, limit=100)
            found.append((name, LANGUAGE_CODES.get(_normal(name), "")))
        return found

    row.languages = check("languages", languages) or []
    row.schedules = check("days_and_times", _schedules) or []
    source = check("funding_source", text(250)) or ""
    ends_on = check("funding_end_date", _date)
    if ends_on and not source:
        reasons.append(
            f"Line {line}, funding source: is blank; say who pays for the funding that ends"
        )
    row.funding = (source, ends_on) if source else None

    def capacity(value: str, label: str) -> int | None:
        value = value.strip()
        if not value:
            return None
        if not re.fullmatch(r"\d{1,7}", value):
            raise _Bad(f"{label}: '{echo(value)}' is not a whole number")
        return int(value)

    values["capacity"] = check("capacity", capacity)

    def faith(value: str, label: str) -> bool:
        word = _normal(value)
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise _Bad(f"{label}: '{echo(value)}' is not 'Yes' or 'No'")

    values["faith_based"] = bool(check("faith_based", faith))
    values["culturally_specific_for"] = check("culturally_specific_for", text(250)) or ""

    def maintained_by(value: str, label: str) -> Organisation | None:
        if not value.strip():
            return None
        organisation = lookups.organisations.get(_normal(value))
        if organisation is None:
            raise _Bad(
                f"{label}: '{echo(value)}' is not a partner organisation in JoinedUp "
                "(use its name or short name, or leave it blank)"
            )
        return organisation

    row.maintained_by = check("maintained_by", maintained_by)
    if reasons:
        raise _Rejected(row, reasons)
    values["description"] = values["description"] or ""
    values["how_to_refer"] = values["how_to_refer"] or ""
    values["fees"] = "" if row.cost is None else cells.get("cost", "").strip()
    values["is_free"] = row.cost is None
    return row


class _Rejected(Exception):
    def __init__(self, row: _Row, reasons: list[str]) -> None:
        super().__init__(reasons)
        self.row = row
        self.reasons = reasons


# --------------------------------------------------------------------------- the import


def import_csv(content: bytes, *, actor: Any, save: bool, source: str = "CSV file") -> ImportReport:
    """Check every row of `content` and, with `save`, save the accepted rows in one
    transaction. Raises CsvFileError when the file as a whole cannot be read as the layout."""
    sheet = _read(content)
    lookups = _Lookups.load()
    report = ImportReport(source=source)
    accepted: list[_Row] = []
    first_line: dict[tuple[str, str], int] = {}
    for line, raw in sheet.rows:
        extra = [cell for cell in raw[len(sheet.columns) :] if cell.strip()]
        cells = {
            key: cell for key, cell in zip(sheet.columns, raw, strict=False) if key is not None
        }
        label = _label(cells)
        if extra:
            report.reject(
                line=line,
                label=label,
                reasons=[
                    f"Line {line}: has {len(sheet.columns) + len(extra)} or more cells but the "
                    f"header has {len(sheet.columns)} columns (is a comma missing its quotes?)"
                ],
            )
            continue
        try:
            row = _check_row(line, cells, lookups)
        except _Rejected as rejected:
            report.reject(line=line, label=label, reasons=rejected.reasons)
            continue
        earlier = first_line.get(row.match_key)
        if earlier is not None:
            report.reject(
                line=line,
                label=row.label,
                reasons=[
                    f"Line {line}: the same service as line {earlier} (same organisation and "
                    "service name); keep one of the two rows"
                ],
            )
            continue
        first_line[row.match_key] = line
        accepted.append(row)
        report.accept(line=line, label=row.label, created=row.match_key not in lookups.services)
    if save and accepted:
        _save(accepted, lookups, actor=actor, source=source)
        report.saved = True
    return report


def _label(cells: dict[str, str]) -> str:
    name = cells.get("service", "").strip() or "(no service name)"
    organisation = cells.get("organisation", "").strip() or "no organisation name"
    return f"{echo(name)} ({echo(organisation)})"


def _save(rows: list[_Row], lookups: _Lookups, *, actor: Any, source: str) -> None:
    line = rows[0].line
    try:
        with transaction.atomic():
            saved = []
            for row in rows:
                line = row.line
                service, created = _upsert(row, lookups)
                saved.append(service.pk)
                audit.record(
                    actor=actor,
                    verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
                    target=service,
                    purpose=f"Imported into the directory from {source}",
                    detail={"import": "csv", "line": row.line},
                )
            search_text_refresh(Service.objects.filter(pk__in=saved))
    except DatabaseError as error:
        # The transaction is rolled back: not one row of the file is in the directory.
        raise CsvFileError(
            f"Nothing was imported: the directory could not save line {line}. Check that "
            "nobody else is importing or editing these services, then try again."
        ) from error


def _upsert(row: _Row, lookups: _Lookups) -> tuple[Service, bool]:
    provider = lookups.providers.get(_normal(row.organisation))
    if provider is None:
        provider = Provider.objects.create(
            name=row.organisation, description="", maintained_by=row.maintained_by
        )
        lookups.providers[_normal(row.organisation)] = provider
    elif row.maintained_by is not None and provider.maintained_by_id != row.maintained_by.pk:
        provider.maintained_by = row.maintained_by
        provider.save(update_fields=["maintained_by", "updated_at"])

    service = lookups.services.get(row.match_key)
    created = service is None
    if service is None:
        service = Service(provider=provider, name=row.name)
    else:
        service.provider = provider
        service.name = row.name
        _clear(service)
    for name, value in row.values.items():
        setattr(service, name, value)
    service.save()
    lookups.services[row.match_key] = service

    ServiceTerm.objects.bulk_create(ServiceTerm(service=service, term=term) for term in row.terms)
    ServiceArea.objects.bulk_create(
        [
            ServiceArea(service=service, name=locality.name, locality=locality)
            for locality in row.localities
        ]
        or [ServiceArea(service=service, name=CITY_WIDE)]
    )
    ServiceLanguage.objects.bulk_create(
        ServiceLanguage(service=service, name=name, code=code) for name, code in row.languages
    )
    if row.cost is not None:
        amount, description = row.cost
        CostOption.objects.create(
            service=service, option=description, amount=amount, amount_description=description
        )
    if row.funding is not None:
        Funding.objects.create(service=service, source=row.funding[0], ends_on=row.funding[1])
    if row.telephone or row.values["email"]:
        Contact.objects.create(service=service, email=row.values["email"], phone=row.telephone)
    if row.location is not None:
        location = Location.objects.create(
            location_type=LocationType.PHYSICAL, name=row.location["address_1"], **row.location
        )
        ServiceAtLocation.objects.create(service=service, location=location)
    Schedule.objects.bulk_create(
        Schedule(service=service, byday=days, opens_at=opens, closes_at=closes, description=words)
        for days, opens, closes, words in row.schedules
    )
    return service, created


def _clear(service: Service) -> None:
    """Take away what the row replaces, before the row's own are added."""
    ServiceTerm.objects.filter(service=service).delete()
    ServiceArea.objects.filter(service=service).delete()
    ServiceLanguage.objects.filter(service=service).delete()
    CostOption.objects.filter(service=service).delete()
    Funding.objects.filter(service=service).delete()
    Contact.objects.filter(service=service).delete()
    Schedule.objects.filter(service=service).delete()
    places = list(
        ServiceAtLocation.objects.filter(service=service).values_list("location_id", flat=True)
    )
    ServiceAtLocation.objects.filter(service=service).delete()
    # A place another service still uses stays.
    Location.objects.filter(pk__in=places).exclude(
        pk__in=ServiceAtLocation.objects.values("location_id")
    ).delete()


@audit.audit_exempt(reason="The directory's list of needs: no personal data.")
def known_needs() -> list[TaxonomyTerm]:
    """The needs a row may name, for the help on the import page."""
    return list(TaxonomyTerm.objects.select_related("taxonomy").order_by("name"))
