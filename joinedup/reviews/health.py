"""The partnership health check: its statements and how its figures are worked out
(docs/partnership-health-check.md).

The statements follow the six partnership principles of Hudson, Hardy, Henwood and Wistow
(Nuffield Institute for Health, 1997), which the research behind JoinedUp cites, written
afresh in plain words and grounded in what the research heard: several "hats", decisions made
"in a corridor", members chasing the same funding, evaluation by figures rather than stories.

Wording is versioned: a round keeps answering and showing the version its first answer used,
so changing a statement means adding a version, never editing one that rounds have used.

Nothing here touches the database: the figures are plain functions over ratings, so that the
arithmetic can be checked by hand."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# The scale, lowest first; "don't know" is kept but never counted in a figure.
SCALE: tuple[tuple[int, str], ...] = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)
SCALE_POINTS = tuple(point for point, _ in SCALE)
DONT_KNOW = "dont_know"
DONT_KNOW_LABEL = "Don't know"
# A standard deviation of a whole scale point or more: members' views are far apart. A common
# rule of thumb for five-point agreement scales; the page says it in words.
DISAGREEMENT_SD = 1.0


@dataclass(frozen=True)
class Statement:
    key: str
    text: str


@dataclass(frozen=True)
class Principle:
    key: str
    number: int
    title: str
    question: str
    statements: tuple[Statement, ...]


def _principle(number: int, key: str, title: str, question: str, *texts: str) -> Principle:
    return Principle(
        key=key,
        number=number,
        title=title,
        question=question,
        statements=tuple(
            Statement(f"{key}_{position}", text) for position, text in enumerate(texts, start=1)
        ),
    )


VERSION_1: tuple[Principle, ...] = (
    _principle(
        1,
        "need",
        "Acknowledging the need for partnership",
        "Do we know why we need to work together?",
        "We are clear why the children and families we serve need our organisations to work "
        "together rather than alone.",
        "Each member can say what their organisation gains from this partnership and what it "
        "gives to it.",
        "This partnership does something that the other partnerships we sit on do not.",
        "We would keep working together even if no funder or government department required it.",
    ),
    _principle(
        2,
        "purpose",
        "Clarity and realism of purpose",
        "Do we agree what we are for, and can we do it?",
        "The partnership's purpose is written down, and members describe it in the same way.",
        "Our aims are realistic for the time, money and staff we have.",
        "We have talked openly about how differently our organisations see the children and "
        "families we work with.",
        "We know what success would look like and how we would notice it.",
    ),
    _principle(
        3,
        "commitment",
        "Commitment and ownership",
        "Do members put their organisations behind the partnership?",
        "Each member organisation sends someone who can commit its staff or money, or a deputy "
        "who can.",
        "Members come to meetings regularly, and send word and a deputy when they cannot.",
        "Members do what they agreed to do at meetings without needing to be chased.",
        "The partnership's work is shared by all its members, not left to one organisation or "
        "one worker.",
    ),
    _principle(
        4,
        "trust",
        "Development and maintenance of trust",
        "Do members trust each other enough to take risks together?",
        "Members are open about their own organisation's agenda and pressures.",
        "Voluntary, community and faith groups have as much say here as statutory agencies.",
        "Decisions are made in our meetings, not settled beforehand in a corridor.",
        "Competing for the same funding does not stop members sharing information and ideas.",
    ),
    _principle(
        5,
        "arrangements",
        "Clear and robust partnership arrangements",
        "Are our arrangements clear, fair and able to last?",
        "It is clear who can be a member and on what basis, not only who knows whom.",
        "Members know who decides what, and how decisions and their reasons are recorded.",
        "When someone wears several hats, it is clear which organisation they speak for.",
        "Our way of working would survive a funding stream ending or a key person leaving.",
    ),
    _principle(
        6,
        "learning",
        "Monitoring, review and organisational learning",
        "Do we check how we are doing and learn from it?",
        "We regularly check whether the partnership is achieving what it set out to do.",
        "We learn from the stories of children and families, not only from the figures.",
        "We make time to reflect on how we work together, not only on the tasks.",
        "What the partnership learns changes how our own organisations work.",
    ),
)

VERSIONS: dict[int, tuple[Principle, ...]] = {1: VERSION_1}
CURRENT_VERSION = max(VERSIONS)


def principles(version: int) -> tuple[Principle, ...]:
    return VERSIONS[version]


def statement_keys(version: int) -> list[str]:
    return [s.key for p in principles(version) for s in p.statements]


# --------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Bar:
    point: int
    label: str
    count: int
    # The bar's length as a tenth of the longest bar, so that styles can draw it by class.
    tenths: int


@dataclass(frozen=True)
class Figures:
    """What one statement or principle shows. `shown` is False when too few answers stand
    behind it: then nothing but the counts of answers is shown, and `why` says so."""

    answers: int
    dont_know: int
    shown: bool
    why: str = ""
    counts: tuple[Bar, ...] = ()
    mean: float | None = None
    sd: float | None = None

    @property
    def disagree(self) -> bool:
        return self.sd is not None and self.sd >= DISAGREEMENT_SD


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def population_sd(values: list[float]) -> float:
    """The spread of these answers themselves (dividing by n, not n - 1): the page describes
    the partnership's answers, it does not estimate anything beyond them."""
    centre = mean(values)
    return math.sqrt(sum((v - centre) ** 2 for v in values) / len(values))


def bars(values: Iterable[int]) -> tuple[Bar, ...]:
    counts = dict.fromkeys(SCALE_POINTS, 0)
    for value in values:
        counts[value] += 1
    longest = max(counts.values()) or 1
    return tuple(
        Bar(point, label, counts[point], round(10 * counts[point] / longest))
        for point, label in SCALE
    )


def too_few(answers: int, minimum: int, unit: str = "answers") -> str:
    return (
        f"Not enough answers to show: {answers} {unit}, and a figure needs at least {minimum} "
        "so that nobody's answer can be worked out from it."
    )


@dataclass(frozen=True)
class StatementResult:
    statement: Statement
    figures: Figures


@dataclass(frozen=True)
class PrincipleResult:
    principle: Principle
    figures: Figures
    statements: tuple[StatementResult, ...]
    left_out: int  # statements with too few answers, kept out of the principle's figures
    disagreements: int  # shown statements where members' views are far apart
    change: float | None = None  # since the previous round, where both are shown

    @property
    def change_text(self) -> str:
        if self.change is None:
            return ""
        rounded = round(self.change, 1)
        if rounded == 0:
            return "No change"
        return f"{'Up' if rounded > 0 else 'Down'} {abs(rounded):.1f}"


@dataclass(frozen=True)
class Results:
    version: int
    respondents: int
    shown: bool
    why: str
    principles: tuple[PrincipleResult, ...]

    def by_key(self) -> dict[str, PrincipleResult]:
        return {p.principle.key: p for p in self.principles}


# One answer sheet: statement key -> a scale point, or None for "don't know".
Sheet = dict[str, int | None]


def score(sheets: list[Sheet], *, version: int, minimum: int) -> Results:
    """The figures for one round's answer sheets.

    A statement shows its counts, mean and spread when at least `minimum` people rated it
    (a "don't know" is not a rating). A principle is worked out from its shown statements
    only, so that a hidden statement's answers cannot be recovered by subtracting the shown
    ones from the principle's: each member's score for the principle is the mean of their
    ratings of those statements, and the principle's mean and spread are those of the
    members' scores. Below `minimum` sheets in all, nothing per statement is shown, not even
    the "don't know"s, which with two people would tell each the other's answer."""
    respondents = len(sheets)
    if respondents < minimum:
        return Results(
            version=version,
            respondents=respondents,
            shown=False,
            why=too_few(respondents, minimum, "people have answered"),
            principles=(),
        )
    results = []
    for principle in principles(version):
        statement_results = []
        kept: list[str] = []
        for statement in principle.statements:
            given = [sheet.get(statement.key) for sheet in sheets if statement.key in sheet]
            ratings = [value for value in given if value is not None]
            dont_know = len(given) - len(ratings)
            if len(ratings) >= minimum:
                figures = Figures(
                    answers=len(ratings),
                    dont_know=dont_know,
                    shown=True,
                    counts=bars(ratings),
                    mean=mean([float(r) for r in ratings]),
                    sd=population_sd([float(r) for r in ratings]),
                )
                kept.append(statement.key)
            else:
                figures = Figures(
                    answers=len(ratings),
                    dont_know=dont_know,
                    shown=False,
                    why=too_few(len(ratings), minimum),
                )
            statement_results.append(StatementResult(statement, figures))
        member_scores = []
        pooled: list[int] = []
        for sheet in sheets:
            own = [sheet[key] for key in kept if sheet.get(key) is not None]
            rated = [value for value in own if value is not None]
            if rated:
                member_scores.append(mean([float(r) for r in rated]))
                pooled.extend(rated)
        dont_know = sum(r.figures.dont_know for r in statement_results if r.statement.key in kept)
        if len(member_scores) >= minimum:
            principle_figures = Figures(
                answers=len(member_scores),
                dont_know=dont_know,
                shown=True,
                counts=bars(pooled),
                mean=mean(member_scores),
                sd=population_sd(member_scores),
            )
        else:
            principle_figures = Figures(
                answers=len(member_scores),
                dont_know=dont_know,
                shown=False,
                why=too_few(len(member_scores), minimum, "people rated its statements"),
            )
        results.append(
            PrincipleResult(
                principle=principle,
                figures=principle_figures,
                statements=tuple(statement_results),
                left_out=len(principle.statements) - len(kept),
                disagreements=sum(1 for r in statement_results if r.figures.disagree),
            )
        )
    return Results(
        version=version,
        respondents=respondents,
        shown=True,
        why="",
        principles=tuple(results),
    )


def compared(current: Results, previous: Results | None) -> Results:
    """`current` with each principle's change in mean since `previous`, matched by the
    principle (the six principles stay the same across versions of the wording); no change is
    given where either side's figure is not shown."""
    if previous is None or not current.shown or not previous.shown:
        return current
    before = previous.by_key()
    changed = []
    for result in current.principles:
        earlier = before.get(result.principle.key)
        change = None
        if (
            earlier is not None
            and result.figures.shown
            and earlier.figures.shown
            and result.figures.mean is not None
            and earlier.figures.mean is not None
        ):
            change = result.figures.mean - earlier.figures.mean
        changed.append(
            PrincipleResult(
                principle=result.principle,
                figures=result.figures,
                statements=result.statements,
                left_out=result.left_out,
                disagreements=result.disagreements,
                change=change,
            )
        )
    return Results(
        version=current.version,
        respondents=current.respondents,
        shown=current.shown,
        why=current.why,
        principles=tuple(changed),
    )


def sheets_from_rows(rows: Iterable[tuple[object, str, int | None]]) -> list[Sheet]:
    """(sheet id, statement key, score) rows as one dict per sheet, in no meaningful order."""
    grouped: dict[object, Sheet] = defaultdict(dict)
    for sheet_id, key, value in rows:
        grouped[sheet_id][key] = value
    return list(grouped.values())
