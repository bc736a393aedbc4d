"""docs/security.md prints the page policy (issue 10): the table there is the one the code
enforces, and every test it names exists."""

import re
from pathlib import Path

from joinedup.core.policy_doc import SECURITY_DOC, policy_table, with_table

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_printed_page_policy_is_the_one_the_code_enforces():
    text = SECURITY_DOC.read_text()
    assert with_table(text) == text, (
        "docs/security.md's page policy differs from PAGE_POLICY: run "
        "python -m joinedup.core.policy_doc"
    )
    assert "| `referrals:referral_inbox` | Panel coordinator |" in policy_table()


def test_every_test_the_document_names_exists():
    text = SECURITY_DOC.read_text()
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)
    assert len(named) > 10
    for path, test in named:
        source = REPO_ROOT / path
        assert source.exists(), path
        if test:
            assert f"def {test}(" in source.read_text(), f"{path}::{test}"
