from joinedup.accounts.models import User
from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.safeguarding import selectors
from joinedup.safeguarding.models import SafeguardingConcern


def test_the_demo_lead_has_open_concerns_to_deal_with(db):
    logins = {login.email: login for login in load_demo_data()}
    email = f"safeguarding.lead@{DEMO_EMAIL_DOMAIN}"
    assert "Designated safeguarding lead" in logins[email].roles
    lead = User.objects.get(email=email)
    concerns = selectors.inbox(viewer=lead)
    # The keyworker's, and the one the demo referral with a safeguarding concern raised.
    assert {c.raised_by.email.split("@")[0] for c in concerns} == {"keyworker", "referrer"}
    assert all(c.closed_at is None for c in concerns)
    load_demo_data()  # again: nothing is duplicated
    assert SafeguardingConcern.objects.count() == 2
