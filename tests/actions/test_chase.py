"""The chase: `manage.py chase_actions` reminds owners of actions due today or overdue, once per
stage, however often it runs; a failed email is tried again next run and stops nothing else."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from joinedup.actions import services
from joinedup.actions.models import Action, ActionStatus, Chase
from joinedup.notifications.models import Notification
from tests.actions.world import panel_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return panel_world()


def _run(today=None) -> str:
    out = StringIO()
    args = ["chase_actions"] + ([f"--today={today.isoformat()}"] if today else [])
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _due(world, days_from_today: int, **fields) -> Action:
    action = world.create(due_on=timezone.localdate(), **fields)
    Action.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() + timedelta(days=days_from_today)
    )
    action.refresh_from_db()
    return action


def test_running_twice_sends_one_email_and_one_notice(world):
    action = _due(world, 0)
    mail.outbox.clear()

    first = _run()
    second = _run()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.sergeant.email]
    assert "1 emails sent" in first and "0 emails sent" in second
    assert Chase.objects.filter(action=action).count() == 1
    assert Notification.objects.filter(recipient=world.sergeant, kind="action_due").count() == 1


def test_the_email_and_notice_name_the_child_by_reference_and_pseudonym_and_link_to_the_action(
    world,
):
    action = _due(world, -3, title="Visit the family at home")
    mail.outbox.clear()
    _run()
    email = mail.outbox[0]
    notice = Notification.objects.get(recipient=world.sergeant, kind="action_overdue")
    for text in (email.subject + email.body, notice.text):
        assert world.child.reference in text or "overdue" in text
        assert "Zebedee" not in text and "Quixwort" not in text
        assert "Visit the family at home" not in text
    assert world.child.pseudonym in email.body and world.child.reference in email.body
    assert f"/actions/{action.pk}/" in email.body
    assert "3 days ago" in notice.text


def test_overdue_actions_are_chased_again_every_seven_days_and_not_in_between(world):
    action = _due(world, 0)
    today = timezone.localdate()
    mail.outbox.clear()
    for day in range(15):
        _run(today + timedelta(days=day))
    # On the due date, then 7 and 14 days overdue.
    assert len(mail.outbox) == 3
    assert sorted(Chase.objects.filter(action=action).values_list("stage", flat=True)) == [0, 1, 2]


def test_a_new_due_date_starts_the_chase_again(world):
    action = _due(world, 0)
    _run()
    services.action_change_due_date(
        actor=world.sergeant,
        action=action,
        revision=action.revision,
        due_on=timezone.localdate() + timedelta(days=2),
        reason="Waiting for the school",
    )
    mail.outbox.clear()
    _run()
    assert mail.outbox == []
    _run(timezone.localdate() + timedelta(days=2))
    assert len(mail.outbox) == 1


def test_actions_not_yet_due_done_or_cancelled_are_not_chased(world):
    _due(world, 1)
    done = _due(world, -1)
    services.action_complete(actor=world.sergeant, action=done, revision=done.revision, outcome="x")
    cancelled = _due(world, -8)
    services.action_cancel(
        actor=world.chair, action=cancelled, revision=cancelled.revision, reason="Not needed"
    )
    mail.outbox.clear()
    _run()
    assert mail.outbox == []
    assert not Chase.objects.exists()


def test_a_failed_email_stops_no_other_and_is_sent_on_the_next_run(world):
    failing = _due(world, -1)
    other = _due(world, -2, owner=world.teacher, organisation=world.school)
    mail.outbox.clear()
    real_send = EmailBackend.send_messages

    def send_or_fail(backend, messages):
        if any(world.sergeant.email in m.to for m in messages):
            raise ConnectionRefusedError("mail server down")
        return real_send(backend, messages)

    with mock.patch.object(EmailBackend, "send_messages", send_or_fail):
        out = _run()
    assert "1 failed" in out
    assert [m.to for m in mail.outbox] == [[world.teacher.email]]
    chase = Chase.objects.get(action=failing)
    assert chase.emailed_at is None and "mail server down" in chase.last_error
    assert chase.notified_at is not None  # the in-app notice went anyway
    assert Chase.objects.get(action=other).emailed_at is not None

    _run()
    assert [m.to for m in mail.outbox] == [[world.teacher.email], [world.sergeant.email]]
    assert Chase.objects.get(action=failing).attempts == 2
    _run()
    assert len(mail.outbox) == 2


def test_an_owner_without_an_email_address_still_gets_the_notice(world):
    world.teacher.email = ""
    world.teacher.save()
    action = _due(world, 0, owner=world.teacher, organisation=world.school)
    mail.outbox.clear()
    out = _run()
    _run()
    assert mail.outbox == []
    assert "1 owners without email" in out
    assert Notification.objects.filter(recipient=world.teacher, kind="action_due").count() == 1
    assert Chase.objects.get(action=action).no_email


def test_an_email_another_run_is_sending_now_is_not_sent_twice(world):
    """Two runs at once: the one that claimed the stage sends; the other leaves it alone,
    unless the claim has expired (the first run died), when it is sent."""
    action = _due(world, 0)
    chase = Chase.objects.create(
        action=action,
        due_on=action.due_on,
        stage=0,
        notified_at=timezone.now(),
        claimed_until=timezone.now() + timedelta(minutes=5),
        attempts=1,
    )
    mail.outbox.clear()
    _run()
    assert mail.outbox == []
    Chase.objects.filter(pk=chase.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    _run()
    assert len(mail.outbox) == 1


def test_one_actions_broken_data_does_not_stop_the_chase_of_others(world):
    broken = _due(world, -1)
    fine = _due(world, -1, owner=world.teacher, organisation=world.school)
    mail.outbox.clear()
    real_notify = services.notify

    def notify_or_fail(**kwargs):
        if kwargs["recipient"] == world.sergeant:
            raise RuntimeError("unexpected")
        return real_notify(**kwargs)

    with mock.patch.object(services, "notify", notify_or_fail):
        result = services.chase_due_actions()
    assert result.failed == 1 and result.emailed == 1
    assert [m.to for m in mail.outbox] == [[world.teacher.email]]
    assert Chase.objects.get(action=fine).emailed_at is not None
    assert broken.status == ActionStatus.OPEN
    # The broken one is tried again, in full, on the next run.
    services.chase_due_actions()
    assert len(mail.outbox) == 2
