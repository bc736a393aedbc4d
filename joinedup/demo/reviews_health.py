"""The demo's partnership health checks: the city-wide steering group ran one six months ago
(closed) and is running another now, answered through the same service as real members use.

Most of the group's members are work contacts without a JoinedUp account; those who answer
get a demo login here, linked to their contact, so that their answers go through
`services.answer_round` like anyone's. The strategic manager (the group's chair) and the panel
chair answered the earlier round and have not yet answered the open one, so either can try it.

The ratings are invented but follow the research: a partnership whose members agree it is
needed, are less sure of its purpose and arrangements, and split on trust between statutory
agencies and voluntary groups (decisions "in a corridor", competition for the same funds),
and which does somewhat better the second time. Safe to run again: a partnership that already
has a health check gets no other."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from joinedup.accounts.models import User
from joinedup.demo.partnerships import CITY, DEMO_EMAIL_DOMAIN, PEOPLE
from joinedup.partnerships.models import Partnership, Person
from joinedup.reviews import health, health_services, services
from joinedup.reviews.models import ReviewKind, ReviewRound

SEED = 2004


@dataclass(frozen=True)
class Respondent:
    person: str  # a PersonSeed key (joinedup/demo/partnerships.py)
    # Voluntary groups in the research felt statutory agendas dominated and trust was lower.
    voluntary: bool = False


EARLIER: tuple[Respondent, ...] = (
    Respondent("head-early-help"),
    Respondent("social-care-manager"),
    Respondent("yot-manager"),
    Respondent("childrens-fund", voluntary=True),
    Respondent("police-inspector"),
    Respondent("barnardos-manager", voluntary=True),
)
NOW: tuple[Respondent, ...] = (
    Respondent("yot-manager"),
    Respondent("childrens-fund", voluntary=True),
    Respondent("youth-service-manager"),
    Respondent("camhs-lead"),
    Respondent("barnardos-manager", voluntary=True),
)
# What each principle's statements centre on, in each round.
EARLIER_CENTRES = {
    "need": 4.2,
    "purpose": 3.0,
    "commitment": 2.8,
    "trust": 2.7,
    "arrangements": 2.6,
    "learning": 2.4,
}
NOW_CENTRES = {
    "need": 4.3,
    "purpose": 3.5,
    "commitment": 3.1,
    "trust": 3.2,
    "arrangements": 3.6,
    "learning": 3.0,
}
# Where statutory agencies and voluntary groups see things differently: how much higher the
# agencies rate these statements than the voluntary groups do.
SPLIT = {"trust_2": 2.0, "trust_3": 2.5, "trust_4": 1.5, "commitment_4": 1.0}

EARLIER_REFLECTIONS = {
    "hopes": (
        "That the panels get funding for longer than a year at a time.",
        "That voluntary groups are treated as equal partners, not asked to agree what is "
        "already decided.",
        "",
        "That we stop duplicating each other's holiday schemes and plan them together.",
        "",
        "",
    ),
    "fears": (
        "",
        "Too many groups with the same people on them: we lose track of which hat we wear.",
        "When the Children's Fund money ends, the work ends with it.",
        "Decisions about the panels are made outside this room, by the big agencies.",
        "",
        "Attendance falls away once the launch is over.",
    ),
}
NOW_REFLECTIONS = {
    "hopes": (
        "We now bid for funding together instead of against each other.",
        "That we learn from families' stories, not only from the figures we report.",
        "",
        "A shared picture of who works with which children, so nobody falls between two stools.",
        "",
    ),
    "fears": (
        "People are stretched across too many partnerships and send observers, not deputies.",
        "",
        "Reporting for the funders takes over from time to reflect.",
        "",
        "",
    ),
}


def _respondent_user(person: Person) -> User:
    """The person's account, or a demo login made for them (they answer as themselves)."""
    if person.user is not None:
        return person.user
    user, _ = User.objects.get_or_create(
        email=f"{slugify(person.name)}@{DEMO_EMAIL_DOMAIN}",
        defaults={"full_name": person.name, "is_active": True},
    )
    person.user = user
    person.save(update_fields=["user"])
    return user


def _ratings(rng: random.Random, centres: dict[str, float], voluntary: bool) -> health.Sheet:
    ratings: health.Sheet = {}
    for principle in health.principles(health.CURRENT_VERSION):
        for statement in principle.statements:
            if rng.random() < 0.06:
                ratings[statement.key] = None
                continue
            split = SPLIT.get(statement.key, 0.0)
            centre = centres[principle.key] + (-split / 2 if voluntary else split / 2)
            ratings[statement.key] = min(5, max(1, round(centre + rng.gauss(0, 0.6))))
    return ratings


def _answer_all(
    review_round: ReviewRound,
    respondents: tuple[Respondent, ...],
    people: dict[str, Person],
    centres: dict[str, float],
    reflections: Mapping[str, tuple[str, ...]],
    rng: random.Random,
) -> None:
    for position, respondent in enumerate(respondents):
        health_services.health_answer(
            actor=_respondent_user(people[respondent.person]),
            review_round=review_round,
            ratings=_ratings(rng, centres, respondent.voluntary),
            hopes=reflections["hopes"][position],
            fears=reflections["fears"][position],
        )


def _people(partnership: Partnership) -> dict[str, Person]:
    names = {seed.name: seed.key for seed in PEOPLE}
    found = Person.objects.filter(
        memberships__partnership=partnership, name__in=names
    ).select_related("user")
    return {names[person.name]: person for person in found}


def _title(opens_on: date) -> str:
    return f"Health check, {opens_on:%B %Y}"


def load_demo_health_checks() -> list[User]:
    """Load the rounds (once) and give back the demo logins made for the respondents, in a
    fixed order, so that the loader can list them with the others."""
    partnership = Partnership.objects.filter(slug=CITY).first()
    if partnership is None:
        return []
    people = _people(partnership)
    # Again on every load: the partnerships demo resets its contacts' accounts.
    respondents = dict.fromkeys(r.person for r in (*EARLIER, *NOW) if r.person in people)
    for key in respondents:
        _respondent_user(people[key])
    chair = User.objects.get(email=f"strategic.manager@{DEMO_EMAIL_DOMAIN}")
    if not ReviewRound.objects.filter(partnership=partnership, kind=ReviewKind.HEALTH).exists():
        rng = random.Random(SEED)  # noqa: S311 - invented demo ratings, not security
        today = timezone.localdate()
        # Opened and answered today, then closed and moved back six months: the service
        # accepts answers only while a round is open.
        earlier = services.round_open(
            actor=chair,
            partnership=partnership,
            kind=ReviewKind.HEALTH,
            title=_title(today - timedelta(days=182)),
            opens_on=today,
            closes_on=today + timedelta(days=21),
        )
        _answer_all(earlier, EARLIER, people, EARLIER_CENTRES, EARLIER_REFLECTIONS, rng)
        services.round_close(actor=chair, review_round=earlier)
        ReviewRound.objects.filter(pk=earlier.pk).update(
            opens_on=today - timedelta(days=182), closes_on=today - timedelta(days=161)
        )
        current = services.round_open(
            actor=chair,
            partnership=partnership,
            kind=ReviewKind.HEALTH,
            title=_title(today - timedelta(days=7)),
            opens_on=today - timedelta(days=7),
            closes_on=today + timedelta(days=21),
        )
        _answer_all(current, NOW, people, NOW_CENTRES, NOW_REFLECTIONS, rng)
    # The logins made here, not the accounts the partnerships demo already linked.
    ours = {f"{slugify(p.name)}@{DEMO_EMAIL_DOMAIN}" for p in people.values()}
    users = [people[key].user for key in respondents]
    return [user for user in users if user is not None and user.email in ours]
