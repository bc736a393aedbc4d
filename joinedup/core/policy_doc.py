"""The page policy (core.permissions.PAGE_POLICY) as the table docs/security.md prints:
`python -m joinedup.core.policy_doc` writes it there, between its markers, and
tests/core/test_security_doc.py fails while the printed table and the code differ."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from joinedup.core.permissions import Access, policy_for
from joinedup.core.roles import Role

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
BEGIN = "<!-- page policy: begin (python -m joinedup.core.policy_doc) -->"
END = "<!-- page policy: end -->"


def who(access: Access) -> str:
    if access.public:
        return "Anyone, signed in or not"
    if not access.roles:
        if access.allow_unverified:
            return "Anyone signed in, before the two-factor check"
        return "Anyone signed in"
    # In the order roles are declared, so that the table reads the same on every run.
    return ", ".join(role.label for role in Role if role.value in access.roles)


def policy_table() -> str:
    """Every page of the URLconf with who may open it, a row each, sorted by page name."""
    from joinedup.core.checks import iter_view_names

    rows = []
    admin_listed = False
    for name, _ in sorted(iter_view_names(), key=lambda pair: pair[0]):
        if name.startswith("admin:"):
            # The Django admin's pages share one entry (admin:*).
            if admin_listed:
                continue
            admin_listed = True
            name = "admin:*"
        access = policy_for(name)
        rows.append(f"| `{name}` | {who(access) if access else 'Nobody (no entry)'} |")
    return "\n".join(["| Page | Who may open it |", "|---|---|", *rows])


def with_table(text: str) -> str:
    """`text` (docs/security.md) with the table between the markers written afresh."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + policy_table() + "\n" + text[end:]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    SECURITY_DOC.write_text(with_table(SECURITY_DOC.read_text()))
    sys.stdout.write(f"Wrote the page policy into {SECURITY_DOC}\n")


if __name__ == "__main__":
    main()
