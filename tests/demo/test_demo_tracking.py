"""The demo shows every duplication and gap flag to the demo coordinator, on purpose
(joinedup/demo/tracking.py), and loading it again adds nothing."""

from joinedup.accounts.models import User
from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.referrals.models import Referral
from joinedup.tracking import selectors
from joinedup.tracking.models import FlagKind


def test_the_demo_coordinator_sees_each_kind_of_flag(db):
    load_demo_data()
    coordinator = User.objects.get(email=f"coordinator@{DEMO_EMAIL_DOMAIN}")

    board = selectors.flag_board(viewer=coordinator)
    explanations = {flag.kind: flag.explanation for row in board.rows for flag in row.flags}

    assert set(explanations) == set(FlagKind.values)
    assert "Mentoring or one-to-one support from 2 organisations" in explanations["overlap"]
    assert "Referred by Education Welfare Service (EWS)" in explanations["gap"]
    assert explanations["repeat"] == (
        "Referred 3 times in 9 months by City Academy, Avon and Somerset Constabulary and "
        "Youth Service; no panel decision yet."
    )
    assert all(row.child.shows_name and row.may_look for row in board.rows)
    counts = selectors.flag_counts(viewer=coordinator)
    assert all(counts[kind] >= 1 for kind in FlagKind.values)

    referrals = Referral.objects.count()
    load_demo_data()
    assert Referral.objects.count() == referrals
