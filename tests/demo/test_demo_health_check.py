"""The demo's health checks: a closed round with results to show and an open one that demo
logins can still answer, all answered through the service."""

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.demo.partnerships import CITY
from joinedup.reviews import confidential, health_selectors, services
from joinedup.reviews.models import HealthReflection, HealthSheet, Participation, ReviewRound


def test_the_demo_has_a_closed_and_an_open_health_check_of_the_city_wide_group(db):
    logins = load_demo_data()
    rounds = list(ReviewRound.objects.filter(partnership__slug=CITY, kind="health"))
    today = timezone.localdate()
    closed = [r for r in rounds if r.has_ended(today)]
    current = [r for r in rounds if r.is_open(today)]
    assert len(closed) == 1 and len(current) == 1
    for review_round in rounds:
        answered = Participation.objects.filter(round=review_round).count()
        assert answered >= confidential.min_answers()
        assert HealthSheet.objects.filter(round=review_round).count() == answered
        assert HealthReflection.objects.filter(round=review_round).exists()
    keeper = next(login for login in logins if login.email.startswith("strategic.manager@"))
    chair = User.objects.get(email=keeper.email)
    assert services.respondent_seat(chair, current[0]) is not None
    assert not Participation.objects.filter(round=current[0], person__user=chair).exists()
    found = health_selectors.health_results(viewer=chair, review_round=closed[0])
    assert found.results is not None and found.results.shown
    assert found.hopes and found.fears
    respondents = [login for login in logins if "health check" in login.roles]
    assert respondents and all(login.email.endswith(DEMO_EMAIL_DOMAIN) for login in respondents)
    # Loading again changes nothing: tests/demo/test_demo_data.py loads the demo twice.
