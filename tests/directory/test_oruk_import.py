"""Importing an ORUK feed and exporting the directory as one: the round trip through an empty
directory, the report of accepted and rejected records, and nothing half-saved."""

import copy
import json
import uuid

import pytest
from django.core.management import CommandError, call_command

from joinedup.core.models import AuditEntry
from joinedup.directory.models import (
    Location,
    Provider,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from joinedup.directory.oruk_import import export_feed, import_feed
from tests.directory.oruk_support import errors, full_service, page_validator
from tests.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _empty_the_directory():
    Service.objects.all().delete()
    ServiceAtLocation.objects.all().delete()
    Location.objects.all().delete()
    TaxonomyTerm.objects.filter(parent__isnull=False).delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    Provider.objects.filter(parent__isnull=False).delete()
    Provider.objects.all().delete()


def _directory():
    full_service()
    ServiceFactory(name="Plain club", minimum_age=None, maximum_age=None, description="")
    ServiceFactory(name="Closed project", status=ServiceStatus.DEFUNCT)
    ProviderFactory(name="A provider with no services yet")


def test_an_export_imported_into_an_empty_directory_round_trips_without_loss(client, tmp_path):
    _directory()
    before = export_feed()
    api_before = client.get("/api/oruk/services", {"status": "active"}).json()
    assert errors(page_validator("compiled/service.json"), before) == []
    path = tmp_path / "feed.json"
    call_command("directory_export_oruk", str(path))
    _empty_the_directory()
    assert not Service.objects.exists()

    call_command("directory_import_oruk", str(path))

    after = export_feed()
    assert after == before
    assert client.get("/api/oruk/services", {"status": "active"}).json() == api_before
    full = next(s for s in after["contents"] if s["name"] == "Easton Youth Mentoring")
    assert full["x_waiting_list_count"] == 4
    assert full["organization"]["x_maintained_by"]
    assert full["organization"]["parent_organization_id"]


def test_importing_the_same_feed_twice_updates_and_creates_nothing_new():
    _directory()
    feed = export_feed()
    first = import_feed(feed, actor=None, save=True)
    assert first.rejected == [] and first.created == 0
    assert first.updated == len(first.accepted) == 3 + 5 + 1  # services, providers, taxonomy
    assert export_feed() == feed
    assert AuditEntry.objects.filter(purpose__contains="Open Referral UK").count() == 1


def test_an_api_page_and_several_pages_can_be_imported(client):
    full_service()
    ServiceFactory(name="Second")
    pages = [client.get("/api/oruk/services", {"per_page": 1, "page": n}).json() for n in (1, 2)]
    before = [s for page in pages for s in page["contents"]]
    _empty_the_directory()
    report = import_feed(json.dumps(pages).encode(), actor=None, save=True)
    assert report.rejected == [] and report.created == 2
    again = [client.get("/api/oruk/services", {"per_page": 1, "page": n}).json() for n in (1, 2)]
    # Pages of services carry neither the parent organization nor the parent term, so the
    # links to them are left out (the whole-directory export carries both).
    assert _without_parents([s for page in again for s in page["contents"]]) == _without_parents(
        before
    )


def _without_parents(value):
    if isinstance(value, dict):
        return {
            key: _without_parents(item)
            for key, item in value.items()
            if key not in ("parent_organization_id", "parent_id")
        }
    if isinstance(value, list):
        return [_without_parents(item) for item in value]
    return value


def test_a_check_saves_nothing():
    full_service()
    feed = export_feed()
    _empty_the_directory()
    report = import_feed(feed, actor=None, save=False)
    assert report.rejected == [] and len(report.accepted) == 4
    assert not report.saved
    assert not Service.objects.exists() and not Provider.objects.exists()


def test_bad_records_are_rejected_with_reasons_and_save_nothing_of_themselves():
    full_service()
    good = export_feed()["contents"][0]
    _empty_the_directory()
    bad_id = copy.deepcopy(good)
    bad_id["id"] = "not-a-uuid"
    bad_location = copy.deepcopy(good)
    bad_location["id"] = str(uuid.uuid4())
    bad_location["name"] = "Bad location"
    bad_location["service_at_locations"][0]["location"]["id"] = "12"
    bad_ages = copy.deepcopy(good)
    bad_ages.update(id=str(uuid.uuid4()), name="Bad ages", minimum_age=15, maximum_age=9)
    no_org = copy.deepcopy(good)
    del no_org["organization"]
    no_org.update(id=str(uuid.uuid4()), name="No org", organization_id=str(uuid.uuid4()))
    bad_email = copy.deepcopy(good)
    bad_email.update(id=str(uuid.uuid4()), name="Bad email", email="not an email")
    bad_time = copy.deepcopy(good)
    bad_time.update(id=str(uuid.uuid4()), name="Bad time")
    bad_time["schedules"][0]["opens_at"] = "teatime"

    report = import_feed(
        {"contents": [bad_id, bad_location, bad_ages, no_org, bad_email, bad_time, good, 7]},
        actor=None,
        save=True,
    )

    reasons = {row.label: row.reasons for row in report.rejected}
    assert any(r.startswith("id: ") for r in reasons["service 'Easton Youth Mentoring'"])
    assert any(
        r.startswith("service_at_locations/0/location/id")
        for r in reasons["service 'Bad location'"]
    )
    assert reasons["service 'Bad ages'"] == ("minimum_age: is more than maximum_age",)
    assert reasons["service 'No org'"][0].startswith("organization_id: no organization")
    assert reasons["service 'Bad email'"][0].startswith("email: ")
    assert reasons["service 'Bad time'"][0].startswith("schedules/0/opens_at")
    assert "service" in reasons
    assert [row.label for row in report.accepted] == ["service 'Easton Youth Mentoring'"]
    assert list(Service.objects.values_list("id", flat=True)) == [uuid.UUID(good["id"])]
    assert Location.objects.count() == 1


def test_a_file_that_is_not_json_or_not_a_feed_is_rejected_whole():
    report = import_feed(b"\xff not json", actor=None, save=True)
    assert report.rejected[0].label == "feed"
    assert report.rejected[0].reasons[0].startswith("The file is not JSON")
    report = import_feed({"hello": "world"}, actor=None, save=True)
    assert report.rejected[0].reasons[0].startswith("Expected an ORUK service")


def test_the_import_command_reports_rejections_and_fails(tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([{"id": "x", "name": "Broken", "status": "active"}]))
    with pytest.raises(CommandError):
        call_command("directory_import_oruk", str(path), "--check")
    assert "Rejected service 'Broken'" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("directory_import_oruk", str(tmp_path / "missing.json"))
