"""The demo's stories (docs/stories.md): the demo keyworker's stories about children on their
caseload, one at each step of the workflow, written through the same services as real ones, so
that the anonymisation the demo shows is the real one. Invented, like every demo child; loaded
once (nothing is added once the keyworker has a story)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.children.need_to_know import children_identified_to
from joinedup.demo.catalogue import LOCALITIES
from joinedup.organisations.models import Locality
from joinedup.reports import story_services
from joinedup.reports.models_stories import FamilyResponse, Story

DEMO_EMAIL_DOMAIN = "demo.joinedup.test"

# (figure, scope, title, story, their own words, how far it gets). "{name}", "{family}" and
# "{school}" are the child's, so that the anonymised version has something to take out.
STORIES: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "plan_outcomes",
        "city",
        "{name} finds a way back into school",
        "When I first met {name} {family}, {name} was missing two or three days of school a "
        "week and had stopped going to football. {name}'s mum said the mornings had become a "
        "battle. The panel agreed a mentor from the youth service and a place at the homework "
        "club at {school}. Six months on, {name} has missed one day this term and is back in "
        "the team. The plan closed because the goals were met.",
        "I didn't think anyone would bother with me. Now I want to be at school.",
        "published",
    ),
    (
        "referral_conversion",
        "locality",
        "Getting to the panel before things got worse",
        "{name}'s teacher at {school} noticed {name} was withdrawn and hungry. The family had "
        "never been referred anywhere before and were wary of social services. Because the "
        "referral came to the panel early, the family met a community group they already knew, "
        "and {name} started a plan within three weeks.",
        "We were scared it meant trouble. It meant help.",
        "published",
    ),
    (
        "time_to_first_service",
        "city",
        "Waiting for a counsellor",
        "{name} {family} waited eleven weeks for counselling after the panel agreed it. The "
        "family kept going to the drop-in in the meantime, and the keyworker saw {name} weekly.",
        "",
        "submitted",
    ),
    (
        "services_used",
        "city",
        "A summer with the holiday activity group",
        "{name} joined the shared summer programme, one registration for three organisations, "
        "and went to every session.",
        "",
        "with_family",
    ),
    (
        "actions_by_agency",
        "city",
        "What changed when the school took the action",
        "At the March panel {school} took on the action to set up a quiet space for {name}.",
        "",
        "draft",
    ),
    (
        "plan_outcomes",
        "city",
        "A story the family withdrew",
        "{name} {family} left the plan early when the family moved away.",
        "",
        "withdrawn",
    ),
)


def _save(author: User, child: Any, spec: tuple[str, ...], lockleaze: Locality | None) -> Story:
    figure, scope, title, text, own_words, _ = spec
    school = child.school.name if child.school is not None else "the school"
    words = {"name": child.known_as, "family": child.family_name, "school": school}
    if scope == "locality" and lockleaze is None:
        scope = "city"
    return story_services.story_save(
        actor=author,
        child=child,
        figure=figure,
        scope=scope,
        locality=lockleaze if scope == "locality" else None,
        title=title.format(**words),
        text=text.format(**words),
        own_words=own_words,
        consent_given_by="both" if own_words else "",
        consent_given_on=timezone.localdate() - timedelta(days=40) if own_words else None,
        consent_how="in_person" if own_words else "",
    )


def load_demo_stories() -> None:
    author = User.objects.filter(email=f"keyworker@{DEMO_EMAIL_DOMAIN}").first()
    reviewer = User.objects.filter(email=f"strategic.manager@{DEMO_EMAIL_DOMAIN}").first()
    if author is None or reviewer is None or Story.objects.filter(author=author).exists():
        return
    children = list(children_identified_to(author).order_by("reference")[: len(STORIES)])
    lockleaze = Locality.objects.filter(slug=LOCALITIES[1].slug).first()
    for child, spec in zip(children, STORIES, strict=False):
        story = _save(author, child, spec, lockleaze)
        goal = spec[-1]
        if goal == "draft":
            continue
        story = story_services.story_share(actor=author, story=story)
        if goal == "with_family":
            continue
        if goal == "withdrawn":
            story_services.story_family_response(
                actor=author, story=story, response=FamilyResponse.WITHDREW
            )
            continue
        story = story_services.story_family_response(
            actor=author, story=story, response=FamilyResponse.AGREED
        )
        story = story_services.story_submit(actor=author, story=story)
        if goal == "published":
            story_services.story_review(actor=reviewer, story=story, decision="approve")
