"""Taking the names of a child and their household out of free text, for readers outside the
team around the child: practitioners and families write names as a matter of course."""

import re
from collections.abc import Callable, Iterable

from joinedup.children.models import Address, Child, HouseholdMember

# Names shorter than this are initials: replacing them would garble ordinary words.
_SHORTEST_NAME = 2
_NAME_PARTS = re.compile(r"[\s\-]+")


def _words_of(name: str) -> list[str]:
    name = " ".join(name.split())
    parts = [part for part in _NAME_PARTS.split(name) if len(part) >= _SHORTEST_NAME]
    return [name, *parts] if len(name) >= _SHORTEST_NAME else parts


def redactor(
    *,
    child: Child,
    household: Iterable[HouseholdMember] = (),
    addresses: Iterable[Address] = (),
) -> Callable[[str], str]:
    """A function that takes every name of the child and their household out of a text: the
    child's given, family, known-as and other names become the pseudonym, a household member's
    names become "the mother", "the foster carer" and so on; whole words only, in any case.
    Addresses and the school become "[address]" and "the school". Longer names are matched
    first, so "Hodan Ali" becomes "the mother" rather than "Hodan" and "Ali" one by one."""
    replacements: dict[str, str] = {}

    def add(name: str, replacement: str) -> None:
        for word in _words_of(name):
            replacements.setdefault(word.casefold(), replacement)

    # Household full names before the child's single names, so a parent's whole name keeps its
    # own replacement; the child's single names before the household's, so a shared family
    # name reads as the child's pseudonym.
    members = list(household)
    child_names = [
        child.given_name,
        child.family_name,
        child.preferred_name,
        *(name for name in child.other_names if isinstance(name, str)),
    ]
    for full in (child.known_as, f"{child.given_name} {child.family_name}"):
        replacements.setdefault(" ".join(full.split()).casefold(), child.pseudonym)
    for member in members:
        label = household_label(member)
        replacements.setdefault(" ".join(member.full_name.split()).casefold(), label)
    for name in child_names:
        add(name, child.pseudonym)
    for member in members:
        add(member.full_name, household_label(member))
    for address in addresses:
        for part in (address.line_1, address.line_2, address.postcode):
            if len(part.strip()) >= _SHORTEST_NAME:
                replacements.setdefault(" ".join(part.split()).casefold(), "[address]")
    if child.school is not None:
        replacements.setdefault(" ".join(child.school.name.split()).casefold(), "the school")
    if not replacements:
        return lambda text: text
    alternatives = sorted(replacements, key=len, reverse=True)
    # Spaces inside a name match any run of white space, so a line break does not hide it.
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(r"\s+".join(re.escape(w) for w in a.split(" ")) for a in alternatives)
        + r")(?!\w)",
        re.IGNORECASE,
    )

    def replace(match: re.Match[str]) -> str:
        return replacements[" ".join(match.group(0).split()).casefold()]

    return lambda text: pattern.sub(replace, text) if text else text


def household_label(member: HouseholdMember) -> str:
    if member.relationship == "other":
        return "a member of the household"
    return f"the {member.get_relationship_display().lower()}"
