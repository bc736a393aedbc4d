"""Finding a child: by name (typos and nicknames too), reference, pseudonym, date of birth, school
or postcode, only among the children the viewer may know about, and by name only where need to
know lets the viewer see the name."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from joinedup.children import search, selectors
from joinedup.children.models import Address, Child, MatchKey
from joinedup.children.services import child_merge, match_keys_refresh
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import AgendaItem, PanelRole
from tests.accounts.pages import audit_trail_text
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
    SchoolFactory,
)


def known_child(panel=None, *, postcode: str = "", **fields) -> Child:
    """A child with their match keys, as the referral service makes them; referred to `panel`."""
    child = ChildFactory(**fields)
    if postcode:
        Address.objects.create(child=child, line_1="77 Marmalade Lane", postcode=postcode)
    match_keys_refresh(child)
    if panel is not None:
        ReferralFactory(child=child, panel=panel)
    return child


@pytest.fixture
def world(db) -> SimpleNamespace:
    panel = PanelFactory(name="Easton panel")
    coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    school = SchoolFactory(name="Easton Church of England Primary")
    zebedee = known_child(
        panel,
        given_name="Zebedee",
        family_name="Quixwort",
        date_of_birth=date(2012, 4, 3),
        school=school,
        postcode="BS5 9QQ",
    )
    william = known_child(
        panel, given_name="William", family_name="Okonkwo", date_of_birth=date(2013, 1, 20)
    )
    # Referred to another panel: not this coordinator's to find.
    elsewhere = known_child(
        PanelFactory(), given_name="Zebedee", family_name="Quixwort", date_of_birth=date(2012, 4, 3)
    )
    return SimpleNamespace(
        panel=panel,
        coordinator=coordinator,
        school=school,
        zebedee=zebedee,
        william=william,
        elsewhere=elsewhere,
    )


def found(viewer, q: str = "", **filters) -> list[Child]:
    criteria = search.Criteria.from_text(q, **filters)
    return [f.child for f in search.find(viewer=viewer, criteria=criteria).found]


@pytest.mark.parametrize(
    "typed",
    [
        "Zebedee Quixwort",
        "zebedee quixwort",
        "Quixwort Zebedee",  # the other way round
        "Zebadee Quixwart",  # two typos
        "Zebedee Qiuxwort",  # letters swapped
        "Zebedee",
        "Quixwort",
        "Zeb",  # the start of a name
        "Quixwort, Zebedee",
    ],
)
def test_a_coordinator_finds_a_referred_child_by_name_even_misspelt(world, typed):
    assert found(world.coordinator, typed) == [world.zebedee]


def test_a_nickname_finds_the_child(world):
    assert found(world.coordinator, "Bill Okonkwo") == [world.william]


def test_a_different_name_does_not(world):
    assert found(world.coordinator, "Mohammed Hassan") == []
    assert found(world.coordinator, "Zebedee Okonkwo") == []


@pytest.mark.parametrize(
    "typed", ["3/4/2012", "03/04/2012", "2012-04-03", "3.4.12", "3 April 2012", "20120403"]
)
def test_a_date_of_birth_in_any_usual_format(world, typed):
    assert found(world.coordinator, typed) == [world.zebedee]
    assert found(world.coordinator, date_of_birth=search.parse_date(typed)) == [world.zebedee]


def test_a_reference_with_or_without_dashes_and_a_pseudonym(world):
    reference = world.zebedee.reference
    assert found(world.coordinator, reference.lower()) == [world.zebedee]
    assert found(world.coordinator, reference.replace("-", "")) == [world.zebedee]
    assert found(world.coordinator, world.zebedee.pseudonym) == [world.zebedee]


def test_school_and_postcode(world):
    assert found(world.coordinator, school="church of england") == [world.zebedee]
    assert found(world.coordinator, postcode="bs59qq") == [world.zebedee]
    assert found(world.coordinator, "BS5 9QQ") == [world.zebedee]
    assert found(world.coordinator, postcode="BS5") == [world.zebedee]
    assert found(world.coordinator, postcode="BS50") == []
    assert found(world.coordinator, "Zebedee", school="Other school") == []


def test_a_keyworker_finds_only_their_own_caseload(world):
    keyworker = make_person(Role.KEYWORKER)
    InvolvementFactory(child=world.william, worker=keyworker)

    assert found(keyworker, "Okonkwo") == [world.william]
    assert found(keyworker, "Zebedee Quixwort") == []
    assert found(keyworker, "3/4/2012") == []


def test_a_panel_member_finds_a_child_on_their_agenda_by_reference_only_and_sees_a_pseudonym(
    world, client
):
    member = make_person(Role.PANEL_MEMBER)
    PanelMemberFactory(panel=world.panel, user=member, role=PanelRole.MEMBER)
    AgendaItem.objects.create(meeting=MeetingFactory(panel=world.panel), child=world.zebedee)

    # Nothing that identifies the child finds them: the answer must not say such a child exists.
    for typed in ("Zebedee Quixwort", "Quixwort", "3/4/2012", "BS5 9QQ"):
        assert found(member, typed) == [], typed
    assert found(member, school="Easton") == []
    by_reference = search.find(
        viewer=member, criteria=search.Criteria.from_text(world.zebedee.reference)
    ).found
    assert [(f.child, f.identified) for f in by_reference] == [(world.zebedee, False)]

    sign_in_client(client, member)
    page = client.post(reverse("children:search"), {"q": world.zebedee.reference}).content.decode()
    assert world.zebedee.pseudonym in page
    assert "Quixwort" not in page and "3 Apr 2012" not in page
    # A name mixed with a reference is a name search all the same.
    assert found(member, world.zebedee.reference, date_of_birth=date(2012, 4, 3)) == []


def test_an_anonymised_record_no_longer_matches_its_old_names(world):
    """As the retention job anonymises a closed case: names blanked or replaced, keys rebuilt."""
    child = world.zebedee
    child.given_name = "Anonymised"
    child.family_name = "Record"
    child.preferred_name = ""
    child.other_names = []
    child.save()
    match_keys_refresh(child)

    for typed in ("Zebedee Quixwort", "Zebedee", "Quixwort", "Zebadee Quixwart", "Zeb"):
        assert found(world.coordinator, typed) == [], typed
    assert not MatchKey.objects.filter(child=child, key__contains="SBT").exists()


def test_the_current_names_decide_even_before_the_keys_are_rebuilt(world):
    child = world.zebedee
    Child.objects.filter(pk=child.pk).update(given_name="", family_name="", other_names=[])

    assert found(world.coordinator, "Zebedee Quixwort") == []


def test_a_merged_record_is_never_a_result_its_survivor_is(world):
    second = known_child(world.panel, given_name="Zebedie", family_name="Quikwort")
    child_merge(actor=None, survivor=world.zebedee, merged=second, reason="Same child")

    assert found(world.coordinator, "Zebedie Quikwort") == [world.zebedee]
    assert found(world.coordinator, second.reference) == [world.zebedee]


def test_the_page_has_an_empty_state_a_message_for_too_short_terms_and_results(world, client):
    sign_in_client(client, world.coordinator)
    url = reverse("children:search")

    empty = client.get(url)
    assert "Enter a name, a JoinedUp reference" in empty.content.decode()
    short = client.post(url, {"q": "Z"})
    assert "Enter at least 2 letters of a name" in short.content.decode()
    assert "govuk-error-summary" in short.content.decode()
    not_a_day = client.post(url, {"date_of_birth": "31/02/2012"})
    assert "is not a real date" in not_a_day.content.decode()
    none = client.post(url, {"q": "Nobody Atall"})
    assert "No children you may know about match this search" in none.content.decode()
    hit = client.post(url, {"q": "Zebadee Quixwart"})
    assert "Zebedee Quixwort" in hit.content.decode()
    assert hit["Cache-Control"] == "no-store"


def test_results_are_paged(world, client):
    for n in range(23):
        known_child(world.panel, given_name=f"Ann{'a' * (n % 3)}", family_name="Okafor")
    sign_in_client(client, world.coordinator)

    first = client.post(reverse("children:search"), {"q": "Okafor"})
    second = client.post(reverse("children:search"), {"q": "Okafor", "page": 2})

    assert first.context["results"].total == 23
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 3
    assert 'name="page" value="2"' in first.content.decode()
    # The terms travel in the posted form, never in the address: the next page posts them
    # again, and terms put in the address are not searched for.
    assert 'type="hidden" name="q" value="Okafor"' in first.content.decode()
    in_the_address = client.get(reverse("children:search"), {"q": "Okafor"})
    assert not in_the_address.context["searched"]


def test_a_search_is_audited_without_its_terms_in_clear(world):
    criteria = search.Criteria.from_text("Zebadee Quixwart")

    page = selectors.search_children(viewer=world.coordinator, criteria=criteria)

    assert page.total == 1
    entry = AuditEntry.objects.get(actor=world.coordinator, fields=["child_search"])
    assert entry.detail["criteria"] == ["name"]
    assert entry.detail["results"] == 1
    assert len(entry.detail["terms_digest"]) == 32
    # Reading the child shown is recorded too.
    assert AuditEntry.objects.filter(
        actor=world.coordinator, verb=AuditVerb.READ, target_id=str(world.zebedee.pk)
    ).exists()
    trail = audit_trail_text()
    assert "Zebadee" not in trail and "Quixwart" not in trail
    # The same terms give the same digest: a suspected search can be confirmed.
    again = selectors._terms_digest(search.Criteria.from_text("zebadee  quixwart"))
    assert again == entry.detail["terms_digest"]


def test_the_number_of_queries_does_not_grow_with_the_number_of_children(
    world, django_assert_num_queries
):
    criteria = search.Criteria.from_text("Okafor")
    known_child(world.panel, given_name="Ann", family_name="Okafor")
    # The match, the search's audit entry and the reads of the children shown.
    with django_assert_num_queries(3):
        assert selectors.search_children(viewer=world.coordinator, criteria=criteria).total == 1
    for n in range(40):
        known_child(world.panel, given_name="Ann", family_name="Okafor")
        known_child(PanelFactory(), given_name="Ann", family_name="Okafor")
    with django_assert_num_queries(3):
        assert selectors.search_children(viewer=world.coordinator, criteria=criteria).total == 41


def test_coordinators_have_it_in_their_navigation(world, client):
    sign_in_client(client, world.coordinator)

    start = client.get(reverse("core:start")).content.decode()

    assert reverse("children:search") in start
