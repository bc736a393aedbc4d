"""The flags page, marking a flag looked at and undoing it, and the settings pages, through the
browser's requests; the number of queries stays the same however many children are flagged."""

from html import escape

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.plans.models import Purpose
from joinedup.tracking.models import FlagKind, FlagLook, TrackingSettings
from tests.conftest import make_person, sign_in_client
from tests.tracking.builders import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _one_of_each(world, n=0):
    """Three children, one per kind of flag."""
    gap = world.child(given_name=f"Gap{n}")
    world.refer(gap, days=100)
    repeat = world.child()
    world.refer(repeat, days=20)
    world.refer(repeat, days=10)
    overlap = world.child()
    world.refer(overlap, days=5)
    plan = world.plan(overlap)
    world.support(plan, purpose=Purpose.FAMILY)
    world.support(plan, purpose=Purpose.FAMILY)
    return gap, repeat, overlap


def test_the_page_shows_each_flag_with_names_where_need_to_know_allows(world, client):
    gap, _, _ = _one_of_each(world)
    page = sign_in_client(client, world.coordinator).get(reverse("tracking:flags"))

    text = page.content.decode()
    assert page.status_code == 200
    assert escape(gap.known_as) in text  # the coordinator of the child's panel may know who it is
    assert "No support or contact for weeks" in text
    assert "Referred by several organisations" in text
    assert "Same kind of support from several organisations" in text
    assert "Mark as looked at" in text


def test_a_keyworker_sees_pseudonyms_for_children_they_lead_without_being_in_the_team(world):
    gap = world.child(given_name="Zebedee")
    world.refer(gap, days=100)
    world.plan(gap, days=90)  # the keyworker leads it, but has no involvement
    client = sign_in_client(Client(), world.keyworker)

    text = client.get(reverse("tracking:flags")).content.decode()

    assert "Zebedee" not in text
    assert gap.pseudonym in text
    assert "Mark as looked at" not in text


@pytest.mark.parametrize("children", [1, 6])
def test_the_page_costs_the_same_queries_however_many_children(
    world, client, children, django_assert_num_queries
):
    for n in range(children):
        _one_of_each(world, n)
    sign_in_client(client, world.coordinator)
    client.get(reverse("tracking:flags"))  # warm the session and roles caches
    # Sign-in and roles, the three kinds' candidates, the settings, the flagged children, the
    # looks, the panels, the audit entries: the same for one child of each kind as for six.
    with django_assert_num_queries(13):
        response = client.get(reverse("tracking:flags"))
    assert response.status_code == 200


@pytest.mark.parametrize("children", [1, 6])
def test_flag_counts_cost_a_fixed_number_of_queries(world, children, django_assert_num_queries):
    from joinedup.tracking.selectors import flag_counts

    for n in range(children):
        _one_of_each(world, n)
    flag_counts(viewer=world.coordinator)
    with django_assert_num_queries(6):
        counts = flag_counts(viewer=world.coordinator)
    assert counts["all"] == 3 * children


def test_mark_as_looked_at_and_undo(world, client):
    gap, _, _ = _one_of_each(world)
    sign_in_client(client, world.coordinator)
    url = reverse("tracking:flag_look", kwargs={"reference": gap.reference}) + "?kind=gap"

    form = client.get(url)
    assert form.status_code == 200
    assert "What did you find?" in form.content.decode()
    empty = client.post(url, {"note": ""})
    assert empty.status_code == 200
    assert "Enter what you found" in empty.content.decode()
    done = client.post(url, {"note": "School says the family is away"}, follow=True)
    assert "Flag marked as looked at" in done.content.decode()
    assert "School says the family is away" in done.content.decode()
    assert FlagLook.objects.filter(undone_at__isnull=True).count() == 1

    undo = reverse("tracking:flag_look_undo", kwargs={"reference": gap.reference}) + "?kind=gap"
    undone = client.post(undo, follow=True)
    assert "needs a look again" in undone.content.decode()
    assert not FlagLook.objects.filter(undone_at__isnull=True).exists()


def test_the_look_page_is_404_for_another_panels_coordinator_and_bad_kinds(world, client):
    gap, _, _ = _one_of_each(world)
    other = make_world()
    url = reverse("tracking:flag_look", kwargs={"reference": gap.reference})
    sign_in_client(client, other.coordinator)
    assert client.get(url + "?kind=gap").status_code == 404
    assert client.post(url + "?kind=gap", {"note": "x"}).status_code == 404
    sign_in_client(client, world.coordinator)
    assert client.get(url + "?kind=sideways").status_code == 404
    assert client.get(url + f"?kind={FlagKind.OVERLAP}").status_code == 404


def test_settings_pages(world, client):
    sign_in_client(client, world.coordinator)
    listing = client.get(reverse("tracking:settings"))
    assert world.panel.name in listing.content.decode()
    url = reverse("tracking:settings_edit") + f"?panel={world.panel.slug}"
    bad = client.post(url, {"gap_weeks": "0", "repeat_agencies": "2", "repeat_months": "12"})
    assert "must be between 1 and 52" in bad.content.decode()
    assert not TrackingSettings.objects.exists()
    client.post(url, {"gap_weeks": "4", "repeat_agencies": "3", "repeat_months": "6"})
    assert TrackingSettings.objects.get(panel=world.panel).gap_weeks == 4
    other_panel = make_world().panel
    assert (
        client.get(reverse("tracking:settings_edit") + f"?panel={other_panel.slug}").status_code
        == 404
    )


def test_navigation_links_the_page_for_coordinators(world, client):
    page = sign_in_client(client, world.coordinator).get(reverse("core:start"))
    assert reverse("tracking:flags") in page.content.decode()
    referrer = make_person(Role.REFERRER)
    page = sign_in_client(client, referrer).get(reverse("core:start"))
    assert reverse("tracking:flags") not in page.content.decode()


def test_the_summary_include_renders_counts(world):
    from django.template.loader import render_to_string

    from joinedup.tracking.selectors import flag_counts

    _one_of_each(world)
    html = render_to_string(
        "tracking/includes/flag_summary.html",
        {"flag_counts": flag_counts(viewer=world.coordinator)},
    )
    assert "3 flags on duplication and gaps need a look" in html


@pytest.mark.parametrize("rounds", [1, 20])
def test_the_page_shows_fifty_children_a_page_with_the_counts_of_every_page(
    world, client, rounds, django_assert_num_queries
):
    """Three flagged children a round: 60 children make two pages, each counting every flag,
    for the same number of queries as one page of three."""
    for n in range(rounds):
        _one_of_each(world, n)
    sign_in_client(client, world.coordinator)
    url = reverse("tracking:flags")
    client.get(url)
    with django_assert_num_queries(13):
        first = client.get(url)
    with django_assert_num_queries(13):
        second = client.get(url, {"kind": "all", "page": 2})

    counts = {kind: 1 * rounds for kind in FlagKind.values} | {"all": 3 * rounds}
    for response in (first, second):
        assert response.status_code == 200
        assert response.context["board"].counts == counts
    children = 3 * rounds
    assert len(first.context["board"].rows) == min(children, 50)
    if rounds == 1:
        assert not first.context["page"].has_other_pages()
        assert "govuk-pagination" not in first.content.decode()
        return
    assert len(second.context["board"].rows) == children - 50
    assert "govuk-pagination" in first.content.decode()
    assert 'href="?kind=all&amp;page=2"' in first.content.decode()
    assert "Showing children 51 to 60 of 60" in second.content.decode()
    first_page = {row.child.pk for row in first.context["board"].rows}
    assert first_page.isdisjoint(row.child.pk for row in second.context["board"].rows)


def test_a_page_past_the_end_shows_the_last_and_nonsense_the_first(world, client):
    _one_of_each(world)
    sign_in_client(client, world.coordinator)
    for page in ("99", "nonsense", "-1"):
        response = client.get(reverse("tracking:flags"), {"page": page})
        assert response.status_code == 200
        assert len(response.context["board"].rows) == 3
