"""The demo's next Easton meeting has a panel pack worth opening: two cases, written views,
names for the coordinator and pseudonyms for the police sergeant who sits on the panel."""

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.demo.catalogue import EASTON
from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.panels import pack
from joinedup.panels.models import Contribution, Meeting


def test_the_next_easton_meeting_has_a_pack_with_written_views(db):
    load_demo_data()
    meeting = Meeting.objects.filter(panel__slug=EASTON, starts_at__gt=timezone.now()).earliest(
        "starts_at"
    )
    coordinator = User.objects.get(email=f"coordinator@{DEMO_EMAIL_DOMAIN}")
    sergeant = User.objects.get(email=f"panel.member@{DEMO_EMAIL_DOMAIN}")

    named = pack.pack_for(viewer=coordinator, meeting_id=meeting.pk, purpose="test")
    hidden = pack.pack_for(viewer=sergeant, meeting_id=meeting.pk, purpose="test")

    assert len(named.cases) == 2
    assert named.cases[0].name == "Mohammed Ali"
    assert len(named.cases[0].contributions) == 2
    assert named.cases[0].assessment is not None
    assert not any(case.shows_identity for case in hidden.cases)
    views = " ".join(c.view for case in hidden.cases for c in case.contributions)
    assert "Mohammed" not in views and "Hodan" not in views and "Warsame" not in views
    load_demo_data()
    assert Contribution.objects.count() == 3
