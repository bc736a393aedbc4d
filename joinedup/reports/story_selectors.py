"""Reads of stories. Only the author, and a reviewer who may see the child under the
need-to-know rule, ever read a story as it was written; everyone else reads the anonymised
text, and published pages are given `PublishedStory` values that hold nothing else."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from joinedup.children.need_to_know import sees_identity
from joinedup.core import audit
from joinedup.reports.anonymise import Anonymised, anonymise_for_child
from joinedup.reports.catalogue import FIGURE_TITLES
from joinedup.reports.models_stories import Story, StoryStatus
from joinedup.reports.story_services import is_reviewer
from joinedup.reports.tables import Scope


@dataclass(frozen=True)
class PublishedStory:
    """A published story as readers see it: anonymised words only."""

    id: Any
    figure: str
    figure_title: str
    scope_label: str
    title: str
    text: str
    own_words: str
    published_at: datetime | None


def _published(story: Story) -> PublishedStory:
    return PublishedStory(
        id=story.pk,
        figure=story.figure,
        figure_title=FIGURE_TITLES.get(story.figure, story.figure),
        scope_label=story.scope_label,
        title=story.anonymised_title,
        text=story.anonymised_text,
        own_words=story.anonymised_own_words,
        published_at=story.published_at,
    )


def _published_rows() -> QuerySet[Story]:
    # Only the anonymised fields are read from the database.
    return (
        Story.objects.filter(status=StoryStatus.PUBLISHED)
        .select_related("locality", "panel")
        .only(
            "id",
            "figure",
            "scope",
            "locality__name",
            "panel__name",
            "anonymised_title",
            "anonymised_text",
            "anonymised_own_words",
            "published_at",
        )
        .order_by("-published_at")
    )


def _in_scope(scope: Scope) -> Q:
    if scope.kind == "locality" and scope.locality is not None:
        return Q(scope="locality", locality=scope.locality) | Q(
            scope="panel", panel__localities=scope.locality
        )
    if scope.kind == "panel" and scope.panel is not None:
        return Q(scope="panel", panel=scope.panel) | Q(
            scope="locality", locality__in=scope.panel.localities.all()
        )
    return Q()


@audit.audit_exempt(reason="Published stories, anonymised: nothing in them names a child")
def published_for(figure_keys: Iterable[str], *, scope: Scope) -> dict[str, list[PublishedStory]]:
    """The published stories illustrating each of these figures for this scope: for the city,
    every published story; for a locality or a panel, the stories told of it (and of the
    panels serving the locality, or the localities the panel serves). A withdrawn story is
    gone from here the moment it is withdrawn."""
    keys = list(figure_keys)
    found: dict[str, list[PublishedStory]] = {key: [] for key in keys}
    rows = _published_rows().filter(figure__in=keys).filter(_in_scope(scope)).distinct()
    for story in rows:
        found[story.figure].append(_published(story))
    return found


@audit.audit_exempt(reason="Published stories, anonymised: nothing in them names a child")
def published_list(*, figure: str = "") -> list[PublishedStory]:
    rows = _published_rows()
    if figure:
        rows = rows.filter(figure=figure)
    return [_published(story) for story in rows[:200]]


@audit.audit_exempt(reason="The author's own stories, listed by their anonymised titles")
def my_stories(*, viewer: Any) -> list[Story]:
    return list(
        Story.objects.filter(author=viewer)
        .select_related("locality", "panel")
        .defer("text", "own_words", "title")
        .order_by("-updated_at")
    )


@audit.audited_read(fields=["child", "title", "text", "own_words"])
def story_for_author(*, viewer: Any, story_id: Any, purpose: str = "") -> Story:
    """A story as its author wrote it, with the child: for its author only (404 otherwise)."""
    story = (
        Story.objects.filter(pk=story_id, author=viewer)
        .select_related("child", "child__school", "child__locality", "locality", "panel")
        .first()
    )
    if story is None:
        raise Http404("No story of yours with this id")
    return story


@audit.audit_exempt(reason="Submitted stories, listed by their anonymised titles")
def review_queue(*, viewer: Any) -> list[Story]:
    if not is_reviewer(viewer):
        return []
    return list(
        Story.objects.filter(status=StoryStatus.SUBMITTED)
        .exclude(author=viewer)
        .select_related("author", "locality", "panel")
        .defer("text", "own_words", "title")
        .order_by("submitted_at")
    )


@audit.audited_read(fields=["anonymised_text", "anonymised_own_words"])
def story_for_review(*, viewer: Any, story_id: Any, purpose: str = "") -> Story:
    """A submitted story for a reviewer who is not its author (404 otherwise)."""
    if not is_reviewer(viewer):
        raise Http404("No story waiting for your review with this id")
    story = (
        Story.objects.filter(pk=story_id, status=StoryStatus.SUBMITTED)
        .exclude(author=viewer)
        .select_related("author", "child", "child__school", "child__locality", "locality", "panel")
        .first()
    )
    if story is None:
        raise Http404("No story waiting for your review with this id")
    return story


@audit.audit_exempt(reason="Whether need to know lets the reviewer see the child: a yes or no")
def reviewer_sees_original(viewer: Any, story: Story) -> bool:
    """A reviewer reads the story as written only if the need-to-know rule lets them see the
    child (a coordinator of the child's panel); others review the anonymised text and what was
    replaced in it."""
    return story.child is not None and sees_identity(viewer, story.child)


@audit.audit_exempt(reason="How many words of each kind anonymising replaced, never the words")
def replacement_summary(story: Story) -> list[str]:
    """What anonymising took out of the story as written, in words ("the child's name
    replaced by [the young person] 3 times"), without the names themselves."""
    if story.child is None:
        return []
    counts: dict[str, int] = {}
    for result in anonymise_for_child(story.child, story.title, story.text, story.own_words):
        for word, count in result.counts.items():
            counts[word] = counts.get(word, 0) + count
    return Anonymised("", counts).summary()


@audit.audited_read(fields=["given_name", "family_name", "reference"])
def children_to_write_about(*, viewer: Any, purpose: str = "") -> list[Any]:
    """The children the viewer may write a story about: those whose identity the need-to-know
    rule lets them see."""
    from joinedup.children.need_to_know import children_identified_to

    return list(
        children_identified_to(viewer).order_by("given_name", "family_name", "reference")[:300]
    )
