"""Emails of reminders: one email per notice for "straight away", one digest per person per
day or week otherwise, each sent once however often or concurrently the job runs, and a mail
server failure sent on the next run, never twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from joinedup.notifications import emails
from joinedup.notifications.models import Delivery, Digest, Notification
from joinedup.notifications.reminders import remind_referrals
from joinedup.notifications.services import remind
from tests.notifications.world import names_no_child, prefer, reminders_world, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return reminders_world()


def _to(person) -> list:
    return [m for m in mail.outbox if person.email in m.to]


def _failing_for(person):
    real_send = EmailBackend.send_messages

    def send_or_fail(backend, messages):
        if any(person.email in m.to for m in messages):
            raise ConnectionRefusedError("mail server down")
        return real_send(backend, messages)

    return mock.patch.object(EmailBackend, "send_messages", send_or_fail)


def test_a_digest_lists_the_new_reminders_in_plain_text_and_html_with_links(world, settings):
    settings.JOINEDUP_SITE_URL = "https://joinedup.example.org/"
    mail.outbox.clear()
    run()
    [email] = _to(world.keyworker)
    assert email.subject.startswith("JoinedUp: 2 reminders")
    [(html, kind)] = email.alternatives
    assert kind == "text/html"
    plan_link = (
        f"https://joinedup.example.org/children/{world.child.reference}/plans/{world.plan.pk}/"
    )
    assert plan_link in email.body and plan_link in str(html)
    assert "https://joinedup.example.org/notifications/preferences/" in email.body
    assert world.child.pseudonym in email.body
    assert names_no_child(email.subject + email.body + str(html))
    digest = Digest.objects.get(recipient=world.keyworker)
    assert digest.frequency == Delivery.DAILY and digest.period_start == world.today
    assert digest.item_count == 2 and digest.sent_at is not None


def test_one_digest_per_day_later_reminders_wait_for_the_next(world):
    mail.outbox.clear()
    run()
    assert len(_to(world.keyworker)) == 1
    # A reminder given later the same day waits for tomorrow's digest.
    remind(
        recipient=world.keyworker,
        reminder="reviews",
        text="Another reminder",
        url="/",
        kind="review_due",
        dedupe_key="later-today",
    )
    run()
    assert len(_to(world.keyworker)) == 1
    run(world.today + timedelta(days=1))
    assert len(_to(world.keyworker)) == 2
    assert "Another reminder" in _to(world.keyworker)[1].body
    assert "Another reminder" not in _to(world.keyworker)[0].body


def test_a_weekly_digest_is_sent_once_a_week(world):
    prefer(world.keyworker, reviews=Delivery.WEEKLY, consents=Delivery.WEEKLY)
    mail.outbox.clear()
    monday = world.today - timedelta(days=world.today.weekday())
    run(monday)
    remind(
        recipient=world.keyworker,
        reminder="reviews",
        text="Midweek reminder",
        url="/",
        kind="review_due",
        dedupe_key="midweek",
    )
    run(monday + timedelta(days=3))
    assert len(_to(world.keyworker)) == 1
    run(monday + timedelta(days=7))
    assert len(_to(world.keyworker)) == 2
    assert Digest.objects.filter(recipient=world.keyworker, frequency="weekly").count() == 2


def test_straight_away_sends_one_email_per_reminder_once(world):
    prefer(world.keyworker, reviews=Delivery.IMMEDIATE, consents=Delivery.IMMEDIATE)
    mail.outbox.clear()
    run()
    run()
    assert len(_to(world.keyworker)) == 2
    assert {m.subject for m in _to(world.keyworker)} == {"JoinedUp: a reminder"}
    assert not Digest.objects.filter(recipient=world.keyworker).exists()


def test_a_mail_server_failure_is_sent_on_the_next_run_and_never_twice(world):
    mail.outbox.clear()
    with _failing_for(world.keyworker):
        out, err = run()
    assert "failed: 1" in out and "ConnectionRefusedError" in err
    assert _to(world.keyworker) == [] and len(_to(world.coordinator)) == 1
    digest = Digest.objects.get(recipient=world.keyworker)
    assert digest.sent_at is None and "mail server down" in digest.last_error
    assert Notification.objects.filter(digest=digest, emailed_at__isnull=True).count() == 2

    run()
    run()
    assert len(_to(world.keyworker)) == 1 and len(_to(world.coordinator)) == 1
    digest.refresh_from_db()
    assert digest.sent_at is not None and digest.attempts == 2 and digest.last_error == ""


def test_a_failed_digest_is_sent_the_next_day_with_that_days_reminders_in_it(world):
    mail.outbox.clear()
    with _failing_for(world.keyworker):
        run()
    world.plan.next_review_on = world.today - timedelta(days=1)
    world.plan.save(update_fields=["next_review_on"])
    run(world.today + timedelta(days=1))
    run(world.today + timedelta(days=1))
    [email] = _to(world.keyworker)
    assert email.body.count("- ") == 3  # yesterday's two and today's overdue review
    assert Digest.objects.filter(recipient=world.keyworker).count() == 1


def test_a_failed_immediate_email_is_sent_on_the_next_run_and_never_twice(world):
    prefer(world.coordinator, referrals=Delivery.IMMEDIATE, consents=Delivery.APP)
    mail.outbox.clear()
    with _failing_for(world.coordinator):
        run()
    notice = Notification.objects.get(recipient=world.coordinator, kind="referral_waiting")
    assert notice.emailed_at is None and "mail server down" in notice.email_error
    run()
    run()
    assert len(_to(world.coordinator)) == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None and notice.email_attempts == 2


def test_a_digest_another_run_is_sending_now_is_not_sent_twice(world):
    """Two runs at once: the one that claimed the period's digest sends it; the other leaves
    it alone, unless the claim has expired (the first run died), when it is sent."""
    claim = Digest.objects.create(
        recipient=world.keyworker,
        frequency=Delivery.DAILY,
        period_start=world.today,
        claimed_until=timezone.now() + timedelta(minutes=5),
        attempts=1,
    )
    mail.outbox.clear()
    run()
    assert _to(world.keyworker) == []
    Digest.objects.filter(pk=claim.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    run()
    run()
    assert len(_to(world.keyworker)) == 1


def test_an_email_another_run_is_sending_now_is_not_sent_twice(world):
    prefer(world.coordinator, referrals=Delivery.IMMEDIATE, consents=Delivery.APP)
    remind_referrals(today=world.today)
    notice = Notification.objects.get(recipient=world.coordinator, kind="referral_waiting")
    Notification.objects.filter(pk=notice.pk).update(
        email_claimed_until=timezone.now() + timedelta(minutes=5)
    )
    mail.outbox.clear()
    emails.send_immediate_emails()
    assert _to(world.coordinator) == []
    Notification.objects.filter(pk=notice.pk).update(
        email_claimed_until=timezone.now() - timedelta(seconds=1)
    )
    emails.send_immediate_emails()
    emails.send_immediate_emails()
    assert len(_to(world.coordinator)) == 1


def test_a_failed_digest_sent_on_a_later_day_lists_each_reminder_once(world):
    """The failed digest is sent first and gathers what is waiting; the later day's digest
    then has nothing to send, so no reminder is in two emails."""
    mail.outbox.clear()
    with _failing_for(world.keyworker):
        run()
    emails.send_digests(today=world.today + timedelta(days=1))
    emails.send_digests(today=world.today + timedelta(days=1))
    [email] = _to(world.keyworker)
    assert email.body.count("- ") == 2
