"""The pages: raising a concern from a child's record or from the navigation, the lead's
inbox and concern page, and what the person who raised it sees."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.accounts.models import Membership
from joinedup.children.identifiers import new_reference
from joinedup.core.models import AuditEntry
from joinedup.core.roles import Role
from joinedup.safeguarding import services
from joinedup.safeguarding.models import ConcernSource, Outcome, SafeguardingConcern
from tests.accounts.pages import error_summary
from tests.conftest import make_person, sign_in_client
from tests.factories import ChildFactory

# What differs on every response anyway: the form's token and the script's nonce.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')
ANSWERS = {
    "organisation": "",
    "what_happened": "She told me her uncle locks her in her room at weekends.",
    "why_worried": "She was frightened and asked me not to tell anyone.",
    "immediate_danger": "no",
}


def _answers(world, **more):
    return {**ANSWERS, "organisation": str(world.group.pk), **more}


def _client(user) -> Client:
    return sign_in_client(Client(), user)


def _raised(world, **kwargs):
    kwargs.setdefault("child", world.child)
    return services.concern_raise(
        actor=world.keyworker,
        organisation=world.group,
        details=ANSWERS["what_happened"],
        why_worried=ANSWERS["why_worried"],
        **kwargs,
    )


def test_every_child_page_has_the_button(world):
    url = reverse("children:child_detail", kwargs={"reference": world.child.reference})
    raise_url = reverse(
        "safeguarding:concern_raise_for_child", kwargs={"reference": world.child.reference}
    )
    for person in (world.keyworker, make_person(Role.KEYWORKER)):  # in the team, and not
        page = _client(person).get(url).content.decode()
        assert "Raise a safeguarding concern" in page
        assert raise_url in page


def test_keyworker_raises_from_the_child_page(world, django_capture_on_commit_callbacks):
    client = _client(world.keyworker)
    url = reverse(
        "safeguarding:concern_raise_for_child", kwargs={"reference": world.child.reference}
    )
    page = client.get(url)
    assert "call 999 now" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _answers(world))
    concern = SafeguardingConcern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "safeguarding:concern_detail", kwargs={"concern_id": concern.pk}
    )
    assert concern.child == world.child
    assert concern.source == ConcernSource.CHILD_RECORD
    assert [m.to for m in mail.outbox] == [["gita@example.org"]]
    assert "http://testserver/safeguarding/concerns/" in mail.outbox[0].body
    status = client.get(response["Location"]).content.decode()
    assert "Your safeguarding concern" in status
    assert "New" in status


def test_someone_who_may_not_see_the_child_learns_nothing_about_them(world):
    """The raise page and the concern page look the same for a reference that has a record
    and one that has none: no name, no pseudonym, no locality, no leads' names."""
    outsider = make_person(Role.REFERRER)
    organisation = outsider.active_memberships().get().organisation
    client = _client(outsider)
    form_pages = []
    for reference in (world.child.reference, new_reference()):
        url = reverse("safeguarding:concern_raise_for_child", kwargs={"reference": reference})
        form_page = PER_RESPONSE.sub("", client.get(url).content.decode()).replace(reference, "REF")
        response = client.post(url, {**ANSWERS, "organisation": str(organisation.pk)})
        concern_page = client.get(response["Location"]).content.decode()
        form_pages.append(form_page)
        for secret in ("Zebedee", "Quixwort", world.child.pseudonym, "Easton", "Gita", "Sol"):
            assert secret not in form_page and secret not in concern_page
    assert form_pages[0] == form_pages[1]


def test_a_malformed_reference_in_the_address_is_not_found(world):
    client = _client(world.keyworker)
    url = reverse("safeguarding:concern_raise_for_child", kwargs={"reference": "JU-NOPE-0000"})
    assert client.get(url).status_code == 404


def test_raise_from_the_navigation_about_a_child_not_in_joinedup(world):
    client = _client(world.keyworker)
    home = client.get(reverse("core:start")).content.decode()
    assert reverse("safeguarding:concern_raise") in home
    response = client.post(
        reverse("safeguarding:concern_raise"),
        _answers(
            world,
            knows_reference="no",
            child_description="A girl of about 10 at the youth club, called Sam.",
            locality=str(world.easton.pk),
        ),
    )
    assert response.status_code == 302
    concern = SafeguardingConcern.objects.get()
    assert concern.child is None and concern.locality == world.easton
    assert concern.source == ConcernSource.SAFEGUARDING_PAGE


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"knows_reference": "yes", "reference": ""}, "reference"),
        ({"knows_reference": "yes", "reference": "JU-0000-0001"}, "reference"),
        ({"knows_reference": "no", "child_description": ""}, "child_description"),
    ],
)
def test_the_child_question_is_checked(world, answers, field):
    client = _client(world.keyworker)
    response = client.post(reverse("safeguarding:concern_raise"), _answers(world, **answers))
    assert response.status_code == 200
    assert any(href == f"#id_{field}" for href, _ in error_summary(response)), error_summary(
        response
    )
    assert not SafeguardingConcern.objects.exists()


def test_with_no_lead_the_raiser_is_told_to_phone_the_front_door(world, settings):
    settings.JOINEDUP_SAFEGUARDING_FRONT_DOOR = "Phone First Response on 0117 000 0000."
    Membership.objects.filter(role=Role.SAFEGUARDING_LEAD).delete()
    client = _client(world.keyworker)
    url = reverse(
        "safeguarding:concern_raise_for_child", kwargs={"reference": world.child.reference}
    )
    response = client.post(url, _answers(world), follow=True)
    page = response.content.decode()
    assert "no designated safeguarding lead" in page
    assert "Phone First Response on 0117 000 0000." in page
    assert SafeguardingConcern.objects.count() == 1


def test_the_lead_acknowledges_records_and_closes_and_the_raiser_sees_only_the_status(world):
    concern = _raised(world)
    lead = _client(world.group_lead)
    detail = reverse("safeguarding:concern_detail", kwargs={"concern_id": concern.pk})
    page = lead.get(detail).content.decode()
    assert ANSWERS["what_happened"] in page
    assert world.keyworker.email in page
    assert reverse("children:child_detail", kwargs={"reference": world.child.reference}) in page
    # Through the concern, the lead may open the child's record and see who the child is.
    child_page = lead.get(
        reverse("children:child_detail", kwargs={"reference": world.child.reference})
    )
    assert "Quixwort" in child_page.content.decode()

    lead.post(reverse("safeguarding:concern_acknowledge", kwargs={"concern_id": concern.pk}))
    lead.post(
        reverse("safeguarding:concern_action", kwargs={"concern_id": concern.pk}),
        {"action": "Spoke to the school's lead; she is known to social care."},
    )
    response = lead.post(
        reverse("safeguarding:concern_close", kwargs={"concern_id": concern.pk}),
        {"outcome": Outcome.FRONT_DOOR, "reason": "Referred to First Response, ref FR-99."},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.outcome == Outcome.FRONT_DOOR
    page = lead.get(detail).content.decode()
    assert "Spoke to the school" in page and "FR-99" in page

    raiser_page = _client(world.keyworker).get(detail).content.decode()
    assert "Referred to children&#x27;s social care front door" in raiser_page
    assert "Spoke to the school" not in raiser_page and "FR-99" not in raiser_page
    assert "Gita" not in raiser_page
    reads = AuditEntry.objects.filter(target_id=str(concern.pk), verb="read")
    assert reads.filter(actor=world.group_lead, purpose="Safeguarding concern").exists()
    assert reads.filter(actor=world.keyworker).exists()


@pytest.mark.parametrize("name", ["concern_detail", "concern_action", "concern_close"])
def test_anyone_else_gets_not_found(world, name):
    concern = _raised(world)
    url = reverse(f"safeguarding:{name}", kwargs={"concern_id": concern.pk})
    colleague = make_person(Role.KEYWORKER)
    Membership.objects.create(user=colleague, organisation=world.group, role=Role.KEYWORKER)
    assert _client(world.school_lead).get(url).status_code == 404
    if name != "concern_detail":
        assert _client(world.school_lead).post(url, {"action": "x"}).status_code == 404
    # A colleague who is not a lead: the concern page is not found, the lead's pages refused.
    assert _client(colleague).get(url).status_code == (404 if name == "concern_detail" else 403)
    acknowledge = reverse("safeguarding:concern_acknowledge", kwargs={"concern_id": concern.pk})
    assert _client(world.school_lead).post(acknowledge).status_code == 404
    assert _client(world.keyworker).post(acknowledge).status_code == 403  # not a lead at all
    concern.refresh_from_db()
    assert concern.acknowledged_at is None
    assert not concern.events.filter(kind="action").exists()


def test_acknowledging_twice_says_who_already_did(world):
    concern = _raised(world)
    url = reverse("safeguarding:concern_acknowledge", kwargs={"concern_id": concern.pk})
    lead = _client(world.group_lead)
    lead.post(url)
    page = lead.post(url, follow=True).content.decode()
    assert "already acknowledged" in page


def test_the_inbox_shows_new_first_and_marks_the_unacknowledged(world):
    first = _raised(world)
    second = _raised(world, immediate_danger=True)
    services.concern_acknowledge(actor=world.group_lead, concern=first)
    page = _client(world.group_lead).get(reverse("safeguarding:inbox")).content.decode()
    assert page.index(str(second.pk)) < page.index(str(first.pk))
    assert "Immediate danger" in page
    assert page.count(">New</strong>") == 1
    assert "Quixwort" not in page  # the inbox shows pseudonyms; the child's page the name


def test_the_inbox_and_raised_list_take_a_constant_number_of_queries(world):
    lead = _client(world.group_lead)
    raiser = _client(world.keyworker)
    _raised(world)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as inbox:
            assert lead.get(reverse("safeguarding:inbox")).status_code == 200
        with CaptureQueriesContext(connection) as raised:
            assert raiser.get(reverse("safeguarding:concerns_raised")).status_code == 200
        counts.append((len(inbox), len(raised)))
        for _ in range(8):
            _raised(world, child=ChildFactory(locality=world.easton))
        for concern in SafeguardingConcern.objects.filter(closed_at__isnull=True)[:3]:
            services.concern_close(
                actor=world.group_lead, concern=concern, outcome=Outcome.ADVICE, reason="x"
            )
    assert counts[0] == counts[1]


def test_a_person_who_is_not_a_lead_cannot_open_the_inbox(world):
    assert _client(world.keyworker).get(reverse("safeguarding:inbox")).status_code == 403
