from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.partnerships import services
from joinedup.partnerships.models import (
    MemberRole,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    PartnershipMember,
)
from tests.conftest import make_person
from tests.factories import (
    LocalityFactory,
    OrganisationFactory,
    PanelFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
)

DETAILS = {
    "kind": PartnershipKind.STEERING_GROUP,
    "purpose": "Oversees the panel and its funding.",
    "level": PartnershipLevel.LOCAL_STEERING_GROUP,
}


def _create(actor, name="Easton steering group", **overrides):
    return services.partnership_create(actor=actor, name=name, **{**DETAILS, **overrides})


def _update(actor, partnership, **overrides):
    values = {
        "name": partnership.name,
        "kind": partnership.kind,
        "purpose": partnership.purpose,
        "level": partnership.level,
        "locality": partnership.locality,
        "parent": partnership.parent,
        **overrides,
    }
    return services.partnership_update(actor=actor, partnership=partnership, **values)


def test_a_strategic_manager_creates_a_partnership_and_it_is_audited(strategic_manager):
    locality = LocalityFactory()
    partnership = _create(strategic_manager, locality=locality, terms_of_reference=" Monthly ")

    assert partnership.slug == "easton-steering-group"
    assert partnership.locality == locality
    assert partnership.terms_of_reference == "Monthly"
    entry = AuditEntry.objects.get(target_id=str(partnership.pk))
    assert entry.verb == AuditVerb.CREATE
    assert entry.actor == strategic_manager


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"purpose": ""}, "purpose"),
        ({"kind": "club"}, "kind"),
        ({"level": "galaxy"}, "level"),
    ],
)
def test_bad_details_are_refused_naming_the_field(admin_user, overrides, field):
    with pytest.raises(services.PartnershipError) as refused:
        _create(admin_user, **overrides)
    assert refused.value.field == field
    assert not Partnership.objects.exists()


def test_names_are_unique_whatever_their_case(admin_user):
    _create(admin_user, name="Youth Workers' Network")
    with pytest.raises(services.PartnershipError) as refused:
        _create(admin_user, name="youth workers' network ")
    assert refused.value.field == "name"


def test_a_parent_that_would_make_a_loop_is_refused(admin_user):
    city = _create(admin_user, name="City steering group")
    local = _create(admin_user, name="Local group", parent=city)
    sub = _create(admin_user, name="Sub-group", parent=local)

    for partnership, parent in ((city, sub), (city, local), (local, local)):
        with pytest.raises(services.PartnershipError) as refused:
            _update(admin_user, partnership, parent=parent)
        assert refused.value.field == "parent"
    city.refresh_from_db()
    assert city.parent is None
    # A parent higher up is no loop.
    assert _update(admin_user, sub, parent=city).parent == city


def test_a_panel_belongs_to_one_partnership_only(admin_user):
    panel = PanelFactory()
    _create(admin_user, name="Easton panel", panel=panel, kind=PartnershipKind.PANEL)
    with pytest.raises(services.PartnershipError) as refused:
        _create(admin_user, name="Another", panel=panel)
    assert refused.value.field == "panel"


def test_only_keepers_and_the_chair_may_write(db, keyworker, admin_user):
    with pytest.raises(PermissionDenied):
        _create(keyworker)
    partnership = PartnershipFactory()
    with pytest.raises(PermissionDenied):
        _update(keyworker, partnership, purpose="Changed")
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=keyworker, partnership=partnership, organisation=OrganisationFactory()
        )

    chair_user = make_person(Role.PANEL_MEMBER)
    PartnershipMemberFactory(
        partnership=partnership,
        person=PersonFactory(user=chair_user),
        role=MemberRole.CHAIR,
    )
    assert _update(chair_user, partnership, purpose="Changed").purpose == "Changed"
    # Chairing one partnership gives no say over another.
    with pytest.raises(PermissionDenied):
        _update(chair_user, PartnershipFactory(), purpose="Changed")
    with pytest.raises(PermissionDenied):
        _create(chair_user)
    assert services.person_create(actor=chair_user, name="Rae Representative").name


def test_members_are_added_ended_and_added_again(admin_user):
    partnership = PartnershipFactory()
    organisation = OrganisationFactory()
    person = PersonFactory(organisation=organisation)

    member = services.member_add(
        actor=admin_user,
        partnership=partnership,
        organisation=organisation,
        person=person,
        role=MemberRole.CHAIR,
        delegated_authority=True,
    )
    assert member.joined_on == timezone.localdate()
    with pytest.raises(services.PartnershipError) as refused:
        services.member_add(
            actor=admin_user, partnership=partnership, organisation=organisation, person=person
        )
    assert refused.value.field == "person"

    services.member_end(actor=admin_user, member=member)
    assert member.left_on == timezone.localdate()
    with pytest.raises(services.PartnershipError) as refused:
        services.member_end(actor=admin_user, member=member)
    assert refused.value.field == "left_on"

    again = services.member_add(
        actor=admin_user, partnership=partnership, organisation=organisation, person=person
    )
    assert PartnershipMember.objects.current().get() == again
    verbs = list(
        AuditEntry.objects.filter(target_type="partnerships.partnershipmember").values_list(
            "verb", flat=True
        )
    )
    assert sorted(verbs) == sorted([AuditVerb.CREATE, AuditVerb.UPDATE, AuditVerb.CREATE])


def test_an_organisation_may_join_before_naming_its_representative(admin_user):
    partnership = PartnershipFactory()
    organisation = OrganisationFactory()
    services.member_add(actor=admin_user, partnership=partnership, organisation=organisation)
    with pytest.raises(services.PartnershipError) as refused:
        services.member_add(actor=admin_user, partnership=partnership, organisation=organisation)
    assert refused.value.field == "organisation"
    # The database holds the same rule, for writes that skip the service.
    with pytest.raises(IntegrityError):
        PartnershipMember.objects.create(
            partnership=partnership, organisation=organisation, joined_on=timezone.localdate()
        )


def test_member_dates_are_checked(admin_user):
    partnership = PartnershipFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(services.PartnershipError) as refused:
        services.member_add(
            actor=admin_user,
            partnership=partnership,
            organisation=OrganisationFactory(),
            joined_on=tomorrow,
        )
    assert refused.value.field == "joined_on"
    member = PartnershipMemberFactory(partnership=partnership, joined_on=timezone.localdate())
    with pytest.raises(services.PartnershipError) as refused:
        services.member_end(
            actor=admin_user, member=member, left_on=timezone.localdate() - timedelta(days=1)
        )
    assert refused.value.field == "left_on"


def test_people_are_created_and_changed_with_one_account_each(admin_user, keyworker):
    person = services.person_create(
        actor=admin_user, name=" Pat Partner ", role_title="Head", user=keyworker
    )
    assert person.name == "Pat Partner"
    with pytest.raises(services.PartnershipError) as refused:
        services.person_create(actor=admin_user, name="Someone else", user=keyworker)
    assert refused.value.field == "user"
    with pytest.raises(services.PartnershipError) as refused:
        services.person_update(actor=admin_user, person=person, name="")
    assert refused.value.field == "name"
    changed = services.person_update(
        actor=admin_user, person=person, name="Pat Partner", role_title="Director", user=keyworker
    )
    assert changed.role_title == "Director"
    with pytest.raises(PermissionDenied):
        services.person_update(actor=keyworker, person=person, name="Me")
    assert AuditEntry.objects.filter(target_type="partnerships.person").count() == 2
