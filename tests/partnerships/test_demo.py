"""The demo's partnerships: each research locality has its panel and steering group under the
city-wide one, with the overlapping memberships ("hats") the research found. Loading twice
changes nothing."""

import pytest
from django.db.models import Count
from django.utils import timezone

from joinedup.demo.catalogue import EASTON, KNOWLE_WEST, LOCKLEAZE, ORGANISATIONS
from joinedup.demo.loader import _load_localities, _load_organisation
from joinedup.demo.partnerships import DEMO_EMAIL_DOMAIN, load_demo_partnerships
from joinedup.partnerships.models import (
    LoggedRelationship,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    PartnershipMember,
    Person,
    RelationshipKind,
)
from joinedup.partnerships.selectors import network_data
from tests.factories import UserFactory


@pytest.fixture
def demo(db):
    localities = _load_localities()
    for seed in ORGANISATIONS:
        _load_organisation(seed, localities)
    UserFactory(email=f"strategic.manager@{DEMO_EMAIL_DOMAIN}")
    load_demo_partnerships()


def _state():
    return (
        sorted(Partnership.objects.values_list("slug", "parent__slug", "panel__slug")),
        sorted(Person.objects.values_list("name", "organisation__slug", "user__email")),
        sorted(
            PartnershipMember.objects.values_list(
                "partnership__slug", "organisation__slug", "person__name", "role", "left_on"
            ),
            key=str,
        ),
        sorted(
            LoggedRelationship.objects.values_list(
                "from_organisation__slug", "to_organisation__slug", "kind", "happened_on"
            )
        ),
    )


def test_each_locality_has_its_panel_and_steering_group_under_the_city(demo):
    city = Partnership.objects.get(level=PartnershipLevel.CITY_WIDE_STEERING_GROUP, parent=None)
    assert city.locality is None
    for slug in (EASTON, LOCKLEAZE, KNOWLE_WEST):
        steering = Partnership.objects.get(
            locality__slug=slug, level=PartnershipLevel.LOCAL_STEERING_GROUP
        )
        panel = Partnership.objects.get(locality__slug=slug, kind=PartnershipKind.PANEL)
        assert steering.parent == city
        assert panel.parent == steering
        # The panel's meetings and attendance are the panels app's.
        assert panel.panel is not None and panel.panel.slug == slug
    assert Partnership.objects.filter(kind=PartnershipKind.NETWORK).exists()
    assert Partnership.objects.filter(kind=PartnershipKind.FORUM).exists()


def test_organisations_and_people_wear_several_hats(demo):
    busy_organisations = (
        PartnershipMember.objects.values("organisation")
        .annotate(n=Count("partnership", distinct=True))
        .filter(n__gte=4)
    )
    busy_people = (
        PartnershipMember.objects.exclude(person=None)
        .values("person")
        .annotate(n=Count("partnership", distinct=True))
        .filter(n__gte=3)
    )
    assert busy_organisations.count() >= 3
    assert busy_people.count() >= 3
    assert PartnershipMember.objects.filter(delegated_authority=True).count() >= 5
    assert PartnershipMember.objects.filter(person=None).exists()
    assert Person.objects.filter(user__email=f"strategic.manager@{DEMO_EMAIL_DOMAIN}").exists()


def test_loading_twice_changes_nothing(demo):
    before = _state()
    load_demo_partnerships()
    assert _state() == before


def test_the_relationship_log_links_the_localities_organisations(demo):
    logged = LoggedRelationship.objects.standing()
    assert logged.count() >= 12
    assert logged.filter(happened_on__gt=timezone.localdate()).count() == 0
    assert logged.values("kind").distinct().count() == len(RelationshipKind.values)
    # Logged by the demo's logins when they exist; the strategic manager does here.
    assert logged.filter(logged_by__email=f"strategic.manager@{DEMO_EMAIL_DOMAIN}").exists()
    data = network_data(viewer=None)
    assert len(data.relationships) == logged.count()
