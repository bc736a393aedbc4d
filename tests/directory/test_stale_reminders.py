"""Stale directory entries are flagged to the people who keep them (docs/reminders.md)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.directory.models import ServiceStatus
from joinedup.notifications.models import Delivery, Notification, NotificationPreference
from joinedup.notifications.reminders import remind_stale_directory_entries, send_reminders
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    MembershipFactory,
    OrganisationFactory,
    ProviderFactory,
    ServiceFactory,
)

TODAY = date(2027, 3, 3)  # a Wednesday


def _days_ago(days: int):
    return timezone.make_aware(timezone.datetime(2027, 3, 3, 9)) - timedelta(days=days)


@pytest.fixture
def trust(db):
    organisation = OrganisationFactory(name="Easton Youth Trust")
    provider = ProviderFactory(maintained_by=organisation)
    return organisation, provider


def _member(organisation, role=Role.KEYWORKER, **dates):
    user = make_person(None)
    MembershipFactory(user=user, organisation=organisation, role=role, **dates)
    return user


def test_members_of_the_maintaining_organisation_are_told_once_a_week(trust):
    organisation, provider = trust
    ServiceFactory(provider=provider, name="Old one", reviewed_at=_days_ago(200))
    ServiceFactory(provider=provider, name="Older one", reviewed_at=_days_ago(400))
    ServiceFactory(provider=provider, name="Fresh one", reviewed_at=_days_ago(10))
    ServiceFactory(
        provider=provider,
        name="Closed one",
        reviewed_at=_days_ago(400),
        status=ServiceStatus.DEFUNCT,
    )
    first = _member(organisation)
    second = _member(organisation, role=Role.REFERRER)
    former = _member(organisation, started_on=date(2020, 1, 1), ended_on=date(2026, 1, 1))
    stranger = make_person(Role.KEYWORKER)

    result = remind_stale_directory_entries(today=TODAY)

    assert result.notified == 2
    for person in (first, second):
        notice = Notification.objects.get(recipient=person)
        assert notice.text.startswith("2 directory entries your organisation keeps")
        assert notice.url == "/directory/mine/"
        assert notice.kind == "directory_stale"
        assert notice.email_delivery == Delivery.WEEKLY
    assert not Notification.objects.filter(recipient__in=[former, stranger]).exists()

    # The rest of the week, nothing new; next week, one more.
    for day in range(1, 5):
        assert remind_stale_directory_entries(today=TODAY + timedelta(days=day)).notified == 0
    assert remind_stale_directory_entries(today=TODAY + timedelta(days=5)).notified == 2
    assert Notification.objects.filter(recipient=first).count() == 2


def test_a_person_with_two_roles_gets_one_notice(trust):
    organisation, provider = trust
    ServiceFactory(provider=provider, reviewed_at=_days_ago(200))
    person = _member(organisation)
    MembershipFactory(user=person, organisation=organisation, role=Role.REFERRER)
    assert remind_stale_directory_entries(today=TODAY).notified == 1
    assert "1 directory entry your organisation keeps has" in (
        Notification.objects.get(recipient=person).text
    )


def test_nobody_is_told_when_every_entry_was_checked(trust):
    organisation, provider = trust
    ServiceFactory(provider=provider, reviewed_at=_days_ago(182))
    _member(organisation)
    assert remind_stale_directory_entries(today=TODAY).notified == 0


def test_the_reminder_can_be_turned_off(trust):
    organisation, provider = trust
    ServiceFactory(provider=provider, reviewed_at=_days_ago(200))
    person = _member(organisation)
    NotificationPreference.objects.create(user=person, kind="directory", delivery=Delivery.OFF)
    remind_stale_directory_entries(today=TODAY)
    assert not Notification.objects.filter(recipient=person).exists()


def test_the_reminder_never_says_anything_about_a_child(trust, settings):
    organisation, provider = trust
    ServiceFactory(provider=provider, name="Friday football", reviewed_at=_days_ago(200))
    child = ChildFactory(given_name="Zebedee", family_name="Quill")
    person = _member(organisation)
    result = send_reminders(today=TODAY)
    assert result.directory.notified == 1
    notice = Notification.objects.get(recipient=person, kind="directory_stale")
    assert child.given_name not in notice.text and child.family_name not in notice.text
    for message in mail.outbox:
        body = message.subject + message.body
        assert "Zebedee" not in body and "Quill" not in body


def test_the_command_reports_it(trust, capsys):
    organisation, provider = trust
    ServiceFactory(provider=provider, reviewed_at=_days_ago(200))
    _member(organisation)
    call_command("send_reminders", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "directory entries to check: 1 people told, 1 new notices" in out
