"""A partner refers a child: seven question pages, answers held in the session, a check page,
and one "Send referral" that records the child, the referral and who referred them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.children.models import Address, Child, HouseholdMember, Involvement, InvolvementRole
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.organisations.models import OrganisationKind
from joinedup.referrals.models import Referral, ReferralStatus, Urgency
from tests.accounts.pages import error_summary, summary_names_field, summary_text
from tests.conftest import make_person
from tests.factories import MembershipFactory, SchoolFactory
from tests.referrals.conftest import EASTON_SIGNPOSTING
from tests.referrals.journey import (
    NOT_ATTENDING,
    SLUGS,
    answers,
    born,
    check_url,
    date_parts,
    draft,
    fill_in,
    form_target,
    referral_made,
    send,
    step_url,
    text_of,
)

# Fixed, so that test ids are the same in every pytest-xdist worker.
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def nothing_saved() -> bool:
    return not (
        Child.objects.exists()
        or Referral.objects.exists()
        or AuditEntry.objects.filter(verb=AuditVerb.CREATE).exists()
    )


def test_voluntary_group_worker_refers_a_child(volunteer, volunteer_client, youth_project, easton):
    client = volunteer_client
    assert youth_project.kind == OrganisationKind.VOLUNTARY
    dob = born(10, month=4, day=3)
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=dob)

    start = client.post(reverse("referrals:referral_start"))
    assert start.url == step_url("child")
    for number, slug in enumerate(SLUGS, start=1):
        page = client.get(step_url(slug))
        assert page.status_code == 200
        assert f"question {number} of {len(SLUGS)}" in text_of(page)
    fill_in(client, pages)

    check = client.get(check_url())
    assert check.status_code == 200
    shown = text_of(check)
    for answer in (
        "Amina",
        "Yusuf",
        f"3 April {dob.year}",
        "Easton",
        "Hodan Yusuf",
        "Easton Youth Project",
        NOT_ATTENDING,
        Urgency.SOON.label,
    ):
        assert answer in shown, answer

    done = send(client)
    referral = Referral.objects.get()
    assert done.url == reverse("referrals:referral_done", kwargs={"referral_id": referral.pk})
    confirmation = client.get(done.url)
    assert "Referral sent" in text_of(confirmation)
    assert referral.child.reference in text_of(confirmation)

    child = Child.objects.get()
    assert (child.given_name, child.family_name, child.date_of_birth) == ("Amina", "Yusuf", dob)
    assert child.locality == easton
    address = Address.objects.get(child=child)
    assert (address.line_1, address.postcode, address.locality) == (
        "12 Stapleton Road",
        "BS5 0RA",
        easton,
    )
    carer = HouseholdMember.objects.get(child=child)
    assert carer.full_name == "Hodan Yusuf"
    assert carer.has_parental_responsibility
    assert referral.child == child
    assert referral.referrer == volunteer
    assert referral.referring_organisation == youth_project
    assert [concern.label for concern in referral.concerns.all()] == [NOT_ATTENDING]
    assert referral.status == ReferralStatus.RECEIVED
    involvement = Involvement.objects.get(child=child)
    assert involvement.role == InvolvementRole.REFERRER
    assert involvement.worker == volunteer
    assert involvement.organisation == youth_project
    for target in (child, referral):
        entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(target.pk))
        assert entry.target_type == target._meta.label_lower
        assert entry.actor == volunteer
    assert draft(client) is None


def test_nothing_is_saved_until_the_referrer_sends_the_referral(
    volunteer_client, youth_project, easton
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages)

    assert volunteer_client.get(check_url()).status_code == 200
    assert Child.objects.count() == 0
    assert nothing_saved()
    assert not (Address.objects.exists() or HouseholdMember.objects.exists())
    assert not Involvement.objects.exists()
    assert set(draft(volunteer_client)) == set(SLUGS)


@pytest.mark.parametrize(
    ("answered", "first_missing"), [(0, "child"), (4, "you"), (7, "safeguarding")]
)
def test_the_check_page_sends_the_referrer_to_the_first_unanswered_question(
    volunteer_client, youth_project, easton, answered, first_missing
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages, up_to=answered)

    for response in (volunteer_client.get(check_url()), send(volunteer_client)):
        assert response.status_code == 302
        assert response.url == step_url(first_missing)
    assert nothing_saved()


def test_change_links_return_the_referrer_to_the_check_page(
    volunteer_client, youth_project, easton
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages)
    check = volunteer_client.get(check_url()).content.decode()
    for slug in SLUGS:
        assert f'href="{step_url(slug)}?change=1"' in check

    changed = volunteer_client.post(
        step_url("child", change=True), {**pages["child"], "given_name": "Amira"}
    )

    assert changed.status_code == 302
    assert changed.url == check_url()
    shown = text_of(volunteer_client.get(check_url()))
    assert "Amira" in shown
    assert "Amina" not in shown


def test_starting_again_clears_the_answers_given_so_far(volunteer_client, youth_project, easton):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages, up_to=3)
    assert "Start a new referral" in text_of(
        volunteer_client.get(reverse("referrals:referral_start"))
    )

    volunteer_client.post(reverse("referrals:referral_start"))

    assert draft(volunteer_client) is None


def test_an_unknown_question_page_is_not_found(volunteer_client):
    assert volunteer_client.get(step_url("favourite-colour")).status_code == 404


# Eligibility


def test_a_child_the_panel_can_take_is_received_with_the_reasons_explained(
    volunteer_client, youth_project, easton
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages)

    confirmation = volunteer_client.get(send(volunteer_client).url)

    assert Referral.objects.get().status == ReferralStatus.RECEIVED
    shown = text_of(confirmation)
    assert "The Easton panel covers Easton, where the child lives." in shown
    assert "The child is 10; the Easton panel supports children aged 8 to 13." in shown
    assert EASTON_SIGNPOSTING not in shown


def test_a_fifteen_year_old_is_recorded_as_not_eligible_and_signposted(
    volunteer_client, youth_project, easton
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(15))
    fill_in(volunteer_client, pages)

    confirmation = volunteer_client.get(send(volunteer_client).url)

    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.NOT_ELIGIBLE
    assert referral.signposting == EASTON_SIGNPOSTING
    assert {check["rule"]: check["met"] for check in referral.eligibility} == {
        "locality": True,
        "age": False,
    }
    shown = text_of(confirmation)
    assert "The panel cannot take this referral" in shown
    assert "The child is 15; the Easton panel supports children aged 8 to 13." in shown
    assert EASTON_SIGNPOSTING in shown
    assert referral.child.reference in shown


def test_a_child_where_no_panel_works_is_recorded_not_lost(
    volunteer_client, youth_project, lockleaze
):
    pages = answers(organisation=youth_project, locality=lockleaze, date_of_birth=born(10))
    fill_in(volunteer_client, pages)

    confirmation = volunteer_client.get(send(volunteer_client).url)

    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.NOT_ELIGIBLE
    assert referral.child.locality == lockleaze
    assert "No panel in JoinedUp covers Lockleaze yet" in text_of(confirmation)
    assert "The referral is kept" in text_of(confirmation)


# Safeguarding


@pytest.mark.parametrize("age", [10, 15], ids=["eligible", "too-old-for-the-panel"])
def test_a_safeguarding_concern_routes_the_referral_to_safeguarding(
    volunteer_client, youth_project, easton, age
):
    pages = answers(
        organisation=youth_project,
        locality=easton,
        date_of_birth=born(age),
        safeguarding={
            "safeguarding_concern": "yes",
            "safeguarding_details": "She says an older boy makes her carry packages.",
        },
    )
    fill_in(volunteer_client, pages)

    confirmation = volunteer_client.get(send(volunteer_client).url)

    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SAFEGUARDING
    assert referral.safeguarding_details == "She says an older boy makes her carry packages."
    assert "gone to the safeguarding route straight away" in text_of(confirmation)


def test_a_safeguarding_concern_without_details_is_refused(volunteer_client):
    response = volunteer_client.post(
        step_url("safeguarding"), {"safeguarding_concern": "yes", "safeguarding_details": " "}
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_safeguarding_details")
    assert "Describe the safeguarding concern" in summary_text(response)
    assert draft(volunteer_client) is None


# The other questions


def test_a_family_that_has_not_been_told_needs_a_reason(volunteer_client):
    refused = volunteer_client.post(
        step_url("family"), {"family_aware": "no", "family_not_aware_reason": ""}
    )
    assert refused.status_code == 200
    assert summary_names_field(refused, "id_family_not_aware_reason")
    assert draft(volunteer_client) is None

    accepted = volunteer_client.post(
        step_url("family"),
        {"family_aware": "no", "family_not_aware_reason": "Her mother is in hospital this week."},
    )
    assert accepted.status_code == 302


def test_a_referral_needs_a_reason(volunteer_client):
    reasons = {"what_has_been_tried": "Mentoring.", "urgency": Urgency.ROUTINE}

    refused = volunteer_client.post(step_url("reasons"), {**reasons, "concerns_other": ""})
    assert refused.status_code == 200
    assert summary_names_field(refused, "id_concerns")
    assert len(error_summary(refused)) == 1

    in_own_words = volunteer_client.post(
        step_url("reasons"), {**reasons, "concerns_other": "Has stopped coming to the club."}
    )
    assert in_own_words.status_code == 302


def test_about_you_offers_only_the_referrers_own_organisations(
    volunteer_client, youth_project, other_agency_worker
):
    other_organisation = other_agency_worker.memberships.get().organisation

    response = volunteer_client.get(step_url("you"))

    offered = list(response.context["form"].fields["organisation"].queryset)
    assert offered == [youth_project]
    assert other_organisation.name not in text_of(response)


def test_referring_for_someone_elses_organisation_is_refused(
    volunteer_client, youth_project, easton, other_agency_worker
):
    other_organisation = other_agency_worker.memberships.get().organisation
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages, up_to=3)

    response = volunteer_client.post(
        step_url("you"), {**pages["you"], "organisation": other_organisation.pk}
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_organisation")
    assert "Select one of your organisations" in summary_text(response)
    assert "you" not in draft(volunteer_client)
    assert nothing_saved()


def test_a_referrer_whose_role_ended_before_sending_is_asked_about_them_again(
    volunteer, volunteer_client, youth_project, easton
):
    school = SchoolFactory(name="Easton Primary")
    MembershipFactory(user=volunteer, organisation=school, role=Role.KEYWORKER)
    pages = answers(organisation=school, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages)
    Membership.objects.filter(user=volunteer, organisation=school).update(
        ended_on=timezone.localdate()
    )

    response = send(volunteer_client)

    assert response.status_code == 302
    assert response.url == step_url("you")
    assert nothing_saved()


# Dates of birth


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2016", "Date of birth must be a real date"),
        ("3", "4", "2O16", "Date of birth must be a real date"),
        ("3", "13", "2016", "Date of birth must be a real date"),
        ("3", "4", "16", "Date of birth must be a real date"),
        ("", "4", "2016", "Date of birth must include a day"),
        ("3", "", "", "Date of birth must include a month and year"),
        ("", "", "", "Enter date of birth"),
    ],
    ids=[
        "31-february",
        "letter-in-the-year",
        "month-13",
        "two-digit-year",
        "no-day",
        "no-month-or-year",
        "nothing",
    ],
)
def test_a_date_of_birth_that_is_not_a_real_date_is_refused(
    volunteer_client, youth_project, easton, day, month, year, message
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    child = {
        **pages["child"],
        "date_of_birth_day": day,
        "date_of_birth_month": month,
        "date_of_birth_year": year,
    }

    response = volunteer_client.post(step_url("child"), child)

    assert response.status_code == 200
    assert summary_names_field(response, "id_date_of_birth_day")
    assert message in summary_text(response)
    assert draft(volunteer_client) is None
    assert f'value="{year}"' in response.content.decode()


def test_a_date_of_birth_in_the_future_is_refused_on_the_child_page(
    volunteer_client, youth_project, easton
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(-1))

    response = volunteer_client.post(step_url("child"), pages["child"])

    assert response.status_code == 200
    assert summary_names_field(response, "id_date_of_birth_day")


@pytest.mark.parametrize(
    ("years_ago", "message"),
    [(30, "Date of birth must be within the last 25 years")],
    ids=["30-years-ago"],
)
def test_a_date_of_birth_the_service_refuses_sends_the_referrer_back_to_the_child_page(
    volunteer_client, youth_project, easton, years_ago, message
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(years_ago))
    fill_in(volunteer_client, pages)

    response = send(volunteer_client)

    assert response.status_code == 200
    assert response.context["step"].slug == "child"
    assert summary_names_field(response, "id_date_of_birth_day")
    assert message in summary_text(response)
    assert nothing_saved()
    assert set(draft(volunteer_client)) == set(SLUGS)


def test_the_referrer_can_correct_a_refused_date_of_birth_and_send_the_referral(
    volunteer_client, youth_project, easton
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(30))
    fill_in(volunteer_client, pages)
    refused = send(volunteer_client)
    corrected = {**pages["child"], **date_parts(born(10))}

    volunteer_client.post(form_target(refused), corrected, follow=True)
    if not Referral.objects.exists():
        send(volunteer_client)

    assert Referral.objects.get().child.date_of_birth == born(10)


# Who sees what


def test_the_referrers_list_shows_their_referrals_and_not_other_peoples(
    volunteer, volunteer_client, youth_project, easton, other_agency_worker
):
    referral_made(actor=volunteer, organisation=youth_project, locality=easton)
    referral_made(
        actor=other_agency_worker,
        organisation=other_agency_worker.memberships.get().organisation,
        locality=easton,
        given_name="Bilal",
        family_name="Khan",
    )

    shown = text_of(volunteer_client.get(reverse("referrals:referral_list")))

    assert "Amina Yusuf" in shown
    assert "Bilal" not in shown
    assert "Khan" not in shown


def test_someone_else_opening_a_referrals_confirmation_page_gets_not_found(
    volunteer, youth_project, easton, other_agency_worker, sign_in
):
    referral = referral_made(actor=volunteer, organisation=youth_project, locality=easton)
    url = reverse("referrals:referral_done", kwargs={"referral_id": referral.pk})

    response = sign_in(other_agency_worker).get(url)

    assert response.status_code == 404
    assert b"Amina" not in response.content


REFERRAL_PAGES = {
    "list": reverse("referrals:referral_list"),
    "start": reverse("referrals:referral_start"),
    "question": reverse("referrals:referral_step", kwargs={"step": "child"}),
    "check": reverse("referrals:referral_check"),
    "confirmation": reverse("referrals:referral_done", kwargs={"referral_id": UNKNOWN_ID}),
}


@pytest.mark.parametrize("role", [Role.STRATEGIC_MANAGER, Role.IG_OFFICER, Role.SYSTEM_ADMIN])
def test_roles_that_do_not_work_with_children_cannot_open_referral_pages(db, sign_in, role):
    client = sign_in(make_person(role))
    for name, url in REFERRAL_PAGES.items():
        assert client.get(url).status_code == 403, name
        assert client.post(url).status_code == 403, name


def test_signed_out_visitors_are_asked_to_sign_in(client):
    for name, url in REFERRAL_PAGES.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login")), name


def test_the_referrals_list_costs_the_same_queries_for_2_referrals_as_for_12(
    volunteer, volunteer_client, youth_project, easton
):
    def add(n):
        for number in range(n):
            referral_made(
                actor=volunteer,
                organisation=youth_project,
                locality=easton,
                family_name=f"Child{number}",
            )

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert volunteer_client.get(reverse("referrals:referral_list")).status_code == 200
    add(10)
    with CaptureQueriesContext(connection) as many:
        response = volunteer_client.get(reverse("referrals:referral_list"))
    assert len(response.context["referrals"]) == 12
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_referred_child_joins_the_referrers_caseload(volunteer_client, youth_project, easton):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages)
    send(volunteer_client)
    child = Child.objects.get()

    caseload = text_of(volunteer_client.get(reverse("children:caseload")))

    assert "Amina Yusuf" in caseload
    assert child.reference in caseload


def test_another_agencys_worker_sees_only_the_pseudonym_of_a_referred_child(
    volunteer_client, youth_project, easton, other_agency_worker, sign_in
):
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    fill_in(volunteer_client, pages)
    send(volunteer_client)
    child = Child.objects.get()

    response = sign_in(other_agency_worker).get(
        reverse("children:child_detail", kwargs={"reference": child.reference})
    )

    assert response.status_code == 200
    shown = text_of(response)
    assert child.pseudonym in shown
    for secret in ("Amina", "Yusuf", "Hodan", "Stapleton Road", "BS5 0RA"):
        assert secret not in shown
    born_on = child.date_of_birth
    assert f"{born_on.day} {born_on:%B %Y}" not in shown
    assert born_on.isoformat() not in shown


def test_the_optional_details_about_the_child_reach_the_record(
    volunteer_client, youth_project, easton
):
    school = SchoolFactory(name="Easton Church School")
    pages = answers(organisation=youth_project, locality=easton, date_of_birth=born(10))
    pages["more"]["school"] = school.pk
    fill_in(volunteer_client, pages)
    check = volunteer_client.get(check_url())
    assert "Ayan Warsame" in text_of(check)
    assert "Somali" in text_of(check)

    send(volunteer_client)

    child = Child.objects.get()
    assert child.other_names == ["Ayan Warsame"]
    assert child.nhs_number == "9434765919"
    assert child.ethnicity == "black_african"
    assert child.first_language == "Somali"
    assert child.interpreter_needed is True
    assert child.religion == "muslim"
    assert child.school == school
