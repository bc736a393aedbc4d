"""UK postcodes for distance search: reading what someone typed, the district (outward code)
it falls in, how far apart two points are, and the words for a distance.

Nobody's postcode leaves the server: distances are worked out from the centre of the postcode
district, held in PostcodeDistrict and loaded from the ONS postcode directory or from the
directory's own locations (`manage.py directory_postcodes`, docs/directory.md).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Avg

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.directory.models import Location, PostcodeDistrict

EARTH_RADIUS_MILES = 3958.8
# One degree of latitude in miles, for bounding boxes.
MILES_PER_DEGREE = 69.05

_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_INWARD = r"[0-9][A-Z]{2}"
_FULL_RE = re.compile(rf"^({_OUTWARD})({_INWARD})$")
_OUTWARD_RE = re.compile(rf"^{_OUTWARD}$")


@dataclass(frozen=True)
class Postcode:
    """A postcode as typed, tidied: `outward` is the district ("BS5"); `inward` is empty when
    only the district was given."""

    outward: str
    inward: str = ""

    @property
    def is_full(self) -> bool:
        return bool(self.inward)

    def __str__(self) -> str:
        return f"{self.outward} {self.inward}" if self.inward else self.outward


def parse_postcode(text: str, *, field: str = "postcode") -> Postcode:
    """A full postcode ("bs5 0he") or a district alone ("BS5"), or a FieldError naming the
    field."""
    squashed = re.sub(r"\s+", "", text or "").upper()
    if full := _FULL_RE.match(squashed):
        return Postcode(outward=full.group(1), inward=full.group(2))
    if _OUTWARD_RE.match(squashed):
        return Postcode(outward=squashed)
    raise FieldError(
        "Enter a real postcode, like BS5 0HE, or the first half of one, like BS5", field=field
    )


def normalise_postcode(text: str) -> str:
    """ "bs50he" -> "BS5 0HE"; "bs5" -> "BS5". Raises FieldError when it is not a postcode."""
    return str(parse_postcode(text))


def outward_code(text: str) -> str:
    """The postcode district of a postcode ("BS5 0HE" -> "BS5"), or "" when it is not one."""
    try:
        return parse_postcode(text).outward
    except FieldError:
        return ""


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, a)))


def bounding_box(lat: float, lng: float, miles: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box holding every point within `miles`; a little too
    big, never too small, so the exact distance can be worked out for what is inside."""
    dlat = miles / MILES_PER_DEGREE
    dlng = miles / (MILES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def distance_words(miles: float) -> str:
    """Words a screen reader reads well, instead of a map: "about 1.2 miles away"."""
    if miles < 0.1:
        return "less than 0.1 miles away"
    rounded = round(miles, 1) if miles < 10 else round(miles)
    if rounded == 1:
        return "about 1 mile away"
    return f"about {rounded:g} miles away"


def district_centre(outward: str) -> tuple[float, float] | None:
    row = PostcodeDistrict.objects.filter(code=outward).values_list("latitude", "longitude")
    found = row.first()
    return (found[0], found[1]) if found else None


# Loading the district centres.


def postcode_districts_load(
    *, actor: object | None, centres: Mapping[str, tuple[float, float]], source: str
) -> int:
    """Save the centre of each district (replacing any already there) in one transaction."""
    with transaction.atomic():
        PostcodeDistrict.objects.bulk_create(
            [
                PostcodeDistrict(code=code, latitude=lat, longitude=lng)
                for code, (lat, lng) in centres.items()
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["latitude", "longitude"],
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            purpose="Postcode district centres loaded for distance search",
            detail={"source": source, "districts": len(centres)},
        )
    return len(centres)


def postcode_districts_ensure_defaults() -> int:
    """Bristol's district centres, for the demo and a new partnership; districts already
    loaded (say from the ONS file) are left as they are."""
    from joinedup.directory.synthetic import DISTRICTS

    known = set(PostcodeDistrict.objects.values_list("code", flat=True))
    missing = {code: centre for code, centre in DISTRICTS.items() if code not in known}
    if not missing:
        return 0
    return postcode_districts_load(actor=None, centres=missing, source="built-in Bristol")


def centres_from_ons_csv(path: Path) -> dict[str, tuple[float, float]]:
    """The average position of every postcode in each district of an ONS postcode directory
    file (columns pcd, lat, long). Postcodes without a position (ONS writes 99.999999) are
    skipped."""
    sums: dict[str, list[float]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"pcd", "lat", "long"} - set(reader.fieldnames or ())
        if missing:
            raise FieldError(
                f"The file has no {', '.join(sorted(missing))} column: use the ONS postcode "
                "directory CSV",
                field="csv",
            )
        for row in reader:
            outward = outward_code(row["pcd"])
            try:
                lat, lng = float(row["lat"]), float(row["long"])
            except (TypeError, ValueError):
                continue
            if not outward or not (-90 <= lat <= 90 and -180 <= lng <= 180):
                continue
            total = sums.setdefault(outward, [0.0, 0.0, 0.0])
            total[0] += lat
            total[1] += lng
            total[2] += 1
    return {code: (lat / n, lng / n) for code, (lat, lng, n) in sums.items()}


def centres_from_locations() -> dict[str, tuple[float, float]]:
    """The average position of the directory's own places in each district."""
    rows: Iterable[dict[str, object]] = (
        Location.objects.exclude(postcode_district="")
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values("postcode_district")
        .annotate(lat=Avg("latitude"), lng=Avg("longitude"))
        .order_by("postcode_district")
    )
    return {
        str(row["postcode_district"]): (float(row["lat"]), float(row["lng"]))  # type: ignore[arg-type]
        for row in rows
    }
