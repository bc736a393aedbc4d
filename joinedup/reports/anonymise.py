"""Anonymising a story (docs/stories.md): the child's names, the names of their household, their
school, address, postcode and the places they live become neutral words, worked out from the
child's record. Whole words only, in any case; longer names first, so "Amina Hassan" becomes
"[the young person]" once rather than twice.

Plain functions over the child's record: the story services call `anonymiser` when the author
saves, and again over the author's own edits of the anonymised text, so that an edit cannot
bring a name back."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

YOUNG_PERSON = "[the young person]"
SCHOOL = "[their school]"
HOME = "[their home]"
POSTCODE = "[their postcode]"
AREA = "[the area]"
CITY = "[the city]"
RELATIVES = {
    "mother": "[their mother]",
    "father": "[their father]",
    "step_parent": "[their step-parent]",
    "foster_carer": "[their foster carer]",
    "kinship_carer": "[their carer]",
    "grandparent": "[their grandparent]",
    "sibling": "[their brother or sister]",
}
SOMEONE = "[a member of their family]"

# What each replacement stands for, in the words the preview and the reviewer see.
KINDS = {
    YOUNG_PERSON: "the child's name",
    SCHOOL: "the school",
    HOME: "the address",
    POSTCODE: "the postcode",
    AREA: "a place name",
    CITY: "the town or city",
}
# Names shorter than this are initials: replacing them would garble ordinary words.
_SHORTEST = 2
_PARTS = re.compile(r"[\s\-]+")
# A full UK postcode, with or without its space.
_POSTCODE = re.compile(r"(?<!\w)[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?!\w)", re.IGNORECASE)


def _words_of(name: str) -> list[str]:
    name = " ".join(name.split())
    parts = [part for part in _PARTS.split(name) if len(part) >= _SHORTEST]
    return [name, *parts] if len(name) >= _SHORTEST else parts


def relative_label(relationship: str) -> str:
    return RELATIVES.get(relationship, SOMEONE)


@dataclass(frozen=True)
class Anonymised:
    text: str
    # Replacement -> how many times it was put in, for the preview and the reviewer.
    counts: dict[str, int]

    def summary(self) -> list[str]:
        lines = []
        for word, count in sorted(self.counts.items()):
            kind = KINDS.get(word, "a family member's name")
            times = "once" if count == 1 else f"{count} times"
            lines.append(f"{kind} replaced by {word} {times}")
        return lines


def replacements_for(
    *,
    child: Any,
    household: Iterable[Any] = (),
    addresses: Iterable[Any] = (),
    localities: Iterable[Any] = (),
) -> dict[str, str]:
    """Every identifying word of the child's record (casefolded) and its neutral word."""
    found: dict[str, str] = {}

    def add(word: str, replacement: str) -> None:
        word = " ".join(word.split()).casefold()
        if len(word) >= _SHORTEST:
            found.setdefault(word, replacement)

    def add_name(name: str, replacement: str) -> None:
        for word in _words_of(name):
            add(word, replacement)

    members = list(household)
    other_names = [
        name for name in getattr(child, "other_names", None) or [] if isinstance(name, str)
    ]
    # Whole names first, so that a parent's whole name keeps its own replacement; then the
    # child's single names before the household's, so a shared family name reads as the child.
    add(f"{child.given_name} {child.family_name}", YOUNG_PERSON)
    for member in members:
        add(member.full_name, relative_label(member.relationship))
    for name in (child.given_name, child.family_name, child.preferred_name, *other_names):
        add_name(name or "", YOUNG_PERSON)
    for member in members:
        add_name(member.full_name, relative_label(member.relationship))
    if child.school is not None:
        add(child.school.name, SCHOOL)
    places: list[Any] = list(localities)
    if child.locality is not None:
        places.append(child.locality)
    for address in addresses:
        add(address.line_1, HOME)
        add(address.line_2 or "", HOME)
        add(address.postcode, POSTCODE)
        outward = address.postcode.split()[0] if address.postcode.split() else ""
        add(outward, AREA)
        add(address.town or "", CITY)
        if getattr(address, "locality", None) is not None:
            places.append(address.locality)
        # The street's name alone ("Stapleton Road" from "12 Stapleton Road").
        street = re.sub(r"^\s*(flat\s+\w+,?\s*)?\d+[a-z]?\s+", "", address.line_1, flags=re.I)
        add(street, HOME)
    for place in places:
        add(place.name, AREA)
        for ward in getattr(place, "wards", None) or []:
            add(str(ward), AREA)
        for district in getattr(place, "postcode_districts", None) or []:
            add(str(district), AREA)
    return found


def anonymiser(replacements: dict[str, str]) -> Callable[[str], Anonymised]:
    alternatives = sorted(replacements, key=len, reverse=True)
    pattern = (
        re.compile(
            r"(?<!\w)(?:"
            + "|".join(r"\s+".join(re.escape(w) for w in a.split(" ")) for a in alternatives)
            + r")(?!\w)",
            re.IGNORECASE,
        )
        if alternatives
        else None
    )

    def run(text: str) -> Anonymised:
        counts: dict[str, int] = {}

        def replace(match: re.Match[str]) -> str:
            word = replacements[" ".join(match.group(0).split()).casefold()]
            counts[word] = counts.get(word, 0) + 1
            return word

        def postcode(match: re.Match[str]) -> str:
            counts[POSTCODE] = counts.get(POSTCODE, 0) + 1
            return POSTCODE

        result = pattern.sub(replace, text) if pattern is not None and text else text
        # Any other full postcode too: a story has no need of one.
        result = _POSTCODE.sub(postcode, result)
        return Anonymised(result, counts)

    return run


def anonymise_for_child(child: Any, *texts: str) -> list[Anonymised]:
    """The texts anonymised from `child`'s record: names, household, school, addresses and
    localities with their wards and postcode districts."""
    household = list(child.household.all())
    addresses = list(child.addresses.select_related("locality"))
    run = anonymiser(replacements_for(child=child, household=household, addresses=addresses))
    return [run(text) for text in texts]
