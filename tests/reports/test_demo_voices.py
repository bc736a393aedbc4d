"""The demo's stories and reflections: the pages are not empty, and what they show is safe."""

from joinedup.accounts.models import User
from joinedup.demo.catalogue import LOCALITIES
from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.reports import reflection_selectors, story_selectors
from joinedup.reports.models_reflections import PulseAnswer
from joinedup.reports.models_stories import Story, StoryStatus


def _user(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_EMAIL_DOMAIN}")


def test_the_demo_has_stories_at_every_step_and_reflections_to_read(db):
    load_demo_data()
    statuses = sorted(Story.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            StoryStatus.PUBLISHED,
            StoryStatus.PUBLISHED,
            StoryStatus.SUBMITTED,
            StoryStatus.WITH_FAMILY,
            StoryStatus.DRAFT,
            StoryStatus.WITHDRAWN,
        ]
    )
    published = story_selectors.published_list()
    assert len(published) == 2
    for story, row in ((p, Story.objects.select_related("child").get(pk=p.id)) for p in published):
        assert row.child.given_name not in story.text
        assert row.child.family_name not in story.text
    assert len(story_selectors.review_queue(viewer=_user("strategic.manager"))) == 1

    found = reflection_selectors.panel_reflections(
        viewer=_user("panel.chair"), slug=LOCALITIES[0].slug
    )
    shown = [m for m in found.meetings if m.shown]
    assert len(shown) == 1
    assert shown[0].answers == 3
    assert any(not m.shown and not m.open and m.answers == 2 for m in found.meetings)
    # Lockleaze's meeting five days ago is open: those who attended are reminded.
    assert reflection_selectors.meetings_to_reflect_on(viewer=_user("keyworker"))
    assert reflection_selectors.meetings_to_reflect_on(viewer=_user("panel.chair"))
    assert not reflection_selectors.meetings_to_reflect_on(viewer=_user("panel.member"))

    counts = (Story.objects.count(), PulseAnswer.objects.count())
    load_demo_data()
    assert (Story.objects.count(), PulseAnswer.objects.count()) == counts
