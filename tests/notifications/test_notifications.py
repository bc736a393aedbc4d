"""In-app notices: given once per key, counted in the header with one query, listed unread
first, read by opening or marking, and never anyone else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.notifications import selectors
from joinedup.notifications.models import Notification
from joinedup.notifications.services import NotificationError, mark_all_read, notify
from tests.conftest import make_person, sign_in_client

pytestmark = pytest.mark.django_db


def _notice(
    user, key: str = "k1", url: str = "/actions/", text: str = "A new action"
) -> Notification:
    return notify(recipient=user, text=text, url=url, kind="test", dedupe_key=key)


def test_the_same_notice_is_given_once_however_often_it_is_sent(keyworker):
    first = _notice(keyworker)
    assert first is not None
    assert _notice(keyworker) is None
    assert Notification.objects.filter(recipient=keyworker).count() == 1
    other = make_person(Role.REFERRER)
    assert _notice(other) is not None  # the key is per person


def test_a_closed_account_is_given_no_notice(keyworker):
    keyworker.is_active = False
    keyworker.save()
    assert _notice(keyworker) is None
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("url", {"url": "https://elsewhere.example.org/"}),
        ("url", {"url": "//elsewhere.example.org/"}),
        ("text", {"text": "   "}),
        ("dedupe_key", {"key": " "}),
    ],
)
def test_bad_notices_are_refused(keyworker, field, kwargs):
    with pytest.raises(NotificationError) as refusal:
        _notice(keyworker, **kwargs)
    assert refusal.value.field == field
    assert not Notification.objects.exists()


def test_a_long_text_is_shortened_not_refused(keyworker):
    assert len(_notice(keyworker, text="word " * 200).text) == 300


def test_the_header_counts_unread_notices_with_one_query(client, keyworker):
    client = sign_in_client(client, keyworker)
    url = reverse("organisations:organisation_list")
    with CaptureQueriesContext(connection) as none_yet:
        assert "app-header__count" not in client.get(url).content.decode()
    for key in range(3):
        _notice(keyworker, key=f"k{key}")
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert 'app-header__count">3<' in page
    assert len(three) == len(none_yet)
    counting = [
        q["sql"] for q in three.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(counting) == 1


def test_signed_out_pages_do_not_count(client):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:login"))
    assert not [q for q in queries.captured_queries if "notifications_" in q["sql"]]


def test_the_list_shows_unread_first_and_marks_one_or_all_read(client, keyworker):
    old = _notice(keyworker, key="old", text="Old notice")
    _notice(keyworker, key="new", text="New notice")
    mark_all_read(actor=keyworker)
    fresh = _notice(keyworker, key="fresh", text="Fresh notice")
    other = _notice(keyworker, key="other", text="Other notice")
    client = sign_in_client(client, keyworker)

    response = client.get(reverse("notifications:notification_list"))
    assert [n.pk for n in response.context["notices"]][:2] == [other.pk, fresh.pk]
    assert "Mark all as read" in response.content.decode()

    client.post(reverse("notifications:mark_read", args=[fresh.pk]))
    fresh.refresh_from_db()
    assert fresh.read_at is not None
    client.post(reverse("notifications:mark_all_read"))
    assert selectors.unread_count(viewer=keyworker) == 0
    old.refresh_from_db()
    assert old.read_at is not None


def test_opening_a_notice_marks_it_read_and_goes_where_it_points(client, keyworker):
    notice = _notice(keyworker, url="/actions/")
    client = sign_in_client(client, keyworker)
    response = client.get(reverse("notifications:notification_open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/actions/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_someone_elses_notice_answers_404_and_stays_unread(client, keyworker):
    notice = _notice(keyworker)
    client = sign_in_client(client, make_person(Role.REFERRER))
    assert (
        client.get(reverse("notifications:notification_open", args=[notice.pk])).status_code == 404
    )
    assert client.post(reverse("notifications:mark_read", args=[notice.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_is_get_proof(client, keyworker):
    notice = _notice(keyworker)
    client = sign_in_client(client, keyworker)
    assert client.get(reverse("notifications:mark_read", args=[notice.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_list_takes_the_same_queries_for_few_notices_or_many(client, keyworker):
    client = sign_in_client(client, keyworker)
    _notice(keyworker, key="one")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:notification_list"))
    for key in range(20):
        _notice(keyworker, key=f"many{key}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications:notification_list"))
    assert len(many) == len(few)
