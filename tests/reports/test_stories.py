"""The story workflow: draft, family review, submission, review, publication and withdrawal,
each through its service, and who may do what."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.core.models import AuditEntry
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from joinedup.reports import story_selectors, story_services
from joinedup.reports.models_stories import (
    FamilyResponse,
    Story,
    StoryFamilyReview,
    StoryStatus,
    WithdrawnBy,
)
from joinedup.reports.story_services import StoryError
from joinedup.reports.tables import Scope
from tests.factories import (
    LocalityFactory,
    MembershipFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)
from tests.reports.story_world import ANONYMISED, STORY, story_world


@pytest.fixture
def world(db):
    return story_world()


def test_a_story_is_saved_as_a_draft_with_its_anonymised_text(world):
    story = world.write()
    assert story.status == StoryStatus.DRAFT
    assert story.text == STORY
    assert story.anonymised_text == ANONYMISED
    assert story.anonymised_title == "[the young person] goes back to school"
    assert story.consent_given_by == "both"


def test_the_whole_way_from_draft_to_published(world):
    story = world.write()
    story = story_services.story_share(actor=world.keyworker, story=story)
    assert story.status == StoryStatus.WITH_FAMILY
    story = story_services.story_family_response(
        actor=world.keyworker, story=story, response=FamilyResponse.AGREED
    )
    assert story.status == StoryStatus.AGREED
    story = story_services.story_submit(actor=world.keyworker, story=story)
    assert story.status == StoryStatus.SUBMITTED
    assert story_selectors.review_queue(viewer=world.strategic_manager) == [story]
    story = story_services.story_review(
        actor=world.strategic_manager, story=story, decision="approve"
    )
    assert story.status == StoryStatus.PUBLISHED
    assert story.published_at is not None
    assert story.reviewer == world.strategic_manager
    published = story_selectors.published_for(["plan_outcomes"], scope=Scope())
    assert [s.text for s in published["plan_outcomes"]] == [ANONYMISED]


def test_the_family_asking_for_changes_sends_it_back_to_draft_to_amend(world):
    story = world.write()
    story_services.story_share(actor=world.keyworker, story=story)
    story = story_services.story_family_response(
        actor=world.keyworker,
        story=story,
        response=FamilyResponse.CHANGES,
        note="Leave out the bit about her brother.",
    )
    assert story.status == StoryStatus.DRAFT
    assert StoryFamilyReview.objects.get(story=story).note == "Leave out the bit about her brother."
    story = world.write(story=story, text="When I first met Amina she was missing school.")
    assert story.anonymised_text == "When I first met [the young person] she was missing school."


def test_asking_for_changes_needs_a_note_saying_what(world):
    story = world.write()
    story_services.story_share(actor=world.keyworker, story=story)
    with pytest.raises(StoryError) as error:
        story_services.story_family_response(
            actor=world.keyworker, story=story, response=FamilyResponse.CHANGES
        )
    assert error.value.field == "note"


def test_a_story_is_submitted_only_once_the_family_agreed(world):
    story = world.write()
    with pytest.raises(StoryError):
        story_services.story_submit(actor=world.keyworker, story=story)
    story_services.story_share(actor=world.keyworker, story=story)
    with pytest.raises(StoryError):
        story_services.story_submit(actor=world.keyworker, story=story)


def test_a_returned_story_is_amended_and_goes_back_to_the_family(world):
    story = world.submitted()
    story = story_services.story_review(
        actor=world.coordinator, story=story, decision="return", comments="Leave out the road."
    )
    assert story.status == StoryStatus.RETURNED
    assert story.editable
    story = world.write(story=story, text="We met near home.")
    assert story.status == StoryStatus.DRAFT


def test_returning_a_story_needs_comments(world):
    story = world.submitted()
    with pytest.raises(StoryError) as error:
        story_services.story_review(actor=world.coordinator, story=story, decision="return")
    assert error.value.field == "comments"


def test_the_author_never_reviews_their_own_story(world):
    # A keyworker who is also a panel coordinator.
    MembershipFactory(user=world.keyworker, role=Role.PANEL_COORDINATOR)
    world.keyworker.__dict__.pop("_joinedup_roles", None)
    story = world.submitted()
    with pytest.raises(StoryError):
        story_services.story_review(actor=world.keyworker, story=story, decision="approve")
    assert story_selectors.review_queue(viewer=world.keyworker) == []


def test_only_strategic_managers_and_coordinators_review(world):
    story = world.submitted()
    with pytest.raises(PermissionDenied):
        story_services.story_review(actor=world.stranger, story=story, decision="approve")


def test_a_practitioner_writes_only_about_a_child_they_may_see(world):
    with pytest.raises(StoryError) as error:
        world.write(actor=world.stranger)
    assert error.value.field == "child"


def test_only_the_author_changes_shares_or_withdraws_a_story(world):
    story = world.write()
    with pytest.raises(PermissionDenied):
        story_services.story_share(actor=world.stranger, story=story)
    with pytest.raises(PermissionDenied):
        story_services.story_withdraw(actor=world.stranger, story=story, by=WithdrawnBy.AUTHOR)
    with pytest.raises(PermissionDenied):
        world.write(actor=world.stranger, story=story)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent_given_by": ""}, "consent_given_by"),
        ({"consent_given_on": None}, "consent_given_on"),
        ({"consent_how": ""}, "consent_how"),
    ],
)
def test_their_own_words_need_a_record_of_consent(world, change, field):
    with pytest.raises(StoryError) as error:
        world.write(**change)
    assert error.value.field == field
    assert not Story.objects.exists()


def test_consent_cannot_be_given_in_the_future(world):
    with pytest.raises(StoryError) as error:
        world.write(consent_given_on=timezone.localdate() + timedelta(days=1))
    assert error.value.field == "consent_given_on"


def test_a_story_without_their_words_needs_no_consent(world):
    story = world.write(own_words="", consent_given_by="", consent_given_on=None, consent_how="")
    assert story.own_words == ""


def test_a_locality_story_names_its_locality(world):
    with pytest.raises(StoryError) as error:
        world.write(scope="locality")
    assert error.value.field == "locality"


def test_the_authors_edits_of_the_anonymised_text_cannot_bring_a_name_back(world):
    story = world.write()
    story = story_services.story_anonymised_edit(
        actor=world.keyworker,
        story=story,
        anonymised_title="A return to school",
        anonymised_text="Amina, now at Whitehall Primary, is doing well.",
        anonymised_own_words="I like school now.",
    )
    assert story.anonymised_edited
    assert story.anonymised_title == "A return to school"
    assert story.anonymised_text == "[the young person], now at [their school], is doing well."


def test_withdrawing_a_published_story_erases_its_words_and_takes_it_out_of_reports(world):
    story = world.published()
    story = story_services.story_withdraw(actor=world.keyworker, story=story, by=WithdrawnBy.FAMILY)
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN
    assert story.withdrawn_by == WithdrawnBy.FAMILY
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
        assert getattr(story, field) == "", field
    assert story.child is None
    assert story.consent_given_on is None
    assert all(review.note == "" for review in story.family_reviews.all())
    assert story_selectors.published_for(["plan_outcomes"], scope=Scope()) == {"plan_outcomes": []}
    assert story_selectors.published_list() == []


def test_the_family_withdrawing_during_review_erases_the_story(world):
    story = world.write()
    story_services.story_share(actor=world.keyworker, story=story)
    story = story_services.story_family_response(
        actor=world.keyworker, story=story, response=FamilyResponse.WITHDREW
    )
    assert story.status == StoryStatus.WITHDRAWN
    assert story.withdrawn_by == WithdrawnBy.FAMILY
    assert Story.objects.get(pk=story.pk).text == ""


def test_the_audit_trail_records_each_step_without_the_storys_words(world):
    story = world.published()
    story_services.story_withdraw(actor=world.keyworker, story=story, by=WithdrawnBy.AUTHOR)
    entries = AuditEntry.objects.filter(target_id=str(story.pk)).exclude(verb="read")
    assert [e.detail.get("status") for e in entries.order_by("at")] == [
        "draft",
        "with_family",
        "agreed",
        "submitted",
        "published",
        "withdrawn",
    ]
    for entry in entries:
        assert "Amina" not in str(entry.detail)


def test_published_stories_hold_only_the_anonymised_words(world):
    world.published()
    [published] = story_selectors.published_list()
    assert not hasattr(published, "own_words_original")
    values = " ".join(str(value) for value in vars(published).values())
    assert "Amina" not in values
    assert "Whitehall" not in values


def test_published_for_a_locality_or_a_panel_keeps_to_its_stories(world):
    easton = world.child.locality
    elsewhere = LocalityFactory(name="Knowle West", slug="knowle-west")
    panel = PanelFactory(localities=[easton])
    world.published(scope="locality", locality=easton)
    world.published(scope="panel", panel=panel, title="At the panel")
    world.published(scope="city", figure="referrals_by_month")
    for_easton = story_selectors.published_for(
        ["plan_outcomes", "referrals_by_month"], scope=Scope("locality", locality=easton)
    )
    assert len(for_easton["plan_outcomes"]) == 2
    assert for_easton["referrals_by_month"] == []
    for_panel = story_selectors.published_for(["plan_outcomes"], scope=Scope("panel", panel=panel))
    assert len(for_panel["plan_outcomes"]) == 2
    assert story_selectors.published_for(
        ["plan_outcomes"], scope=Scope("locality", locality=elsewhere)
    ) == {"plan_outcomes": []}
    city = story_selectors.published_for(["plan_outcomes", "referrals_by_month"], scope=Scope())
    assert (len(city["plan_outcomes"]), len(city["referrals_by_month"])) == (2, 1)


def test_a_reviewer_sees_the_story_as_written_only_under_need_to_know(world):
    story = world.submitted()
    assert not story_selectors.reviewer_sees_original(world.strategic_manager, story)
    assert not story_selectors.reviewer_sees_original(world.coordinator, story)
    seat = PanelMemberFactory(user=world.coordinator, role=PanelRole.COORDINATOR)
    ReferralFactory(child=world.child, panel=seat.panel)
    assert story_selectors.reviewer_sees_original(world.coordinator, story)


def test_a_story_can_no_longer_be_changed_once_submitted(world):
    story = world.submitted()
    with pytest.raises(StoryError):
        world.write(story=story, text="Changed after submission.")


def test_consent_date_is_kept(world):
    assert world.write().consent_given_on == date(2026, 11, 2)
