"""The partnership reviews pages' rows of the bad-input table (tests/accounts/test_bad_input.py).
`world` is that module's World."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.partnerships.models import Person
from joinedup.reviews import health
from joinedup.reviews.models import (
    HealthReflection,
    HealthSheet,
    Participation,
    ReviewKind,
    ReviewRound,
)
from joinedup.reviews.survey.models import SurveyAnswer
from tests.conftest import sign_in_client
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PersonFactory,
    ReviewRoundFactory,
)

WRONG = (
    ("kind", "gossip"),
    ("opens_on_month", "13"),
    ("closes_on_year", "2020"),
    ("closes_on_day", "32"),
)


def round_page(world: Any) -> str:
    if not hasattr(world, "reviewed_partnership"):
        world.reviewed_partnership = PartnershipFactory(name="Hartcliffe steering group")
    sign_in_client(world.client, world.persona("strategic_manager"))
    return reverse("reviews:round_open", kwargs={"slug": world.reviewed_partnership.slug})


def round_answers(world: Any) -> dict[str, Any]:
    opens = timezone.localdate()
    closes = opens + timedelta(days=21)
    return {
        "kind": "health",
        "title": "Spring health check",
        "opens_on_day": opens.day,
        "opens_on_month": opens.month,
        "opens_on_year": opens.year,
        "closes_on_day": closes.day,
        "closes_on_month": closes.month,
        "closes_on_year": closes.year,
    }


def round_count(world: Any) -> int:
    return ReviewRound.objects.count()


def _keyworker_person(world: Any) -> Person:
    """The keyworker persona as the work contact who sits on the partnerships of both reviews:
    one person per account, as the database insists."""
    if not hasattr(world, "keyworker_person"):
        world.keyworker_person = PersonFactory(
            user=world.persona("keyworker"),
            organisation=OrganisationFactory(name="Barton Hill Settlement"),
        )
    person: Person = world.keyworker_person
    return person


def health_page(world: Any) -> str:
    """A keyworker who sits on a partnership answers its open health check."""
    if not hasattr(world, "health_round"):
        world.health_round = ReviewRoundFactory(kind=ReviewKind.HEALTH)
        person = _keyworker_person(world)
        PartnershipMemberFactory(
            partnership=world.health_round.partnership,
            organisation=person.organisation,
            person=person,
        )
    sign_in_client(world.client, world.persona("keyworker"))
    return reverse("reviews:health_answer", kwargs={"round_id": world.health_round.pk})


HEALTH_STATEMENTS = tuple(health.statement_keys(health.CURRENT_VERSION))
HEALTH_WRONG = (("need_1", "6"), ("trust_3", "maybe"), ("learning_4", "0"))


def health_answers(world: Any) -> dict[str, Any]:
    return {
        **dict.fromkeys(HEALTH_STATEMENTS, "4"),
        "trust_2": health.DONT_KNOW,
        "hopes": "That we bid for funding together.",
        "fears": "That decisions are made outside the meetings.",
    }


def health_saved(world: Any) -> tuple[int, int, int]:
    return (
        Participation.objects.count(),
        HealthSheet.objects.count(),
        HealthReflection.objects.count(),
    )


# The relationship survey: a member of a partnership with two other members, on a round open now.
SURVEY_PARTNERS = ("bad-input-alder", "bad-input-birch")
SURVEY_QUESTIONS = (
    "power",
    "involvement",
    "resources",
    "reliability",
    "mission",
    "openness",
    "intensity",
)
SURVEY_RATINGS = tuple(
    f"{slug}-{question}" for slug in SURVEY_PARTNERS for question in SURVEY_QUESTIONS
)
SURVEY_PARTNERS_WRONG = (("partners", "no-such-organisation"),)
SURVEY_RATINGS_WRONG = (
    (f"{SURVEY_PARTNERS[0]}-power", "5"),
    (f"{SURVEY_PARTNERS[0]}-reliability", "0"),
    (f"{SURVEY_PARTNERS[1]}-intensity", "merged"),
    ("contributions", "gold"),
)


def _survey_round(world: Any) -> ReviewRound:
    if not hasattr(world, "survey_round"):
        partnership = PartnershipFactory(name="Barton Hill forum")
        person = _keyworker_person(world)
        PartnershipMemberFactory(
            partnership=partnership, organisation=person.organisation, person=person
        )
        for slug in SURVEY_PARTNERS:
            PartnershipMemberFactory(
                partnership=partnership, organisation=OrganisationFactory(slug=slug)
            )
        world.survey_round = ReviewRoundFactory(
            partnership=partnership, kind=ReviewKind.RELATIONSHIPS
        )
    sign_in_client(world.client, world.persona("keyworker"))
    return world.survey_round


def survey_partners_page(world: Any) -> str:
    return reverse("reviews:survey_answer", kwargs={"round_id": _survey_round(world).pk})


def survey_partners_answers(world: Any) -> dict[str, Any]:
    return {"step": "partners", "partners": [SURVEY_PARTNERS[0]]}


def survey_ratings_page(world: Any) -> str:
    chosen = "&".join(f"partners={slug}" for slug in SURVEY_PARTNERS)
    return f"{survey_partners_page(world)}?{chosen}"


def survey_ratings_answers(world: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {name: "3" for name in SURVEY_RATINGS}
    answers["contributions"] = ["data", "expertise"]
    return answers


def survey_answer_count(world: Any) -> tuple[int, int]:
    return SurveyAnswer.objects.count(), Participation.objects.count()
