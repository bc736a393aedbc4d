"""The stories' pages: who opens which, what each shows, and that nobody but the author (and a
reviewer who may see the child) ever sees the story as written."""

import pytest
from django.urls import reverse

from joinedup.reports.models_stories import Story, StoryStatus
from tests.conftest import sign_in_client
from tests.reports.story_world import story_world


@pytest.fixture
def world(db):
    return story_world()


def _as(client, user):
    return sign_in_client(client, user)


def test_writing_a_story_through_the_pages(world, client):
    _as(client, world.keyworker)
    page = client.get(reverse("reports:story_new"))
    assert page.status_code == 200
    assert world.child.reference in page.content.decode()
    response = client.post(
        reverse("reports:story_new"),
        {
            "child": world.child.reference,
            "figure": "plan_outcomes",
            "scope": "city",
            "title": "Amina goes back to school",
            "text": "Amina Yusuf is back at Whitehall Primary.",
            "own_words": "",
        },
    )
    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reports:story_anonymised", kwargs={"story_id": story.pk}
    )
    preview = client.get(response["Location"]).content.decode()
    # Side by side: as written, and as readers will see it.
    assert "Amina Yusuf is back at Whitehall Primary." in preview
    assert "[the young person] is back at [their school]." in preview
    response = client.post(
        reverse("reports:story_anonymised", kwargs={"story_id": story.pk}),
        {
            "anonymised_title": "Back to school",
            "anonymised_text": "[the young person] is back at school.",
            "anonymised_own_words": "",
        },
    )
    assert response.status_code == 302
    client.post(reverse("reports:story_share", kwargs={"story_id": story.pk}))
    response = client.post(
        reverse("reports:story_family", kwargs={"story_id": story.pk}), {"response": "agreed"}
    )
    assert response.status_code == 302
    client.post(reverse("reports:story_submit", kwargs={"story_id": story.pk}))
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_the_reviewer_publishes_from_the_queue_and_readers_see_only_anonymised_words(world, client):
    story = world.submitted()
    _as(client, world.strategic_manager)
    queue = client.get(reverse("reports:story_review_queue")).content.decode()
    assert "[the young person] goes back to school" in queue
    review = client.get(reverse("reports:story_review", kwargs={"story_id": story.pk}))
    content = review.content.decode()
    assert "Amina" not in content
    assert "Whitehall" not in content
    assert "the child's name replaced by [the young person] 5 times" in review.context["replaced"]
    response = client.post(
        reverse("reports:story_review", kwargs={"story_id": story.pk}), {"decision": "approve"}
    )
    assert response.status_code == 302
    published = client.get(reverse("reports:stories_published")).content.decode()
    assert "[the young person] goes back to school" in published
    assert "Amina" not in published
    assert "Stapleton" not in published


def test_another_practitioner_cannot_open_someone_elses_story(world, client):
    story = world.write()
    _as(client, world.stranger)
    for name in ("story_detail", "story_edit", "story_anonymised", "story_withdraw"):
        assert (
            client.get(reverse(f"reports:{name}", kwargs={"story_id": story.pk})).status_code == 404
        )
    assert (
        client.post(reverse("reports:story_share", kwargs={"story_id": story.pk})).status_code
        == 404
    )


def test_a_story_not_yet_submitted_is_not_open_to_reviewers(world, client):
    story = world.agreed()
    _as(client, world.strategic_manager)
    assert (
        client.get(reverse("reports:story_review", kwargs={"story_id": story.pk})).status_code
        == 404
    )


def test_withdrawing_through_the_page_erases_and_unpublishes(world, client):
    story = world.published()
    _as(client, world.keyworker)
    response = client.post(
        reverse("reports:story_withdraw", kwargs={"story_id": story.pk}), {"by": "author"}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.status, story.text, story.anonymised_text) == ("withdrawn", "", "")
    mine = client.get(reverse("reports:story_mine")).content.decode()
    assert "A withdrawn story" in mine
    assert (
        "goes back to school"
        not in client.get(reverse("reports:stories_published")).content.decode()
    )


def test_the_published_list_filters_by_figure(world, client):
    world.published()
    world.published(figure="referrals_by_month", title="First referral")
    _as(client, world.stranger)
    page = client.get(reverse("reports:stories_published"), {"figure": "referrals_by_month"})
    assert [s.title for s in page.context["stories"]] == ["First referral"]
    everything = client.get(reverse("reports:stories_published"), {"figure": "nonsense"})
    assert len(everything.context["stories"]) == 2


def test_the_lists_cost_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for _ in range(3):
        world.published()
        world.write()
    _as(client, world.keyworker)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:story_mine")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:stories_published")).status_code == 200
    _as(client, world.strategic_manager)
    for _ in range(3):
        world.submitted()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:story_review_queue")).status_code == 200
