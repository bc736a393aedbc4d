"""Every change to a story, one function per step of its workflow (docs/stories.md):

draft -> shared with the family -> (agreed | asked for changes -> draft) -> submitted ->
(published | returned with comments -> draft) ... and withdrawn from any step, by the author or
for the family, which erases its words at once.

Each step checks who may take it, runs in one transaction and writes the audit trail, whose
entries name fields and statuses, never the story's words."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from joinedup.children.models import Child
from joinedup.children.need_to_know import sees_identity
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.reports.anonymise import anonymise_for_child
from joinedup.reports.catalogue import FIGURE_TITLES
from joinedup.reports.models_stories import (
    ConsentGiver,
    ConsentHow,
    FamilyResponse,
    Story,
    StoryFamilyReview,
    StoryScope,
    StoryStatus,
    WithdrawnBy,
)

TITLE_LENGTH = 120
TEXT_LENGTH = 5000
OWN_WORDS_LENGTH = 2000
COMMENTS_LENGTH = 2000
REVIEWER_ROLES = (Role.STRATEGIC_MANAGER, Role.PANEL_COORDINATOR)


class StoryError(FieldError):
    pass


def may_write_about(user: Any, child: Child) -> bool:
    """Anyone who may see the child's identity under the need-to-know rule: the keyworker and
    the rest of the team around the child."""
    return sees_identity(user, child)


def is_reviewer(user: Any) -> bool:
    return has_role(user, *REVIEWER_ROLES)


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


def _must_be_author(actor: Any, story: Story) -> None:
    if story.author_id != actor.pk:
        raise PermissionDenied("Only the story's author can do that")


def _anonymise(story: Story) -> None:
    if story.child is None:
        return
    title, text, own_words = anonymise_for_child(
        story.child, story.title, story.text, story.own_words
    )
    story.anonymised_title = title.text
    story.anonymised_text = text.text
    story.anonymised_own_words = own_words.text
    story.anonymised_edited = False


def _check_scope(scope: str, locality: Any, panel: Any) -> tuple[Any, Any]:
    if scope not in StoryScope.values:
        raise StoryError("Choose whose figures the story illustrates", field="scope")
    if scope == StoryScope.LOCALITY:
        if locality is None:
            raise StoryError("Choose the locality", field="locality")
        return locality, None
    if scope == StoryScope.PANEL:
        if panel is None:
            raise StoryError("Choose the panel", field="panel")
        return None, panel
    return None, None


def _check_consent(
    own_words: str, given_by: str, given_on: date | None, how: str
) -> tuple[str, date | None, str]:
    if not own_words:
        return given_by if given_by in ConsentGiver.values else "", given_on, how
    if given_by not in ConsentGiver.values:
        raise StoryError(
            "Say who agreed to their own words being used: the child, a parent or carer, or both",
            field="consent_given_by",
        )
    if given_on is None:
        raise StoryError("Enter the date they agreed", field="consent_given_on")
    if given_on > timezone.localdate():
        raise StoryError("The date they agreed must be today or earlier", field="consent_given_on")
    if how not in ConsentHow.values:
        raise StoryError("Say how they agreed", field="consent_how")
    return given_by, given_on, how


def story_save(
    *,
    actor: Any,
    story: Story | None = None,
    child: Child | None,
    figure: str,
    scope: str,
    locality: Any = None,
    panel: Any = None,
    title: str,
    text: str,
    own_words: str = "",
    consent_given_by: str = "",
    consent_given_on: date | None = None,
    consent_how: str = "",
) -> Story:
    """Write a new story, or change a draft or a returned one. The anonymised text is worked
    out again from the child's record; the author edits it further on the preview page."""
    if story is not None:
        _must_be_author(actor, story)
    if child is None:
        raise StoryError("Choose the child or young person the story is about", field="child")
    if not may_write_about(actor, child):
        raise StoryError(
            "You can write only about a child or young person you work with", field="child"
        )
    if figure not in FIGURE_TITLES:
        raise StoryError("Choose the figure the story illustrates", field="figure")
    locality, panel = _check_scope(scope, locality, panel)
    title = title.strip()
    text = text.strip()
    own_words = own_words.strip()
    if not title:
        raise StoryError("Enter a title for the story", field="title")
    if len(title) > TITLE_LENGTH:
        raise StoryError(f"The title must be {TITLE_LENGTH} characters or fewer", field="title")
    if not text:
        raise StoryError("Write the story", field="text")
    if len(text) > TEXT_LENGTH:
        raise StoryError(f"The story must be {TEXT_LENGTH} characters or fewer", field="text")
    if len(own_words) > OWN_WORDS_LENGTH:
        raise StoryError(
            f"Their own words must be {OWN_WORDS_LENGTH} characters or fewer", field="own_words"
        )
    consent_given_by, consent_given_on, consent_how = _check_consent(
        own_words, consent_given_by, consent_given_on, consent_how
    )
    with transaction.atomic():
        if story is None:
            story = Story(author=actor)
            verb = AuditVerb.CREATE
        else:
            story = _locked(story)
            if not story.editable:
                raise StoryError(
                    "This story can no longer be changed: withdraw it, or wait for its review",
                    field="text",
                )
            verb = AuditVerb.UPDATE
        story.child = child
        story.figure = figure
        story.scope = scope
        story.locality = locality
        story.panel = panel
        story.title = title
        story.text = text
        story.own_words = own_words
        story.consent_given_by = consent_given_by
        story.consent_given_on = consent_given_on
        story.consent_how = consent_how
        # A changed story goes back to the family before it is submitted again.
        story.status = StoryStatus.DRAFT
        _anonymise(story)
        story.save()
        audit.record(
            actor=actor,
            verb=verb,
            target=story,
            fields=["child", "figure", "scope", "title", "text", "own_words", "consent"],
            detail={"status": story.status},
        )
    return story


def story_anonymised_edit(
    *,
    actor: Any,
    story: Story,
    anonymised_title: str,
    anonymised_text: str,
    anonymised_own_words: str,
) -> Story:
    """The author's own changes to the anonymised text. The child's names and places are taken
    out again, so that an edit cannot bring one back."""
    _must_be_author(actor, story)
    anonymised_title = anonymised_title.strip()
    anonymised_text = anonymised_text.strip()
    anonymised_own_words = anonymised_own_words.strip()
    if not anonymised_title:
        raise StoryError("Enter the title as readers will see it", field="anonymised_title")
    if len(anonymised_title) > TITLE_LENGTH + 80:
        raise StoryError(
            f"The title must be {TITLE_LENGTH + 80} characters or fewer", field="anonymised_title"
        )
    if not anonymised_text:
        raise StoryError("Enter the story as readers will see it", field="anonymised_text")
    if len(anonymised_text) > TEXT_LENGTH + 1000:
        raise StoryError(
            f"The story must be {TEXT_LENGTH + 1000} characters or fewer", field="anonymised_text"
        )
    if len(anonymised_own_words) > OWN_WORDS_LENGTH + 500:
        raise StoryError(
            f"Their words must be {OWN_WORDS_LENGTH + 500} characters or fewer",
            field="anonymised_own_words",
        )
    if anonymised_own_words and not story.own_words:
        raise StoryError(
            "Add their own words, with their consent, to the story itself first",
            field="anonymised_own_words",
        )
    with transaction.atomic():
        story = _locked(story)
        if not story.editable or story.child is None:
            raise StoryError("This story can no longer be changed", field="anonymised_text")
        title, text, own_words = anonymise_for_child(
            story.child, anonymised_title, anonymised_text, anonymised_own_words
        )
        story.anonymised_title = title.text
        story.anonymised_text = text.text
        story.anonymised_own_words = own_words.text
        story.anonymised_edited = True
        story.status = StoryStatus.DRAFT
        story.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=story,
            fields=["anonymised_title", "anonymised_text", "anonymised_own_words"],
        )
    return story


def story_share(*, actor: Any, story: Story) -> Story:
    """The author shows the anonymised story to the child or family to review."""
    _must_be_author(actor, story)
    with transaction.atomic():
        story = _locked(story)
        if story.status != StoryStatus.DRAFT:
            raise StoryError("Only a draft is shared with the family", field="status")
        story.status = StoryStatus.WITH_FAMILY
        story.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=story,
            fields=["status"],
            detail={"status": story.status},
        )
    return story


def story_family_response(*, actor: Any, story: Story, response: str, note: str = "") -> Story:
    """What the family said, as the author records it: they agree (the story can be
    submitted), they ask for changes (it goes back to draft for the author to amend), or they
    withdraw it (its words are erased)."""
    _must_be_author(actor, story)
    if response not in FamilyResponse.values:
        raise StoryError("Choose what the family said", field="response")
    note = note.strip()
    if response == FamilyResponse.CHANGES and not note:
        raise StoryError("Say what they asked to change", field="note")
    if len(note) > COMMENTS_LENGTH:
        raise StoryError(f"The note must be {COMMENTS_LENGTH} characters or fewer", field="note")
    if response == FamilyResponse.WITHDREW:
        return story_withdraw(actor=actor, story=story, by=WithdrawnBy.FAMILY)
    with transaction.atomic():
        story = _locked(story)
        if story.status != StoryStatus.WITH_FAMILY:
            raise StoryError("Share the story with the family first", field="response")
        StoryFamilyReview.objects.create(
            story=story, response=response, note=note, recorded_by=actor
        )
        story.status = (
            StoryStatus.AGREED if response == FamilyResponse.AGREED else StoryStatus.DRAFT
        )
        story.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=story,
            fields=["status", "family_review"],
            detail={"status": story.status, "response": response},
        )
    return story


def story_submit(*, actor: Any, story: Story) -> Story:
    _must_be_author(actor, story)
    with transaction.atomic():
        story = _locked(story)
        if story.status != StoryStatus.AGREED:
            raise StoryError(
                "A story is submitted once the family has agreed to it", field="status"
            )
        story.status = StoryStatus.SUBMITTED
        story.submitted_at = timezone.now()
        story.save(update_fields=["status", "submitted_at", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=story,
            fields=["status"],
            detail={"status": story.status},
        )
    return story


def story_review(*, actor: Any, story: Story, decision: str, comments: str = "") -> Story:
    """A reviewer, never the author, publishes the story or returns it with comments."""
    if not is_reviewer(actor):
        raise PermissionDenied("Only strategic managers and panel coordinators review stories")
    if story.author_id == actor.pk:
        raise StoryError("Someone other than the author reviews a story", field="decision")
    if decision not in ("approve", "return"):
        raise StoryError("Choose whether to publish the story or return it", field="decision")
    comments = comments.strip()
    if decision == "return" and not comments:
        raise StoryError("Say what the author should change", field="comments")
    if len(comments) > COMMENTS_LENGTH:
        raise StoryError(
            f"Comments must be {COMMENTS_LENGTH} characters or fewer", field="comments"
        )
    with transaction.atomic():
        story = _locked(story)
        if story.status != StoryStatus.SUBMITTED:
            raise StoryError("This story is not waiting for review", field="decision")
        now = timezone.now()
        story.reviewer = actor
        story.reviewed_at = now
        story.review_comments = comments
        if decision == "approve":
            story.status = StoryStatus.PUBLISHED
            story.published_at = now
        else:
            story.status = StoryStatus.RETURNED
        story.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=story,
            fields=["status", "review_comments"],
            detail={"status": story.status},
        )
    return story


def story_withdraw(*, actor: Any, story: Story, by: str) -> Story:
    """Withdraw the story at any step, published or not, for the author or for the family. Its
    words, the family's notes and the reviewer's comments are erased at once; only the fact of
    the withdrawal stays. There is no undo: a withdrawn story is written again from scratch."""
    _must_be_author(actor, story)
    if by not in WithdrawnBy.values:
        raise StoryError("Say who is withdrawing the story", field="by")
    with transaction.atomic():
        story = _locked(story)
        if story.status == StoryStatus.WITHDRAWN:
            raise StoryError("This story has already been withdrawn", field="by")
        was = story.status
        for field in (
            "title",
            "text",
            "own_words",
            "anonymised_title",
            "anonymised_text",
            "anonymised_own_words",
            "review_comments",
            "consent_given_by",
            "consent_how",
        ):
            setattr(story, field, "")
        story.consent_given_on = None
        story.child = None
        story.status = StoryStatus.WITHDRAWN
        story.withdrawn_at = timezone.now()
        story.withdrawn_by = by
        story.save()
        story.family_reviews.update(note="")
        audit.record(
            actor=actor,
            verb=AuditVerb.DELETE,
            target=story,
            fields=["text", "own_words", "child"],
            detail={"status": story.status, "was": was, "by": by},
        )
    return story
