"""The demo's relationship survey: ended rounds with scores and change, and an open round that
a demo login can still answer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.demo.reviews_survey import OPEN_TITLE, PARTNERSHIP, load_demo_survey
from joinedup.reviews.models import Participation, ReviewRound
from joinedup.reviews.survey.models import SurveyAnswer, SurveyRating
from tests.conftest import sign_in_client
from tests.reviews.survey_demo import load_survey_demo

pytestmark = pytest.mark.django_db


def test_the_demo_survey_shows_scores_and_change_and_waits_for_the_panel_chair(client):
    users = load_survey_demo()
    rounds = list(ReviewRound.objects.filter(partnership__slug=PARTNERSHIP).order_by("opens_on"))
    today = timezone.localdate()
    assert [r.has_ended(today) for r in rounds] == [True, True, False]
    assert [r.participations.count() for r in rounds] == [3, 3, 2]
    assert rounds[-1].title == OPEN_TITLE and rounds[-1].is_open(today)
    assert not Participation.objects.filter(round=rounds[-1], person__user=users["panel.chair"])

    sign_in_client(client, users["strategic.manager"])
    url = reverse("reviews:survey_results", kwargs={"round_id": rounds[1].pk})
    text = client.get(url).content.decode()
    # Rated by all three who answered, the education welfare service's scores show, with
    # their change since the first round; the three that answered were rated by two each.
    ews = text[text.index('<th scope="row" class="govuk-table__header">Education') :]
    assert ews[: ews.index("</tr>")].count("+1.0") == 2
    assert text.count("Not enough answers to show") == 3
    assert "Value</dt>" in text  # the partnership's own figures
    assert "Changes are since “Who works with whom: first round”" in text

    counts = (
        SurveyAnswer.objects.count(),
        SurveyRating.objects.count(),
        ReviewRound.objects.count(),
    )
    load_demo_survey()
    assert counts == (
        SurveyAnswer.objects.count(),
        SurveyRating.objects.count(),
        ReviewRound.objects.count(),
    )
