"""The stories' and reflections' rows of the bad-input table (tests/accounts/test_bad_input.py).
`world` is that module's World."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.panels.models import Attendance, AttendanceStatus, PanelRole
from joinedup.reports import story_services
from joinedup.reports.models_reflections import PulseAnswer, PulseGiven, PulseReflection
from joinedup.reports.models_stories import Story, StoryFamilyReview
from tests.conftest import make_person, sign_in_client
from tests.factories import ChildFactory, InvolvementFactory, MeetingFactory, PanelMemberFactory

STORY_TEXT = ("title", "text", "own_words")
STORY_REQUIRED = ("child", "figure", "scope", "title", "text")
STORY_WRONG = (
    ("child", "JU-NOT-MINE"),
    ("figure", "happiness_index"),
    ("scope", "galaxy"),
    ("locality", "not-a-uuid"),
    ("panel", "00000000-0000-4000-8000-000000000000"),
    ("consent_given_by", "the-neighbour"),
    ("consent_how", "telepathy"),
    ("consent_given_on_month", "13"),
)
STORY_ANCHORS = {
    name: "consent_given_on_day"
    for name in (
        "consent_given_on",
        "consent_given_on_day",
        "consent_given_on_month",
        "consent_given_on_year",
    )
}


def _author(world: Any) -> Any:
    if not hasattr(world, "story_author"):
        world.story_author = make_person(Role.KEYWORKER, full_name="Sol Storyteller")
        world.story_child = ChildFactory(given_name="Amina", family_name="Yusuf")
        InvolvementFactory(child=world.story_child, worker=world.story_author)
    sign_in_client(world.client, world.story_author)
    return world.story_author


def story_answers(world: Any) -> dict[str, Any]:
    return {
        "child": world.story_child.reference,
        "figure": "plan_outcomes",
        "scope": "city",
        "title": "Back to school",
        "text": "Amina is back at school.",
        "own_words": "I like it now.",
        "consent_given_by": "child",
        "consent_given_on_day": "2",
        "consent_given_on_month": "11",
        "consent_given_on_year": "2026",
        "consent_how": "in_person",
    }


def story_new_page(world: Any) -> str:
    _author(world)
    return reverse("reports:story_new")


def _story(world: Any) -> Story:
    if not hasattr(world, "story"):
        author = _author(world)
        world.story = story_services.story_save(
            actor=author,
            child=world.story_child,
            figure="plan_outcomes",
            scope="city",
            title="Back to school",
            text="Amina is back at school.",
        )
    sign_in_client(world.client, world.story_author)
    return world.story


def story_edit_page(world: Any) -> str:
    return reverse("reports:story_edit", kwargs={"story_id": _story(world).pk})


def story_state(world: Any) -> tuple[Any, ...]:
    stories = Story.objects.order_by("created_at")
    return tuple(stories.values_list("title", "text", "anonymised_text", "status"))


def anonymised_page(world: Any) -> str:
    return reverse("reports:story_anonymised", kwargs={"story_id": _story(world).pk})


def anonymised_answers(world: Any) -> dict[str, Any]:
    return {
        "anonymised_title": "Back to school",
        "anonymised_text": "[the young person] is back at school.",
        "anonymised_own_words": "",
    }


def family_page(world: Any) -> str:
    story = _story(world)
    if story.status == "draft":
        world.story = story_services.story_share(actor=world.story_author, story=story)
    return reverse("reports:story_family", kwargs={"story_id": world.story.pk})


def family_state(world: Any) -> tuple[Any, ...]:
    return (*story_state(world), StoryFamilyReview.objects.count())


def review_page(world: Any) -> str:
    story = _story(world)
    author = world.story_author
    if story.status == "draft":
        story = story_services.story_share(actor=author, story=story)
    if story.status == "with_family":
        story = story_services.story_family_response(actor=author, story=story, response="agreed")
    if story.status == "agreed":
        story = story_services.story_submit(actor=author, story=story)
    world.story = story
    sign_in_client(world.client, world.persona("strategic_manager"))
    return reverse("reports:story_review", kwargs={"story_id": world.story.pk})


def review_state(world: Any) -> tuple[Any, ...]:
    return (*story_state(world), *Story.objects.values_list("review_comments", "reviewer"))


def withdraw_page(world: Any) -> str:
    return reverse("reports:story_withdraw", kwargs={"story_id": _story(world).pk})


def pulse_page(world: Any) -> str:
    if not hasattr(world, "pulse_meeting"):
        world.pulse_member = make_person(Role.PANEL_MEMBER, full_name="Pat Pulse")
        world.pulse_meeting = MeetingFactory(starts_at=timezone.now() - timedelta(days=2))
        seat = PanelMemberFactory(
            panel=world.pulse_meeting.panel, user=world.pulse_member, role=PanelRole.MEMBER
        )
        Attendance.objects.create(
            meeting=world.pulse_meeting, member=seat, status=AttendanceStatus.PRESENT
        )
    sign_in_client(world.client, world.pulse_member)
    return reverse("reports:pulse_give", kwargs={"meeting_id": world.pulse_meeting.pk})


def pulse_answers(world: Any) -> dict[str, Any]:
    return {"useful": "4", "heard": "3", "actions": "partly", "reflection": "Useful."}


def pulse_saved(world: Any) -> tuple[int, int, int]:
    return PulseGiven.objects.count(), PulseAnswer.objects.count(), PulseReflection.objects.count()
