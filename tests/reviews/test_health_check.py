"""The partnership health check: the figures on hand-worked examples, and that nobody's
answers can be seen or worked out."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry
from joinedup.core.roles import Role
from joinedup.reviews import health, health_selectors, health_services, services
from joinedup.reviews.models import (
    HealthRating,
    HealthReflection,
    HealthSheet,
    Participation,
    ReviewKind,
)
from tests.conftest import make_person, sign_in_client
from tests.factories import PartnershipMemberFactory, PersonFactory, ReviewRoundFactory

TODAY = timezone.localdate
KEYS = health.statement_keys(health.CURRENT_VERSION)


def _sheet(**ratings):
    """Every statement rated 3 unless named."""
    return {key: ratings.get(key, 3) for key in KEYS}


# --------------------------------------------------------------------------- the arithmetic

# Four people; by hand:
#   need_1: 2 4 4 5 -> mean 3.75, sd sqrt(4.75 / 4) = 1.090 (views differ)
#   need_2: 3 3 - 4 -> mean 3.333, sd sqrt(6 / 27) = 0.471, one "don't know"
#   need_3: - - 5 1 -> two ratings: not shown, and left out of the principle
#   need_4: 4 4 4 4 -> mean 4, sd 0
#   the principle, from need_1, need_2 and need_4: members' scores 3, 11/3, 4, 13/3
#   -> mean 15/4 = 3.75, sd sqrt(0.972222 / 4) = 0.493; ratings 2:1 3:2 4:7 5:1.
HAND_WORKED = [
    _sheet(need_1=2, need_2=3, need_3=None, need_4=4),
    _sheet(need_1=4, need_2=3, need_3=None, need_4=4),
    _sheet(need_1=4, need_2=None, need_3=5, need_4=4),
    _sheet(need_1=5, need_2=4, need_3=1, need_4=4),
]


def test_statement_and_principle_figures_match_the_hand_worked_example():
    results = health.score(HAND_WORKED, version=1, minimum=3)
    assert results.shown and results.respondents == 4
    need = results.by_key()["need"]
    first, second, third, fourth = need.statements

    assert first.figures.mean == pytest.approx(3.75)
    assert first.figures.sd == pytest.approx(1.0897, abs=1e-4)
    assert first.figures.disagree
    assert [bar.count for bar in first.figures.counts] == [0, 1, 0, 2, 1]
    assert [bar.tenths for bar in first.figures.counts] == [0, 5, 0, 10, 5]

    assert second.figures.mean == pytest.approx(10 / 3)
    assert second.figures.sd == pytest.approx(0.4714, abs=1e-4)
    assert (second.figures.answers, second.figures.dont_know) == (3, 1)
    assert not second.figures.disagree

    assert not third.figures.shown
    assert third.figures.mean is None and third.figures.counts == ()
    assert "Not enough answers to show: 2 answers" in third.figures.why

    assert (fourth.figures.mean, fourth.figures.sd) == (4.0, 0.0)

    assert need.figures.mean == pytest.approx(3.75)
    assert need.figures.sd == pytest.approx(0.4930, abs=1e-4)
    assert need.figures.answers == 4
    assert need.figures.dont_know == 1
    assert [bar.count for bar in need.figures.counts] == [0, 1, 2, 7, 1]
    assert (need.left_out, need.disagreements) == (1, 1)


def test_with_fewer_people_than_the_minimum_nothing_per_statement_is_shown():
    results = health.score(HAND_WORKED[:2], version=1, minimum=3)
    assert not results.shown
    assert results.principles == ()
    assert "2 people have answered" in results.why


def test_change_since_the_previous_round_is_per_principle_and_suppressed_where_either_is():
    earlier = health.score(
        [_sheet(), _sheet(), _sheet(need_1=None, need_2=None)], version=1, minimum=3
    )
    later = health.score(
        [_sheet(trust_1=5), _sheet(trust_1=5), _sheet(trust_1=5)], version=1, minimum=3
    )
    changes = health.compared(later, earlier).by_key()
    # trust: 3 3 3 3 -> each member 3.0 before; 5 3 3 3 -> 3.5 after.
    assert changes["trust"].change == pytest.approx(0.5)
    assert changes["trust"].change_text == "Up 0.5"
    assert changes["purpose"].change_text == "No change"
    # need_1 and need_2 had two ratings before: left out, but the principle still shows.
    assert changes["need"].change == pytest.approx(0.0)
    too_few = health.score(HAND_WORKED[:2], version=1, minimum=3)
    assert all(p.change is None for p in health.compared(later, too_few).principles)


def test_every_version_keeps_four_statements_for_each_of_the_six_principles():
    for version in health.VERSIONS:
        found = health.principles(version)
        assert [p.key for p in found] == [
            "need",
            "purpose",
            "commitment",
            "trust",
            "arrangements",
            "learning",
        ]
        assert all(3 <= len(p.statements) <= 4 for p in found)
        assert len(set(health.statement_keys(version))) == len(health.statement_keys(version))


# --------------------------------------------------------------------------- storing answers


def _member(partnership, role=Role.KEYWORKER):
    user = make_person(role)
    PartnershipMemberFactory(partnership=partnership, person=PersonFactory(user=user))
    return user


def _answer(review_round, user=None, ratings=None, **reflections):
    user = user or _member(review_round.partnership)
    health_services.health_answer(
        actor=user,
        review_round=review_round,
        ratings=ratings or _sheet(),
        **reflections,
    )
    return user


def _close(review_round):
    review_round.closed_at = timezone.now()
    review_round.save()


@pytest.mark.django_db
def test_an_answer_is_stored_with_no_person_no_participation_and_no_time():
    review_round = ReviewRoundFactory()
    user = _answer(review_round, hopes="Joint bids", fears="Corridor decisions")
    assert Participation.objects.filter(round=review_round, person__user=user).count() == 1
    sheet = HealthSheet.objects.get()
    assert {f.name for f in HealthSheet._meta.concrete_fields} == {"id", "round", "version"}
    assert {f.name for f in HealthRating._meta.concrete_fields} == {
        "id",
        "sheet",
        "statement",
        "score",
    }
    assert {f.name for f in HealthReflection._meta.concrete_fields} == {
        "id",
        "round",
        "kind",
        "text",
    }
    assert sheet.version == health.CURRENT_VERSION
    assert sheet.ratings.count() == len(KEYS)
    assert sorted(HealthReflection.objects.values_list("text", flat=True)) == [
        "Corridor decisions",
        "Joint bids",
    ]
    # The audit trail says that they answered, naming the participation only.
    targets = set(AuditEntry.objects.values_list("target_id", flat=True))
    assert str(sheet.pk) not in targets
    assert not targets & {str(pk) for pk in HealthReflection.objects.values_list("pk", flat=True)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ratings", "reflections", "field"),
    [
        ({k: 3 for k in KEYS if k != "trust_3"}, {}, "trust_3"),
        ({**_sheet(), "need_1": 6}, {}, "need_1"),
        (_sheet(), {"hopes": "x" * 1001}, "hopes"),
        (_sheet(), {"fears": "x" * 1001}, "fears"),
        ({**_sheet(), "gossip_1": 3}, {}, "round"),
    ],
)
def test_a_bad_answer_names_the_field_and_saves_nothing(ratings, reflections, field):
    review_round = ReviewRoundFactory()
    user = _member(review_round.partnership)
    with pytest.raises(services.ReviewError) as error:
        health_services.health_answer(
            actor=user, review_round=review_round, ratings=ratings, **reflections
        )
    assert error.value.field == field
    assert not Participation.objects.exists()
    assert not HealthSheet.objects.exists() and not HealthReflection.objects.exists()


@pytest.mark.django_db
def test_only_members_answer_once_and_only_a_health_round():
    review_round = ReviewRoundFactory()
    with pytest.raises(PermissionDenied):
        _answer(review_round, user=make_person(Role.KEYWORKER))
    user = _answer(review_round)
    with pytest.raises(services.ReviewError, match="already answered"):
        _answer(review_round, user=user)
    survey = ReviewRoundFactory(kind=ReviewKind.RELATIONSHIPS)
    with pytest.raises(services.ReviewError) as error:
        _answer(survey)
    assert error.value.field == "kind"
    assert HealthSheet.objects.count() == 1


# --------------------------------------------------------------------------- the pages


def _url(name, review_round):
    return reverse(f"reviews:{name}", kwargs={"round_id": review_round.pk})


@pytest.mark.django_db
def test_a_member_answers_on_the_page_and_cannot_answer_again(client):
    review_round = ReviewRoundFactory()
    user = _member(review_round.partnership)
    sign_in_client(client, user)
    page = client.get(_url("health_answer", review_round))
    text = page.content.decode()
    assert text.index("1. Acknowledging the need for partnership") < text.index(
        "6. Monitoring, review and organisational learning"
    )
    assert html.escape("Don't know") in text or "Don&#x27;t know" in text
    answers = {key: "4" for key in KEYS} | {"trust_3": "dont_know", "hopes": "Shared bids"}
    response = client.post(_url("health_answer", review_round), answers)
    assert response.status_code == 302
    assert HealthRating.objects.filter(score=4).count() == len(KEYS) - 1
    assert HealthRating.objects.get(statement="trust_3").score is None
    again = client.get(_url("health_answer", review_round)).content.decode()
    assert "You have answered this round" in again
    assert 'type="radio"' not in again


@pytest.mark.django_db
def test_a_half_answered_form_names_each_missing_statement_and_saves_nothing(client):
    review_round = ReviewRoundFactory()
    sign_in_client(client, _member(review_round.partnership))
    answers = {key: "4" for key in KEYS if key not in ("purpose_2", "learning_4")}
    response = client.post(_url("health_answer", review_round), answers)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'href="#id_purpose_2_0"' in text and 'href="#id_learning_4_0"' in text
    assert "Select how far you agree with statement 6" in text
    assert not Participation.objects.exists() and not HealthSheet.objects.exists()


@pytest.mark.django_db
def test_a_keeper_who_is_not_a_member_sees_the_statements_but_cannot_answer(
    client, strategic_manager
):
    review_round = ReviewRoundFactory()
    sign_in_client(client, strategic_manager)
    page = client.get(_url("health_answer", review_round)).content.decode()
    assert "Only people who represent a member organisation" in page
    assert health.VERSION_1[3].statements[2].text in page
    assert client.post(_url("health_answer", review_round), _sheet()).status_code == 403


@pytest.mark.django_db
def test_the_pages_are_404_for_a_round_of_another_kind_or_outside_the_partnership(client):
    survey = ReviewRoundFactory(kind=ReviewKind.RELATIONSHIPS)
    sign_in_client(client, _member(survey.partnership))
    assert client.get(_url("health_answer", survey)).status_code == 404
    assert client.get(_url("health_results", survey)).status_code == 404
    elsewhere = ReviewRoundFactory()
    assert client.get(_url("health_answer", elsewhere)).status_code == 404
    assert client.get(_url("health_results", elsewhere)).status_code == 404


@pytest.mark.django_db
def test_results_wait_for_the_round_to_close(client):
    review_round = ReviewRoundFactory()
    users = [_answer(review_round, hopes=f"Hope {n}") for n in range(4)]
    sign_in_client(client, users[0])
    text = client.get(_url("health_results", review_round)).content.decode()
    assert "The results are shown when the round closes" in text
    assert "Hope 0" not in text and "Views differ" not in text


@pytest.mark.django_db
def test_with_two_answers_nothing_per_statement_and_no_reflection_is_shown(client):
    review_round = ReviewRoundFactory()
    first = _answer(review_round, ratings=_sheet(need_1=1), hopes="Our own hope")
    _answer(review_round, ratings=_sheet(need_1=5), fears="A fear of theirs")
    _close(review_round)
    sign_in_client(client, first)
    response = client.get(_url("health_results", review_round))
    text = response.content.decode()
    assert "Not enough answers to show" in text
    assert health.VERSION_1[0].statements[0].text not in text
    assert "A fear of theirs" not in text and "Our own hope" not in text
    assert "Hopes and fears are shown once at least 3 people have answered" in text
    assert response.context["found"].results.principles == ()


@pytest.mark.django_db
def test_closed_results_show_spread_reflections_in_order_and_the_change(client):
    partnership = ReviewRoundFactory().partnership
    earlier = ReviewRoundFactory(
        partnership=partnership, opens_on=TODAY() - timedelta(days=120), title="Spring"
    )
    for _ in range(3):
        _answer(earlier, ratings=_sheet(trust_3=2))
    _close(earlier)
    later = ReviewRoundFactory(
        partnership=partnership, opens_on=TODAY() - timedelta(days=1), title="Autumn"
    )
    keeper = make_person(Role.STRATEGIC_MANAGER)
    _answer(later, ratings=_sheet(trust_3=1), hopes="zebra crossings", fears="Cuts")
    _answer(later, ratings=_sheet(trust_3=5), hopes="A shared budget")
    _answer(later, ratings=_sheet(trust_3=5, need_1=None))
    _close(later)
    sign_in_client(client, keeper)
    response = client.get(_url("health_results", later))
    assert response.status_code == 200
    found = response.context["found"]
    assert found.previous == earlier
    trust = found.results.by_key()["trust"]
    # trust_3: 1 5 5 -> mean 11/3, sd sqrt(32/9 / 3) = 1.886: views differ.
    corridor = trust.statements[2].figures
    assert corridor.mean == pytest.approx(11 / 3)
    assert corridor.disagree
    # Members' trust scores: 2.5, 3.5, 3.5 against 2.75 for each before.
    assert trust.change == pytest.approx(3.1667 - 2.75, abs=1e-3)
    assert found.hopes == ["A shared budget", "zebra crossings"]
    assert found.fears == ["Cuts"]
    text = response.content.decode()
    assert "Views differ" in text and "Up 0.4" in text
    assert "Spring" in text


@pytest.mark.django_db
@pytest.mark.parametrize("people", [3, 9])
def test_the_results_page_costs_the_same_however_many_answered(
    client, django_assert_max_num_queries, people
):
    partnership = ReviewRoundFactory().partnership
    earlier = ReviewRoundFactory(partnership=partnership, opens_on=TODAY() - timedelta(days=90))
    later = ReviewRoundFactory(partnership=partnership, opens_on=TODAY() - timedelta(days=1))
    for review_round in (earlier, later):
        for n in range(people):
            _answer(review_round, hopes=f"Hope {n}", fears=f"Fear {n}")
        _close(review_round)
    user = _member(partnership)
    sign_in_client(client, user)
    with django_assert_max_num_queries(16):
        response = client.get(_url("health_results", later))
    assert len(response.context["found"].hopes) == people
    with django_assert_max_num_queries(14):
        client.get(_url("health_answer", later))


@pytest.mark.django_db
def test_the_round_page_links_to_the_health_check_only_for_a_health_round(client):
    review_round = ReviewRoundFactory()
    survey = ReviewRoundFactory(partnership=review_round.partnership, kind=ReviewKind.RELATIONSHIPS)
    sign_in_client(client, _member(review_round.partnership))
    page = client.get(_url("round_detail", review_round)).content.decode()
    assert "Answer the health check" in page and _url("health_results", review_round) in page
    other = client.get(_url("round_detail", survey)).content.decode()
    assert "/health/" not in other


@pytest.mark.django_db
def test_a_round_keeps_the_wording_of_its_first_answer(monkeypatch):
    review_round = ReviewRoundFactory()
    _answer(review_round)
    reworded = tuple(
        health.Principle(p.key, p.number, p.title, p.question, p.statements[:3])
        for p in health.VERSION_1
    )
    monkeypatch.setitem(health.VERSIONS, 2, reworded)
    monkeypatch.setattr(health, "CURRENT_VERSION", 2)
    assert health_services.round_version(review_round) == 1
    assert health_services.round_version(ReviewRoundFactory()) == 2
    # Someone who opened the page before the wording changed is asked to answer again.
    with pytest.raises(services.ReviewError) as error:
        health_services.health_answer(
            actor=_member(review_round.partnership),
            review_round=review_round,
            ratings=_sheet(),
            version=2,
        )
    assert error.value.field == "round"
    assert health_selectors.previous_round(review_round) is None
