"""Finding a child: by name (tolerant of typos and nicknames), reference, pseudonym, date of
birth, school or postcode, among the children the viewer may know about.

The rule (docs/tracking.md, "Finding a child"): a child can be found only by something the
viewer is allowed to see about them.

- Children the viewer sees by name (need_to_know: the team around the child, the coordinators of
  the panel they were referred to, a safeguarding lead with an open concern) can be found by
  anything: name, date of birth, school, postcode, reference or pseudonym.
- Children the viewer knows about only by pseudonym (on an agenda of a panel they sit on;
  referred by, or worked with by, their organisation) can be found by their reference or
  pseudonym only, and are shown by pseudonym. A search that uses a name, date of birth, school
  or postcode never looks at them, so its answer cannot tell anyone that a child with that name
  (or birthday, school, postcode) exists.
- Nobody else's children are searched at all.

Names are compared with the record's current name fields only. The match-key index
(children.MatchKey, built by joinedup.matching.keys) finds candidates quickly, but every
candidate is then checked against the names the record holds now, so a record whose names were
replaced (anonymised) stops matching its old names even before its keys are rebuilt.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from rapidfuzz.distance import JaroWinkler

from joinedup.children.identifiers import CROCKFORD, reference_is_valid
from joinedup.children.models import Child, MatchKey
from joinedup.children.need_to_know import children_identified_to, current_involvements
from joinedup.core.errors import FieldError
from joinedup.matching.normalise import (
    family_name_forms,
    given_name_forms,
    normalise_name,
    normalise_postcode,
    phonetic_code,
)

MIN_NAME_LETTERS = 2
# More candidates than this are not scored: the person is asked to narrow the search instead.
MAX_RESULTS = 200
# How alike a typed name and a recorded one must be (0 to 1) to count as the same name.
NAME_SIMILARITY = 0.84

IDENTIFYING_CRITERIA = ("name", "date_of_birth", "school", "postcode")

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime(2000, number, 1).strftime("%B").lower(),
        datetime(2000, number, 1).strftime("%b").lower(),
    )
}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,4})$")
_WORDED_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{2,4})$")
_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$")
_OUTWARD_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_PSEUDONYM = re.compile(
    rf"^(?:CHILD\s*)?([{CROCKFORD}]{{3}})-?([{CROCKFORD}]{{2}})$", flags=re.IGNORECASE
)


class SearchTermError(FieldError):
    """Text that cannot be searched for as typed; the message says what would work, and
    `field` names the box it was typed in."""

    def __init__(self, message: str, *, field: str = "q") -> None:
        super().__init__(message, field=field, code="search_term")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Children and young people: a two-digit year is this century unless that is the future.
        this_year = timezone.localdate().year
        year += 2000 if 2000 + year <= this_year else 1900
    return year


def parse_date(text: str) -> date | None:
    """A date of birth as people type it: 3/4/2012, 03-04-2012, 3.4.12 (day first, as in the
    UK), 2012-04-03, 20120403 or 3 April 2012. None when the text does not look like a date;
    SearchTermError when it looks like one but is not a real day."""
    value = text.strip().lower()
    if not value:
        return None
    day: Any
    if re.fullmatch(r"\d{8}", value):
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    elif match := _NUMERIC_DATE.match(value):
        first, middle, last = match.groups()
        if len(first) == 4:
            year, month, day = int(first), int(middle), int(last)
        elif len(last) in (2, 4):
            day, month, year = int(first), int(middle), _year(last)
        else:
            return None
    elif match := _WORDED_DATE.match(value):
        month_name = match.group(2)
        if month_name not in _MONTHS:
            return None
        day, month, year = int(match.group(1)), _MONTHS[month_name], _year(match.group(3))
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError as error:
        raise SearchTermError(
            f"{text.strip()} is not a real date: write it like 3/4/2012 or 2012-04-03"
        ) from error


def parse_reference(text: str) -> str | None:
    """A JoinedUp reference typed with or without its dashes, in either case."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if len(compact) != 10 or not compact.startswith("JU"):
        return None
    reference = f"JU-{compact[2:6]}-{compact[6:]}"
    return reference if reference_is_valid(reference) else None


def parse_pseudonym(text: str) -> str | None:
    """A pseudonym as shown ("Child K7Q-2M") or its code. Five letters alone could be a name,
    so a code without the word Child or its dash must hold a digit."""
    value = text.strip()
    match = _PSEUDONYM.match(value)
    if match is None:
        return None
    code = (match.group(1) + match.group(2)).upper()
    shown_as_pseudonym = value.lower().startswith("child") or "-" in value
    return code if shown_as_pseudonym or any(char.isdigit() for char in code) else None


def parse_postcode(text: str) -> str | None:
    """A full postcode ('BS2 0JA') or its outward part ('BS5'), normalised; None otherwise."""
    compact = re.sub(r"\s+", "", text).upper()
    if _FULL_POSTCODE.match(compact):
        return normalise_postcode(compact)
    if _OUTWARD_POSTCODE.match(compact):
        return compact
    return None


@dataclass(frozen=True)
class Criteria:
    """What to look for; blank means not asked. `q` is read as a reference, a pseudonym, a date
    of birth, a postcode or else a name, in that order, by `from_text`."""

    name: str = ""
    reference: str = ""
    pseudonym_code: str = ""
    date_of_birth: date | None = None
    school: str = ""
    postcode: str = ""

    @classmethod
    def from_text(
        cls,
        q: str = "",
        *,
        date_of_birth: date | None = None,
        school: str = "",
        postcode: str = "",
    ) -> Criteria:
        text = q.strip()
        found: dict[str, Any] = {}
        if text:
            if reference := parse_reference(text):
                found["reference"] = reference
            elif code := parse_pseudonym(text):
                found["pseudonym_code"] = code
            elif (typed := parse_date(text)) is not None:
                found["date_of_birth"] = typed
            elif typed_postcode := parse_postcode(text):
                found["postcode"] = typed_postcode
            else:
                letters = sum(char.isalpha() for char in normalise_name(text))
                if letters < MIN_NAME_LETTERS:
                    raise SearchTermError(
                        f"Enter at least {MIN_NAME_LETTERS} letters of a name, or a reference "
                        "like JU-7KQ2-M9XD, or a date of birth like 3/4/2012"
                    )
                found["name"] = text
        if date_of_birth is not None:
            if found.get("date_of_birth") not in (None, date_of_birth):
                raise SearchTermError(
                    "The date of birth is different from the date typed in the search box: "
                    "give one of them",
                    field="date_of_birth",
                )
            found["date_of_birth"] = date_of_birth
        if school.strip():
            found["school"] = school.strip()
        if postcode.strip():
            typed_postcode = parse_postcode(postcode)
            if typed_postcode is None:
                raise SearchTermError(
                    "Enter a postcode like BS2 0JA, or its first part like BS5", field="postcode"
                )
            found["postcode"] = typed_postcode
        return cls(**found)

    @property
    def is_empty(self) -> bool:
        return not self.used()

    def used(self) -> list[str]:
        """The kinds of criteria asked for: what the audit trail records of a search."""
        return [
            kind
            for kind, value in (
                ("name", self.name),
                ("reference", self.reference),
                ("pseudonym", self.pseudonym_code),
                ("date_of_birth", self.date_of_birth),
                ("school", self.school),
                ("postcode", self.postcode),
            )
            if value
        ]

    @property
    def identifies(self) -> bool:
        return any(kind in IDENTIFYING_CRITERIA for kind in self.used())

    def terms(self) -> str:
        """All the terms in one normalised string, for the audit trail's keyed digest."""
        return "|".join(
            f"{kind}={value}"
            for kind, value in (
                ("name", normalise_name(self.name)),
                ("reference", self.reference),
                ("pseudonym", self.pseudonym_code),
                ("date_of_birth", self.date_of_birth.isoformat() if self.date_of_birth else ""),
                ("school", self.school.lower()),
                ("postcode", self.postcode),
            )
            if value
        )


def children_known_by_pseudonym(viewer: Any) -> QuerySet[Child]:
    """Children the viewer may know exist without knowing who they are: on an agenda (not taken
    off) of a panel they sit on now, or referred by or worked with by an organisation where they
    hold a role now. Whether the viewer also sees their names is need_to_know's to say."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Child.objects.none()
    from joinedup.accounts.models import Membership
    from joinedup.panels.models import AgendaItem, PanelMember
    from joinedup.referrals.models import Referral

    organisations = Membership.objects.active().filter(user=viewer).values("organisation")
    on_agendas = AgendaItem.objects.filter(
        removed_at__isnull=True,
        meeting__panel__in=PanelMember.objects.current().filter(user=viewer).values("panel"),
    ).values("child")
    worked_with = current_involvements().filter(organisation__in=organisations).values("child")
    referred = Referral.objects.filter(referring_organisation__in=organisations).values("child")
    return Child.objects.filter(
        Q(pk__in=on_agendas) | Q(pk__in=worked_with) | Q(pk__in=referred),
        merged_into__isnull=True,
    )


def _surviving(reference: str) -> str:
    """A merged record's reference stands for the record it was merged into."""
    seen: set[str] = set()
    while reference not in seen:
        seen.add(reference)
        survivor = (
            Child.objects.filter(reference=reference, merged_into__isnull=False)
            .values_list("merged_into__reference", flat=True)
            .first()
        )
        if survivor is None:
            break
        reference = survivor
    return reference


def _name_forms(token: str) -> frozenset[str]:
    return given_name_forms(token) | family_name_forms(token) | {token}


def _codes(token: str) -> set[str]:
    return {code for code in (phonetic_code(form) for form in _name_forms(token)) if code}


def name_tokens(name: str) -> list[str]:
    """The words of a typed name worth searching for: single letters say too little."""
    tokens = normalise_name(name).split()
    return [token for token in tokens if len(token) >= MIN_NAME_LETTERS] or tokens


def match_keys_for(name: str) -> set[str]:
    """The match keys (joinedup.matching.keys) a child with this name would hold: the sorted
    pair of two names' sounds ("nn"), and one name's sound with the other's initial ("ni"), so
    a typo in one of two names still finds the child; a single name is looked up with every
    initial the other name could have."""
    tokens = name_tokens(name)
    keys: set[str] = set()
    if len(tokens) == 1:
        for code in _codes(tokens[0]):
            keys |= {f"ni:{code}|{initial}" for initial in string.ascii_lowercase}
        return keys
    for index, token in enumerate(tokens):
        for other_index, other in enumerate(tokens):
            if index == other_index:
                continue
            initials = {form[0] for form in _name_forms(other) if form}
            for code in _codes(token):
                keys |= {f"ni:{code}|{initial}" for initial in initials}
                keys |= {"nn:" + "|".join(sorted((code, c))) for c in _codes(other)}
    return keys


def _recorded_names(child: Child) -> list[str]:
    parts: list[str] = []
    for value in (child.given_name, child.family_name, child.preferred_name, *child.other_names):
        parts.extend(normalise_name(str(value)).split())
    return parts


def _word_likeness(typed: str, recorded: str) -> float:
    if typed == recorded:
        return 1.0
    if len(typed) >= MIN_NAME_LETTERS and recorded.startswith(typed):
        return 0.95
    if _name_forms(typed) & _name_forms(recorded) - {typed, recorded}:
        return 0.92  # a nickname or another spelling of the same name: Bill and William
    if _codes(typed) & _codes(recorded):
        return 0.9  # sounds the same: Smyth and Smith
    return float(JaroWinkler.normalized_similarity(typed, recorded))


def name_likeness(name: str, child: Child) -> float:
    """How well a typed name fits the names the record holds now (0 to 1): every typed word
    must be like one of the child's names; the score is the mean of the best likeness of each."""
    tokens = name_tokens(name)
    recorded = _recorded_names(child)
    if not tokens or not recorded:
        return 0.0
    best = [max(_word_likeness(token, part) for part in recorded) for token in tokens]
    return 0.0 if min(best) < NAME_SIMILARITY else sum(best) / len(best)


def _name_candidates(children: QuerySet[Child], name: str) -> QuerySet[Child]:
    keys = match_keys_for(name)
    starts = Q()
    for token in name_tokens(name):
        starts |= (
            Q(given_name__istartswith=token)
            | Q(family_name__istartswith=token)
            | Q(preferred_name__istartswith=token)
        )
    return children.filter(
        Q(pk__in=MatchKey.objects.filter(key__in=sorted(keys)).values("child")) | starts
    )


def _postcode_filter(postcode: str) -> Q:
    current = Q(addresses__moved_out__isnull=True)
    if " " in postcode:
        compact = postcode.replace(" ", "")
        return current & (
            Q(addresses__postcode__iexact=postcode) | Q(addresses__postcode__iexact=compact)
        )
    # An outward code: BS5 matches "BS5 6XY" and "BS56XY", never "BS50 1AA".
    return current & (
        Q(addresses__postcode__istartswith=f"{postcode} ")
        | Q(addresses__postcode__iregex=rf"^{re.escape(postcode)}[0-9][A-Za-z]{{2}}$")
    )


@dataclass(frozen=True)
class Found:
    child: Child
    identified: bool
    likeness: float = 0.0


@dataclass(frozen=True)
class Results:
    found: list[Found]
    # More children matched than MAX_RESULTS: only the first MAX_RESULTS are in `found`.
    truncated: bool


def find(*, viewer: Any, criteria: Criteria) -> Results:
    """The children the viewer may find with these criteria, best match first: one query for
    the matches (and, for an old reference, one per merge followed), whatever the data size."""
    if criteria.is_empty:
        return Results(found=[], truncated=False)
    identified = children_identified_to(viewer)
    if criteria.identifies:
        scope = identified
    else:
        scope = Child.objects.filter(
            Q(pk__in=identified.values("pk"))
            | Q(pk__in=children_known_by_pseudonym(viewer).values("pk")),
            merged_into__isnull=True,
        )
    if criteria.reference:
        scope = scope.filter(reference=_surviving(criteria.reference))
    if criteria.pseudonym_code:
        scope = scope.filter(pseudonym_code=criteria.pseudonym_code)
    if criteria.date_of_birth:
        scope = scope.filter(date_of_birth=criteria.date_of_birth)
    if criteria.school:
        scope = scope.filter(school__name__icontains=criteria.school)
    if criteria.postcode:
        scope = scope.filter(pk__in=Child.objects.filter(_postcode_filter(criteria.postcode)))
    if criteria.name:
        scope = _name_candidates(scope, criteria.name)
    rows = list(_with_identified(scope, identified)[: MAX_RESULTS + 1])
    truncated = len(rows) > MAX_RESULTS
    rows = rows[:MAX_RESULTS]
    found = []
    for child in rows:
        seen = bool(getattr(child, "viewer_sees_name", False))
        if criteria.name:
            likeness = name_likeness(criteria.name, child)
            if likeness == 0.0:
                continue
        else:
            likeness = 1.0
        found.append(Found(child=child, identified=seen, likeness=likeness))
    found.sort(key=lambda f: (-f.likeness, f.child.family_name.lower(), f.child.given_name.lower()))
    return Results(found=found, truncated=truncated)


def _with_identified(scope: QuerySet[Child], identified: QuerySet[Child]) -> QuerySet[Child]:
    """Whether the viewer sees each child's name, worked out in the same query."""
    return (
        scope.select_related("school", "locality")
        .annotate(viewer_sees_name=Exists(identified.filter(pk=OuterRef("pk"))))
        .order_by("family_name", "given_name", "pk")
    )


def shown_fields(identified: bool) -> Iterable[str]:
    """What a result shows, as recorded in the audit trail."""
    if identified:
        return ("given_name", "family_name", "date_of_birth", "school", "locality")
    return ("pseudonym", "age_band", "locality")
