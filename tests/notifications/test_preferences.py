"""Each person chooses how to hear of each kind of reminder; the job respects the choice, and
the reminders kept for the child's sake cannot be turned off."""

import pytest
from django.core import mail
from django.urls import reverse

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.notifications import preferences
from joinedup.notifications.models import Delivery, Notification, NotificationPreference
from joinedup.notifications.services import NotificationError, preferences_save
from tests.notifications.world import prefer, reminders_world, run

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")
ALL_DAILY = {
    "reviews": "daily",
    "consents": "daily",
    "actions": "daily",
    "referrals": "daily",
    "directory": "daily",
}


@pytest.fixture
def world():
    return reminders_world()


def test_the_page_shows_each_kind_with_its_current_choice_and_why_some_stay(keyworker, sign_in):
    client = sign_in(keyworker)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Reminders and emails" in content
    form = response.context["form"]
    assert form.initial == preferences.DEFAULTS
    # "Not at all" is offered for consent only; the others say why they always appear.
    assert [value for value, _ in form.fields["consents"].choices][-1] == Delivery.OFF
    for kind in ("reviews", "actions", "referrals"):
        assert Delivery.OFF not in dict(form.fields[kind].choices)
        assert "Always shown in JoinedUp" in form.fields[kind].help_text
    # Consent, and directory entries to check (about services, not children).
    assert 'value="off"' in content and content.count('value="off"') == 2


def test_saving_choices_keeps_them_and_audits_the_change(keyworker, sign_in):
    client = sign_in(keyworker)
    answers = {**ALL_DAILY, "reviews": "immediate", "consents": "off"}
    response = client.post(URL, answers, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Your choices for reminders are saved." in response.content.decode()
    assert preferences.deliveries_for(keyworker) == answers
    entry = AuditEntry.objects.filter(actor=keyworker, verb=AuditVerb.UPDATE).latest("at")
    assert "notification_preferences.reviews" in entry.fields
    # Saving the same again changes nothing and audits nothing more.
    before = AuditEntry.objects.count()
    client.post(URL, answers)
    assert AuditEntry.objects.count() == before


def test_turning_off_a_reminder_kept_for_the_child_is_refused_naming_it(keyworker, sign_in):
    client = sign_in(keyworker)
    response = client.post(URL, {**ALL_DAILY, "referrals": "off"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Referrals waiting for the panel always appear in JoinedUp" in content
    assert 'href="#id_referrals_0"' in content
    assert not NotificationPreference.objects.filter(user=keyworker).exists()


def test_the_service_refuses_it_too(keyworker):
    with pytest.raises(NotificationError) as refused:
        preferences_save(actor=keyworker, choices={"reviews": "off"})
    assert refused.value.field == "reviews"
    with pytest.raises(NotificationError):
        preferences_save(actor=keyworker, choices={"reviews": "hourly"})
    assert not NotificationPreference.objects.filter(user=keyworker).exists()


def test_one_persons_choice_is_theirs_alone(world):
    preferences_save(actor=world.coordinator, choices={"consents": "off"})
    run()
    assert not Notification.objects.filter(recipient=world.coordinator, kind="consent_expiring")
    assert Notification.objects.filter(recipient=world.keyworker, kind="consent_expiring")


def test_in_joinedup_only_gives_the_notice_and_no_email(world):
    prefer(world.keyworker, reviews=Delivery.APP, consents=Delivery.APP)
    prefer(world.sergeant, actions=Delivery.APP)
    mail.outbox.clear()
    run()
    run()
    emailed = {to for m in mail.outbox for to in m.to}
    assert world.keyworker.email not in emailed and world.sergeant.email not in emailed
    assert Notification.objects.filter(recipient=world.keyworker, kind="review_due").exists()
    assert Notification.objects.filter(recipient=world.sergeant, kind="action_overdue").exists()


def test_an_action_owner_who_chose_a_digest_gets_the_action_in_it_not_on_its_own(world):
    prefer(world.sergeant, actions=Delivery.DAILY)
    mail.outbox.clear()
    run()
    run()
    [email] = [m for m in mail.outbox if world.sergeant.email in m.to]
    assert email.subject.startswith("JoinedUp: 1 reminder ")
    assert "An action of yours was due" in email.body
    # Choosing "straight away" afterwards does not send the same stage again.
    prefer(world.sergeant, actions=Delivery.IMMEDIATE)
    run()
    assert len([m for m in mail.outbox if world.sergeant.email in m.to]) == 1


def test_the_page_is_linked_from_the_notices_and_the_account_page(keyworker, sign_in):
    client = sign_in(keyworker)
    for page in ("notifications:notification_list", "accounts:my_account"):
        assert f'href="{URL}"' in client.get(reverse(page)).content.decode(), page
