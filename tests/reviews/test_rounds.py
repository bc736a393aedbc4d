"""Rounds of partnership reviews: who sets them up, who answers, once, only while open."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry
from joinedup.core.roles import Role
from joinedup.partnerships.models import MemberRole
from joinedup.reviews import selectors, services
from joinedup.reviews.models import Participation, ReviewKind, ReviewRound
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
    ReviewRoundFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _member(partnership, role=MemberRole.MEMBER, user_role=Role.KEYWORKER):
    user = make_person(user_role)
    seat = PartnershipMemberFactory(
        partnership=partnership, person=PersonFactory(user=user), role=role
    )
    seat.person.organisation = seat.organisation
    seat.person.save()
    return user, seat


def _open(actor, partnership, **changes):
    values = {
        "kind": ReviewKind.HEALTH,
        "title": "Spring health check",
        "opens_on": TODAY(),
        "closes_on": TODAY() + timedelta(days=21),
    }
    values.update(changes)
    return services.round_open(actor=actor, partnership=partnership, **values)


def test_the_chair_sets_up_a_round_and_it_is_audited(db):
    partnership = PartnershipFactory()
    chair, _ = _member(partnership, role=MemberRole.CHAIR)
    review_round = _open(chair, partnership)
    assert review_round.is_open(TODAY())
    assert AuditEntry.objects.filter(target_id=str(review_round.pk), verb="create").exists()


def test_a_member_who_is_not_the_chair_cannot_set_up_a_round(db):
    partnership = PartnershipFactory()
    member, _ = _member(partnership)
    with pytest.raises(PermissionDenied):
        _open(member, partnership)
    assert not ReviewRound.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"title": "   "}, "title"),
        ({"opens_on": None}, "opens_on"),
        ({"closes_on": None}, "closes_on"),
        (
            {"closes_on": TODAY() - timedelta(days=1), "opens_on": TODAY() - timedelta(days=9)},
            "closes_on",
        ),
        (
            {"opens_on": TODAY() + timedelta(days=5), "closes_on": TODAY() + timedelta(days=4)},
            "closes_on",
        ),
        ({"closes_on": TODAY() + timedelta(days=400)}, "closes_on"),
    ],
)
def test_bad_rounds_are_refused_naming_the_field(db, strategic_manager, changes, field):
    with pytest.raises(services.ReviewError) as error:
        _open(strategic_manager, PartnershipFactory(), **changes)
    assert error.value.field == field
    assert not ReviewRound.objects.exists()


def test_two_rounds_of_one_review_cannot_run_over_the_same_dates(db, strategic_manager):
    partnership = PartnershipFactory()
    _open(strategic_manager, partnership)
    with pytest.raises(services.ReviewError) as error:
        _open(strategic_manager, partnership, opens_on=TODAY() + timedelta(days=7))
    assert error.value.field == "opens_on"
    # The other review, or the same one after the first closes, is fine.
    _open(strategic_manager, partnership, kind=ReviewKind.RELATIONSHIPS)
    later = TODAY() + timedelta(days=22)
    _open(strategic_manager, partnership, opens_on=later, closes_on=later + timedelta(days=7))
    assert ReviewRound.objects.count() == 3


def _save_nothing(seat):
    return seat


def test_a_member_answers_once_while_the_round_is_open(db):
    review_round = ReviewRoundFactory()
    user, seat = _member(review_round.partnership)
    assert (
        services.answer_round(actor=user, review_round=review_round, save_answers=_save_nothing)
        == seat
    )
    with pytest.raises(services.ReviewError, match="already answered"):
        services.answer_round(actor=user, review_round=review_round, save_answers=_save_nothing)
    assert Participation.objects.filter(round=review_round).count() == 1


def test_answers_and_the_record_of_answering_are_saved_together_or_not_at_all(db):
    review_round = ReviewRoundFactory()
    user, _ = _member(review_round.partnership)

    def broken(seat):
        raise services.ReviewError("Rate every statement", field="statement_1")

    with pytest.raises(services.ReviewError):
        services.answer_round(actor=user, review_round=review_round, save_answers=broken)
    assert not Participation.objects.exists()
    services.answer_round(actor=user, review_round=review_round, save_answers=_save_nothing)
    assert Participation.objects.count() == 1


def test_only_current_members_answer(db):
    review_round = ReviewRoundFactory()
    outsider = make_person(Role.KEYWORKER)
    with pytest.raises(PermissionDenied):
        services.answer_round(actor=outsider, review_round=review_round, save_answers=_save_nothing)
    user, seat = _member(review_round.partnership)
    seat.left_on = TODAY()
    seat.save()
    with pytest.raises(PermissionDenied):
        services.answer_round(actor=user, review_round=review_round, save_answers=_save_nothing)


def test_no_answers_before_a_round_opens_or_after_it_closes(db, strategic_manager):
    later = ReviewRoundFactory(
        opens_on=TODAY() + timedelta(days=2), closes_on=TODAY() + timedelta(days=9)
    )
    user, _ = _member(later.partnership)
    with pytest.raises(services.ReviewError, match="not opened"):
        services.answer_round(actor=user, review_round=later, save_answers=_save_nothing)
    now = ReviewRoundFactory(partnership=later.partnership, kind=ReviewKind.RELATIONSHIPS)
    services.round_close(actor=strategic_manager, review_round=now)
    with pytest.raises(services.ReviewError, match="closed"):
        services.answer_round(actor=user, review_round=now, save_answers=_save_nothing)
    # Reopening is the undo of closing, while the closing date has not passed.
    services.round_reopen(actor=strategic_manager, review_round=now)
    services.answer_round(actor=user, review_round=now, save_answers=_save_nothing)


def test_a_round_past_its_closing_date_cannot_be_reopened(db, strategic_manager):
    review_round = ReviewRoundFactory(
        opens_on=TODAY() - timedelta(days=30), closes_on=TODAY() - timedelta(days=2)
    )
    services.round_close(actor=strategic_manager, review_round=review_round)
    with pytest.raises(services.ReviewError) as error:
        services.round_reopen(actor=strategic_manager, review_round=review_round)
    assert error.value.field == "closes_on"


def test_the_round_page_shows_how_many_answered_never_who(db, client):
    review_round = ReviewRoundFactory(title="Autumn check")
    answered, _ = _member(review_round.partnership)
    waiting, _ = _member(review_round.partnership)
    services.answer_round(actor=answered, review_round=review_round, save_answers=_save_nothing)
    sign_in_client(client, waiting)
    page = client.get(reverse("reviews:round_detail", kwargs={"round_id": review_round.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 of the 2 people" in text
    assert html.escape(answered.full_name) not in text
    assert answered.email not in text


def test_people_outside_the_partnership_are_told_the_round_does_not_exist(db, client):
    review_round = ReviewRoundFactory()
    sign_in_client(client, make_person(Role.KEYWORKER))
    url = reverse("reviews:round_detail", kwargs={"round_id": review_round.pk})
    assert client.get(url).status_code == 404


def test_my_rounds_lists_rounds_waiting_for_me_first(db, client):
    partnership = PartnershipFactory(name="Lawrence Weston forum")
    user, _ = _member(partnership)
    done = ReviewRoundFactory(partnership=partnership, title="Done already")
    services.answer_round(actor=user, review_round=done, save_answers=_save_nothing)
    ReviewRoundFactory(
        partnership=partnership, title="Waiting for you", kind=ReviewKind.RELATIONSHIPS
    )
    ReviewRoundFactory(title="Someone else's round")
    sign_in_client(client, user)
    text = client.get(reverse("reviews:my_rounds")).content.decode()
    assert text.index("Waiting for you") < text.index("Done already")
    assert "Someone else&#x27;s round" not in text and "Someone else's round" not in text


def test_my_rounds_says_so_when_there_are_none(db, client):
    sign_in_client(client, make_person(Role.KEYWORKER))
    text = client.get(reverse("reviews:my_rounds")).content.decode()
    assert "No rounds are waiting for your answers." in text
    assert "Your partnerships have run no other rounds yet." in text


def test_a_keeper_sets_up_closes_and_reopens_a_round_in_the_browser_forms(db, client):
    partnership = PartnershipFactory()
    sign_in_client(client, make_person(Role.STRATEGIC_MANAGER))
    opens, closes = TODAY(), TODAY() + timedelta(days=14)
    response = client.post(
        reverse("reviews:round_open", kwargs={"slug": partnership.slug}),
        {
            "kind": "relationships",
            "title": "Who works with whom, 2027",
            **{f"opens_on_{k}": getattr(opens, k) for k in ("day", "month", "year")},
            **{f"closes_on_{k}": getattr(closes, k) for k in ("day", "month", "year")},
        },
    )
    review_round = ReviewRound.objects.get()
    assert response["Location"] == reverse(
        "reviews:round_detail", kwargs={"round_id": review_round.pk}
    )
    client.post(reverse("reviews:round_close", kwargs={"round_id": review_round.pk}))
    review_round.refresh_from_db()
    assert review_round.closed_at is not None
    client.post(reverse("reviews:round_reopen", kwargs={"round_id": review_round.pk}))
    review_round.refresh_from_db()
    assert review_round.closed_at is None


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_rounds_pages_cost_the_same_however_many_rounds(
    db, client, django_assert_max_num_queries, rounds
):
    partnership = PartnershipFactory()
    user, _ = _member(partnership)
    for _ in range(rounds):
        ReviewRoundFactory(partnership=partnership)
    sign_in_client(client, user)
    with django_assert_max_num_queries(14):
        client.get(reverse("reviews:partnership_rounds", kwargs={"slug": partnership.slug}))
    with django_assert_max_num_queries(14):
        client.get(reverse("reviews:my_rounds"))
    assert len(selectors.rounds_for_member(viewer=user)) == rounds


def test_a_round_whose_results_were_shown_cannot_be_reopened(db, strategic_manager):
    review_round = ReviewRoundFactory()
    for _ in range(3):
        user, _ = _member(review_round.partnership)
        services.answer_round(actor=user, review_round=review_round, save_answers=_save_nothing)
    services.round_close(actor=strategic_manager, review_round=review_round)
    with pytest.raises(services.ReviewError) as error:
        services.round_reopen(actor=strategic_manager, review_round=review_round)
    assert error.value.field == "closed_at"
    review_round.refresh_from_db()
    assert review_round.closed_at is not None
