"""The relationship survey: answering once, all or nothing, and results that show totals only,
never one organisation's or one person's answer."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.reviews import services as round_services
from joinedup.reviews.models import Participation, ReviewKind
from joinedup.reviews.survey import services
from joinedup.reviews.survey.models import (
    SurveyAnswer,
    SurveyContribution,
    SurveyRating,
)
from joinedup.reviews.survey.services import PartnerRating
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
    ReviewRoundFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _member(partnership, name):
    user = make_person(Role.KEYWORKER)
    organisation = OrganisationFactory(name=name)
    PartnershipMemberFactory(
        partnership=partnership,
        organisation=organisation,
        person=PersonFactory(user=user, organisation=organisation),
    )
    return user, organisation


def _survey(names=("Alder", "Birch", "Cedar", "Damson"), **round_fields):
    partnership = PartnershipFactory()
    members = dict(_member(partnership, name)[::-1] for name in names)
    review_round = ReviewRoundFactory(
        partnership=partnership, kind=ReviewKind.RELATIONSHIPS, **round_fields
    )
    return review_round, {o.name: (user, o) for o, user in members.items()}


def _rating(value=3, trust=None, intensity=2):
    trust = value if trust is None else trust
    return PartnerRating(value, value, value, trust, trust, trust, intensity)


def _answer(review_round, user, ratings, contributions=()):
    return services.survey_answer(
        actor=user, review_round=review_round, ratings=ratings, contributions=list(contributions)
    )


def test_an_answer_keeps_the_organisations_and_nothing_of_the_person():
    review_round, people = _survey()
    user, alder = people["Alder"]
    birch, cedar = people["Birch"][1], people["Cedar"][1]
    _answer(
        review_round,
        user,
        {birch: _rating(4, 2, intensity=3), cedar: _rating(1)},
        ["funding", "data"],
    )
    answer = SurveyAnswer.objects.get()
    assert answer.organisation == alder
    assert {(r.rated, r.power, r.reliability, r.intensity) for r in answer.ratings.all()} == {
        (birch, 4, 2, 3),
        (cedar, 1, 1, 2),
    }
    assert sorted(answer.contributions.values_list("kind", flat=True)) == ["data", "funding"]
    assert Participation.objects.get().person.user == user
    # No column ties an answer to a person, a participation or a time.
    for model in (SurveyAnswer, SurveyRating, SurveyContribution):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"person", "participation", "user", "created_at", "updated_at"}


def test_a_member_answers_once():
    review_round, people = _survey()
    user, _ = people["Alder"]
    _answer(review_round, user, {people["Birch"][1]: _rating()})
    with pytest.raises(round_services.ReviewError, match="already answered"):
        _answer(review_round, user, {people["Birch"][1]: _rating()})
    assert SurveyAnswer.objects.count() == 1


def test_only_members_answer_and_only_relationship_surveys():
    review_round, people = _survey()
    with pytest.raises(PermissionDenied):
        _answer(review_round, make_person(Role.KEYWORKER), {})
    health = ReviewRoundFactory(partnership=review_round.partnership, kind=ReviewKind.HEALTH)
    with pytest.raises(round_services.ReviewError) as error:
        _answer(health, people["Alder"][0], {})
    assert error.value.field == "round"
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize(
    ("rated", "rating", "field"),
    [
        ("Alder", _rating(), "partners"),  # one's own organisation
        ("Outsider", _rating(), "partners"),  # not a member
        ("Birch", PartnerRating(3, 3, 5, 3, 3, 3, 2), "birch-resources"),
        ("Birch", PartnerRating(3, 3, 3, 3, 3, 3, 9), "birch-intensity"),
    ],
)
def test_a_bad_answer_names_its_field_and_saves_nothing(rated, rating, field):
    review_round, people = _survey()
    organisation = (
        people[rated][1] if rated in people else OrganisationFactory(name=rated, slug="outsider")
    )
    organisation.slug = organisation.name.lower()
    organisation.save()
    ratings = {people["Cedar"][1]: _rating(), organisation: rating}
    with pytest.raises(round_services.ReviewError) as error:
        _answer(review_round, people["Alder"][0], ratings)
    assert error.value.field == field
    assert not SurveyAnswer.objects.exists() and not SurveyRating.objects.exists()
    assert not Participation.objects.exists()


def test_unknown_contributions_are_refused():
    review_round, people = _survey()
    with pytest.raises(round_services.ReviewError) as error:
        _answer(review_round, people["Alder"][0], {}, ["gold"])
    assert error.value.field == "contributions"


# ------------------------------------------------------------------------------------ pages


def _url(name, review_round):
    return reverse(f"reviews:{name}", kwargs={"round_id": review_round.pk})


def test_the_first_step_lists_the_other_members_only(client):
    review_round, people = _survey()
    sign_in_client(client, people["Alder"][0])
    text = client.get(_url("survey_answer", review_round)).content.decode()
    assert "Which of these organisations does Alder work with?" in text
    for name in ("Birch", "Cedar", "Damson", "None of them"):
        assert f">{name}</label>" in text
    assert ">Alder</label>" not in text


def test_the_second_step_asks_about_the_chosen_partners_and_names_each_missing_answer(client):
    review_round, people = _survey()
    birch, cedar = people["Birch"][1], people["Cedar"][1]
    sign_in_client(client, people["Alder"][0])
    url = f"{_url('survey_answer', review_round)}?partners={birch.slug}&partners={cedar.slug}"
    page = client.get(url).content.decode()
    assert '<h2 class="govuk-fieldset__heading">' + birch.name in page
    assert people["Damson"][1].name + "</h2>" not in page
    assert "1: Not at all" in page and "4: A great deal" in page
    answers = {
        f"{o.slug}-{m}": "3"
        for o in (birch, cedar)
        for m in ("power", "involvement", "resources", "reliability", "mission", "openness")
    }
    answers[f"{birch.slug}-intensity"] = "2"
    del answers[f"{cedar.slug}-mission"]
    response = client.post(url, answers)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'href="#id_{cedar.slug}-mission_0"' in text
    assert f"Select how you rate {cedar.name} on support of the shared mission" in text
    assert f'href="#id_{cedar.slug}-intensity_0"' in text
    assert not SurveyAnswer.objects.exists() and not Participation.objects.exists()

    answers[f"{cedar.slug}-mission"] = "4"
    answers[f"{cedar.slug}-intensity"] = "4"
    answers["contributions"] = ["expertise"]
    response = client.post(url, answers, follow=True)
    assert response.redirect_chain[-1][0] == _url("round_detail", review_round)
    assert "Thank you: your answers are saved" in response.content.decode()
    assert SurveyRating.objects.get(rated=cedar).mission == 4
    # Answered: the survey says so rather than asking again.
    again = client.get(_url("survey_answer", review_round)).content.decode()
    assert "You have answered this survey: thank you." in again


def test_an_organisation_that_works_with_none_of_them_answers_the_last_question(client):
    review_round, people = _survey()
    sign_in_client(client, people["Alder"][0])
    url = f"{_url('survey_answer', review_round)}?partners=none"
    assert "works with none of the other members" in client.get(url).content.decode()
    client.post(url, {"contributions": ["volunteers"]})
    answer = SurveyAnswer.objects.get()
    assert not answer.ratings.exists()
    assert list(answer.contributions.values_list("kind", flat=True)) == ["volunteers"]


def test_none_of_them_cannot_be_chosen_with_partners(client):
    review_round, people = _survey()
    sign_in_client(client, people["Alder"][0])
    birch = people["Birch"][1].slug
    url = f"{_url('survey_answer', review_round)}?partners=none&partners={birch}"
    text = client.get(url).content.decode()
    assert "Select “None of them” on its own" in text
    assert 'href="#id_partners_0"' in text


def test_the_survey_pages_are_not_found_for_a_health_check_or_outsiders(client):
    review_round, people = _survey()
    health = ReviewRoundFactory(partnership=review_round.partnership, kind=ReviewKind.HEALTH)
    sign_in_client(client, people["Alder"][0])
    for name in ("survey_answer", "survey_results"):
        assert client.get(_url(name, health)).status_code == 404
    sign_in_client(client, make_person(Role.KEYWORKER))
    for name in ("survey_answer", "survey_results"):
        assert client.get(_url(name, review_round)).status_code == 404


def test_the_round_page_links_the_survey(client):
    review_round, people = _survey()
    sign_in_client(client, people["Alder"][0])
    text = client.get(_url("round_detail", review_round)).content.decode()
    assert _url("survey_answer", review_round) in text
    assert _url("survey_results", review_round) in text


# ------------------------------------------------------------------------ confidentiality


def _close(review_round):
    review_round.closed_at = timezone.now()
    review_round.save()


def _row(text, name):
    match = re.search(rf"<tr[^>]*>\s*<th[^>]*>{name}</th>(.*?)</tr>", text, re.DOTALL)
    assert match, name
    return match.group(1)


def test_two_raters_show_no_organisation_scores_and_no_network(client, settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    review_round, people = _survey(("Alder", "Birch", "Cedar"))
    cedar = people["Cedar"][1]
    _answer(review_round, people["Alder"][0], {cedar: _rating(4, 4)}, ["funding"])
    _answer(review_round, people["Birch"][0], {cedar: _rating(1, 2)}, ["funding"])
    _close(review_round)
    sign_in_client(client, people["Cedar"][0])
    text = client.get(_url("survey_results", review_round)).content.decode()
    assert "Not enough answers to show" in _row(text, "Cedar")
    # Neither rating, nor their mean, can be read off the page.
    for figure in ("4.0", "1.0", "2.0", "2.5", "3.0"):
        assert figure not in text
    assert "Relationships reported at each level" not in text


def test_three_raters_show_the_mean_only_and_only_once_the_round_has_ended(client, settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    review_round, people = _survey()
    damson = people["Damson"][1]
    for name, value in (("Alder", 4), ("Birch", 2), ("Cedar", 3)):
        _answer(review_round, people[name][0], {damson: _rating(value, 1)})
    sign_in_client(client, people["Damson"][0])
    url = _url("survey_results", review_round)
    open_page = client.get(url).content.decode()
    assert "Results are shown when the round closes" in open_page
    assert "3.0" not in open_page and "Not enough answers" not in open_page

    _close(review_round)
    text = client.get(url).content.decode()
    # Its results are shown, so it can no longer be reopened (reviews.services.round_reopen).
    assert "can be reopened" not in text
    row = _row(text, "Damson")
    assert ">3.0<" in row.replace("<br>", "<") and "1.0" in row
    for single in ("4.0", "2.0"):
        assert single not in text
    assert "Not enough answers to show" in _row(text, "Alder")


def test_change_is_hidden_where_the_earlier_figure_was_hidden(client, settings):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    earlier, people = _survey(opens_on=TODAY() - timedelta(days=90))
    damson, alder = people["Damson"][1], people["Alder"][1]
    # Earlier, three rated Damson (shown) and two rated Alder (hidden).
    _answer(earlier, people["Alder"][0], {damson: _rating(2)})
    _answer(earlier, people["Birch"][0], {damson: _rating(2), alder: _rating(1)})
    _answer(earlier, people["Cedar"][0], {damson: _rating(2), alder: _rating(1)})
    _close(earlier)
    later = ReviewRoundFactory(partnership=earlier.partnership, kind=ReviewKind.RELATIONSHIPS)
    _answer(later, people["Alder"][0], {damson: _rating(3)})
    _answer(later, people["Birch"][0], {damson: _rating(3), alder: _rating(4)})
    _answer(later, people["Cedar"][0], {damson: _rating(3), alder: _rating(4)})
    _answer(later, people["Damson"][0], {alder: _rating(4)})
    _close(later)
    sign_in_client(client, people["Alder"][0])
    text = client.get(_url("survey_results", later)).content.decode()
    assert "+1.0" in _row(text, "Damson")
    alder_row = _row(text, "Alder")
    # Alder's score shows now; a change from the hidden earlier one would give it away.
    assert "4.0" in alder_row and "+" not in alder_row and "\u2212" not in alder_row
    assert "+3.0" not in text


@pytest.mark.parametrize("size", [4, 10])
def test_the_survey_pages_cost_the_same_however_large_the_partnership(
    client, settings, django_assert_max_num_queries, size
):
    settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = 3
    names = [f"Member {n:02d}" for n in range(size)]
    earlier, people = _survey(names, opens_on=TODAY() - timedelta(days=90))
    later = ReviewRoundFactory(partnership=earlier.partnership, kind=ReviewKind.RELATIONSHIPS)
    for review_round in (earlier, later):
        for name, (user, own) in people.items():
            ratings = {o: _rating(3) for _, o in people.values() if o != own}
            _answer(review_round, user, ratings, ["data"])
        _close(review_round)
    user = people[names[0]][0]
    sign_in_client(client, user)
    with django_assert_max_num_queries(20):
        text = client.get(_url("survey_results", later)).content.decode()
    assert text.count("3.0") >= size
    fresh = ReviewRoundFactory(
        partnership=earlier.partnership,
        kind=ReviewKind.RELATIONSHIPS,
        opens_on=TODAY() + timedelta(days=1),
    )
    fresh.opens_on = TODAY()
    fresh.save()
    partners = "&".join(f"partners={o.slug}" for _, o in list(people.values())[1:])
    url = f"{_url('survey_answer', fresh)}?{partners}"
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_continuing_with_no_box_ticked_says_what_to_do(client):
    review_round, people = _survey()
    sign_in_client(client, people["Alder"][0])
    text = client.get(f"{_url('survey_answer', review_round)}?step=partners").content.decode()
    assert "Select the organisations Alder works with, or select “None of them”" in text
    assert 'href="#id_partners_0"' in text


def test_a_keeper_who_sits_on_no_seat_is_told_why_they_cannot_answer(client, strategic_manager):
    review_round, _ = _survey()
    sign_in_client(client, strategic_manager)
    response = client.get(_url("survey_answer", review_round))
    assert response.status_code == 200
    assert "you do not sit on" in response.content.decode()
    assert client.post(_url("survey_answer", review_round)).status_code == 200
    assert not SurveyAnswer.objects.exists()


def test_a_closed_round_takes_no_answers(client):
    review_round, people = _survey()
    _close(review_round)
    sign_in_client(client, people["Alder"][0])
    text = client.get(_url("survey_answer", review_round)).content.decode()
    assert "This survey is closed, so it is not taking answers." in text
