"""Whether a text names a child: for text that people outside the team around the child will
read (minutes, actions), where a child appears by pseudonym only."""

import re
from collections.abc import Iterable
from typing import Any


def _name_uses(name: str, text: str, *, capitalised_only: bool) -> int:
    """How often the name appears in the text as a word; with `capitalised_only`, only as a
    capitalised one ("Will", not "will")."""
    name = name.strip()
    if len(name) < 2:
        return 0
    pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
    return sum(
        1
        for found in re.finditer(pattern, text, re.IGNORECASE)
        if found.group()[0].isupper() or not capitalised_only
    )


def children_named_in(
    text: str, children: Iterable[Any], *, context: str = "", capitalised_only: bool = True
) -> list[Any]:
    """The children whose given, family or preferred name appears in the text more often than
    in `context`: text the service wrote itself (the panel's name, the generated minutes), so
    that a child called Hill is not found in "Easton & Lawrence Hill panel". Long prose
    (reasons, minutes) counts capitalised words only, so a child called Will does not make
    "will" a name; a short line (an action's title) can afford to count any case."""
    named = []
    for child in children:
        names = {child.given_name, child.family_name, child.preferred_name}
        if any(
            _name_uses(name, text, capitalised_only=capitalised_only)
            > _name_uses(name, context, capitalised_only=capitalised_only)
            for name in names
        ):
            named.append(child)
    return named
