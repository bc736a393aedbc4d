"""The panel pack: one per meeting and per viewer. The panel's coordinators and the team around
a child read the child's name; every other member reads the pseudonym, with the names of the
child and their household taken out of everything people wrote, on the page and in the PDF.
Practitioners who know the child send written views for it until the meeting starts."""

import html
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from joinedup.assessments.models import (
    AssessmentStatus,
    Domain,
    DomainRating,
    Respondent,
    SeriousHarm,
)
from joinedup.children.models import Address, HouseholdMember, InvolvementRole
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.organisations.models import Organisation
from joinedup.panels import pack_services
from joinedup.panels.models import AgendaItem, Contribution, Decision, PanelRole
from joinedup.panels.services import PanelError
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    AssessmentFactory,
    ChildFactory,
    InvolvementFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OverToYouFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
    SchoolFactory,
)

# Every word that would tell a reader who the child is: none may reach a member outside the
# team around the child, in any case, on the page or in the PDF.
HIDDEN_WORDS = (
    "Zebedee",
    "Quillfeather",
    "Zeb",
    "Marigold",
    "Barnaby",
    "Tumbleweed",
    "Larkspur",
    "Hollyoak",
    "14 February 2016",
)


def text_of(response) -> str:
    """The page's words as a person reads them, without the markup."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def _found(words, text):
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


def pdf_text(content: bytes) -> str:
    return " ".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages
    ).replace("\n", " ")


@pytest.fixture
def panel(db):
    return PanelFactory(name="Easton panel", slug="easton")


@pytest.fixture
def meeting(panel):
    return MeetingFactory(panel=panel)


@pytest.fixture
def coordinator(panel):
    user = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=user, role=PanelRole.COORDINATOR)
    return user


@pytest.fixture
def member(panel):
    """A member of the panel outside the team around any child on the agenda."""
    user = make_person(Role.PANEL_MEMBER, full_name="Sergeant Pat Member")
    PanelMemberFactory(panel=panel, user=user, role=PanelRole.MEMBER)
    return user


@pytest.fixture
def keyworker(db):
    """In the team around the child, not on the panel."""
    user = make_person(Role.KEYWORKER, full_name="Kit Keyworker")
    user.active_memberships().update(job_title="Family support worker")
    return user


def add_case(
    meeting,
    *,
    keyworker=None,
    contributions=0,
    mother="Marigold Quillfeather",
    step_parent="Barnaby Tumbleweed",
    school_name="Hollyoak Primary",
    street="7 Larkspur Lane",
    **child_fields,
):
    """A child's case on the agenda, with a completed assessment, both Over to You and
    `contributions` written views, in free text that names the family as people do."""
    school = Organisation.objects.filter(name=school_name).first() or SchoolFactory(
        name=school_name
    )
    child = ChildFactory(school=school, **child_fields)
    mother_first, step_family = mother.split()[0], step_parent.split()[-1]
    mother = HouseholdMember.objects.create(child=child, full_name=mother, relationship="mother")
    HouseholdMember.objects.create(child=child, full_name=step_parent, relationship="step_parent")
    Address.objects.create(child=child, line_1=street, postcode="BS5 9ZZ")
    referral = ReferralFactory(
        child=child,
        panel=meeting.panel,
        what_has_been_tried=(
            f"{child.given_name}'s mother {mother_first} asked the school for help. Mr "
            f"{step_family} takes {child.given_name.upper()} to football at {street}."
        ),
    )
    item = AgendaItem.objects.create(meeting=meeting, child=child, referral=referral)
    assessment = AssessmentFactory(
        child=child,
        status=AssessmentStatus.COMPLETED,
        completed_at=timezone.now(),
        protective_factors=f"Close to his mum {mother_first} {child.family_name}.",
        serious_harm=SeriousHarm.SOME,
        serious_harm_evidence=f"{child.given_name} {child.family_name} carried a knife once.",
    )
    for domain in Domain.objects.filter(panel__isnull=True)[:3]:
        DomainRating.objects.create(
            assessment=assessment,
            domain=domain,
            rating=2,
            evidence=f"At {school_name} {child.given_name} walks out of lessons.",
        )
    OverToYouFactory(
        child=child,
        in_their_words=f"My name is {child.given_name}, everyone calls me {child.known_as}.",
        helped_by=step_parent.split()[0],
    )
    OverToYouFactory(
        child=child,
        respondent=Respondent.PARENT,
        household_member=mother,
        answers={"family_get_on": "agree"},
        in_their_words=f"I am {mother_first}, I worry about {child.given_name}.",
        helped_by="Her neighbour",
    )
    for number in range(contributions):
        author = keyworker or make_person(Role.KEYWORKER, full_name=f"Worker {number}")
        InvolvementFactory(
            child=child, worker=author, organisation=author.active_memberships()[0].organisation
        )
        pack_services.contribution_submit(
            actor=author,
            item=item,
            given=pack_services.ContributionGiven(
                view=f"I see {child.given_name} weekly;\n{child.family_name.lower()} family "
                f"and {step_parent.replace(' ', chr(10))} are engaged.",
                will_attend=number % 2 == 0,
            ),
        )
    return item


ZEBEDEE = {
    "given_name": "Zebedee",
    "family_name": "Quillfeather",
    "preferred_name": "Zeb",
    "date_of_birth": date(2016, 2, 14),
}


@pytest.fixture
def case(meeting, keyworker):
    return add_case(meeting, keyworker=keyworker, contributions=1, **ZEBEDEE)


def _pack(client, user, meeting, kind="pack"):
    sign_in_client(client, user)
    return client.get(reverse(f"panels:{kind}", kwargs={"meeting_id": meeting.pk}))


# Who sees names


def test_the_coordinator_reads_the_childs_name_and_everything_about_the_case(
    client, coordinator, meeting, case
):
    response = _pack(client, coordinator, meeting)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = text_of(response)
    assert "Zeb Quillfeather" in text
    assert "14 February 2016" in text
    assert "Hollyoak Primary" in text
    assert "Mr Tumbleweed takes ZEBEDEE to football" in text
    assert "Serious harm" in text or "serious harm" in text
    assert "Some concerns: worth looking at more closely" in text
    assert "Zebedee Quillfeather carried a knife once." in text
    assert "I am Marigold, I worry about Zebedee." in text
    assert "Marigold Quillfeather (mother)" in text
    assert "Kit Keyworker, Family support worker" in text
    assert "Prepared for Cora Coordinator on" in text
    assert "OFFICIAL-SENSITIVE" in text


def test_a_member_outside_the_team_reads_the_pseudonym_age_band_and_locality_only(
    client, member, meeting, case
):
    response = _pack(client, member, meeting)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = text_of(response)
    child = case.child
    assert child.pseudonym in text
    assert child.age_band in text
    assert child.locality.name in text
    assert child.reference in text
    assert _found(HIDDEN_WORDS, response.content.decode()) == []
    assert "Prepared for Sergeant Pat Member on" in text


def test_names_in_free_text_become_the_pseudonym_or_the_relationship(client, member, meeting, case):
    text = text_of(_pack(client, member, meeting))
    pseudonym = case.child.pseudonym

    # Possessive, capitals and a name broken across lines all go; a parent's whole name reads
    # as who they are to the child; a family name shared with the child reads as the child.
    assert f"{pseudonym}'s mother the mother asked the school for help." in text
    assert f"Mr the step-parent takes {pseudonym} to football at [address]." in text
    assert "Close to his mum the mother." in text
    assert f"My name is {pseudonym}, everyone calls me {pseudonym}." in text
    assert "Helped by: the step-parent" in text
    assert f"{pseudonym} family and the step-parent are engaged." in text
    assert "At the school" in text
    assert "The mother, " in text  # who filled in the parent's Over to You
    # Practitioners are named: members need to know who is speaking.
    assert "Kit Keyworker, Family support worker" in text


def test_the_childs_school_is_not_named_even_as_an_organisation(client, member, meeting):
    item = add_case(meeting, **ZEBEDEE)
    item.referral.referring_organisation = item.child.school
    item.referral.save()
    teacher = make_person(Role.REFERRER, full_name="Tess Teacher")
    MembershipFactory(user=teacher, organisation=item.child.school, role=Role.REFERRER)
    InvolvementFactory(child=item.child, worker=teacher, organisation=item.child.school)
    pack_services.contribution_submit(actor=teacher, item=item, given=_given())

    response = _pack(client, member, meeting)

    text = text_of(response)
    assert "Referred by the child's school" in text
    assert re.search(r"Tess Teacher, [^,]+, the child's school", text)
    assert _found(HIDDEN_WORDS, response.content.decode()) == []


def test_a_panel_member_in_the_team_around_the_child_reads_the_name(
    client, panel, meeting, case, member
):
    InvolvementFactory(child=case.child, worker=member, role=InvolvementRole.SERVICE)

    text = text_of(_pack(client, member, meeting))

    assert "Zeb Quillfeather" in text


def test_in_one_pack_each_case_is_named_or_not_on_its_own(client, member, meeting, case):
    other = add_case(
        meeting,
        given_name="Ottoline",
        family_name="Brackenbury",
        mother="Ada Brackenbury",
        step_parent="Ned Brackenbury",
        school_name="Fishponds Academy",
        street="1 Elm Road",
    )
    InvolvementFactory(child=other.child, worker=member)

    html = _pack(client, member, meeting).content.decode()

    assert "Ottoline Brackenbury" in html
    assert _found(HIDDEN_WORDS, html) == []


# The PDF


def test_the_pdf_is_the_same_pack_with_marking_viewer_and_page_numbers(
    client, coordinator, meeting, case
):
    response = _pack(client, coordinator, meeting, "pack_pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Zeb Quillfeather" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Prepared for Cora Coordinator on" in text
    assert re.search(r"Page 1 of \d+", text)


def test_the_pdf_for_a_member_outside_the_team_names_nobody(client, member, meeting, case):
    response = _pack(client, member, meeting, "pack_pdf")

    text = pdf_text(response.content)
    assert case.child.pseudonym in text
    assert "the step-parent" in text
    assert _found(HIDDEN_WORDS, text) == []
    assert "Prepared for Sergeant Pat Member on" in text


# Who may open it


@pytest.mark.parametrize("kind", ["pack", "pack_pdf"])
def test_only_current_seats_of_the_panel_open_the_pack(client, meeting, case, kind):
    url = reverse(f"panels:{kind}", kwargs={"meeting_id": meeting.pk})
    other_panel = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(user=other_panel, role=PanelRole.COORDINATOR)
    left = make_person(Role.PANEL_MEMBER)
    PanelMemberFactory(
        panel=meeting.panel,
        user=left,
        role=PanelRole.MEMBER,
        started_on=timezone.localdate() - timedelta(days=90),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    for outsider in (other_panel, left):
        sign_in_client(client, outsider)
        assert client.get(url).status_code == 404
    # The keyworker works with the child but does not sit on the panel: no panel pages.
    sign_in_client(client, case.contributions.get().author)
    assert client.get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302


def test_every_preparation_records_a_read_of_each_child_with_what_was_shown(
    client, coordinator, member, meeting, case
):
    other = add_case(meeting, given_name="Ottoline", family_name="Brackenbury")
    _pack(client, member, meeting, "pack_pdf")
    _pack(client, coordinator, meeting)

    reads = AuditEntry.objects.filter(verb=AuditVerb.READ, target_type="children.child")
    member_reads = reads.filter(actor=member)
    assert sorted(member_reads.values_list("target_id", flat=True)) == sorted(
        [str(case.child_id), str(other.child_id)]
    )
    assert all("given_name" not in entry.fields for entry in member_reads)
    assert all("PDF" in entry.purpose for entry in member_reads)
    coordinator_reads = reads.filter(actor=coordinator)
    assert coordinator_reads.count() == 2
    assert all("given_name" in entry.fields for entry in coordinator_reads)


def test_cases_taken_off_the_agenda_are_not_in_the_pack(client, coordinator, meeting, case):
    case.removed_at = timezone.now()
    case.save()

    text = text_of(_pack(client, coordinator, meeting))

    assert "Quillfeather" not in text
    assert "Nothing is on this meeting's agenda yet." in text


def test_earlier_meetings_of_the_same_case_are_listed(client, coordinator, meeting, case):
    held = MeetingFactory(panel=meeting.panel, starts_at=timezone.now() - timedelta(days=30))
    AgendaItem.objects.create(meeting=held, child=case.child, referral=case.referral)

    text = text_of(_pack(client, coordinator, meeting))

    assert f"Earlier panel meetings {timezone.localtime(held.starts_at):%-d %B %Y}" in text


# Constant queries


def _queries(client, user, meeting, kind="pack"):
    sign_in_client(client, user)
    url = reverse(f"panels:{kind}", kwargs={"meeting_id": meeting.pk})
    client.get(url)  # the session and roles settle on a first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_the_pack_costs_the_same_queries_for_3_cases_as_for_15(
    client, request, panel, meeting, keyworker, who
):
    viewer = request.getfixturevalue(who)
    for n in range(3):
        add_case(meeting, contributions=2, given_name=f"Ann{n}")
    three = _queries(client, viewer, meeting)
    for n in range(12):
        add_case(meeting, contributions=2, given_name=f"Bea{n}")

    assert _queries(client, viewer, meeting) == three
    assert three <= 20


# Written contributions


def _given(view="Doing well at the youth project.", will_attend=False):
    return pack_services.ContributionGiven(view=view, will_attend=will_attend)


def test_someone_in_the_team_not_on_the_panel_sends_a_view_shown_in_the_pack(
    client, coordinator, meeting, keyworker
):
    item = add_case(meeting, **ZEBEDEE)
    InvolvementFactory(
        child=item.child,
        worker=keyworker,
        organisation=keyworker.active_memberships()[0].organisation,
    )
    sign_in_client(client, keyworker)

    listing = client.get(reverse("panels:contribution_list"))
    assert "Zeb Quillfeather" in text_of(listing)
    url = reverse("panels:contribution_edit", kwargs={"item_id": item.pk})
    response = client.post(url, {"view": "He is settling well.", "will_attend": "no"})

    assert response.status_code == 302
    saved = Contribution.objects.get()
    assert (saved.author, saved.will_attend) == (keyworker, False)
    assert saved.role == "Family support worker"
    assert AuditEntry.objects.filter(verb=AuditVerb.CREATE, target_id=str(saved.pk)).exists()
    text = text_of(_pack(client, coordinator, meeting))
    organisation = saved.organisation.name
    assert f"Kit Keyworker, Family support worker, {organisation}" in text
    assert "Cannot attend: this is their written view." in text
    assert "He is settling well." in text


def test_the_role_falls_back_to_what_they_do_for_the_child(meeting):
    item = add_case(meeting)
    author = make_person(Role.REFERRER)
    organisation = OrganisationFactory()
    MembershipFactory(user=author, organisation=organisation, role=Role.REFERRER)
    InvolvementFactory(
        child=item.child, worker=author, organisation=organisation, role=InvolvementRole.REFERRER
    )

    saved = pack_services.contribution_submit(actor=author, item=item, given=_given())

    assert (saved.role, saved.organisation) == ("Referred the child", organisation)


def test_they_can_amend_and_withdraw_until_the_meeting_starts(client, coordinator, meeting):
    item = add_case(meeting)
    author = make_person(Role.KEYWORKER)
    InvolvementFactory(child=item.child, worker=author)
    sign_in_client(client, author)
    url = reverse("panels:contribution_edit", kwargs={"item_id": item.pk})
    client.post(url, {"view": "First thoughts.", "will_attend": "no"})

    assert "First thoughts." in client.get(url).content.decode()  # the form shows it again
    client.post(url, {"view": "Second thoughts.", "will_attend": "yes"})
    saved = Contribution.objects.get()
    assert (saved.view, saved.will_attend) == ("Second thoughts.", True)
    with pytest.raises(PanelError, match="already sent a view"):
        pack_services.contribution_submit(actor=author, item=item, given=_given())

    client.post(reverse("panels:contribution_withdraw", kwargs={"item_id": item.pk}))
    saved.refresh_from_db()
    assert saved.withdrawn_at is not None
    assert "Second thoughts." not in text_of(_pack(client, coordinator, meeting))
    # A withdrawn view stays in the record; a new one can be sent.
    again = pack_services.contribution_submit(actor=author, item=item, given=_given("Third."))
    assert Contribution.objects.count() == 2
    assert again.withdrawn_at is None


def test_nothing_changes_once_the_meeting_has_started(meeting):
    item = add_case(meeting)
    author = make_person(Role.KEYWORKER)
    InvolvementFactory(child=item.child, worker=author)
    sent = pack_services.contribution_submit(actor=author, item=item, given=_given())
    meeting.starts_at = timezone.now() - timedelta(minutes=1)
    meeting.save()

    for attempt in (
        lambda: pack_services.contribution_submit(actor=author, item=item, given=_given()),
        lambda: pack_services.contribution_amend(
            actor=author, contribution=sent, given=_given("Changed")
        ),
        lambda: pack_services.contribution_withdraw(actor=author, contribution=sent),
    ):
        with pytest.raises(PanelError, match="The meeting has started"):
            attempt()
    sent.refresh_from_db()
    assert (sent.view, sent.withdrawn_at) == ("Doing well at the youth project.", None)


def test_only_the_team_around_the_child_can_send_a_view(client, member, meeting):
    item = add_case(meeting)
    ended = make_person(Role.KEYWORKER)
    InvolvementFactory(
        child=item.child,
        worker=ended,
        started_on=timezone.localdate() - timedelta(days=60),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    for outsider in (member, ended):
        with pytest.raises(PanelError, match="Only someone working with the child now"):
            pack_services.contribution_submit(actor=outsider, item=item, given=_given())
        sign_in_client(client, outsider)
        url = reverse("panels:contribution_edit", kwargs={"item_id": item.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"view": "x", "will_attend": "no"}).status_code == 404
        assert (
            "Quillfeather" not in client.get(reverse("panels:contribution_list")).content.decode()
        )
    assert not Contribution.objects.exists()


def test_only_the_author_can_change_a_view(meeting):
    item = add_case(meeting)
    author, colleague = make_person(Role.KEYWORKER), make_person(Role.KEYWORKER)
    for person in (author, colleague):
        InvolvementFactory(child=item.child, worker=person)
    sent = pack_services.contribution_submit(actor=author, item=item, given=_given())

    with pytest.raises(PanelError, match="Only the person who wrote"):
        pack_services.contribution_amend(actor=colleague, contribution=sent, given=_given("No"))
    with pytest.raises(PanelError, match="Only the person who wrote"):
        pack_services.contribution_withdraw(actor=colleague, contribution=sent)


def test_no_view_for_a_case_taken_off_the_agenda_or_a_past_meeting(keyworker, meeting):
    item = add_case(meeting)
    InvolvementFactory(child=item.child, worker=keyworker)
    item.removed_at = timezone.now()
    item.save()
    with pytest.raises(PanelError, match="come off the agenda"):
        pack_services.contribution_submit(actor=keyworker, item=item, given=_given())

    held = MeetingFactory(panel=meeting.panel, starts_at=timezone.now() - timedelta(days=3))
    past = AgendaItem.objects.create(meeting=held, child=item.child)
    with pytest.raises(PanelError, match="The meeting has started"):
        pack_services.contribution_submit(actor=keyworker, item=past, given=_given())


def test_the_list_shows_only_upcoming_agendas_of_children_they_work_with(
    client, keyworker, meeting
):
    upcoming = add_case(meeting, given_name="Ottoline", family_name="Brackenbury")
    InvolvementFactory(child=upcoming.child, worker=keyworker)
    held = MeetingFactory(panel=meeting.panel, starts_at=timezone.now() - timedelta(days=3))
    past_child = ChildFactory(given_name="Persephone", family_name="Oldmeeting")
    InvolvementFactory(child=past_child, worker=keyworker)
    AgendaItem.objects.create(meeting=held, child=past_child)
    not_theirs = add_case(meeting, given_name="Rosalind", family_name="Elsewhere")
    sign_in_client(client, keyworker)

    text = text_of(client.get(reverse("panels:contribution_list")))

    assert "Ottoline Brackenbury" in text
    assert "Oldmeeting" not in text
    assert not_theirs.child.family_name not in text


def test_the_childs_page_leads_to_the_views_list(client, keyworker, meeting):
    item = add_case(meeting)
    InvolvementFactory(child=item.child, worker=keyworker)
    sign_in_client(client, keyworker)

    response = client.get(
        reverse("children:child_detail", kwargs={"reference": item.child.reference})
    )

    assert reverse("panels:contribution_list") in response.content.decode()


def test_the_meeting_page_leads_to_the_pack(client, coordinator, meeting):
    sign_in_client(client, coordinator)

    response = client.get(reverse("panels:meeting_detail", kwargs={"meeting_id": meeting.pk}))

    assert reverse("panels:pack", kwargs={"meeting_id": meeting.pk}) in response.content.decode()


# Earlier decisions of the panel on each case


def _decided_at_an_earlier_meeting(item, *, days_ago=30, outcome="support_plan", **fields):
    held = MeetingFactory(
        panel=item.meeting.panel, starts_at=timezone.now() - timedelta(days=days_ago)
    )
    earlier = AgendaItem.objects.create(meeting=held, child=item.child, referral=item.referral)
    fields.setdefault("rationale", "Two agencies concerned; the family asked for help.")
    return Decision.objects.create(item=earlier, outcome=outcome, **fields)


def test_the_pack_shows_each_cases_earlier_decisions_with_their_reasons(
    client, coordinator, meeting, case
):
    deferred = _decided_at_an_earlier_meeting(
        case, days_ago=60, outcome="defer", rationale="Waiting for the school's view."
    )
    current = _decided_at_an_earlier_meeting(
        case,
        days_ago=30,
        outcome="signpost",
        signpost_to="Easton youth club",
        rationale="Two agencies concerned; the family asked for help.",
        against_rule_reason="The family asked for a lighter touch.",
        version=2,
    )
    Decision.objects.create(
        item=current.item,
        version=1,
        outcome="defer",
        rationale="Superseded wording.",
        superseded_at=timezone.now(),
    )
    other_panel = MeetingFactory(starts_at=timezone.now() - timedelta(days=10))
    elsewhere = AgendaItem.objects.create(meeting=other_panel, child=case.child)
    Decision.objects.create(item=elsewhere, outcome="no_further_action", rationale="Elsewhere.")
    Decision.objects.create(item=case, outcome="no_further_action", rationale="Decided today.")

    text = text_of(_pack(client, coordinator, meeting))

    signposted = timezone.localtime(timezone.now() - timedelta(days=30))
    assert (
        f"{signposted:%-d %B %Y}: Signpost to a mainstream service: Easton youth club "
        "Reasons: Two agencies concerned; the family asked for help. Why it differed from the "
        "prioritisation rule: The family asked for a lighter touch."
    ) in text
    held = timezone.localtime(deferred.item.meeting.starts_at)
    assert f"{held:%-d %B %Y}: Defer Reasons: Waiting for the school's view." in text
    # Newest first; corrected versions, other panels and this meeting's own decision are not.
    assert text.index("Easton youth club") < text.index("Waiting for the school")
    for absent in ("Superseded wording.", "Elsewhere.", "Decided today."):
        assert absent not in text


def test_earlier_reasons_reach_a_member_outside_the_team_without_the_familys_names(
    client, member, meeting, case
):
    _decided_at_an_earlier_meeting(
        case,
        rationale="Marigold Quillfeather asked for help; Hollyoak Primary is worried.",
        signpost_to="The club at 7 Larkspur Lane",
        outcome="signpost",
    )

    html = _pack(client, member, meeting).content.decode()
    pdf = pdf_text(_pack(client, member, meeting, "pack_pdf").content)

    for shown in (text_of_html(html), pdf):
        assert "Reasons: the mother asked for help; the school is worried." in shown
        assert _found(HIDDEN_WORDS, shown) == []
    assert "Earlier decisions of the panel" in pdf


def text_of_html(content: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def test_the_pdf_shows_earlier_decisions_to_the_coordinator(client, coordinator, meeting, case):
    _decided_at_an_earlier_meeting(case, rationale="The family asked for a keyworker.")

    text = pdf_text(_pack(client, coordinator, meeting, "pack_pdf").content)

    assert "Earlier decisions of the panel" in text
    assert "Integrated support plan" in text
    assert "The family asked for a keyworker." in text


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_earlier_decisions_cost_one_query_for_the_whole_agenda(
    client, request, panel, meeting, who
):
    viewer = request.getfixturevalue(who)
    for n in range(3):
        _decided_at_an_earlier_meeting(add_case(meeting, given_name=f"Ann{n}"), outcome="defer")
    three = _queries(client, viewer, meeting)
    for n in range(12):
        item = add_case(meeting, contributions=1, given_name=f"Bea{n}")
        _decided_at_an_earlier_meeting(item, days_ago=60, outcome="defer")
        _decided_at_an_earlier_meeting(item, days_ago=30, outcome="signpost", signpost_to="Club")

    assert _queries(client, viewer, meeting) == three
    # 15 for the coordinator and 17 for a member before earlier decisions were shown.
    assert three == {"coordinator": 16, "member": 18}[who]
