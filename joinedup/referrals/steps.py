"""The referral's question pages and the draft that carries answers between them.

Answers live in the session until the referrer submits them on the check-your-answers page,
so nothing about the child is stored in the database before the referral is made whole.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.datastructures import MultiValueDict

from joinedup.core.forms import GovukForm
from joinedup.referrals import forms

DRAFT_KEY = "referral_draft"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type[GovukForm]


STEPS: tuple[Step, ...] = (
    Step("child", "About the child", forms.ChildForm),
    Step("more", "More about the child", forms.MoreAboutChildForm),
    Step("home", "Where the child lives", forms.HomeForm),
    Step("carer", "The child's parent or carer", forms.CarerForm),
    Step("you", "About you", forms.AboutYouForm),
    Step("reasons", "Why you are referring", forms.ReasonsForm),
    Step("family", "The child's family", forms.FamilyForm),
    Step("safeguarding", "Safeguarding", forms.SafeguardingForm),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
# Which page asks for each field, so an error found on submission sends the referrer there.
STEP_OF_FIELD = {name: step.slug for step in STEPS for name in step.form_class.base_fields} | {
    "address_line_1": "home",
    "address_postcode": "home",
}


def draft(session: SessionBase) -> dict[str, dict[str, list[str]]]:
    stored: dict[str, dict[str, list[str]]] = session.get(DRAFT_KEY, {})
    return stored


def save_answers(session: SessionBase, step: Step, data: MultiValueDict[str, Any]) -> None:
    answers = draft(session)
    answers[step.slug] = {
        key: data.getlist(key) for key in data if key not in {"csrfmiddlewaretoken"}
    }
    session[DRAFT_KEY] = answers


def clear(session: SessionBase) -> None:
    session.pop(DRAFT_KEY, None)


def bound_form(step: Step, session: SessionBase, user: Any, data: Any = None) -> GovukForm:
    answers = draft(session).get(step.slug)
    if data is None and answers is not None:
        data = MultiValueDict(answers)
    kwargs: dict[str, Any] = {"user": user} if step.form_class is forms.AboutYouForm else {}
    return step.form_class(data, **kwargs)


def next_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def first_unfinished(session: SessionBase, user: Any) -> tuple[Step | None, dict[str, Any]]:
    """The first page whose answers are missing or no longer valid, and all cleaned answers."""
    cleaned: dict[str, Any] = {}
    for step in STEPS:
        if step.slug not in draft(session):
            return step, cleaned
        form = bound_form(step, session, user)
        if not form.is_valid():
            return step, cleaned
        cleaned[step.slug] = form
    return None, cleaned
