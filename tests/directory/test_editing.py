"""Editing with ownership: an organisation keeps its own directory entries
(docs/directory-editing.md)."""

from dataclasses import replace
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.directory import selectors, services
from joinedup.directory.models import (
    CostOption,
    Funding,
    Location,
    PostcodeDistrict,
    Schedule,
    Service,
    ServiceArea,
    ServiceStatus,
)
from joinedup.directory.services import FundingStream, ServiceDetails
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    ProviderFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)


@pytest.fixture
def owner_org(db):
    return OrganisationFactory(name="Easton Youth Trust")


@pytest.fixture
def provider(owner_org):
    return ProviderFactory(name="Easton Youth Trust", maintained_by=owner_org)


@pytest.fixture
def member(owner_org):
    user = make_person(Role.KEYWORKER, full_name="Mo Member")
    MembershipFactory(user=user, organisation=owner_org, role=Role.REFERRER)
    return user


@pytest.fixture
def outsider(db):
    return make_person(Role.KEYWORKER, full_name="Olu Outsider")


def _details(**changes) -> ServiceDetails:
    base = ServiceDetails(
        name="Friday football",
        description="Five-a-side for young people.",
        minimum_age=10,
        maximum_age=16,
        how_to_refer="Turn up, or telephone the duty worker.",
    )
    return replace(base, **changes)


# Validation: each rule names its field and saves nothing.


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"minimum_age": 26}, "minimum_age"),
        ({"maximum_age": 30}, "maximum_age"),
        ({"minimum_age": 14, "maximum_age": 12}, "maximum_age"),
        ({"days": ["MO"], "opens_at": time(18), "closes_at": time(17)}, "closes_at"),
        ({"days": ["MO"], "opens_at": time(18), "closes_at": time(18)}, "closes_at"),
        ({"days": ["MO"], "opens_at": time(18)}, "closes_at"),
        ({"opens_at": time(9), "closes_at": time(10)}, "days"),
        ({"days": ["XX"]}, "days"),
        ({"postal_code": "not a postcode"}, "postal_code"),
        ({"address_1": "1 High Street"}, "postal_code"),
        ({"is_free": False}, "cost_amount"),
        ({"is_free": False, "cost_amount": Decimal("0")}, "cost_amount"),
        ({"referral_route": "pigeon"}, "referral_route"),
        ({"fundings": [FundingStream(source="")]}, "funding_1_source"),
        (
            {
                "fundings": [
                    FundingStream(source="Grant"),
                    FundingStream(
                        source="Lottery", starts_on=date(2027, 4, 1), ends_on=date(2027, 3, 31)
                    ),
                ]
            },
            "funding_2_ends_on",
        ),
        ({"fundings": [FundingStream(source="Grant", amount=Decimal("-1"))]}, "funding_1_amount"),
    ],
)
def test_bad_answers_name_the_field_and_save_nothing(provider, member, changes, field):
    with pytest.raises(services.DirectoryError) as caught:
        services.service_create(actor=member, provider=provider, details=_details(**changes))
    assert caught.value.field == field
    assert not Service.objects.exists()
    assert not AuditEntry.objects.filter(target_type="directory.service").exists()


def test_a_member_adds_a_service_with_everything_people_need(provider, member):
    need = TaxonomyTermFactory(name="Being active")
    locality = LocalityFactory(name="Easton")
    PostcodeDistrict.objects.create(code="BS5", latitude=51.46, longitude=-2.56)
    service = services.service_create(
        actor=member,
        provider=provider,
        details=_details(
            needs=[need],
            localities=[locality],
            address_1="Stapleton Road",
            city="Bristol",
            postal_code="bs5 0he",
            contact_name="Duty worker",
            contact_phone="0117 496 0000",
            contact_email="duty@example.org",
            languages=["English", "Somali"],
            is_free=False,
            cost_amount=Decimal("2.50"),
            cost_description="Per session",
            days=["WE", "MO"],
            opens_at=time(16),
            closes_at=time(18, 30),
            capacity=20,
            waiting_list_count=4,
            waiting_weeks=3,
            faith_based=True,
            culturally_specific_for="Somali families",
            fundings=[
                FundingStream(
                    source="Lottery",
                    amount=Decimal("12000"),
                    starts_on=date(2026, 4, 1),
                    ends_on=date(2027, 3, 31),
                )
            ],
        ),
    )
    service.refresh_from_db()
    assert service.reviewed_by == member and service.reviewed_at is not None
    assert not service.is_free
    assert CostOption.objects.get(service=service).amount == Decimal("2.50")
    assert list(service.terms.all()) == [need]
    assert ServiceArea.objects.get(service=service).locality == locality
    location = Location.objects.get()
    assert (location.postal_code, location.postcode_district) == ("BS5 0HE", "BS5")
    assert location.latitude == 51.46
    assert Schedule.objects.get(service=service).byday == "MO,WE"
    assert Funding.objects.get(service=service).ends_on == date(2027, 3, 31)
    assert sorted(service.languages.values_list("name", flat=True)) == ["English", "Somali"]
    entry = AuditEntry.objects.get(target_type="directory.service", verb=AuditVerb.CREATE)
    assert entry.actor == member


def test_no_localities_means_the_whole_city_and_free_means_no_charge(provider, member):
    service = services.service_create(actor=member, provider=provider, details=_details())
    area = ServiceArea.objects.get(service=service)
    assert area.locality is None and area.name == services.CITY_WIDE
    assert service.is_free and not CostOption.objects.filter(service=service).exists()
    # Changing to a charge and back keeps is_free and the cost options in step.
    services.service_update(
        actor=member,
        service=service,
        details=_details(is_free=False, cost_amount=Decimal("5")),
    )
    assert not Service.objects.get(pk=service.pk).is_free
    services.service_update(actor=member, service=service, details=_details())
    assert Service.objects.get(pk=service.pk).is_free
    assert not CostOption.objects.filter(service=service).exists()


def test_saving_an_edit_counts_as_a_review_and_is_audited(provider, member):
    service = ServiceFactory(
        provider=provider, reviewed_at=timezone.now() - timedelta(days=300), reviewed_by=None
    )
    services.service_update(actor=member, service=service, details=_details(name="New name"))
    service.refresh_from_db()
    assert service.name == "New name"
    assert service.reviewed_by == member
    assert timezone.now() - service.reviewed_at < timedelta(minutes=1)
    entry = AuditEntry.objects.get(target_id=str(service.pk), verb=AuditVerb.UPDATE)
    assert "name" in entry.fields


def test_still_correct_sets_reviewed_at_and_by(provider, member):
    service = ServiceFactory(provider=provider, reviewed_at=None)
    services.service_review(actor=member, service=service)
    service.refresh_from_db()
    assert service.reviewed_by == member and service.reviewed_at is not None
    assert AuditEntry.objects.filter(
        target_id=str(service.pk), fields=["reviewed_at", "reviewed_by"]
    )


def test_close_and_reopen(provider, member):
    service = ServiceFactory(provider=provider)
    with pytest.raises(services.DirectoryError) as caught:
        services.service_close(
            actor=member, service=service, status=ServiceStatus.DEFUNCT, alert=" "
        )
    assert caught.value.field == "alert"
    with pytest.raises(services.DirectoryError) as caught:
        services.service_close(actor=member, service=service, status="active", alert="Closed")
    assert caught.value.field == "status"
    services.service_close(
        actor=member,
        service=service,
        status=ServiceStatus.TEMPORARILY_CLOSED,
        alert="Closed for the summer; back on 8 September.",
    )
    service.refresh_from_db()
    assert service.status == ServiceStatus.TEMPORARILY_CLOSED and service.alert
    services.service_reopen(actor=member, service=service)
    service.refresh_from_db()
    assert service.status == ServiceStatus.ACTIVE and service.alert == ""
    assert AuditEntry.objects.filter(target_id=str(service.pk), verb=AuditVerb.UPDATE).count() == 2


def test_provider_update(provider, member):
    services.provider_update(
        actor=member, provider=provider, name="Easton Youth", description="Youth work."
    )
    provider.refresh_from_db()
    assert provider.name == "Easton Youth"
    entry = AuditEntry.objects.get(target_id=str(provider.pk))
    assert set(entry.fields) == {"name", "description"}
    with pytest.raises(services.DirectoryError):
        services.provider_update(actor=member, provider=provider, name=" ", description="")


# Permission.


def test_others_are_refused_by_the_services(provider, outsider, owner_org):
    service = ServiceFactory(provider=provider)
    for write in (
        lambda: services.service_create(actor=outsider, provider=provider, details=_details()),
        lambda: services.service_update(actor=outsider, service=service, details=_details()),
        lambda: services.service_review(actor=outsider, service=service),
        lambda: services.service_reopen(actor=outsider, service=service),
        lambda: services.provider_update(
            actor=outsider, provider=provider, name="X", description="Y"
        ),
        lambda: services.provider_create(
            actor=outsider, maintained_by=owner_org, name="X", description="Y"
        ),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert not AuditEntry.objects.filter(target_type__startswith="directory.").exists()


def _pages(provider, service):
    return [
        ("get", reverse("directory:service_add", kwargs={"provider_id": provider.pk})),
        ("get", reverse("directory:provider_edit", kwargs={"provider_id": provider.pk})),
        ("get", reverse("directory:service_edit", kwargs={"service_id": service.pk})),
        ("get", reverse("directory:service_close", kwargs={"service_id": service.pk})),
        ("post", reverse("directory:service_review", kwargs={"service_id": service.pk})),
        ("post", reverse("directory:service_edit", kwargs={"service_id": service.pk})),
    ]


def test_another_organisations_member_gets_403_on_every_page(client, provider, outsider):
    service = ServiceFactory(provider=provider, reviewed_at=None)
    sign_in_client(client, outsider)
    for method, url in _pages(provider, service):
        assert getattr(client, method)(url).status_code == 403, url
    assert Service.objects.get(pk=service.pk).reviewed_at is None


def test_an_ended_membership_gets_403(client, provider, owner_org):
    former = make_person(Role.KEYWORKER)
    MembershipFactory(
        user=former,
        organisation=owner_org,
        role=Role.REFERRER,
        started_on=timezone.localdate() - timedelta(days=400),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    service = ServiceFactory(provider=provider)
    sign_in_client(client, former)
    for method, url in _pages(provider, service):
        assert getattr(client, method)(url).status_code == 403, url
    assert selectors.services_maintained_by(viewer=former).services == []


def test_a_system_administrator_may_edit_any_entry(client, provider, admin_user):
    service = ServiceFactory(provider=provider)
    sign_in_client(client, admin_user)
    for method, url in _pages(provider, service)[:4]:
        assert getattr(client, method)(url).status_code == 200, url
    response = client.post(reverse("directory:service_review", kwargs={"service_id": service.pk}))
    assert response.status_code == 302


def test_an_unknown_entry_is_404(client, member):
    sign_in_client(client, member)
    url = reverse(
        "directory:service_edit", kwargs={"service_id": "00000000-0000-4000-8000-000000000000"}
    )
    assert client.get(url).status_code == 404


# Pages.


def test_a_member_adds_a_service_through_the_form(client, provider, member):
    sign_in_client(client, member)
    url = reverse("directory:service_add", kwargs={"provider_id": provider.pk})
    answers = {
        "name": "Homework club",
        "description": "Help with homework after school.",
        "referral_route": "open_access",
        "how_to_refer": "Just come along.",
        "is_free": "yes",
        "minimum_age": "14",
        "maximum_age": "12",
        "days": ["MO", "TH"],
        "opens_at": "15:30",
        "closes_at": "17:00",
        "funding_1_source": "Lottery",
        "funding_1_starts_on_day": "1",
        "funding_1_starts_on_month": "4",
        "funding_1_starts_on_year": "2027",
        "funding_1_ends_on_day": "31",
        "funding_1_ends_on_month": "3",
        "funding_1_ends_on_year": "2027",
    }
    response = client.post(url, answers)
    assert response.status_code == 200
    assert "Oldest age must be the same as or more than the youngest age" in (
        response.content.decode()
    )
    assert not Service.objects.exists()
    response = client.post(url, {**answers, "maximum_age": "16"})
    assert response.status_code == 200
    assert 'href="#id_funding_1_ends_on_day"' in response.content.decode() or (
        "funding stream 1" in response.content.decode()
    )
    response = client.post(url, {**answers, "maximum_age": "16", "funding_1_ends_on_year": "2028"})
    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.minimum_age, service.maximum_age) == (14, 16)
    assert Funding.objects.get(service=service).ends_on == date(2028, 3, 31)

    edit = client.get(reverse("directory:service_edit", kwargs={"service_id": service.pk}))
    assert edit.status_code == 200
    assert edit.context["form"]["funding_1_source"].value() == "Lottery"
    assert edit.context["form"]["days"].value() == ["MO", "TH"]


def test_your_entries_lists_stale_first_with_how_long_ago(
    client, provider, member, django_assert_max_num_queries
):
    fresh = ServiceFactory(provider=provider, name="A fresh one")
    stale = ServiceFactory(
        provider=provider,
        name="Z stale one",
        reviewed_at=timezone.now() - timedelta(days=245),
    )
    ServiceFactory(name="Someone else's")
    sign_in_client(client, member)
    response = client.get(reverse("directory:mine"))
    services_shown = [s.name for s in response.context["entries"].services]
    assert services_shown == [stale.name, fresh.name]
    content = response.content.decode()
    assert "Last checked 8 months ago" in content
    assert "Needs checking" in content
    assert f"/directory/services/{stale.pk}/" in content
    assert "Someone else" not in content
    for n in range(10):
        ServiceFactory(provider=provider, name=f"More {n}")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("directory:mine")).status_code == 200


def test_the_list_answers_in_the_same_number_of_queries_as_it_grows(client, provider, member):
    ServiceFactory(provider=provider)
    sign_in_client(client, member)
    client.get(reverse("directory:mine"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("directory:mine"))
    for _ in range(15):
        ServiceFactory(provider=provider)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("directory:mine"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_empty_state_explains_how_to_get_entries(client, outsider):
    sign_in_client(client, outsider)
    response = client.get(reverse("directory:mine"))
    assert response.status_code == 200
    assert "ask a system administrator to link your organisation" in response.content.decode()


def test_still_correct_button(client, provider, member):
    service = ServiceFactory(provider=provider, reviewed_at=timezone.now() - timedelta(days=200))
    sign_in_client(client, member)
    response = client.post(
        reverse("directory:service_review", kwargs={"service_id": service.pk}), follow=True
    )
    assert response.status_code == 200
    assert "marked as still correct" in response.content.decode()
    assert not response.context["entries"].services[0].is_stale


def test_closing_and_reopening_through_the_page(client, provider, member):
    service = ServiceFactory(provider=provider)
    sign_in_client(client, member)
    url = reverse("directory:service_close", kwargs={"service_id": service.pk})
    assert client.post(url, {"status": "defunct", "alert": "Closed for good"}).status_code == 302
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.DEFUNCT
    assert client.post(url, {"reopen": "yes"}).status_code == 302
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.ACTIVE


# Stale entries.


def test_an_entry_is_stale_after_stale_after_days(provider, member):
    now = timezone.now()
    ServiceFactory(
        provider=provider, name="Checked 182 days ago", reviewed_at=now - timedelta(days=182)
    )
    ServiceFactory(
        provider=provider, name="Checked 184 days ago", reviewed_at=now - timedelta(days=184)
    )
    ServiceFactory(
        provider=provider,
        name="Closed for good",
        reviewed_at=now - timedelta(days=400),
        status=ServiceStatus.DEFUNCT,
    )
    entries = selectors.services_maintained_by(viewer=member, now=now)
    flags = {s.name: s.is_stale for s in entries.services}
    assert flags == {
        "Checked 182 days ago": False,
        "Checked 184 days ago": True,
        "Closed for good": False,
    }
    assert entries.stale_count == 1
    later = selectors.services_maintained_by(viewer=member, now=now + timedelta(days=2))
    assert later.stale_count == 2
