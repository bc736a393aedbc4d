"""The relationship log: introductions and joint work between two organisations, logged by
keyworkers and partnership workers, changed or withdrawn by the author or a keeper, listed
newest first and fed to the partnership network as organisation-to-organisation edges."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.permissions import PAGE_POLICY, RELATIONSHIP_LOGGERS
from joinedup.core.roles import Role
from joinedup.partnerships import network, selectors, services
from joinedup.partnerships.models import LoggedRelationship, RelationshipKind
from tests.conftest import make_person
from tests.factories import (
    LoggedRelationshipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

LIST = reverse("partnerships:relationship_list")
NEW = reverse("partnerships:relationship_create")


def _edit(entry):
    return reverse("partnerships:relationship_edit", kwargs={"relationship_id": entry.pk})


def _withdraw(entry):
    return reverse("partnerships:relationship_withdraw", kwargs={"relationship_id": entry.pk})


def _answers(playground, school, **changes):
    today = timezone.localdate()
    return {
        "from_organisation": playground,
        "to_organisation": school,
        "kind": RelationshipKind.INTRODUCTION,
        "happened_on": today - timedelta(days=3),
        "description": "Got the playworker to come to the school's after-school club.",
        **changes,
    }


@pytest.fixture
def two(db):
    return (
        OrganisationFactory(name="Adventure playground (test)"),
        OrganisationFactory(name="Junior school (test)"),
    )


# ------------------------------------------------------------------------------- services


def test_a_keyworker_logs_a_relationship_with_an_audit_entry(keyworker, two):
    playground, school = two
    partnership = PartnershipFactory()
    entry = services.relationship_log(
        actor=keyworker, partnership=partnership, **_answers(playground, school)
    )

    assert entry.logged_by == keyworker
    assert entry.partnership == partnership
    audit = AuditEntry.objects.get(target_id=str(entry.pk))
    assert audit.verb == AuditVerb.CREATE
    assert "description" in audit.fields
    # The description may be about a family by mistake: the audit holds field names only.
    assert "playworker" not in str(audit.detail)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"from_organisation": None}, "from_organisation"),
        ({"to_organisation": None}, "to_organisation"),
        ({"kind": "gossip"}, "kind"),
        ({"happened_on": None}, "happened_on"),
        ({"happened_on": timezone.localdate() + timedelta(days=1)}, "happened_on"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 501}, "description"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(keyworker, two, changes, field):
    playground, school = two
    with pytest.raises(services.PartnershipError) as error:
        services.relationship_log(actor=keyworker, **_answers(playground, school, **changes))
    assert error.value.field == field
    assert not LoggedRelationship.objects.exists()
    assert not AuditEntry.objects.filter(target_type="partnerships.loggedrelationship").exists()


def test_an_organisation_cannot_have_a_relationship_with_itself(keyworker, two):
    playground, _ = two
    with pytest.raises(services.PartnershipError) as error:
        services.relationship_log(actor=keyworker, **_answers(playground, playground))
    assert error.value.field == "to_organisation"


@pytest.mark.parametrize("role", [Role.REFERRER, Role.SAFEGUARDING_LEAD, Role.IG_OFFICER, None])
def test_only_keyworkers_and_partnership_workers_log(db, two, role):
    playground, school = two
    with pytest.raises(PermissionDenied):
        services.relationship_log(actor=make_person(role), **_answers(playground, school))


def test_the_page_policy_and_the_service_agree_on_who_logs():
    assert RELATIONSHIP_LOGGERS.roles == frozenset(services.LOGGERS)
    assert PAGE_POLICY["partnerships:relationship_create"] == RELATIONSHIP_LOGGERS


def test_the_author_or_a_keeper_changes_it_and_nobody_else(keyworker, strategic_manager, two):
    playground, school = two
    entry = services.relationship_log(actor=keyworker, **_answers(playground, school))
    colleague = make_person(Role.KEYWORKER)

    with pytest.raises(PermissionDenied):
        services.relationship_update(
            actor=colleague, relationship=entry, **_answers(playground, school)
        )
    services.relationship_update(
        actor=keyworker,
        relationship=entry,
        **_answers(playground, school, kind=RelationshipKind.JOINT_WORK),
    )
    services.relationship_update(
        actor=strategic_manager,
        relationship=entry,
        **_answers(
            playground,
            school,
            kind=RelationshipKind.JOINT_WORK,
            description="Joint session at the club.",
        ),
    )
    entry.refresh_from_db()
    assert (entry.kind, entry.description) == ("joint_work", "Joint session at the club.")
    updates = AuditEntry.objects.filter(target_id=str(entry.pk), verb=AuditVerb.UPDATE)
    assert sorted(tuple(e.fields) for e in updates) == [("description",), ("kind",)]


def test_withdrawing_keeps_the_row_and_takes_it_off_the_log(keyworker, two):
    playground, school = two
    entry = services.relationship_log(actor=keyworker, **_answers(playground, school))
    with pytest.raises(PermissionDenied):
        services.relationship_withdraw(actor=make_person(Role.KEYWORKER), relationship=entry)

    services.relationship_withdraw(actor=keyworker, relationship=entry)

    assert LoggedRelationship.objects.get(pk=entry.pk).withdrawn_at is not None
    assert list(selectors.relationship_list(viewer=keyworker)) == []
    with pytest.raises(services.PartnershipError):
        services.relationship_withdraw(actor=keyworker, relationship=entry)
    with pytest.raises(services.PartnershipError):
        services.relationship_update(
            actor=keyworker, relationship=entry, **_answers(playground, school)
        )


def test_an_author_who_no_longer_logs_cannot_change_their_entry(db, two):
    author = make_person(Role.KEYWORKER)
    entry = LoggedRelationshipFactory(logged_by=author)
    author.memberships.update(role=Role.REFERRER)
    author = type(author).objects.get(pk=author.pk)
    assert not services.may_change_relationship(author, entry)


# ------------------------------------------------------------------------------ selectors


def test_the_list_is_newest_first_and_filters_by_organisation_and_kind(keyworker, two):
    playground, school = two
    old = LoggedRelationshipFactory(
        from_organisation=playground, happened_on=timezone.localdate() - timedelta(days=90)
    )
    new = LoggedRelationshipFactory(
        to_organisation=playground,
        kind=RelationshipKind.JOINT_WORK,
        happened_on=timezone.localdate(),
    )
    other = LoggedRelationshipFactory(from_organisation=school)

    assert selectors.relationship_list(viewer=keyworker).first() == new
    assert list(selectors.relationship_list(viewer=keyworker, organisation=playground)) == [
        new,
        old,
    ]
    assert list(selectors.relationship_list(viewer=keyworker, kind="joint_work")) == [new]
    assert other not in selectors.relationship_list(viewer=keyworker, organisation=playground)


def test_the_network_gets_the_log_as_dated_edges(keyworker, two):
    playground, school = two
    seat = PartnershipMemberFactory(organisation=playground)
    LoggedRelationshipFactory(
        from_organisation=playground,
        to_organisation=school,
        happened_on=timezone.localdate() - timedelta(days=2),
    )
    LoggedRelationshipFactory(from_organisation=school, to_organisation=playground)
    withdrawn = LoggedRelationshipFactory(from_organisation=playground)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()

    data = selectors.network_data(viewer=keyworker)

    assert len(data.relationships) == 2
    # An organisation on no partnership but in the log is still a node of the map.
    assert str(school.pk) in {o.id for o in data.organisations}
    assert str(withdrawn.to_organisation_id) not in {o.id for o in data.organisations}
    graph = network.build_graph(data)
    edge = graph.edges[
        network.node_key("organisation", str(playground.pk)),
        network.node_key("organisation", str(school.pk)),
    ]
    assert edge["relationships"] == 2
    assert edge["relationship_kinds"] == "introduction"
    _, edges = network.to_csv(data)
    assert "relationship" in edges
    assert str(seat.partnership_id) in {p.id for p in data.partnerships}


# ---------------------------------------------------------------------------------- pages


def test_the_log_has_an_empty_state_and_a_button_for_those_who_log(sign_in, keyworker):
    content = sign_in(keyworker).get(LIST).content.decode()
    assert "No relationships have been logged yet" in content
    assert "Log a relationship" in content


def test_a_referrer_reads_the_log_but_is_not_offered_the_form(sign_in, db):
    LoggedRelationshipFactory(description="Shared the hall for the Tuesday drop-in.")
    client = sign_in(make_person(Role.REFERRER))
    content = client.get(LIST).content.decode()
    assert "Shared the hall for the Tuesday drop-in." in content
    assert "Log a relationship" not in content
    assert client.get(NEW).status_code == 403


def test_logging_through_the_form_starts_from_the_loggers_organisation(sign_in, keyworker, two):
    playground, school = two
    client = sign_in(keyworker)
    own = keyworker.active_memberships().first().organisation
    assert client.get(NEW).context["form"].initial["from_organisation"] == own.pk

    today = timezone.localdate()
    response = client.post(
        NEW,
        {
            "from_organisation": playground.pk,
            "to_organisation": school.pk,
            "kind": "introduction",
            "happened_on_day": today.day,
            "happened_on_month": today.month,
            "happened_on_year": today.year,
            "description": "Introduced the playworker to the club.",
        },
    )
    assert response.status_code == 302
    assert LoggedRelationship.objects.get().logged_by == keyworker
    content = client.get(response["Location"]).content.decode()
    assert "Adventure playground (test) and Junior school (test)" in content


def test_the_same_organisation_twice_is_an_error_beside_the_field(sign_in, keyworker, two):
    playground, _ = two
    today = timezone.localdate()
    response = sign_in(keyworker).post(
        NEW,
        {
            "from_organisation": playground.pk,
            "to_organisation": playground.pk,
            "kind": "introduction",
            "happened_on_day": today.day,
            "happened_on_month": today.month,
            "happened_on_year": today.year,
            "description": "Introduced them to themselves.",
        },
    )
    assert response.status_code == 200
    assert "Select two different organisations" in response.content.decode()
    assert not LoggedRelationship.objects.exists()


def test_only_the_author_is_offered_change_and_may_withdraw(sign_in, keyworker, db):
    mine = LoggedRelationshipFactory(logged_by=keyworker)
    theirs = LoggedRelationshipFactory()
    client = sign_in(keyworker)
    content = client.get(LIST).content.decode()
    assert _edit(mine) in content
    assert _edit(theirs) not in content
    assert client.get(_edit(theirs)).status_code == 403
    assert client.post(_withdraw(theirs)).status_code == 403

    response = client.post(_withdraw(mine))
    assert response.status_code == 302
    assert "no longer on the log" in client.get(LIST).content.decode()
    assert client.get(_edit(mine)).status_code == 404


def test_an_organisations_page_links_to_its_logged_relationships(sign_in, keyworker, two):
    playground, _ = two
    page = reverse("organisations:organisation_detail", kwargs={"slug": playground.slug})
    content = sign_in(keyworker).get(page).content.decode()
    assert f"{LIST}?organisation={playground.slug}" in content
    response = sign_in(keyworker).get(LIST, {"organisation": playground.slug})
    assert "involving Adventure playground (test)" in response.content.decode()


@pytest.mark.parametrize("entries", [1, 20])
def test_the_log_costs_the_same_queries_however_long(
    sign_in, keyworker, entries, django_assert_num_queries
):
    partnership = PartnershipFactory()
    for _ in range(entries):
        LoggedRelationshipFactory(partnership=partnership)
    client = sign_in(keyworker)
    client.get(LIST)  # warm the session and roles

    # Session, user, device and roles; the count and one page of entries with their
    # organisations, partnership and author; unread notices; the filter's organisations.
    with django_assert_num_queries(8):
        assert client.get(LIST).status_code == 200
