"""The "Over to You" statements: a few simple sentences per area of life, one list in a child's
words and one in a parent's or carer's. Each is answered agree, not sure or disagree, and
nobody has to answer every one. Keys are stored with the answers, so a key is never reused for
a different sentence; a sentence can be reworded as long as it asks the same thing."""

from dataclasses import dataclass

from joinedup.assessments.models import Respondent


@dataclass(frozen=True)
class Statement:
    key: str
    text: str


@dataclass(frozen=True)
class Group:
    title: str
    statements: tuple[Statement, ...]


def _group(title: str, *statements: tuple[str, str]) -> Group:
    return Group(title, tuple(Statement(key, text) for key, text in statements))


CHILD_STATEMENTS: tuple[Group, ...] = (
    _group(
        "Home and family",
        ("home_get_on", "I get on with the people I live with"),
        ("home_safe", "I feel safe at home"),
        ("home_talk", "There is someone at home I can talk to when I am worried"),
    ),
    _group(
        "School",
        ("school_like", "I like going to school"),
        ("school_adult", "There is a teacher or another adult at school I can talk to"),
        ("school_work", "I can do most of the work at school"),
    ),
    _group(
        "Friends and free time",
        ("friends_trust", "I have friends I can trust"),
        ("friends_enjoy", "There are things I enjoy doing after school"),
        ("friends_pressure", "My friends sometimes want me to do things I do not want to do"),
        ("friends_substances", "People I spend time with smoke, drink alcohol or take drugs"),
    ),
    _group(
        "Where I live",
        ("area_safe", "I feel safe in the area where I live"),
        ("area_things_to_do", "There are good places near my home to have fun"),
    ),
    _group(
        "My health and feelings",
        ("health_sleep", "I sleep well most nights"),
        ("health_happy", "I feel happy most of the time"),
        ("health_calm", "When I get angry or upset I can calm down"),
    ),
    _group(
        "About me",
        ("me_like", "I like who I am"),
        ("me_good_at", "I am good at some things"),
        ("me_better", "I think things can get better for me"),
        ("me_help", "I would like some help"),
    ),
)

PARENT_STATEMENTS: tuple[Group, ...] = (
    _group(
        "Family life",
        ("family_get_on", "My child and I get on well"),
        ("family_rules", "There are clear rules at home and my child mostly keeps to them"),
        ("family_whereabouts", "I usually know where my child is and who they are with"),
        ("family_changes", "Changes or worries in our family are affecting my child"),
    ),
    _group(
        "School",
        ("school_likes", "My child likes going to school"),
        ("school_contact", "I am in touch with my child's school"),
        ("school_help", "My child gets the help they need with their learning"),
    ),
    _group(
        "Friends and free time",
        ("friends_good", "My child has good friends"),
        ("friends_activities", "My child has things to do in their free time that they enjoy"),
        ("friends_worry", "I worry about some of the people my child spends time with"),
    ),
    _group(
        "Where we live",
        ("area_safe", "Where we live is a safe place for my child"),
        ("area_activities", "There are activities for children near where we live"),
    ),
    _group(
        "Health and feelings",
        ("health_well", "My child is healthy"),
        ("health_happy", "My child seems happy most of the time"),
        ("health_feelings", "My child can manage their feelings when they are upset"),
    ),
    _group(
        "Support",
        ("support_people", "I have people I can turn to for help"),
        ("support_wanted", "I would like some support as a parent or carer"),
        ("support_better", "I think things can get better for my child"),
    ),
)


def groups_for(respondent: str) -> tuple[Group, ...]:
    return CHILD_STATEMENTS if respondent == Respondent.CHILD else PARENT_STATEMENTS


def statements_for(respondent: str) -> dict[str, Statement]:
    return {s.key: s for group in groups_for(respondent) for s in group.statements}
