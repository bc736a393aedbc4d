"""Issue 4's acceptance journey, in Chromium on the demo partnership, with axe-core on every
page visited: the coordinator schedules a meeting and builds its agenda from consented cases
(a case without the family's consent to panel discussion is refused, with the reason); opens
the panel pack and its PDF; a panel member outside the team around the child opens the same
pack and PDF and finds the pseudonym only, never the child's name, date of birth or school;
once the meeting has started, the coordinator records attendance, sees the quorum, records the
decision with its reasons (the prioritisation rule's evaluation on the form): an integrated
support plan led by the youth project's keyworker; and records an action for the keyworker
from the meeting page. The keyworker signs in, finds the action and the plan, adds a goal in
the child's words, records a review and closes the plan with its outcome.

Only the set-up (before the journey, and the meeting's clock between the two phases) writes to
the database directly; everything else goes through the pages."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from joinedup.accounts.models import Membership
from joinedup.actions.models import Action, ActionStatus
from joinedup.children import services as children
from joinedup.children.models import Relationship
from joinedup.consent import services as consent
from joinedup.consent.models import Method, Scope
from joinedup.core.roles import Role
from joinedup.demo.catalogue import EASTON
from joinedup.demo.loader import load_demo_data
from joinedup.organisations.models import Locality
from joinedup.panels.models import Decision, DecisionOutcome, Meeting, PipelineCase
from joinedup.panels.pipeline import cases_rebuild
from joinedup.plans.models import Plan, PlanStatus, SaidBy
from joinedup.referrals import services as referrals
from joinedup.referrals.models import Concern, FamilyAware, Referral, ReferralStatus, Urgency

from .conftest import assert_accessible
from .signing_in import sign_in

COORDINATOR = "coordinator@demo.joinedup.test"
SERGEANT = "panel.member@demo.joinedup.test"
KEYWORKER = "keyworker@demo.joinedup.test"
REFERRER = "referrer@demo.joinedup.test"
LOCATION = "Easton Community Centre, room 2"
ACTION = "Ask the school for a place in the lunchtime art club"
GOAL = "i want to do art club and not get sent out at dinner"


def _refer(referrer: Membership, given: str, family: str, mother: str, born: date) -> Referral:
    easton = Locality.objects.get(slug=EASTON)
    referral = referrals.referral_submit(
        actor=referrer.user,
        child=children.ChildDetails(
            given_name=given,
            family_name=family,
            date_of_birth=born,
            # The referring school is the child's own: naming it would go far to identify them.
            school=referrer.organisation,
            address=children.AddressDetails(
                line_1="23 Belle Vue Road", postcode="BS5 6DS", locality=easton
            ),
            household=[
                children.HouseholdMemberDetails(
                    full_name=mother,
                    relationship=Relationship.MOTHER,
                    has_parental_responsibility=True,
                )
            ],
        ),
        details=referrals.ReferralDetails(
            organisation=referrer.organisation,
            relationship_to_child="Learning mentor",
            concerns=list(Concern.objects.filter(label="Not attending school regularly")),
            what_has_been_tried="Weekly check-ins and a call home; things have not improved.",
            urgency=Urgency.SOON,
            family_aware=FamilyAware.YES,
            safeguarding_concern=False,
        ),
    )
    assert referral.status != ReferralStatus.NOT_ELIGIBLE
    return referral


@pytest.fixture
def world(transactional_db):
    """The demo partnership, with two new referrals to the Easton panel from the school: Keira,
    whose mother agreed to the panel discussing her case, to services contacting the family
    and to sharing with the youth project (so its keyworker can lead a plan); and Tyler, whose
    family has not agreed to panel discussion yet."""
    load_demo_data()
    referrer = Membership.objects.active().get(user__email=REFERRER, role=Role.REFERRER)
    keyworker = Membership.objects.active().get(user__email=KEYWORKER, role=Role.KEYWORKER)
    born = date(timezone.localdate().year - 11, 3, 14)
    keira = _refer(referrer, "Keira", "Doyle", "Shannon Doyle", born)
    tyler = _refer(referrer, "Tyler", "Marsh", "Jade Marsh", born.replace(month=6, day=2))
    consent.consent_record(
        actor=referrer.user,
        child=keira.child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name="Deputy head teacher",
            given_on=timezone.localdate(),
            household_member=keira.child.household.get(),
            scopes=[Scope.PANEL_DISCUSSION, Scope.CONTACT],
            organisations=[keyworker.organisation],
        ),
    )
    return {
        "keira": keira.child,
        "tyler": tyler.child,
        "school": referrer.organisation.name,
        "keyworker": keyworker,
    }


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def _fill_date(page: Page, legend: str | re.Pattern[str], day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _download_pdf(page: Page) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack as a PDF").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(content)).pages)
    # Lines wrap anywhere in a PDF: a name split over two lines must still be found.
    return " ".join(text.split())


def _identifying(child, school: str = "") -> list[str]:
    """What names the child to someone outside the team around them: her name, her mother's,
    her date of birth as pages write it, and her school."""
    mother = child.household.get().full_name
    born = child.date_of_birth
    words = [
        child.given_name,
        child.family_name,
        mother,
        f"{born:%-d %B %Y}",
        f"{born:%d/%m/%Y}",
        born.isoformat(),
    ]
    return [*words, school] if school else words


@pytest.mark.both_databases
def test_the_panel_at_work_from_agenda_to_closed_plan(page: Page, world) -> None:
    checked: list[str] = []
    keira, tyler, school = world["keira"], world["tyler"], world["school"]
    keyworker = world["keyworker"]
    next_week = timezone.localdate() + timedelta(days=7)
    meeting_label = re.compile(f"^{next_week:%A %-d %B %Y}, 16:00")

    # --- The coordinator schedules the meeting and builds its agenda.
    sign_in(page, COORDINATOR, checked=checked)
    page.get_by_role("link", name="Panels", exact=True).click()
    expect(page.get_by_role("heading", name="Your panels")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Easton & Lawrence Hill panel").first.click()
    expect(page.get_by_role("heading", name="Who sits on the panel")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Add a meeting").click()
    expect(page.get_by_role("heading", name=re.compile("meeting", re.I))).to_be_visible()
    assert_accessible(page, checked)
    _fill_date(page, "Date of the meeting", next_week)
    page.get_by_label("Start time").fill("16:00")
    page.get_by_label("Where (optional)").fill(LOCATION)
    page.get_by_role("button", name=re.compile("meeting", re.I)).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Meeting added")
    expect(page.locator("#main-content")).to_contain_text("Nothing on the agenda yet")
    assert_accessible(page, checked)
    meeting = Meeting.objects.get(location=LOCATION)

    # A case without the family's consent to panel discussion is refused, saying why.
    page.get_by_role("link", name="the referrals to your panels").click()
    expect(page.get_by_role("heading", name="Referrals to your panels")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Tyler Marsh").click()
    expect(page.get_by_role("heading", name="Tyler Marsh")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Put on an agenda").click()
    expect(page.get_by_role("heading", name=re.compile("Put the case on a"))).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label(meeting_label).check()
    page.get_by_role("button", name="Put on the agenda").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("no consent to discussing their case at the panel")
    assert_accessible(page, checked)
    assert not meeting.items.exists()

    # The consented case goes on the agenda.
    page.get_by_role("link", name="Back to the referral").click()
    expect(page.get_by_role("heading", name="Tyler Marsh")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Back to referrals").click()
    expect(page.get_by_role("heading", name="Referrals to your panels")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name=re.compile(r"^All \(\d+\)")).click()
    expect(page.get_by_role("table", name="All")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Keira Doyle").click()
    expect(page.get_by_role("heading", name="Keira Doyle")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Put on an agenda").click()
    expect(page.get_by_role("heading", name=re.compile("Put the case on a"))).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label(meeting_label).check()
    page.get_by_role("button", name="Put on the agenda").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("on the meeting's agenda")
    agenda = page.locator("#main-content ol").first
    expect(agenda).to_contain_text(keira.pseudonym)
    expect(agenda).not_to_contain_text(tyler.pseudonym)
    assert_accessible(page, checked)
    assert [item.child for item in meeting.items.all()] == [keira]

    # --- The pack: the coordinator of the child's panel reads her name, on the page and in
    # the PDF.
    page.get_by_role("link", name="Open the panel pack").click()
    expect(page.get_by_role("heading", name=re.compile("^Panel pack"))).to_be_visible()
    expect(page.get_by_role("heading", name="1. Keira Doyle")).to_be_visible()
    assert_accessible(page, checked)
    text = _download_pdf(page)
    assert "Keira Doyle" in text and keira.reference in text
    _sign_out(page)

    # A member outside the team around the child finds the pseudonym only.
    sign_in(page, SERGEANT, checked=checked)
    page.get_by_role("link", name="Panels", exact=True).click()
    expect(page.get_by_role("heading", name="Your panels")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Easton & Lawrence Hill panel").first.click()
    expect(page.get_by_role("heading", name="Who sits on the panel")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name=re.compile(f"^{next_week:%A %-d %B %Y}")).click()
    expect(page.get_by_role("heading", name=f"{next_week:%A %-d %B %Y}, 16:00")).to_be_visible()
    entry = page.locator("#main-content ol").first.get_by_role("listitem")
    expect(entry).to_contain_text(keira.pseudonym)
    assert [words for words in _identifying(keira, school) if words in entry.inner_text()] == []
    # The school is named elsewhere on this page, as the agency owning another case's action.
    assert [words for words in _identifying(keira) if words in page.content()] == []
    assert_accessible(page, checked)
    page.get_by_role("link", name="Open the panel pack").click()
    expect(page.get_by_role("heading", name=f"1. {keira.pseudonym}")).to_be_visible()
    assert_accessible(page, checked)
    html = page.content()
    assert [words for words in _identifying(keira, school) if words in html] == []
    text = _download_pdf(page)
    assert keira.pseudonym in text and keira.reference in text
    assert [words for words in _identifying(keira, school) if words in text] == []
    _sign_out(page)

    # --- The meeting. The live server keeps the real clock, so the days until the meeting
    # cannot pass in the browser: the meeting is moved to have started an hour ago, as if the
    # week had gone by (decisions are refused before a meeting starts, agenda changes after).
    started = timezone.localtime(timezone.now() - timedelta(hours=1)).replace(microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=started)

    sign_in(page, COORDINATOR, checked=checked)
    page.get_by_role("link", name="Panels", exact=True).click()
    expect(page.get_by_role("heading", name="Your panels")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Easton & Lawrence Hill panel").first.click()
    expect(page.get_by_role("heading", name="Who sits on the panel")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name=f"{started:%A %-d %B %Y, %H:%M}").click()
    expect(page.get_by_role("heading", name="Attendance")).to_be_visible()
    expect(page.locator("#main-content")).to_contain_text("Not quorate")
    assert_accessible(page, checked)

    page.get_by_role("link", name="Record attendance and apologies").click()
    expect(page.get_by_role("heading", name="Attendance and apologies")).to_be_visible()
    assert_accessible(page, checked)
    for group in page.locator("fieldset").all():
        group.get_by_label("Present", exact=True).check()
    page.get_by_role("button", name="Save attendance").click()
    quorum = page.locator(".govuk-inset-text", has_text="Quorate")
    expect(quorum).to_contain_text(re.compile(r"Quorate: \d+ members from \d+ agencies"))
    assert_accessible(page, checked)

    # The decision, with the rule's evaluation on the form and the reasons.
    page.get_by_role("link", name=re.compile("Record the decision")).click()
    expect(page.get_by_role("heading", name=re.compile("Decision on"))).to_be_visible()
    expect(page.locator("#case-quorum")).to_contain_text("Quorate")
    evaluation = page.locator("#rule-evaluation")
    expect(evaluation).to_contain_text("Rule not met")
    expect(evaluation).to_contain_text(f"1: {school}")
    expect(evaluation).to_contain_text("0: no completed assessment")
    assert_accessible(page, checked)
    page.get_by_role("radio", name="Integrated support plan").check()
    page.get_by_label("Lead keyworker, if the panel decides on a plan").select_option(
        label=f"{keyworker.user.display_name}, {keyworker.organisation.name}"
    )
    page.get_by_label("Reasons for the decision").fill(
        f"{keira.pseudonym} misses school most Mondays and is sent out at lunchtime; her mother "
        "is worried and asks for help. She enjoys art."
    )
    page.get_by_role("button", name="Record the decision").click()
    # Against the rule, as the record stands: the panel must say why, or correct the record.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "This decision goes against the panel's prioritisation rule (not met): say why"
    )
    assert_accessible(page, checked)
    assert not Decision.objects.exists() and not Plan.objects.filter(child=keira).exists()
    page.get_by_label("The parents or carers are concerned").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    expect(page.locator("#main-content")).to_contain_text("Integrated support plan")
    assert_accessible(page, checked)
    decision = Decision.objects.get(item__meeting=meeting)
    assert decision.outcome == DecisionOutcome.SUPPORT_PLAN
    assert decision.rule_snapshot["met"] and decision.plan is not None
    assert decision.plan.keyworker == keyworker.user

    # An action from the meeting page, with its owner and due date.
    page.get_by_role("link", name="Record an action").click()
    expect(page.get_by_role("heading", name="Record an action")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label(f"{keira.pseudonym} ({keira.reference})").check()
    page.get_by_label("What is to be done?").fill(ACTION)
    page.get_by_label("Who will do it?").select_option(
        label=f"{keyworker.user.display_name}, {keyworker.organisation.name}"
    )
    due = timezone.localdate() + timedelta(days=14)
    _fill_date(page, re.compile("due", re.I), due)
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_role("heading", name=ACTION)).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been told")
    assert_accessible(page, checked)
    page.get_by_role("link", name="Back to the meeting").click()
    expect(page.get_by_role("heading", name="Actions")).to_be_visible()
    expect(page.get_by_role("table", name="Agreed at this meeting")).to_contain_text(ACTION)
    assert_accessible(page, checked)
    _sign_out(page)

    # --- The keyworker: the action, then the plan.
    sign_in(page, KEYWORKER, checked=checked)
    page.get_by_role("link", name="Actions for me").first.click()
    expect(page.get_by_role("heading", name="Actions for me")).to_be_visible()
    expect(page.get_by_role("link", name=ACTION)).to_be_visible()
    row = page.get_by_role("row", name=re.compile(ACTION))
    expect(row).to_contain_text(f"{due:%-d %b %Y}")
    expect(row).to_contain_text(keira.pseudonym)
    assert_accessible(page, checked)
    # Leading her plan puts the keyworker in the team around the child: the action names her.
    page.get_by_role("link", name=ACTION).click()
    expect(page.get_by_role("heading", name=ACTION)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Keira Doyle")
    assert_accessible(page, checked)
    page.get_by_role("link", name="My caseload").first.click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name=keira.known_as).click()
    expect(page.get_by_role("heading", name="Intervention plan")).to_be_visible()
    assert_accessible(page, checked)

    # A goal in her words.
    page.get_by_role("link", name="Add a goal in their words").click()
    expect(page.get_by_role("heading", name="Add a goal in their words")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("The goal, in their own words").fill(GOAL)
    page.get_by_role("group", name="Who said it?").get_by_label("The child", exact=True).check()
    page.get_by_role("button", name="Add the goal").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Goal added")
    expect(page.get_by_text(f"“{GOAL}”")).to_be_visible()
    assert_accessible(page, checked)

    # A review.
    page.get_by_role("button", name="Record a review").click()
    expect(page.get_by_role("heading", name="Record a review")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("group", name=re.compile(r"^Progress on goal 1")).get_by_label(
        "Some progress"
    ).check()
    page.get_by_label("What the child says, in their words").fill("art club is the best bit")
    page.get_by_label("What the family says, in their words").fill("She goes in on Mondays now")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review recorded")
    expect(page.get_by_text("art club is the best bit")).to_be_visible()
    assert_accessible(page, checked)

    # Closure with the outcome.
    page.get_by_role("button", name="Close the plan").click()
    expect(page.get_by_role("heading", name="Close the plan")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("group", name="Outcome").get_by_label("Goals met", exact=True).check()
    page.get_by_label("Reason for closing").fill("Art club and school on Mondays are going well.")
    page.get_by_label("What has changed").fill("In school every day; no longer sent out.")
    page.get_by_label("What the child says, in their words").fill("i'm ok now")
    page.get_by_label("What support continues").fill("Lunchtime art club")
    page.get_by_role("button", name="Close the plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Plan closed")
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.get_by_role("link", name=keira.known_as)).to_have_count(0)
    assert_accessible(page, checked)

    plan = Plan.objects.get(child=keira)
    assert plan.status == PlanStatus.CLOSED and plan.keyworker == keyworker.user
    assert plan.goals.filter(in_their_words=GOAL, said_by=SaidBy.CHILD).exists()
    assert plan.reviews.count() == 1
    action = Action.objects.get(title=ACTION)
    assert action.owner == keyworker.user and action.due_on == due
    assert action.status == ActionStatus.OPEN
    # Every step went through the services, which kept the pipeline's stages as they went.
    case = PipelineCase.objects.get(child=keira)
    assert case.stage == "closed"
    kept = set(PipelineCase.objects.values_list("referral", "stage", "since", "leaves_at"))
    cases_rebuild()
    assert set(PipelineCase.objects.values_list("referral", "stage", "since", "leaves_at")) == kept
    assert len(checked) >= 50
