from joinedup.core.models import AuditEntry
from joinedup.partnerships import selectors
from joinedup.partnerships.models import PartnershipKind, PartnershipLevel
from tests.factories import (
    LocalityFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
)


def _grow(partnership, n):
    for _ in range(n):
        PartnershipMemberFactory(partnership=partnership)
    PartnershipFactory(parent=partnership)


def test_the_list_filters_by_locality_level_kind_and_name(keyworker):
    easton = LocalityFactory()
    panel = PartnershipFactory(
        name="Easton panel",
        kind=PartnershipKind.PANEL,
        level=PartnershipLevel.PANEL,
        locality=easton,
    )
    network = PartnershipFactory(name="Youth workers' network", kind=PartnershipKind.NETWORK)
    PartnershipFactory(name="Closed forum", is_active=False)

    assert list(selectors.partnership_list(viewer=keyworker)) == [panel, network]
    assert list(selectors.partnership_list(viewer=keyworker, locality=easton)) == [panel]
    assert list(selectors.partnership_list(viewer=keyworker, level="panel")) == [panel]
    assert list(selectors.partnership_list(viewer=keyworker, kind="network")) == [network]
    assert list(selectors.partnership_list(viewer=keyworker, q="YOUTH")) == [network]
    assert list(selectors.partnership_list(viewer=keyworker, city_wide=True)) == [network]


def test_the_list_counts_current_member_organisations(keyworker):
    partnership = PartnershipFactory()
    seat = PartnershipMemberFactory(partnership=partnership)
    # A second representative of the same organisation is the same organisation.
    PartnershipMemberFactory(partnership=partnership, organisation=seat.organisation)
    PartnershipMemberFactory(partnership=partnership, left_on=seat.joined_on)

    [row] = selectors.partnership_list(viewer=keyworker)
    assert row.member_count == 1


def test_list_queries_stay_the_same_as_partnerships_grow(keyworker, django_assert_num_queries):
    for _ in range(2):
        _grow(PartnershipFactory(), 2)
    with django_assert_num_queries(1):
        rows = list(selectors.partnership_list(viewer=keyworker))
        names = [(row.locality, row.parent, row.member_count) for row in rows]
    assert len(names) == 4
    for _ in range(5):
        _grow(PartnershipFactory(locality=LocalityFactory()), 3)
    with django_assert_num_queries(1):
        rows = list(selectors.partnership_list(viewer=keyworker))
        names = [(row.locality, row.parent, row.member_count) for row in rows]
    assert len(names) == 14


def _read_detail(viewer, slug):
    partnership = selectors.partnership_detail(viewer=viewer, slug=slug)
    return (
        [
            (m.organisation.name, m.person and m.person.organisation, m.person and m.person.name)
            for m in partnership.current_members
        ]
        + [sub.name for sub in partnership.sub_groups]
        + [partnership.parent, partnership.locality]
    )


def test_detail_queries_stay_the_same_as_members_grow(keyworker, django_assert_num_queries):
    partnership = PartnershipFactory(locality=LocalityFactory(), parent=PartnershipFactory())
    _grow(partnership, 2)
    # The partnership, its members, its sub-groups, and one insert into the audit trail.
    with django_assert_num_queries(4):
        _read_detail(keyworker, partnership.slug)
    _grow(partnership, 10)
    with django_assert_num_queries(4):
        rows = _read_detail(keyworker, partnership.slug)
    assert len(rows) == 12 + 2 + 2


def test_detail_shows_current_members_and_audits_the_read(keyworker):
    partnership = PartnershipFactory()
    current = PartnershipMemberFactory(partnership=partnership)
    PartnershipMemberFactory(partnership=partnership, left_on=current.joined_on)

    detail = selectors.partnership_detail(viewer=keyworker, slug=partnership.slug)

    assert detail.current_members == [current]
    assert AuditEntry.objects.filter(target_id=str(partnership.pk), actor=keyworker).exists()


def test_a_persons_hats_and_an_organisations_seats(keyworker, django_assert_num_queries):
    organisation = OrganisationFactory()
    person = PersonFactory(organisation=organisation)
    for _ in range(2):
        PartnershipMemberFactory(organisation=organisation, person=person)
    ended = PartnershipMemberFactory(organisation=organisation, person=person)
    ended.left_on = ended.joined_on
    ended.save()
    PartnershipMemberFactory(organisation=organisation)

    with django_assert_num_queries(2):
        hats = selectors.person_memberships(viewer=keyworker, person=person)
        [(m.partnership.name, m.partnership.locality, m.organisation.name) for m in hats]
    assert len(hats) == 2
    for _ in range(3):
        PartnershipMemberFactory(organisation=organisation, person=person)
    with django_assert_num_queries(2):
        hats = selectors.person_memberships(viewer=keyworker, person=person)
        [(m.partnership.name, m.partnership.locality, m.organisation.name) for m in hats]
    assert len(hats) == 5

    with django_assert_num_queries(2):
        seats = selectors.organisation_memberships(viewer=keyworker, organisation=organisation)
        [(m.partnership.name, m.person and m.person.name) for m in seats]
    assert len(seats) == 6
