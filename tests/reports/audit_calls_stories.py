"""The story selectors' rows of the audit-trail table (tests/core/test_audit_trail.py)."""

from typing import Any

from joinedup.core.roles import Role
from joinedup.reports import story_selectors
from joinedup.reports.models_stories import Story, StoryStatus
from tests.factories import ChildFactory, InvolvementFactory, MembershipFactory, UserFactory


def story_calls(viewer: Any) -> dict[str, Any]:
    """Makes `viewer` the author of a story about a child they work with, and a strategic
    manager with someone else's story to review."""
    MembershipFactory(user=viewer, role=Role.STRATEGIC_MANAGER)
    viewer.__dict__.pop("_joinedup_roles", None)
    child = ChildFactory()
    InvolvementFactory(child=child, worker=viewer)
    own = Story.objects.create(
        author=viewer, child=child, figure="plan_outcomes", title="Mine", text="Mine."
    )
    submitted = Story.objects.create(
        author=UserFactory(),
        child=ChildFactory(),
        figure="plan_outcomes",
        title="Theirs",
        text="Theirs.",
        status=StoryStatus.SUBMITTED,
    )
    return {
        "joinedup.reports.story_selectors.story_for_author": (
            lambda: story_selectors.story_for_author(viewer=viewer, story_id=own.pk)
        ),
        "joinedup.reports.story_selectors.story_for_review": (
            lambda: story_selectors.story_for_review(viewer=viewer, story_id=submitted.pk)
        ),
        "joinedup.reports.story_selectors.children_to_write_about": (
            lambda: story_selectors.children_to_write_about(viewer=viewer)
        ),
    }
