"""Need to know, proved for every page: a person outside the team around a child, whatever
their role, never sees the child's name, date of birth, NHS number, address or carer on any page
of the service, including pages about the child's referral, consent, agenda and record.

Every URL in the URLconf is opened by each outsider with the child's own identifiers filled
in, so a new page that shows a child is covered the day it is added."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.children.models import Address, HouseholdMember, InvolvementRole
from joinedup.core.checks import iter_view_names
from joinedup.core.roles import Role
from joinedup.panels.models import AgendaItem, PanelRole
from joinedup.safeguarding.services import concern_raise
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    ActionFactory,
    AssessmentFactory,
    ChildFactory,
    ConsentRecordFactory,
    InvolvementFactory,
    MeetingFactory,
    MembershipFactory,
    OverToYouFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
    UserFactory,
)
from tests.plans.walk import plan_rows
from tests.transfers.walk import TransferFactory

IDENTIFYING = {
    "given name": "Zebedee",
    "family name": "Quixwort",
    "date of birth": "14 February 2016",
    "NHS number": "943 476 5919",
    "address": "77 Marmalade Lane",
    "postcode": "BS5 9QQ",
    "carer": "Philippa Quixwort",
}


@pytest.fixture
def world(db) -> dict[str, Any]:
    panel = PanelFactory(slug="the-childs-panel")
    child = ChildFactory(
        given_name="Zebedee",
        family_name="Quixwort",
        date_of_birth=date(2016, 2, 14),
        nhs_number="9434765919",
        locality=panel.localities.get(),
    )
    Address.objects.create(child=child, line_1="77 Marmalade Lane", postcode="BS5 9QQ")
    carer = HouseholdMember.objects.create(
        child=child,
        full_name="Philippa Quixwort",
        relationship="mother",
        has_parental_responsibility=True,
    )
    insider = make_person(Role.KEYWORKER, full_name="Ines Insider")
    InvolvementFactory(child=child, worker=insider, role=InvolvementRole.KEYWORKER)
    referral = ReferralFactory(child=child, panel=panel, referrer=insider)
    consent = ConsentRecordFactory(child=child, household_member=carer)
    meeting = MeetingFactory(panel=panel)
    item = AgendaItem.objects.create(meeting=meeting, child=child, referral=referral)
    assessment = AssessmentFactory(child=child, assessed_by=insider)
    over_to_you = OverToYouFactory(child=child, in_their_words="Zebedee likes trains.")
    action = ActionFactory(meeting=meeting, agenda_item=item, child=child, owner=insider)
    # A safeguarding concern raised by the keyworker, routed to a lead in another organisation.
    lead = UserFactory(full_name="Lee Lead")
    MembershipFactory(user=lead, role=Role.SAFEGUARDING_LEAD)
    InvolvementFactory(
        child=child,
        organisation=lead.active_memberships().get().organisation,
        role=InvolvementRole.SERVICE,
    )
    concern = concern_raise(
        actor=insider,
        child=child,
        organisation=insider.active_memberships().get().organisation,
        details="Zebedee Quixwort said he is hit at home.",
    )
    transfer = TransferFactory(child=child, from_referral=referral, from_panel=panel)
    return {
        "transfer_id": transfer.pk,
        "action_id": action.pk,
        "concern_id": concern.pk,
        **plan_rows(child=child, keyworker=insider, organisation=referral.referring_organisation),
        "panel": panel,
        "reference": child.reference,
        "referral_id": referral.pk,
        "record_id": consent.pk,
        "member_id": carer.pk,
        "meeting_id": meeting.pk,
        "item_id": item.pk,
        "slug": panel.slug,
        "assessment_id": assessment.pk,
        "response_id": over_to_you.pk,
    }


def outsider(kind: str, world: dict[str, Any]) -> Any:
    """People who may work with children, but not with this child."""
    if kind == "panel member not on this case":
        user = make_person(Role.PANEL_MEMBER)
        PanelMemberFactory(panel=world["panel"], user=user, role=PanelRole.MEMBER)
        return user
    if kind == "another panel's coordinator":
        user = make_person(Role.PANEL_COORDINATOR)
        PanelMemberFactory(user=user, role=PanelRole.COORDINATOR)
        return user
    if kind == "the panel's chair":
        user = make_person(Role.PANEL_CHAIR)
        PanelMemberFactory(panel=world["panel"], user=user, role=PanelRole.CHAIR)
        return user
    return make_person(Role(kind))


OUTSIDERS = [
    Role.KEYWORKER.value,  # another organisation's keyworker
    Role.REFERRER.value,
    Role.STRATEGIC_MANAGER.value,
    Role.IG_OFFICER.value,
    Role.SYSTEM_ADMIN.value,
    Role.SAFEGUARDING_LEAD.value,  # a lead the concern about the child was not sent to
    "panel member not on this case",
    "another panel's coordinator",
    "the panel's chair",
]


def _urls(world: dict[str, Any]) -> list[str]:
    urls = []
    for name, pattern in iter_view_names():
        if name.startswith("admin:"):
            continue
        wanted = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        if wanted - {*world, "step"}:
            continue  # pages about people or organisations, not a child
        kwargs = {key: world[key] for key in wanted if key in world}
        if "step" in wanted:
            kwargs["step"] = "child"
        urls.append(reverse(name, kwargs=kwargs))
    return urls


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_no_page_shows_an_outsider_who_the_child_is(kind, world):
    client = sign_in_client(Client(), outsider(kind, world))
    leaks = []
    for url in _urls(world):
        response = client.get(url, follow=True)
        text = response.content.decode(errors="replace")
        for what, value in IDENTIFYING.items():
            if value in text:
                leaks.append(f"{url} shows the {what}")
    assert not leaks, leaks


def test_the_walk_covers_the_pages_about_a_child(world):
    urls = _urls(world)
    reference = world["reference"]
    assert reverse("children:child_detail", kwargs={"reference": reference}) in urls
    assert (
        reverse("referrals:referral_review", kwargs={"referral_id": world["referral_id"]}) in urls
    )
    assert reverse("panels:meeting_detail", kwargs={"meeting_id": world["meeting_id"]}) in urls
    assert reverse("panels:pack", kwargs={"meeting_id": world["meeting_id"]}) in urls
    assert reverse("panels:pack_pdf", kwargs={"meeting_id": world["meeting_id"]}) in urls
    assert reverse("panels:pipeline") in urls
    assert reverse("tracking:flags") in urls
    assert reverse("tracking:flag_look", kwargs={"reference": reference}) in urls
    for dashboard in ("keyworker", "coordinator", "chair", "steering"):
        assert reverse(f"dashboards:{dashboard}") in urls
    assert reverse("consent:child_consent", kwargs={"reference": reference}) in urls
    on_assessment = {"reference": reference, "assessment_id": world["assessment_id"]}
    assert reverse("assessments:assessment_list", kwargs={"reference": reference}) in urls
    assert reverse("assessments:assessment_rate", kwargs=on_assessment) in urls
    assert reverse("actions:action_detail", kwargs={"action_id": world["action_id"]}) in urls
    assert reverse("actions:panel_report", kwargs={"slug": world["slug"]}) in urls
    assert (
        reverse(
            "assessments:over_to_you_detail",
            kwargs={"reference": reference, "response_id": world["response_id"]},
        )
        in urls
    )
    assert reverse("children:household_add", kwargs={"reference": reference}) in urls
    assert reverse("transfers:detail", kwargs={"transfer_id": world["transfer_id"]}) in urls
    assert reverse("transfers:request", kwargs={"reference": reference}) in urls
    assert reverse("records:child_rights", kwargs={"reference": reference}) in urls
    assert reverse("records:rectification_add", kwargs={"reference": reference}) in urls
    assert reverse("records:member_rectification_add", kwargs={"reference": reference}) in urls
    assert reverse("children:timeline", kwargs={"reference": reference}) in urls
    assert reverse("children:search") in urls
    # Counts of children per service, never a child.
    assert reverse("directory:funding") in urls
    assert reverse("funding:timeline") in urls
    on_concern = {"concern_id": world["concern_id"]}
    assert reverse("safeguarding:concern_detail", kwargs=on_concern) in urls
    assert reverse("safeguarding:concern_raise_for_child", kwargs={"reference": reference}) in urls
    on_plan = {"reference": reference, "plan_id": world["plan_id"]}
    assert reverse("plans:plan_detail", kwargs=on_plan) in urls
    assert reverse("plans:young_person_copy", kwargs=on_plan) in urls
    assert reverse("plans:goal_edit", kwargs={**on_plan, "goal_id": world["goal_id"]}) in urls
    assert (
        reverse(
            "children:household_change",
            kwargs={"reference": reference, "member_id": world["member_id"]},
        )
        in urls
    )


def test_someone_in_the_team_does_see_the_child(world):
    """The walk's check can fail: the same pages show the child to the team around them."""
    insider = make_person(Role.KEYWORKER)
    from joinedup.children.models import Child

    InvolvementFactory(child=Child.objects.get(reference=world["reference"]), worker=insider)
    client = sign_in_client(Client(), insider)

    page = client.get(reverse("children:child_detail", kwargs={"reference": world["reference"]}))

    assert "Quixwort" in page.content.decode()


@pytest.mark.parametrize("kind", ["panel member not on this case", "the panel's chair"])
def test_the_panel_pack_pdf_does_not_name_the_child_to_a_member_outside_the_team(kind, world):
    """The walk reads pages as text; a PDF's words are compressed, so read them back."""
    import io

    from pypdf import PdfReader

    client = sign_in_client(Client(), outsider(kind, world))
    response = client.get(reverse("panels:pack_pdf", kwargs={"meeting_id": world["meeting_id"]}))

    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "likes trains" in text  # the child's own words are there, without the name
    assert [what for what, value in IDENTIFYING.items() if value in text] == []


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_no_search_tells_an_outsider_who_the_child_is_or_that_they_exist(kind, world):
    """Searching by what identifies the child finds nothing for anyone outside the team, not even
    a pseudonym: the answer must not say that a child with that name exists."""
    client = sign_in_client(Client(), outsider(kind, world))
    for terms in (
        {"q": "Zebedee Quixwort"},
        {"q": "Zebadee Quixwart"},
        {"q": "14/2/2016"},
        {"date_of_birth": "2016-02-14"},
        {"postcode": "BS5 9QQ"},
    ):
        response = client.post(reverse("children:search"), terms)
        if response.status_code != 200:
            assert response.status_code == 403  # a role that sees no child's data
            continue
        assert response.context["results"].total == 0, (kind, terms)
        # What the person typed is echoed in the form; the answer after it must say nothing.
        answer = response.content.decode().split('id="search-results"', 1)[1]
        leaks = [what for what, value in IDENTIFYING.items() if value in answer]
        assert not leaks, (kind, terms, leaks)
