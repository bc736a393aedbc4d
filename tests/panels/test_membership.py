"""Who sits on a panel, by the panel's own rules: membership criteria checked (with how
each is met) when someone is added, delegated authority and deputies recorded, seats ended
with a reason, and terms of reference kept as versions that are never rewritten."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels import services
from joinedup.panels.models import MembershipCriterion, PanelMember, PanelRole, TermsOfReference
from tests.conftest import make_person
from tests.factories import MembershipFactory, OrganisationFactory, PanelFactory, PanelMemberFactory
from tests.referrals.journey import text_of

TODAY = timezone.localdate


@pytest.fixture
def panel(db):
    return PanelFactory(name="Easton panel", slug="easton")


@pytest.fixture
def coordinator(panel):
    user = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=user, role=PanelRole.COORDINATOR)
    return user


@pytest.fixture
def criteria(panel, coordinator):
    return [
        services.criterion_add(actor=coordinator, panel=panel, text=text)
        for text in ("Works with children in Easton", "Can commit their agency's resources")
    ]


@pytest.fixture
def school_lead():
    person = make_person(Role.KEYWORKER, full_name="Sam Senco")
    return person, Membership.objects.get(user=person).organisation


def seat(person, organisation, criteria, **overrides):
    details = {
        "user": person,
        "organisation": organisation,
        "role": PanelRole.MEMBER,
        "has_delegated_authority": True,
        "criteria_met": {str(c.pk): "Leads inclusion at Easton Primary" for c in criteria},
    }
    details.update(overrides)
    return services.SeatDetails(**details)


def test_a_member_is_added_with_how_they_meet_each_criterion(
    panel, coordinator, criteria, school_lead
):
    person, school = school_lead

    member = services.member_add(
        actor=coordinator, panel=panel, seat=seat(person, school, criteria)
    )

    assert member.has_delegated_authority and member.added_by == coordinator
    assert [entry["text"] for entry in member.criteria_met] == [c.text for c in criteria]
    assert AuditEntry.objects.filter(verb=AuditVerb.CREATE, target_id=str(member.pk)).exists()
    # Retiring a criterion later does not rewrite why someone joined.
    services.criterion_retire(actor=coordinator, criterion=criteria[0])
    member.refresh_from_db()
    assert member.criteria_met[0]["text"] == "Works with children in Easton"


def test_a_criterion_not_met_names_it_and_seats_nobody(panel, coordinator, criteria, school_lead):
    person, school = school_lead
    answers = {str(criteria[0].pk): "Leads inclusion", str(criteria[1].pk): "  "}

    with pytest.raises(services.PanelError) as refused:
        services.member_add(
            actor=coordinator,
            panel=panel,
            seat=seat(person, school, criteria, criteria_met=answers),
        )

    assert refused.value.field == f"criterion_{criteria[1].pk}"
    assert "Can commit their agency's resources" in refused.value.message
    assert not PanelMember.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("other_organisation", "organisation", "does not work for"),
        ("twice", "user", "already sits on the Easton panel"),
        ("deputy_elsewhere", "deputy_for", "same organisation"),
        ("not_coordinator", "panel", "Only a coordinator"),
        ("no_role", "role", "Select the person's role"),
    ],
)
def test_a_seat_that_breaks_a_rule_is_refused_with_the_field(
    panel, coordinator, criteria, school_lead, change, field, message
):
    person, school = school_lead
    actor, details = coordinator, seat(person, school, criteria)
    if change == "other_organisation":
        details = seat(person, OrganisationFactory(name="Police"), criteria)
    elif change == "twice":
        services.member_add(actor=coordinator, panel=panel, seat=details)
    elif change == "deputy_elsewhere":
        someone = PanelMemberFactory(panel=panel, role=PanelRole.MEMBER)
        details = seat(person, school, criteria, deputy_for=someone)
    elif change == "not_coordinator":
        actor = make_person(Role.PANEL_CHAIR)
        PanelMemberFactory(panel=panel, user=actor, role=PanelRole.CHAIR)
    elif change == "no_role":
        details = seat(person, school, criteria, role="king")
    seats_before = PanelMember.objects.count()

    with pytest.raises(services.PanelError) as refused:
        services.member_add(actor=actor, panel=panel, seat=details)

    assert refused.value.field == field and message in refused.value.message
    assert PanelMember.objects.count() == seats_before


def test_a_deputy_stands_in_for_a_member_of_their_organisation_and_leaves_with_them(
    panel, coordinator, criteria, school_lead
):
    person, school = school_lead
    member = services.member_add(
        actor=coordinator, panel=panel, seat=seat(person, school, criteria)
    )
    deputy_person = make_person(None, full_name="Dee Deputy")
    MembershipFactory(user=deputy_person, organisation=school, role=Role.KEYWORKER)
    deputy = services.member_add(
        actor=coordinator,
        panel=panel,
        seat=seat(
            deputy_person, school, criteria, deputy_for=member, has_delegated_authority=False
        ),
    )

    services.member_end(
        actor=coordinator, member=member, ended_on=TODAY(), reason="Left the school"
    )

    deputy.refresh_from_db()
    assert deputy.ended_on == TODAY()
    assert "Left the school" in deputy.ended_reason
    assert not PanelMember.objects.current().filter(pk__in=[member.pk, deputy.pk]).exists()


def test_the_last_coordinator_cannot_leave_the_panel_without_one(panel, coordinator):
    own_seat = PanelMember.objects.get(user=coordinator)
    with pytest.raises(services.PanelError, match="needs a coordinator"):
        services.member_end(actor=coordinator, member=own_seat, ended_on=TODAY(), reason="Retiring")
    own_seat.refresh_from_db()
    assert own_seat.ended_on is None


def test_terms_of_reference_are_versions_never_rewritten(panel, coordinator):
    first = services.terms_adopt(
        actor=coordinator, panel=panel, text="We meet monthly.", adopted_on=date(2026, 1, 5)
    )
    with pytest.raises(services.PanelError) as unchanged:
        services.terms_adopt(
            actor=coordinator,
            panel=panel,
            text="We meet monthly.",
            adopted_on=TODAY(),
            change_summary="Nothing",
        )
    assert unchanged.value.field == "text"
    with pytest.raises(services.PanelError) as unexplained:
        services.terms_adopt(
            actor=coordinator, panel=panel, text="We meet every six weeks.", adopted_on=TODAY()
        )
    assert unexplained.value.field == "change_summary"
    with pytest.raises(services.PanelError) as backdated:
        services.terms_adopt(
            actor=coordinator,
            panel=panel,
            text="We meet every six weeks.",
            adopted_on=date(2025, 12, 1),
            change_summary="Less often",
        )
    assert backdated.value.field == "adopted_on"

    second = services.terms_adopt(
        actor=coordinator,
        panel=panel,
        text="We meet every six weeks.",
        adopted_on=TODAY(),
        change_summary="Meetings every six weeks, not monthly",
    )

    assert (first.version, second.version) == (1, 2)
    assert TermsOfReference.objects.get(pk=first.pk).text == "We meet monthly."


def test_the_panel_page_shows_authority_deputies_terms_and_criteria(
    panel, coordinator, criteria, school_lead, sign_in
):
    person, school = school_lead
    services.member_add(actor=coordinator, panel=panel, seat=seat(person, school, criteria))
    services.terms_adopt(
        actor=coordinator, panel=panel, text="We meet monthly.", adopted_on=TODAY()
    )

    page = text_of(
        sign_in(coordinator).get(reverse("panels:panel_detail", kwargs={"slug": "easton"}))
    )

    assert "Sam Senco" in page and "Can commit resources" in page
    assert "(version 1, adopted" in page
    assert "2 criteria" in page


def test_adding_a_member_in_the_browser_form(panel, coordinator, criteria, school_lead, sign_in):
    person, school = school_lead
    client = sign_in(coordinator)
    url = reverse("panels:member_add", kwargs={"slug": "easton"})
    answers = {
        "email": person.email.upper(),
        "organisation": "",
        "role": PanelRole.MEMBER,
        "has_delegated_authority": "yes",
        "deputy_for": "",
        "started_on_day": str(TODAY().day),
        "started_on_month": str(TODAY().month),
        "started_on_year": str(TODAY().year),
        **{f"criterion_{c.pk}": "Leads inclusion at Easton Primary" for c in criteria},
    }

    unknown = client.post(url, {**answers, "email": "nobody@example.org"})
    assert "Nobody in JoinedUp has this email address" in text_of(unknown)
    assert not PanelMember.objects.filter(user=person).exists()

    added = client.post(url, answers)

    assert added.status_code == 302
    member = PanelMember.objects.get(user=person)
    assert member.organisation == school and member.has_delegated_authority


def test_criteria_are_kept_by_the_coordinator_and_read_by_members(panel, coordinator, sign_in):
    member = make_person(Role.PANEL_MEMBER, full_name="Mo Member")
    PanelMemberFactory(panel=panel, user=member, role=PanelRole.MEMBER)
    url = reverse("panels:criteria", kwargs={"slug": "easton"})

    assert (
        sign_in(coordinator).post(url, {"text": "Works with children in Easton"}).status_code == 302
    )
    member_view = sign_in(member)
    assert "Works with children in Easton" in text_of(member_view.get(url))
    refused = member_view.post(url, {"text": "Friends of the chair"})
    assert "Only a coordinator" in text_of(refused)
    assert list(MembershipCriterion.objects.values_list("text", flat=True)) == [
        "Works with children in Easton"
    ]


def test_a_seat_cannot_end_before_it_started(panel, coordinator, criteria, school_lead):
    person, school = school_lead
    member = services.member_add(
        actor=coordinator, panel=panel, seat=seat(person, school, criteria)
    )
    with pytest.raises(services.PanelError) as refused:
        services.member_end(
            actor=coordinator, member=member, ended_on=TODAY() - timedelta(days=1), reason="Moved"
        )
    assert refused.value.field == "ended_on"
