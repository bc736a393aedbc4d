"""The relationship survey's scores, as in the PARTNER tool (Varda and others, University of
Colorado Denver): pure functions over plain values, so that each formula is tested on examples
worked by hand (tests/reviews/test_survey_scores.py) and explained in
docs/partnership-reviews.md.

- A rating's value is the mean of its three value ratings (power and influence, level of
  involvement, resource contribution); its trust the mean of its three trust ratings
  (reliability, support of the shared mission, openness to discussion). All on 1 to 4.
- An organisation's value is the mean, over the organisations that rated it, of each rater's
  value for it. When two people answered for one organisation, that organisation's ratings are
  averaged first, so that every rating organisation counts once. Trust likewise.
- The whole network's value is the mean over every rated pair (rater, rated) of that pair's
  value; trust likewise.
- Change is this round's figure minus the previous round's, and there is none unless both
  figures can be shown.

Whether a figure may be shown is decided here too (`confidential.enough`), so that the pages
only show what this module lets through."""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from statistics import fmean

from joinedup.reviews import confidential

Org = Hashable


@dataclass(frozen=True)
class Rating:
    rater: Org
    rated: Org
    power: int
    involvement: int
    resources: int
    reliability: int
    mission: int
    openness: int
    intensity: int

    @property
    def value(self) -> float:
        return fmean((self.power, self.involvement, self.resources))

    @property
    def trust(self) -> float:
        return fmean((self.reliability, self.mission, self.openness))


@dataclass(frozen=True)
class Score:
    """An organisation's (or the network's) value and trust, or None where too few answers
    stand behind them to show."""

    value: float | None
    trust: float | None
    raters: int

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Change:
    value: float | None
    trust: float | None


@dataclass(frozen=True)
class Results:
    answering: int  # organisations that answered
    organisations: dict[Org, Score]
    network: Score
    intensity: dict[int, int] | None  # relationships reported at each level, or None if hidden
    contributions: dict[str, int] | None  # organisations giving each kind, or None if hidden
    organisation_change: dict[Org, Change] = field(default_factory=dict)
    network_change: Change | None = None


def _by_pair(ratings: Iterable[Rating]) -> dict[tuple[Org, Org], tuple[float, float]]:
    """(rater, rated) -> (value, trust), the mean of that pair's ratings; a rating of oneself
    is not counted."""
    pairs: dict[tuple[Org, Org], list[Rating]] = defaultdict(list)
    for rating in ratings:
        if rating.rater != rating.rated:
            pairs[(rating.rater, rating.rated)].append(rating)
    return {
        pair: (fmean(r.value for r in found), fmean(r.trust for r in found))
        for pair, found in pairs.items()
    }


def organisation_scores(ratings: Iterable[Rating]) -> dict[Org, Score]:
    """Every rated organisation's value and trust, whether or not enough rated it to show."""
    received: dict[Org, list[tuple[float, float]]] = defaultdict(list)
    for (_, rated), scores in _by_pair(ratings).items():
        received[rated].append(scores)
    return {
        rated: Score(
            value=fmean(v for v, _ in scores), trust=fmean(t for _, t in scores), raters=len(scores)
        )
        for rated, scores in received.items()
    }


def network_score(ratings: Iterable[Rating]) -> Score:
    pairs = _by_pair(ratings)
    raters = len({rater for rater, _ in pairs})
    if not pairs:
        return Score(value=None, trust=None, raters=0)
    return Score(
        value=fmean(v for v, _ in pairs.values()),
        trust=fmean(t for _, t in pairs.values()),
        raters=raters,
    )


def intensity_counts(ratings: Iterable[Rating]) -> dict[int, int]:
    """How many relationships were reported at each level. A relationship both partners
    reported counts twice, once from each side, as each side may see it differently."""
    counts = dict.fromkeys(range(1, 5), 0)
    for rating in ratings:
        if rating.rater != rating.rated:
            counts[rating.intensity] += 1
    return counts


def contribution_counts(contributions: Iterable[tuple[Org, str]]) -> dict[str, int]:
    """How many organisations said they bring each kind of contribution."""
    givers: dict[str, set[Org]] = defaultdict(set)
    for organisation, kind in contributions:
        givers[kind].add(organisation)
    return {kind: len(orgs) for kind, orgs in givers.items()}


def change(current: float | None, previous: float | None) -> float | None:
    """None unless both figures are shown: a change between a hidden figure and a shown one
    would give the hidden one away."""
    if current is None or previous is None:
        return None
    return current - previous


def _suppress(score: Score) -> Score:
    if confidential.enough(score.raters):
        return score
    return Score(value=None, trust=None, raters=score.raters)


def _network_is_safe(ratings: list[Rating], scores: Mapping[Org, Score], answering: int) -> bool:
    """The network's figure is shown when enough organisations answered, and when the ratings
    of the organisations whose own figures are hidden come from enough raters: otherwise the
    network's figure, less the figures that are shown, would give away a hidden one."""
    if not confidential.enough(answering):
        return False
    hidden = {org for org, score in scores.items() if not confidential.enough(score.raters)}
    hidden_raters = {r.rater for r in ratings if r.rated in hidden and r.rater != r.rated}
    return not hidden_raters or confidential.enough(len(hidden_raters))


def results(
    ratings: Iterable[Rating],
    contributions: Iterable[tuple[Org, str]],
    answering: Iterable[Org],
    previous: "Results | None" = None,
) -> Results:
    """What may be shown of one round: each organisation's scores where at least
    `min_answers()` other organisations rated it, the network's and the counts where at least
    that many organisations answered, and the change since `previous` where both are shown."""
    ratings = list(ratings)
    answered = len(set(answering))
    raw = organisation_scores(ratings)
    organisations = {org: _suppress(score) for org, score in raw.items()}
    network = network_score(ratings)
    if not _network_is_safe(ratings, raw, answered):
        network = Score(value=None, trust=None, raters=network.raters)
    enough = confidential.enough(answered)
    found = Results(
        answering=answered,
        organisations=organisations,
        network=network,
        intensity=intensity_counts(ratings) if enough else None,
        contributions=contribution_counts(contributions) if enough else None,
    )
    if previous is None:
        return found
    return replace(
        found,
        organisation_change={
            org: Change(
                value=change(score.value, before.value), trust=change(score.trust, before.trust)
            )
            for org, score in organisations.items()
            if (before := previous.organisations.get(org)) is not None
        },
        network_change=Change(
            value=change(network.value, previous.network.value),
            trust=change(network.trust, previous.network.trust),
        ),
    )
