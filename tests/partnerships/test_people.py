"""The people pages: the list (search, paging, empty state, audited rows), a person's hats
across partnerships, adding and changing a person, and coming back to "add a member" with the
new person chosen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.partnerships import selectors
from joinedup.partnerships.models import MemberRole, Person
from tests.conftest import make_person
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
)

LIST = reverse("partnerships:person_list")
NEW = reverse("partnerships:person_create")


def _detail(person):
    return reverse("partnerships:person_detail", kwargs={"person_id": person.pk})


def _edit(person):
    return reverse("partnerships:person_edit", kwargs={"person_id": person.pk})


def _reads(person):
    return AuditEntry.objects.filter(verb=AuditVerb.READ, target_id=str(person.pk)).count()


def test_the_list_has_an_empty_state(sign_in, keyworker):
    content = sign_in(keyworker).get(LIST).content.decode()
    assert "No people have been added yet" in content
    assert "Add a person" not in content


def test_the_list_searches_by_name_and_organisation_and_records_what_it_shows(
    sign_in, strategic_manager
):
    playground = OrganisationFactory(name="Adventure playground (test)")
    ade = PersonFactory(name="Ade Johnson", organisation=playground)
    sandra = PersonFactory(name="Sandra Mills")
    PartnershipMemberFactory(person=ade, organisation=playground)
    client = sign_in(strategic_manager)

    content = client.get(LIST, {"q": "ade"}).content.decode()
    assert "Ade Johnson" in content and "Sandra Mills" not in content
    assert "Add a person" in content
    assert _reads(ade) == 1 and _reads(sandra) == 0

    content = client.get(LIST, {"organisation": playground.slug}).content.decode()
    assert "Ade Johnson" in content and "Sandra Mills" not in content
    content = client.get(LIST, {"q": "nobody by this name"}).content.decode()
    assert "Nobody matches this search" in content


def test_the_search_counts_current_seats_only(strategic_manager):
    person = PersonFactory()
    PartnershipMemberFactory(person=person, organisation=person.organisation)
    PartnershipMemberFactory(
        person=person, organisation=person.organisation, left_on=timezone.localdate()
    )
    assert selectors.person_search(viewer=strategic_manager).get().seat_count == 1


@pytest.mark.parametrize("people", [2, 30])
def test_the_list_costs_the_same_queries_however_many_people(
    sign_in, keyworker, people, django_assert_num_queries
):
    for _ in range(people):
        person = PersonFactory()
        PartnershipMemberFactory(person=person, organisation=person.organisation)
    client = sign_in(keyworker)
    client.get(LIST)  # warm the session and roles

    # Session, user, device and roles; whether they chair a partnership (may keep people); the
    # count and one page of people with their organisations and seats; one insert recording the
    # rows shown; unread notices; the filter's organisations.
    with django_assert_num_queries(10):
        assert client.get(LIST).status_code == 200


def test_a_persons_page_shows_their_hats_now_and_before(sign_in, keyworker):
    person = PersonFactory(name="Gail Rossiter", role_title="Area youth officer")
    PartnershipMemberFactory(
        person=person,
        organisation=person.organisation,
        partnership=PartnershipFactory(name="Lockleaze steering group"),
        role=MemberRole.CHAIR,
        delegated_authority=True,
    )
    PartnershipMemberFactory(
        person=person,
        organisation=person.organisation,
        partnership=PartnershipFactory(name="Old youth forum"),
        joined_on=timezone.localdate() - timedelta(days=400),
        left_on=timezone.localdate() - timedelta(days=100),
    )

    response = sign_in(keyworker).get(_detail(person))
    content = response.content.decode()

    assert response.status_code == 200
    assert "Gail Rossiter" in content and "Area youth officer" in content
    assert [s.partnership.name for s in response.context["current"]] == ["Lockleaze steering group"]
    assert [s.partnership.name for s in response.context["ended"]] == ["Old youth forum"]
    assert "Chair" in content and "Seats they have left" in content
    # A keyworker reads people but does not keep them.
    assert _edit(person) not in content
    assert _reads(person) >= 1


def test_the_partnership_page_links_each_representative_to_their_page(sign_in, keyworker):
    seat = PartnershipMemberFactory()
    url = reverse("partnerships:partnership_detail", kwargs={"slug": seat.partnership.slug})
    assert _detail(seat.person) in sign_in(keyworker).get(url).content.decode()


def test_a_keeper_adds_and_changes_a_person(sign_in, strategic_manager):
    school = OrganisationFactory(name="Junior school (test)")
    client = sign_in(strategic_manager)
    response = client.post(
        NEW,
        {
            "name": "  Ade Johnson ",
            "role_title": "Playworker",
            "email": "ade@example.org",
            "organisation": school.pk,
        },
    )
    person = Person.objects.get()
    assert response["Location"] == _detail(person)
    assert (person.name, person.organisation) == ("Ade Johnson", school)

    account = make_person(Role.KEYWORKER)
    Person.objects.filter(pk=person.pk).update(user=account)
    response = client.post(_edit(person), {"name": "Ade Johnson-Smith", "organisation": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.organisation, person.email) == ("Ade Johnson-Smith", None, "")
    # The form does not offer the link to a JoinedUp account, so it is left as it was.
    assert person.user == account


def test_keyworkers_cannot_add_or_change_people(sign_in, keyworker):
    person = PersonFactory()
    client = sign_in(keyworker)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"name": "Someone"}).status_code == 403
    assert client.get(_edit(person)).status_code == 403
    assert Person.objects.count() == 1


def test_a_chair_may_add_people(sign_in, db):
    chair = make_person(Role.KEYWORKER)
    PartnershipMemberFactory(person=PersonFactory(user=chair), role=MemberRole.CHAIR)
    assert sign_in(chair).get(NEW).status_code == 200


def test_add_a_member_links_to_a_new_person_and_comes_back_with_them_chosen(
    sign_in, strategic_manager
):
    partnership = PartnershipFactory(slug="lockleaze-forum-test")
    school = OrganisationFactory(name="Junior school (test)")
    add_member = reverse("partnerships:member_add", kwargs={"slug": partnership.slug})
    client = sign_in(strategic_manager)

    content = client.get(add_member).content.decode()
    link = f"{NEW}?partnership={partnership.slug}"
    assert link in content

    response = client.post(link, {"name": "Ade Johnson", "organisation": school.pk})
    person = Person.objects.get()
    assert response["Location"] == f"{add_member}?person={person.pk}"
    form = client.get(response["Location"]).context["form"]
    assert form.initial == {"person": person.pk, "organisation": school.pk}


@pytest.mark.parametrize("person", ["not-a-uuid", "00000000-0000-4000-8000-000000000000", ""])
def test_add_a_member_ignores_a_person_that_is_not_one(sign_in, strategic_manager, person):
    partnership = PartnershipFactory()
    add_member = reverse("partnerships:member_add", kwargs={"slug": partnership.slug})
    response = sign_in(strategic_manager).get(add_member, {"person": person})
    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_an_unknown_partnership_to_come_back_to_is_ignored(sign_in, strategic_manager):
    response = sign_in(strategic_manager).post(
        f"{NEW}?partnership=no-such-thing", {"name": "Ade Johnson"}
    )
    assert response["Location"] == _detail(Person.objects.get())
