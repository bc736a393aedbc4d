"""The words a service is found by stay right after every way the directory changes: each
test changes the directory through a public service, then checks that word search finds the
service by the new words (and not the old) and that a full rebuild would change nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from joinedup.core.roles import Role
from joinedup.directory import services
from joinedup.directory.csv_import import import_csv
from joinedup.directory.models import Service, TaxonomyTerm
from joinedup.directory.needs import needs_ensure_defaults
from joinedup.directory.oruk_import import export_feed, import_feed
from joinedup.directory.search import SearchCriteria, service_search
from joinedup.directory.search_text import search_text_refresh
from tests.conftest import make_person
from tests.directory.test_csv_import import row, sheet
from tests.directory.test_editing import _details
from tests.factories import (
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    ProviderFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def found(words: str) -> list[str]:
    return [result.service.name for result in service_search(SearchCriteria(words=words)).results]


def assert_nothing_to_mend() -> None:
    assert search_text_refresh() == 0


@pytest.fixture
def owner():
    organisation = OrganisationFactory(name="Easton Youth Trust")
    person = make_person(Role.KEYWORKER)
    MembershipFactory(user=person, organisation=organisation, role=Role.KEYWORKER)
    return person, ProviderFactory(name="Easton Youth Trust", maintained_by=organisation)


def test_adding_and_editing_a_service(owner):
    person, provider = owner
    kickabout = TaxonomyTermFactory(name="Kickabout")
    service = services.service_create(
        actor=person, provider=provider, details=_details(needs=[kickabout])
    )
    assert found("kickabout") == found("friday easton") == ["Friday football"]

    services.service_update(
        actor=person, service=service, details=_details(name="Saturday sport", needs=[])
    )

    assert found("kickabout") == [] and found("saturday") == ["Saturday sport"]
    assert_nothing_to_mend()


def test_renaming_the_provider(owner):
    person, provider = owner
    ServiceFactory(name="Homework club", provider=provider)

    services.provider_update(
        actor=person, provider=provider, name="Lawrence Hill Learning", description="Tuition."
    )

    assert found("lawrence hill") == ["Homework club"] and found("easton") == []
    assert_nothing_to_mend()


def test_a_spreadsheet_import():
    TaxonomyTermFactory(name="Positive activities", code="positive-activities")
    TaxonomyTermFactory(name="Healthy lifestyle", code="health")
    LocalityFactory(name="Easton", slug="easton")

    import_csv(sheet(row()), actor=None, save=True)

    assert found("healthy lifestyle football") == ["Friday night football"]
    assert_nothing_to_mend()


def test_a_feed_that_renames_a_need_used_by_other_services():
    need = TaxonomyTermFactory(name="Bushcraft")
    ServiceTermFactory(service=ServiceFactory(name="Forest school"), term=need)
    feed = export_feed()
    for taxonomy in feed["x_taxonomies"]:
        for term in taxonomy.get("taxonomy_terms", []):
            term["name"] = "Outdoor learning"
    for service in feed["contents"]:
        for attribute in service.get("attributes", []):
            attribute["taxonomy_term"]["name"] = "Outdoor learning"

    report = import_feed(feed, actor=None)

    assert not report.rejected
    assert TaxonomyTerm.objects.get(pk=need.pk).name == "Outdoor learning"
    assert found("outdoor learning") == ["Forest school"] and found("bushcraft") == []
    assert_nothing_to_mend()


def test_the_needs_list_putting_a_changed_word_back():
    terms = needs_ensure_defaults()
    term = next(iter(terms.values()))
    ServiceTermFactory(service=ServiceFactory(name="Drop-in"), term=term)
    TaxonomyTerm.objects.filter(pk=term.pk).update(name="Changed by hand")
    search_text_refresh()

    needs_ensure_defaults()

    assert found(term.name) == ["Drop-in"]
    assert_nothing_to_mend()


def test_the_rebuild_command_mends_rows_changed_by_hand():
    service = ServiceFactory(name="Boxing club")
    Service.objects.filter(pk=service.pk).update(name="Judo club")
    assert found("judo") == []
    out = StringIO()

    call_command("directory_search_rebuild", stdout=out)

    assert found("judo") == ["Judo club"]
    assert "1 services' search words brought up to date." in out.getvalue()
