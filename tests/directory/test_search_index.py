"""The directory index held in memory for search (joinedup/directory/search_index.py): every
way of changing the directory is seen by the next search, however it was written; a change
that is rolled back leaves nothing behind; an unchanged directory is not read again."""

from datetime import time

import pytest
from django.db import connection, transaction

from joinedup.directory.models import (
    Schedule,
    SearchIndexState,
    Service,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
)
from joinedup.directory.search import SearchCriteria, service_search
from joinedup.directory.search_index import current_token, directory_index
from tests.factories import ServiceFactory, ServiceTermFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def names(**criteria) -> list[str]:
    return [result.service.name for result in service_search(SearchCriteria(**criteria)).results]


def test_a_search_sees_services_written_in_bulk_updated_in_bulk_and_deleted_in_sql():
    ServiceFactory(name="Allotment club")
    assert names() == ["Allotment club"]

    Service.objects.bulk_create(
        [Service(name="Boxing club", provider=Service.objects.get().provider)]
    )
    assert names() == ["Allotment club", "Boxing club"]

    Service.objects.filter(name="Allotment club").update(status=ServiceStatus.INACTIVE)
    assert names() == ["Boxing club"]

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Service._meta.db_table} WHERE name = %s", ["Boxing club"])
    assert names() == []


def test_needs_languages_and_schedules_changed_in_bulk_are_seen():
    service = ServiceFactory(name="Homework club")
    need = TaxonomyTermFactory(name="Education")
    assert names(need=need.pk) == []

    ServiceTerm.objects.bulk_create([ServiceTerm(service=service, term=need)])
    assert names(need=need.pk) == ["Homework club"]

    ServiceLanguage.objects.create(service=service, name="Somali")
    assert names(language="Somali") == ["Homework club"]
    assert "Somali" in directory_index().languages

    ServiceLanguage.objects.all().delete()
    assert names(language="Somali") == []

    Schedule.objects.create(
        service=service, byday="MO,TU,WE,TH,FR,SA,SU", opens_at=time(0), closes_at=time(0)
    )
    assert names(open_now=True) == ["Homework club"]
    Schedule.objects.update(byday="")
    assert names(open_now=True) == []


def test_a_narrower_need_added_later_is_found_by_the_broader_one():
    broad = TaxonomyTermFactory(name="Wellbeing")
    narrow = TaxonomyTermFactory(name="Counselling")
    ServiceTermFactory(service=ServiceFactory(name="Talking space"), term=narrow)
    assert names(need=broad.pk) == []

    type(narrow).objects.filter(pk=narrow.pk).update(parent=broad)
    assert names(need=broad.pk) == ["Talking space"]


def test_a_change_rolled_back_leaves_no_trace_in_the_next_search():
    ServiceFactory(name="Youth club")
    before = current_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        ServiceFactory(name="Ghost service")
        assert names() == ["Ghost service", "Youth club"]  # seen inside the transaction
        raise RuntimeError("the save failed")

    assert current_token() == before
    assert names() == ["Youth club"]


def test_each_change_gives_a_new_token_and_no_change_keeps_it():
    ServiceFactory()
    first = current_token()
    assert first is not None
    assert current_token() == first

    Service.objects.update(name="Renamed")
    assert current_token() not in (None, first)


def test_an_unchanged_directory_is_not_read_again(django_assert_num_queries):
    for number in range(30):
        ServiceFactory(name=f"Service {number:02d}")
    names()  # builds the index

    # The token, then the page: its services, needs, schedules and languages.
    with django_assert_num_queries(5):
        assert len(names()) == 20


def test_without_a_token_the_directory_is_read_afresh_every_time():
    ServiceFactory(name="Drop-in")
    SearchIndexState.objects.all().delete()
    assert current_token() is None
    assert names() == ["Drop-in"]

    # A change that somehow bypassed the triggers is still seen, as nothing was kept.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_searchindexstate")
        cursor.execute(f"UPDATE {Service._meta.db_table} SET name = %s", ["Drop-in centre"])
        cursor.execute("DELETE FROM directory_searchindexstate")
    assert names() == ["Drop-in centre"]
