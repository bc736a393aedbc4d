"""Writes to the funding records: who may, what is refused (naming the field), what is kept in
step with the directory, and the audit trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.directory.models import Funding, ServiceStatus
from joinedup.funding import services
from joinedup.funding.models import FundedPost, FundedService, Funder, FunderKind, FundingStream
from tests.conftest import make_person
from tests.factories import (
    FunderFactory,
    FundingStreamFactory,
    OrganisationFactory,
    PostFactory,
    ServiceFactory,
)
from tests.funding.helpers import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return make_person(Role.STRATEGIC_MANAGER)


def _stream_fields(**overrides):
    return {
        "funder": FunderFactory(),
        "name": "Early help grant",
        "amount": Decimal(100_000),
        "starts_on": in_days(-300),
        "ends_on": in_days(60),
        **overrides,
    }


def test_a_funder_is_created_and_its_name_is_unique_whatever_the_case(manager):
    funder = services.funder_create(
        actor=manager, name="  Bristol  City Council ", kind=FunderKind.LOCAL_AUTHORITY
    )
    assert funder.name == "Bristol City Council"
    assert AuditEntry.objects.filter(verb=AuditVerb.CREATE, target_id=str(funder.pk)).exists()
    with pytest.raises(services.FundingError) as refused:
        services.funder_create(actor=manager, name="bristol city council", kind="other")
    assert refused.value.field == "name"
    assert Funder.objects.count() == 1


def test_a_funder_is_changed_and_can_name_its_partner_organisation(manager):
    funder = FunderFactory(name="Police")
    council = OrganisationFactory(name="Avon and Somerset Constabulary")
    services.funder_update(
        actor=manager,
        funder=funder,
        name="Police and Crime Commissioner",
        kind=FunderKind.POLICE_CRIME_COMMISSIONER,
        organisation=council,
    )
    funder.refresh_from_db()
    assert funder.organisation == council
    assert funder.kind == FunderKind.POLICE_CRIME_COMMISSIONER


@pytest.mark.parametrize("role", [Role.PANEL_COORDINATOR, Role.KEYWORKER, None])
def test_only_administrators_and_strategic_managers_write(role):
    with pytest.raises(PermissionDenied):
        services.funder_create(actor=make_person(role), name="A funder", kind="other")
    assert not Funder.objects.exists()


def test_a_system_administrator_writes_too():
    assert services.funder_create(
        actor=make_person(Role.SYSTEM_ADMIN), name="A funder", kind="other"
    ).pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"funder": None}, "funder"),
        ({"name": "   "}, "name"),
        ({"amount": Decimal(-1)}, "amount"),
        ({"amount": None}, "amount"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": in_days(-400)}, "ends_on"),
        ({"renewal_decision_on": in_days(10)}, "renewal_decision_on"),
    ],
)
def test_a_stream_with_a_mistake_is_refused_naming_the_field(manager, overrides, field):
    with pytest.raises(services.FundingError) as refused:
        services.stream_create(actor=manager, **_stream_fields(**overrides))
    assert refused.value.field == field
    assert not FundingStream.objects.exists()


def test_changing_a_stream_changes_the_directory_lines_that_name_it(manager):
    stream = services.stream_create(actor=manager, **_stream_fields())
    service = ServiceFactory()
    services.service_attach(actor=manager, stream=stream, service=service, amount=Decimal(500))
    line = Funding.objects.get(service=service, stream=stream)
    assert (line.ends_on, line.amount) == (in_days(60), Decimal(500))

    services.stream_update(
        actor=manager, stream=stream, **_stream_fields(funder=stream.funder, ends_on=in_days(90))
    )
    line.refresh_from_db()
    assert line.ends_on == in_days(90)
    assert AuditEntry.objects.filter(verb=AuditVerb.UPDATE, target_id=str(stream.pk)).exists()


def test_ending_a_stream_early_keeps_the_reason_and_refuses_a_later_date(manager):
    stream = FundingStreamFactory(ends_on=in_days(200))
    with pytest.raises(services.FundingError) as refused:
        services.stream_end(actor=manager, stream=stream, ends_on=in_days(300), reason="Cut")
    assert refused.value.field == "ends_on"
    with pytest.raises(services.FundingError) as refused:
        services.stream_end(actor=manager, stream=stream, ends_on=in_days(30), reason=" ")
    assert refused.value.field == "reason"
    services.stream_end(actor=manager, stream=stream, ends_on=in_days(30), reason="Budget cut")
    stream.refresh_from_db()
    assert (stream.ends_on, stream.end_reason) == (in_days(30), "Budget cut")


def test_a_service_is_attached_detached_and_attached_again(manager):
    stream = FundingStreamFactory()
    service = ServiceFactory()
    services.service_attach(actor=manager, stream=stream, service=service)
    services.service_detach(actor=manager, stream=stream, service=service)
    assert not FundedService.objects.exists()
    assert not Funding.objects.filter(stream=stream).exists()
    assert AuditEntry.objects.filter(verb=AuditVerb.DELETE).count() == 1
    services.service_attach(actor=manager, stream=stream, service=service, amount=Decimal(10))
    assert FundedService.objects.get().amount == Decimal(10)
    with pytest.raises(services.FundingError) as refused:
        services.service_attach(
            actor=manager, stream=stream, service=service, amount=Decimal(10**9)
        )
    assert refused.value.field == "amount"


def test_a_closed_service_cannot_be_funded(manager):
    service = ServiceFactory(status=ServiceStatus.DEFUNCT)
    with pytest.raises(services.FundingError) as refused:
        services.service_attach(actor=manager, stream=FundingStreamFactory(), service=service)
    assert refused.value.field == "service"


def test_a_post_is_described_once_and_attached_again_by_its_id(manager):
    stream = FundingStreamFactory()
    employer = OrganisationFactory()
    link = services.post_attach(
        actor=manager,
        stream=stream,
        title="Family support worker",
        organisation=employer,
        hours_per_week=Decimal("22.2"),
    )
    assert str(link.post) == "Family support worker, 0.6 FTE"
    services.post_detach(actor=manager, stream=stream, post=link.post)
    assert not FundedPost.objects.exists()
    services.post_attach(actor=manager, stream=stream, post=link.post)
    assert FundedPost.objects.get().post == link.post


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"organisation": None}, "organisation"),
        ({"hours_per_week": None}, "hours_per_week"),
        ({"hours_per_week": Decimal(90)}, "hours_per_week"),
        ({"share": Decimal(-5)}, "share"),
    ],
)
def test_a_post_with_a_mistake_is_refused_naming_the_field(manager, fields, field):
    answers = {
        "title": "Youth worker",
        "organisation": OrganisationFactory(),
        "hours_per_week": Decimal(20),
        **fields,
    }
    with pytest.raises(services.FundingError) as refused:
        services.post_attach(actor=manager, stream=FundingStreamFactory(), **answers)
    assert refused.value.field == field
    assert not FundedPost.objects.exists()


def test_detaching_what_is_not_attached_is_refused(manager):
    stream = FundingStreamFactory()
    with pytest.raises(services.FundingError):
        services.service_detach(actor=manager, stream=stream, service=ServiceFactory())
    with pytest.raises(services.FundingError):
        services.post_detach(actor=manager, stream=stream, post=PostFactory())
