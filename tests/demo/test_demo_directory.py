"""The demo directory: realistic services in the three localities, kept by the demo's partner
organisations, with what the overlap and funding views need, and the demo plans' support
linked to it. Loading twice changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.demo.catalogue import EASTON, KNOWLE_WEST, LOCKLEAZE
from joinedup.demo.directory import PLACES, SERVICES
from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.directory.models import (
    STALE_AFTER_DAYS,
    Funding,
    Location,
    ReferralRoute,
    Service,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
)
from joinedup.plans.models import Intervention, PlanStatus

# Each locality's postcode districts, as the demo catalogue gives them.
DISTRICTS = {EASTON: {"BS5", "BS2"}, LOCKLEAZE: {"BS7"}, KNOWLE_WEST: {"BS4"}}


@pytest.fixture
def demo(db):
    load_demo_data()


def _the_demo_directory_has_what_the_views_need():
    today = timezone.localdate()
    services = Service.objects.all()
    assert services.count() == len(SERVICES) >= 30
    ends = list(Funding.objects.exclude(ends_on=None).values_list("ends_on", flat=True))
    for months in (3, 6, 12):
        window = [e for e in ends if e <= today + timedelta(days=30 * months)]
        assert window, months
    assert ServiceLanguage.objects.exclude(code="en").values("code").distinct().count() >= 4
    assert services.filter(is_free=True).exists() and services.filter(is_free=False).exists()
    assert set(services.values_list("referral_route", flat=True)) == set(ReferralRoute.values)
    assert services.filter(faith_based=True).count() >= 3
    assert services.exclude(culturally_specific_for="").count() >= 3
    stale = services.filter(reviewed_at__lt=timezone.now() - timedelta(days=STALE_AFTER_DAYS))
    assert stale.count() >= 2
    assert services.filter(status=ServiceStatus.DEFUNCT).exists()
    outdoor = services.filter(
        service_terms__term__code="outdoor-adventure",
        service_areas__locality__slug=LOCKLEAZE,
        status=ServiceStatus.ACTIVE,
    )
    assert outdoor.count() >= 3


def _places_are_in_bristol_in_the_right_districts():
    assert Location.objects.count() == len(PLACES)
    for place in Location.objects.all():
        assert place.postcode_district == place.postal_code.split()[0]
        assert 51.40 < place.latitude < 51.52 and -2.70 < place.longitude < -2.50
    for service in Service.objects.prefetch_related(
        "service_areas__locality", "service_at_locations__location"
    ):
        for area in service.service_areas.all():
            if area.locality is None:
                continue
            for at in service.service_at_locations.all():
                districts = set().union(*DISTRICTS.values())
                assert at.location.postcode_district in districts, service.name
        assert service.service_at_locations.exists(), service.name


def _demo_people_keep_their_own_organisations_entries():
    keyworker = f"keyworker@{DEMO_EMAIL_DOMAIN}"
    referrer = f"referrer@{DEMO_EMAIL_DOMAIN}"
    for email in (keyworker, referrer):
        theirs = Membership.objects.active().filter(user__email=email).values("organisation")
        assert Service.objects.filter(provider__maintained_by__in=theirs).exists(), email
    assert Service.objects.filter(provider__maintained_by=None).exists()


def _support_in_open_plans_is_linked_so_funding_cliffs_count_children():
    linked = Intervention.objects.filter(
        directory_service__isnull=False, plan__status=PlanStatus.OPEN
    )
    assert linked.values("plan__child").distinct().count() >= 2
    soon = timezone.localdate() + timedelta(days=90)
    assert linked.filter(directory_service__fundings__ends_on__lte=soon).exists()


def test_the_demo_directory_is_realistic_and_owned_and_linked(demo):
    # One load of the demo for all four checks: each load takes seconds.
    _the_demo_directory_has_what_the_views_need()
    _places_are_in_bristol_in_the_right_districts()
    _demo_people_keep_their_own_organisations_entries()
    _support_in_open_plans_is_linked_so_funding_cliffs_count_children()


def test_loading_the_demo_directory_twice_changes_nothing(demo):
    before = (
        Service.objects.count(),
        ServiceTerm.objects.count(),
        Funding.objects.count(),
        Location.objects.count(),
        list(Intervention.objects.order_by("pk").values_list("directory_service", flat=True)),
    )

    load_demo_data()

    assert before == (
        Service.objects.count(),
        ServiceTerm.objects.count(),
        Funding.objects.count(),
        Location.objects.count(),
        list(Intervention.objects.order_by("pk").values_list("directory_service", flat=True)),
    )
