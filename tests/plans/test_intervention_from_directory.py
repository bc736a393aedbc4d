"""The keyworker finds a plan's support in the service directory: choosing a service fills its
name, provider and (when its needs are clear) purpose; a service closed for good cannot be
chosen; support not in the directory is still written in words; who may change the plan is
as before."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.directory.models import ServiceStatus
from joinedup.directory.needs import needs_ensure_defaults
from joinedup.plans import services
from joinedup.plans.models import Intervention, Purpose
from tests.accounts.pages import summary_text
from tests.conftest import make_person, sign_in_client
from tests.factories import OrganisationFactory, ProviderFactory, ServiceFactory, ServiceTermFactory
from tests.plans.conftest import add_goal

TODAY = timezone.localdate


@pytest.fixture
def needs(db):
    return needs_ensure_defaults()


@pytest.fixture
def mentoring(needs):
    partner = OrganisationFactory(name="Easton Youth Mentors")
    service = ServiceFactory(
        name="Step Up mentoring",
        provider=ProviderFactory(name="Step Up Bristol", maintained_by=partner),
        minimum_age=8,
        maximum_age=16,
        how_to_refer="Email stepup@example.org with the family's agreement.",
    )
    ServiceTermFactory(service=service, term=needs["mentoring"])
    return service


def _url(name, plan, **kwargs):
    return reverse(
        f"plans:{name}", kwargs={"reference": plan.child.reference, "plan_id": plan.pk, **kwargs}
    )


def _answers(plan, **extra):
    day = TODAY()
    plan.refresh_from_db()
    return {
        "revision": str(plan.revision),
        "starts_on_day": day.day,
        "starts_on_month": day.month,
        "starts_on_year": day.year,
        "frequency": "Tuesdays after school",
        "status": "planned",
        **extra,
    }


def _details(**extra):
    return services.InterventionDetails(
        **{"service": "", "starts_on": TODAY(), "frequency": "Weekly", "purpose": "", **extra}
    )


def test_the_search_lists_running_services_with_provider_ages_and_needs(plan, mentoring):
    ServiceFactory(name="Old mentoring scheme", status=ServiceStatus.DEFUNCT)
    client = sign_in_client(Client(), plan.keyworker)

    page = client.get(_url("intervention_add", plan), {"q": "mentoring"}).content.decode()

    assert "Find the service in the directory" in page
    assert "Step Up mentoring" in page
    assert "Step Up Bristol" in page
    assert "Ages 8 to 16" in page
    assert "Helps with: mentoring" in page
    assert "Old mentoring scheme" not in page
    assert "It is not in the directory" in page


def test_choosing_a_service_fills_name_provider_and_purpose(plan, mentoring):
    goal = add_goal(plan)
    client = sign_in_client(Client(), plan.keyworker)
    url = _url("intervention_add", plan) + "?q=step+up"

    response = client.post(
        url, _answers(plan, directory_service=str(mentoring.pk), goals=[str(goal.pk)])
    )

    assert response.status_code == 302
    support = Intervention.objects.get(plan=plan)
    assert support.directory_service == mentoring
    assert support.service == "Step Up mentoring"
    assert support.purpose == Purpose.MENTORING
    assert support.provider_organisation == mentoring.provider.maintained_by
    assert support.provider_name == ""
    detail = client.get(_url("plan_detail", plan)).content.decode()
    assert f'href="/directory/services/{mentoring.pk}/"' in detail
    assert "Email stepup@example.org" in detail


def test_a_provider_that_is_not_a_partner_is_named(plan, needs):
    service = ServiceFactory(name="Canoe club", provider=ProviderFactory(name="River Rats CIC"))
    ServiceTermFactory(service=service, term=needs["outdoor-adventure"])

    support = services.intervention_add(
        actor=plan.keyworker,
        plan=plan,
        revision=plan.revision,
        details=_details(directory_service=service),
    )

    assert (support.provider_organisation, support.provider_name) == (None, "River Rats CIC")
    assert support.purpose == Purpose.ACTIVITIES


def test_needs_pointing_two_ways_ask_the_keyworker_for_the_purpose(plan, needs):
    service = ServiceFactory(name="Family and youth project")
    ServiceTermFactory(service=service, term=needs["parenting"])
    ServiceTermFactory(service=service, term=needs["youth-club"])

    with pytest.raises(services.PlanError) as refused:
        services.intervention_add(
            actor=plan.keyworker,
            plan=plan,
            revision=plan.revision,
            details=_details(directory_service=service),
        )
    assert refused.value.field == "purpose"
    assert not Intervention.objects.exists()

    plan.refresh_from_db()
    support = services.intervention_add(
        actor=plan.keyworker,
        plan=plan,
        revision=plan.revision,
        details=_details(directory_service=service, purpose=Purpose.FAMILY),
    )
    assert support.purpose == Purpose.FAMILY


def test_a_service_closed_for_good_is_refused_and_nothing_saved(plan, mentoring):
    mentoring.status = ServiceStatus.DEFUNCT
    mentoring.save()
    client = sign_in_client(Client(), plan.keyworker)
    revision = plan.revision

    response = client.post(
        _url("intervention_add", plan), _answers(plan, directory_service=str(mentoring.pk))
    )

    assert response.status_code == 200
    assert "Step Up mentoring has closed for good" in summary_text(response)
    assert not Intervention.objects.exists()
    plan.refresh_from_db()
    assert plan.revision == revision


def test_support_already_linked_to_a_service_that_closed_can_still_be_updated(plan, mentoring):
    support = services.intervention_add(
        actor=plan.keyworker,
        plan=plan,
        revision=plan.revision,
        details=_details(directory_service=mentoring),
    )
    mentoring.status = ServiceStatus.DEFUNCT
    mentoring.save()
    plan.refresh_from_db()

    services.intervention_change(
        actor=plan.keyworker,
        intervention=support,
        revision=plan.revision,
        details=_details(
            directory_service=mentoring, status="stopped", stopped_reason="The project closed"
        ),
    )

    support.refresh_from_db()
    assert support.status == "stopped"
    assert support.directory_service == mentoring


def test_an_unknown_service_is_named_as_the_field_at_fault(plan):
    client = sign_in_client(Client(), plan.keyworker)

    response = client.post(
        _url("intervention_add", plan),
        _answers(plan, directory_service="3f1c4d8e-0000-4000-8000-000000000000"),
    )

    assert response.status_code == 200
    assert "Choose a service from the list" in summary_text(response)
    assert 'href="#id_directory_service_0"' in response.content.decode()
    assert not Intervention.objects.exists()


def test_support_not_in_the_directory_is_still_written_in_words(plan):
    client = sign_in_client(Client(), plan.keyworker)

    empty = client.post(_url("intervention_add", plan), _answers(plan, directory_service=""))
    assert "Enter service or activity" in summary_text(empty)
    assert "Select what the support is for" in summary_text(empty)

    response = client.post(
        _url("intervention_add", plan),
        _answers(
            plan,
            directory_service="",
            service="Bike maintenance course",
            purpose="careers",
            provider_name="The Bristol Bike Project",
        ),
    )

    assert response.status_code == 302
    support = Intervention.objects.get(plan=plan)
    assert support.directory_service is None
    assert (support.service, support.provider_name) == (
        "Bike maintenance course",
        "The Bristol Bike Project",
    )


def test_changing_from_the_directory_to_words_removes_the_link(plan, mentoring):
    support = services.intervention_add(
        actor=plan.keyworker,
        plan=plan,
        revision=plan.revision,
        details=_details(directory_service=mentoring),
    )
    client = sign_in_client(Client(), plan.keyworker)
    edit = _url("intervention_edit", plan, intervention_id=support.pk)
    assert "Step Up mentoring" in client.get(edit).content.decode()

    client.post(
        edit,
        _answers(
            plan,
            directory_service="",
            service="Mentoring at school",
            purpose="mentoring",
            provider_name="The school",
        ),
    )

    support.refresh_from_db()
    assert support.directory_service is None
    assert support.service == "Mentoring at school"


def test_who_may_change_the_plan_is_unchanged(plan, mentoring, world):
    outsider = make_person("keyworker", full_name="Olu Outsider")
    client = sign_in_client(Client(), outsider)

    response = client.post(
        _url("intervention_add", plan), _answers(plan, directory_service=str(mentoring.pk))
    )

    assert response.status_code in (403, 404)
    with pytest.raises(services.PlanError):
        services.intervention_add(
            actor=outsider,
            plan=plan,
            revision=plan.revision,
            details=_details(directory_service=mentoring),
        )
    assert not Intervention.objects.exists()


def test_the_search_page_takes_a_constant_number_of_queries(plan, needs):
    client = sign_in_client(Client(), plan.keyworker)
    url = _url("intervention_add", plan)

    def queries_with(services_listed):
        for number in range(services_listed - ServiceTermFactory._meta.model.objects.count()):
            ServiceTermFactory(
                service=ServiceFactory(name=f"Youth club {number}"), term=needs["youth-club"]
            )
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, {"q": "youth club"})
        return len(captured), page.content.decode().count('name="directory_service"')

    few, many = queries_with(2), queries_with(12)

    assert few[0] == many[0]
    assert (few[1], many[1]) == (3, 11)
