"""`manage.py send_reminders`: every source of reminders (plan reviews, consent ending,
referrals waiting, actions), each reminder given once however often the job runs, to the right
people, never naming a child, and nothing to a closed account."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from joinedup.accounts.services import user_deactivate
from joinedup.actions.models import Chase
from joinedup.consent.models import ConsentRecord
from joinedup.notifications.models import Delivery, Notification
from joinedup.notifications.reminders import remind_consents, remind_reviews
from joinedup.panels.models import AgendaItem
from joinedup.panels.pipeline import cases_refresh
from joinedup.plans.models import Plan
from tests.factories import ConsentRecordFactory, MeetingFactory
from tests.notifications.world import names_no_child, prefer, reminders_world, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return reminders_world()


def _kinds(user) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=user)
        .exclude(kind="action_assigned")
        .values_list("kind", flat=True)
    )


def test_running_twice_gives_each_reminder_once_and_sends_each_email_once(world):
    mail.outbox.clear()
    first, _ = run()
    notices = Notification.objects.count()
    emails = [(m.to, m.subject) for m in mail.outbox]
    second, _ = run()

    assert Notification.objects.count() == notices
    assert [(m.to, m.subject) for m in mail.outbox] == emails
    # The sergeant's action by email at once (the default for actions); the keyworker and the
    # coordinator one daily digest each (the default for the others).
    assert sorted(to[0] for to, _ in emails) == sorted(
        [world.sergeant.email, world.keyworker.email, world.coordinator.email]
    )
    assert "digests: 2 sent" in first and "digests: 0 sent" in second
    assert "0 new notices" in second and "1 new notices" in first


def test_each_reminder_goes_to_the_people_it_concerns(world):
    run()
    assert _kinds(world.keyworker) == ["consent_expiring", "review_due"]
    assert _kinds(world.coordinator) == ["consent_expiring", "referral_waiting"]
    assert _kinds(world.sergeant) == ["action_overdue"]
    review = Notification.objects.get(recipient=world.keyworker, kind="review_due")
    assert review.url == f"/children/{world.child.reference}/plans/{world.plan.pk}/"
    waiting = Notification.objects.get(recipient=world.coordinator, kind="referral_waiting")
    assert waiting.url == f"/referrals/inbox/{world.referral.pk}/"
    assert "waited 9 days" in waiting.text


def test_texts_name_children_by_pseudonym_and_reference_only(world):
    mail.outbox.clear()
    run()
    for notice in Notification.objects.all():
        assert names_no_child(notice.text), notice.text
    assert mail.outbox
    for email in mail.outbox:
        html = "".join(str(content) for content, _ in getattr(email, "alternatives", []))
        assert names_no_child(email.subject + email.body + html)
    body = "".join(m.body for m in mail.outbox)
    assert world.child.pseudonym in body and world.child.reference in body
    assert world.waiting_child.pseudonym in body


def test_a_closed_account_gets_nothing(world, admin_user):
    for person in (world.keyworker, world.coordinator, world.sergeant):
        user_deactivate(actor=admin_user, user=person)
    mail.outbox.clear()
    run()
    run()
    assert mail.outbox == []
    for person in (world.keyworker, world.coordinator, world.sergeant):
        assert _kinds(person) == []


def test_a_notice_waiting_for_its_email_is_not_sent_once_the_account_is_closed(world, admin_user):
    prefer(world.keyworker, reviews=Delivery.IMMEDIATE, consents=Delivery.WEEKLY)
    remind_reviews(today=world.today)
    remind_consents(today=world.today)
    user_deactivate(actor=admin_user, user=world.keyworker)
    mail.outbox.clear()
    run()
    assert [m for m in mail.outbox if world.keyworker.email in m.to] == []


def test_an_overdue_review_is_reminded_again_every_seven_days_and_not_in_between(world):
    Plan.objects.filter(pk=world.plan.pk).update(next_review_on=world.today - timedelta(days=1))
    run()
    run(world.today + timedelta(days=6))
    assert _kinds(world.keyworker).count("review_overdue") == 1
    run(world.today + timedelta(days=7))
    run(world.today + timedelta(days=8))
    assert _kinds(world.keyworker).count("review_overdue") == 2
    latest = Notification.objects.filter(recipient=world.keyworker, kind="review_overdue").first()
    assert "(8 days ago)" in latest.text


def test_a_new_review_date_starts_again_and_a_closed_plan_is_not_reminded(world):
    run()
    Plan.objects.filter(pk=world.plan.pk).update(next_review_on=world.today + timedelta(days=10))
    run()
    assert _kinds(world.keyworker).count("review_due") == 2
    Plan.objects.filter(pk=world.plan.pk).update(
        status="closed", closed_on=world.today, outcome="goals_met"
    )
    run(world.today + timedelta(days=30))
    assert _kinds(world.keyworker).count("review_overdue") == 0


def test_a_review_far_off_is_not_reminded_yet(world, settings):
    settings.JOINEDUP_REVIEW_REMINDER_DAYS = 2
    run()
    assert "review_due" not in _kinds(world.keyworker)
    run(world.today + timedelta(days=1))
    assert "review_due" in _kinds(world.keyworker)


def test_consent_is_reminded_at_thirty_and_at_seven_days_left_and_not_once_renewed(world):
    run()
    run(world.today + timedelta(days=5))
    assert _kinds(world.coordinator).count("consent_expiring") == 1
    run(world.today + timedelta(days=13))
    assert _kinds(world.coordinator).count("consent_expiring") == 2
    assert _kinds(world.keyworker).count("consent_expiring") == 2

    # Renewed: the new consent lasts a year, so nothing is coming to an end any more.
    record = ConsentRecord.objects.get(child=world.child)
    ConsentRecordFactory(
        child=world.child,
        household_member=record.household_member,
        given_on=world.today,
        expires_on=world.today + timedelta(days=365),
    )
    Notification.objects.filter(kind="consent_expiring").delete()
    run(world.today + timedelta(days=14))
    assert _kinds(world.coordinator).count("consent_expiring") == 0


def test_withdrawn_consent_is_not_reminded(world):
    ConsentRecord.objects.filter(child=world.child).update(
        withdrawn_on=world.today, withdrawal_recorded_at=timezone.now()
    )
    run()
    assert "consent_expiring" not in _kinds(world.coordinator)


def test_a_referral_on_an_agenda_is_no_longer_waiting(world):
    meeting = MeetingFactory(panel=world.panel)
    AgendaItem.objects.create(meeting=meeting, child=world.waiting_child, referral=world.referral)
    # Written by hand: the case's stage is worked out again, as agenda_add does.
    cases_refresh(world.waiting_child)
    run()
    assert "referral_waiting" not in _kinds(world.coordinator)


def test_a_waiting_referral_is_reminded_after_n_days_then_weekly(world, settings):
    settings.JOINEDUP_REFERRAL_WAITING_DAYS = 10
    run()
    assert "referral_waiting" not in _kinds(world.coordinator)
    run(world.today + timedelta(days=1))
    run(world.today + timedelta(days=7))
    assert _kinds(world.coordinator).count("referral_waiting") == 1
    run(world.today + timedelta(days=8))
    assert _kinds(world.coordinator).count("referral_waiting") == 2


def test_the_action_chase_runs_in_the_job_and_chase_actions_still_works(world):
    mail.outbox.clear()
    call_command("chase_actions", stdout=StringIO())
    run()
    assert Chase.objects.filter(action=world.action).count() == 1
    assert [m.to for m in mail.outbox if "action" in m.subject] == [[world.sergeant.email]]
    assert _kinds(world.sergeant) == ["action_overdue"]


def test_a_bad_date_is_refused_with_the_format(world):
    with pytest.raises(CommandError, match="real date"):
        call_command("send_reminders", "--today=2027-02-30")


def test_the_summary_says_what_was_done(world):
    out, err = run()
    assert "plan reviews: 1 due or overdue, 1 new notices" in out
    assert "referrals waiting: 1 waiting, 1 new notices" in out
    assert "failed: 0" in out and err == ""
