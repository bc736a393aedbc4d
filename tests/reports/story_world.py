"""A hand-built child with a household, a school, an address and a locality, the keyworker
who works with them, and the reviewers: shared by the story tests."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from joinedup.accounts.models import User
from joinedup.children.models import Address, Relationship
from joinedup.core.roles import Role
from joinedup.reports import story_services
from joinedup.reports.models_stories import FamilyResponse, Story
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    LocalityFactory,
    OrganisationFactory,
    ParentFactory,
    SchoolFactory,
)

STORY = (
    "When I first met Amina Yusuf she was missing school most weeks. Amina's mum, Hodan Yusuf, "
    "told me Amina felt nobody at Whitehall Primary listened. We met at 12 Stapleton Road, "
    "BS5 6JX, and walked round Easton and Lawrence Hill together. Her brother Idris came too."
)
OWN_WORDS = "Mina says: I like going to Whitehall Primary now."
ANONYMISED = (
    "When I first met [the young person] she was missing school most weeks. [the young "
    "person]'s mum, [their mother], told me [the young person] felt nobody at [their school] "
    "listened. We met at [their home], [their postcode], and walked round [the area] and "
    "[the area] together. Her brother [their brother or sister] came too."
)


@dataclass
class StoryWorld:
    child: Any
    keyworker: User
    strategic_manager: User
    coordinator: User
    stranger: User

    def write(self, **changes: Any) -> Story:
        answers: dict[str, Any] = {
            "actor": self.keyworker,
            "child": self.child,
            "figure": "plan_outcomes",
            "scope": "city",
            "title": "Amina goes back to school",
            "text": STORY,
            "own_words": OWN_WORDS,
            "consent_given_by": "both",
            "consent_given_on": date(2026, 11, 2),
            "consent_how": "in_person",
        }
        answers.update(changes)
        return story_services.story_save(**answers)

    def agreed(self, **changes: Any) -> Story:
        story = self.write(**changes)
        story_services.story_share(actor=self.keyworker, story=story)
        return story_services.story_family_response(
            actor=self.keyworker, story=story, response=FamilyResponse.AGREED
        )

    def submitted(self, **changes: Any) -> Story:
        return story_services.story_submit(actor=self.keyworker, story=self.agreed(**changes))

    def published(self, **changes: Any) -> Story:
        return story_services.story_review(
            actor=self.strategic_manager, story=self.submitted(**changes), decision="approve"
        )


def story_world() -> StoryWorld:
    easton = LocalityFactory(
        name="Easton", slug="easton", wards=["Lawrence Hill"], postcode_districts=["BS5"]
    )
    child = ChildFactory(
        given_name="Amina",
        family_name="Yusuf",
        preferred_name="Mina",
        locality=easton,
        school=SchoolFactory(name="Whitehall Primary"),
    )
    ParentFactory(child=child, full_name="Hodan Yusuf", relationship=Relationship.MOTHER)
    ParentFactory(
        child=child,
        full_name="Idris Yusuf",
        relationship=Relationship.SIBLING,
        has_parental_responsibility=False,
    )
    Address.objects.create(
        child=child, line_1="12 Stapleton Road", postcode="BS5 6JX", locality=easton
    )
    keyworker = make_person(Role.KEYWORKER, full_name="Kit Keyworker")
    InvolvementFactory(child=child, worker=keyworker, organisation=OrganisationFactory())
    return StoryWorld(
        child=child,
        keyworker=keyworker,
        strategic_manager=make_person(Role.STRATEGIC_MANAGER, full_name="Sam Strategic"),
        coordinator=make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator"),
        stranger=make_person(Role.KEYWORKER, full_name="Stan Stranger"),
    )
