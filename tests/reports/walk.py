"""The story in the access-policy walker's world (tests/core/test_access_policy.py)."""

from typing import Any

from joinedup.reports.models_stories import Story


def story_rows(*, author: Any, child: Any) -> Story:
    """A draft by someone who is not one of the walker's personas."""
    return Story.objects.create(
        author=author,
        child=child,
        figure="plan_outcomes",
        title="A story",
        text="A story.",
        anonymised_title="A story",
        anonymised_text="A story.",
    )
