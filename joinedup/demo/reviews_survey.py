"""The demo's relationship survey: three rounds for the Easton and Lawrence Hill panel, two
ended (so the results page shows scores and the change between them) and one open now, which
the demo's panel chair has not answered yet (so a demo login can try answering it).

Three of the panel's seven member organisations answer, as in a real first survey: the others
are rated by all three and their scores show; the three that answered are rated by two each,
so their scores are hidden, which the demo shows too.

The answers go through `survey_answer` like anyone's, so they are kept the same way: without
the person. Two of the panel's representatives are linked to the demo logins that match their
job (the coordinator is a YISP development worker, the panel member a police sergeant), since
only someone with an account can answer; neither chairs a partnership, so the link gives those
logins no new powers.

Safe to run again: the logins are linked again (loading the partnerships unlinks them), and the
rounds are made only when the partnership has none of them yet."""

from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.demo.catalogue import EASTON
from joinedup.demo.partnerships import DEMO_EMAIL_DOMAIN
from joinedup.organisations.models import Organisation
from joinedup.partnerships.models import Partnership, Person
from joinedup.reviews.models import ReviewKind, ReviewRound
from joinedup.reviews.services import round_open
from joinedup.reviews.survey.services import PartnerRating, survey_answer

PARTNERSHIP = f"{EASTON}-panel-demo"
KEEPER = "strategic.manager"

# (representative's name, their organisation, the demo login they are)
LOGINS = (
    ("Sam Okafor", "easton-yisp", "coordinator"),
    ("Sergeant Dev Malhi", "avon-and-somerset-constabulary", "panel.member"),
)

# Who answers each round, in order. The panel chair answers the ended rounds only.
ENDED_RESPONDENTS = ("panel.chair", "coordinator", "panel.member")
OPEN_RESPONDENTS = ("coordinator", "panel.member")

# How each organisation is seen by the others, as value then trust, 1 to 4 (first round).
SEEN_AS = {
    "social-services": (3, 3),
    "easton-yisp": (4, 4),
    "avon-and-somerset-constabulary": (3, 2),
    "education-welfare-service": (2, 2),
    "youth-service": (3, 3),
    "camhs": (2, 3),
    "sari": (2, 3),
}
# What changed by the second round: the panel took the education welfare service into its
# joint casework, and CAMHS's waiting list grew.
SECOND_ROUND = {"education-welfare-service": (1, 1), "camhs": (-1, 0)}
CONTRIBUTES = {
    "social-services": ("paid_staff", "leadership", "data"),
    "easton-yisp": ("paid_staff", "community", "leadership", "advocacy"),
    "avon-and-somerset-constabulary": ("data", "paid_staff"),
}

ROUNDS: tuple[tuple[str, int, int, tuple[str, ...], dict[str, tuple[int, int]]], ...] = (
    # (title, days from today it opened, days it ran, respondents, changes)
    ("Who works with whom: first round", -240, 21, ENDED_RESPONDENTS, {}),
    ("Who works with whom: second round", -120, 21, ENDED_RESPONDENTS, SECOND_ROUND),
)
OPEN_TITLE = "Who works with whom: third round"


def _clamp(score: int) -> int:
    return max(1, min(4, score))


def _rating(
    rater: int, rated: str, changes: dict[str, tuple[int, int]], step: int
) -> PartnerRating:
    value, trust = SEEN_AS[rated]
    value_change, trust_change = changes.get(rated, (0, 0))
    value, trust = value + value_change, trust + trust_change
    # Raters differ a little, as people do.
    spread = (rater + step) % 3 - 1
    return PartnerRating(
        power=_clamp(value + spread),
        involvement=_clamp(value),
        resources=_clamp(value - spread),
        reliability=_clamp(trust),
        mission=_clamp(trust + max(spread, 0)),
        openness=_clamp(trust - max(-spread, 0)),
        intensity=_clamp(min(value, trust) + (1 if rated == "easton-yisp" else 0)),
    )


def _link_logins(users: dict[str, User]) -> None:
    for name, organisation, login in LOGINS:
        user = users.get(login)
        if user is not None:
            Person.objects.filter(name=name, organisation__slug=organisation).update(user=user)


def _answer_round(
    review_round: ReviewRound,
    users: dict[str, User],
    respondents: tuple[str, ...],
    changes: dict[str, tuple[int, int]],
) -> None:
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=SEEN_AS)}
    for step, login in enumerate(respondents):
        user = users[login]
        own = Person.objects.select_related("organisation").get(user=user).organisation
        assert own is not None  # each linked representative works for an organisation
        own_slug = own.slug
        ratings = {
            organisations[rated]: _rating(step, rated, changes, len(rated))
            for rated in SEEN_AS
            if rated != own_slug
        }
        survey_answer(
            actor=user,
            review_round=review_round,
            ratings=ratings,
            contributions=list(CONTRIBUTES.get(own_slug, ())),
        )


def load_demo_survey() -> None:
    partnership = Partnership.objects.filter(slug=PARTNERSHIP).first()
    logins = {*ENDED_RESPONDENTS, KEEPER}
    users = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__in=[f"{n}@{DEMO_EMAIL_DOMAIN}" for n in logins])
    }
    if partnership is None or not logins <= set(users):
        return
    _link_logins(users)
    if ReviewRound.objects.filter(partnership=partnership, kind=ReviewKind.RELATIONSHIPS).exists():
        return
    today = timezone.localdate()
    keeper = users[KEEPER]
    for title, opened, days, respondents, changes in ROUNDS:
        # Answers are only taken while a round is open, so each earlier round is answered
        # today and then moved back to the dates it ran.
        review_round = round_open(
            actor=keeper,
            partnership=partnership,
            kind=ReviewKind.RELATIONSHIPS,
            title=title,
            opens_on=today,
            closes_on=today,
        )
        _answer_round(review_round, users, respondents, changes)
        ReviewRound.objects.filter(pk=review_round.pk).update(
            opens_on=today + timedelta(days=opened),
            closes_on=today + timedelta(days=opened + days),
        )
    current = round_open(
        actor=keeper,
        partnership=partnership,
        kind=ReviewKind.RELATIONSHIPS,
        title=OPEN_TITLE,
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
    )
    _answer_round(current, users, OPEN_RESPONDENTS, SECOND_ROUND)
