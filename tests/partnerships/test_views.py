from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.partnerships.models import MemberRole, Partnership, PartnershipMember
from tests.conftest import make_person
from tests.factories import (
    LocalityFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
)


def _detail(partnership):
    return reverse("partnerships:partnership_detail", kwargs={"slug": partnership.slug})


def test_the_list_has_an_empty_state_and_filters(sign_in, keyworker):
    client = sign_in(keyworker)
    response = client.get(reverse("partnerships:partnership_list"))
    assert response.status_code == 200
    assert "No partnerships have been added yet" in response.content.decode()
    assert "Add a partnership" not in response.content.decode()

    easton = LocalityFactory(name="Easton (test)", slug="easton-test")
    PartnershipFactory(name="Easton forum", locality=easton)
    PartnershipFactory(name="City board")
    response = client.get(reverse("partnerships:partnership_list"), {"locality": easton.slug})
    content = response.content.decode()
    assert "Easton forum" in content and "City board" not in content
    response = client.get(reverse("partnerships:partnership_list"), {"q": "nothing like it"})
    assert "No partnerships match these filters" in response.content.decode()


def test_the_menu_links_to_partnerships_for_anyone_signed_in(sign_in, keyworker):
    response = sign_in(keyworker).get(reverse("organisations:organisation_list"))
    assert reverse("partnerships:partnership_list") in response.content.decode()


def test_the_detail_page_shows_members_parent_and_sub_groups(sign_in, keyworker):
    city = PartnershipFactory(name="City steering group")
    partnership = PartnershipFactory(
        name="Lockleaze steering group", parent=city, terms_of_reference="Meets monthly."
    )
    PartnershipFactory(name="Lockleaze youth sub-group", parent=partnership)
    seat = PartnershipMemberFactory(
        partnership=partnership, role=MemberRole.CHAIR, delegated_authority=True
    )
    PartnershipMemberFactory(partnership=partnership, person=None)

    response = sign_in(keyworker).get(_detail(partnership))
    content = response.content.decode()

    assert response.status_code == 200
    for text in (
        "City steering group",
        "Lockleaze youth sub-group",
        "Meets monthly.",
        seat.organisation.name,
        seat.person.name,
        "Chair",
        "Not named yet",
    ):
        assert text in content
    # Readers are offered no changes.
    assert "Add a member" not in content and "End membership" not in content


def test_a_strategic_manager_adds_a_partnership(sign_in, strategic_manager):
    client = sign_in(strategic_manager)
    response = client.post(
        reverse("partnerships:partnership_create"),
        {
            "name": "Knowle West faith forum",
            "kind": "forum",
            "purpose": "Faith groups working with families.",
            "level": "other",
            "is_active": "on",
        },
    )
    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(partnership)


def test_the_edit_form_refuses_a_loop_beside_the_parent_field(sign_in, strategic_manager):
    parent = PartnershipFactory(name="Parent group")
    child_group = PartnershipFactory(name="Child group", parent=parent)
    response = sign_in(strategic_manager).post(
        reverse("partnerships:partnership_edit", kwargs={"slug": parent.slug}),
        {
            "name": parent.name,
            "kind": parent.kind,
            "purpose": parent.purpose,
            "level": parent.level,
            "parent": str(child_group.pk),
        },
    )
    assert response.status_code == 200
    assert "cannot sit inside itself" in response.content.decode()
    parent.refresh_from_db()
    assert parent.parent is None


def test_the_chair_adds_ends_and_undoes_a_member(db, sign_in):
    chair = make_person(Role.PANEL_MEMBER)
    partnership = PartnershipFactory()
    PartnershipMemberFactory(
        partnership=partnership, person=PersonFactory(user=chair), role=MemberRole.CHAIR
    )
    organisation = OrganisationFactory(name="Holiday Activities Group (test)")
    person = PersonFactory(organisation=organisation)
    client = sign_in(chair)

    add = reverse("partnerships:member_add", kwargs={"slug": partnership.slug})
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "organisation": str(organisation.pk),
            "person": str(person.pk),
            "role": "member",
            "delegated_authority": "on",
        },
    )
    assert response.status_code == 302
    member = PartnershipMember.objects.get(organisation=organisation)
    assert member.delegated_authority

    end = reverse(
        "partnerships:member_end",
        kwargs={"slug": partnership.slug, "partnership_member_id": member.pk},
    )
    confirm = client.get(end)
    assert "End Holiday Activities Group (test)" in confirm.content.decode()
    assert client.post(end).status_code == 302
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()

    page = client.get(_detail(partnership)).content.decode()
    rejoin = reverse(
        "partnerships:member_rejoin",
        kwargs={"slug": partnership.slug, "partnership_member_id": member.pk},
    )
    assert rejoin in page
    assert client.post(rejoin).status_code == 302
    again = PartnershipMember.objects.current().get(organisation=organisation)
    assert again.joined_on == member.joined_on and again.delegated_authority


def test_a_future_joining_date_is_refused_beside_the_field(sign_in, admin_user):
    partnership = PartnershipFactory()
    organisation = OrganisationFactory()
    future = timezone.localdate() + timedelta(days=3)
    response = sign_in(admin_user).post(
        reverse("partnerships:member_add", kwargs={"slug": partnership.slug}),
        {
            "organisation": str(organisation.pk),
            "role": "member",
            "joined_on_day": future.day,
            "joined_on_month": future.month,
            "joined_on_year": future.year,
        },
    )
    assert response.status_code == 200
    assert "today or in the past" in response.content.decode()
    assert not PartnershipMember.objects.exists()


def test_someone_who_is_not_a_keeper_cannot_change_a_partnership(sign_in, keyworker):
    partnership = PartnershipFactory()
    client = sign_in(keyworker)
    edit = reverse("partnerships:partnership_edit", kwargs={"slug": partnership.slug})
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"name": "Taken over"}).status_code == 403
    assert client.get(reverse("partnerships:partnership_create")).status_code == 403
    unknown = reverse("partnerships:partnership_detail", kwargs={"slug": "no-such-thing"})
    assert client.get(unknown).status_code == 404
