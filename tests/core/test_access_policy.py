"""Walks every page of the URLconf as every role and checks the answer against the one
declared policy table (core.permissions.PAGE_POLICY)."""

from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.core.checks import iter_view_names
from joinedup.core.permissions import PAGE_POLICY, policy_for
from joinedup.core.roles import Role
from joinedup.notifications.services import notify
from joinedup.panels.models import AgendaItem, MembershipCriterion
from joinedup.records.models import AnonymisationRun, SubjectAccessRequest
from joinedup.safeguarding.services import concern_raise
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    ActionFactory,
    AssessmentFactory,
    ChildFactory,
    ConsentRecordFactory,
    FundingStreamFactory,
    LocalityFactory,
    LoggedRelationshipFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OverToYouFactory,
    PanelFactory,
    PanelMemberFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PostFactory,
    ProviderFactory,
    ReferralFactory,
    ReviewRoundFactory,
    ServiceFactory,
)
from tests.plans.walk import plan_rows
from tests.transfers.walk import TransferFactory

POST_ONLY = {
    "accounts:logout",
    "accounts:two_factor_skip",
    "accounts:membership_end",
    "accounts:user_deactivate",
    "accounts:user_reactivate",
    "accounts:user_reset_two_factor",
    "accounts:user_resend_invitation",
    "panels:criterion_retire",
    "panels:contribution_withdraw",
    "notifications:mark_read",
    "notifications:mark_all_read",
    "safeguarding:concern_acknowledge",
    "panels:minutes_generate",
    "tracking:flag_look_undo",
}
# Pages about one record that only its owner may open; the walker's personas own none.
OWN_RECORDS_ONLY = {
    "referrals:referral_done",
    "referrals:referral_review",
    # Panels open only to those who sit on them; the walker's personas sit on none.
    "panels:panel_detail",
    "panels:meeting_detail",
    "panels:meeting_create",
    "panels:agenda_add",
    "panels:agenda_remove",
    "panels:member_add",
    "panels:member_end",
    "panels:criteria",
    "panels:criterion_retire",
    "panels:terms",
    "panels:terms_adopt",
    "referrals:referral_unlink",
}
# The panel pack (seats of the meeting's panel) and written views of a case (the team around
# the child): the personas are neither.
OWN_RECORDS_ONLY |= {"panels:pack", "panels:pack_pdf", "panels:contribution_edit"}
# The meeting itself: open only to those who sit on the meeting's panel.
OWN_RECORDS_ONLY |= {
    "panels:attendance_record",
    "panels:declaration_add",
    "panels:decision_record",
    "panels:minutes_detail",
    "panels:minutes_generate",
    "panels:minutes_edit",
    "panels:minutes_approve",
    "panels:attendance_report",
    "panels:quorum_rule",
    "panels:prioritisation_rule",
}
# Consent pages open only for the team around the child (need to know): 404 for the personas.
OWN_RECORDS_ONLY |= {
    "consent:child_consent",
    "consent:consent_record",
    "consent:consent_withdraw",
    "consent:child_view_record",
    "consent:signed_form",
}
# The child's household, added to and corrected by the team around the child only.
OWN_RECORDS_ONLY |= {"children:household_add", "children:household_change"}
# The child's timeline: the team around the child only (need to know).
OWN_RECORDS_ONLY |= {"children:timeline"}
# A safeguarding concern: the person who raised it and the leads it was routed to only.
OWN_RECORDS_ONLY |= {
    "safeguarding:concern_detail",
    "safeguarding:concern_action",
    "safeguarding:concern_close",
}
# Assessments and "Over to You": the team around the child only (need to know).
OWN_RECORDS_ONLY |= {
    "assessments:assessment_list",
    "assessments:assessment_start",
    "assessments:assessment_compare",
    "assessments:assessment_detail",
    "assessments:assessment_rate",
    "assessments:assessment_complete",
    "assessments:child_over_to_you",
    "assessments:parent_over_to_you",
    "assessments:over_to_you_detail",
}
# An action is open to its owner, whoever recorded it and its panel's seats; a panel's report
# to its coordinators and chairs; a notice to its recipient only.
OWN_RECORDS_ONLY |= {
    "actions:action_detail",
    "actions:action_complete",
    "actions:action_reassign",
    "actions:action_due_date",
    "actions:action_cancel",
    "actions:panel_report",
    "notifications:notification_open",
    "notifications:mark_read",
}
# Integrated support plans: the team around the child only (need to know).
OWN_RECORDS_ONLY |= {
    "plans:plan_list",
    "plans:plan_start",
    "plans:plan_detail",
    "plans:young_person_copy",
    "plans:plan_edit",
    "plans:goal_add",
    "plans:goal_edit",
    "plans:intervention_add",
    "plans:intervention_edit",
    "plans:review_add",
    "plans:plan_close",
}
# Transfers: the coordinators of both panels and whoever asked only; a child's transfer is asked
# for by those who see the child.
OWN_RECORDS_ONLY |= {
    "transfers:request",
    "transfers:detail",
    "transfers:accept",
    "transfers:decline",
    "transfers:withdraw",
}
# Duplication and gaps: a flag is marked looked at (or undone) by a coordinator of the child's
# panel only.
OWN_RECORDS_ONLY |= {"tracking:flag_look", "tracking:flag_look_undo"}
# Directory editing: open to the signed-in, but an entry is changed only by the organisation
# that maintains it or a system administrator; anyone else gets 403 (not 404: the entries are
# public, so there is nothing to hide by pretending they do not exist).
MAINTAINERS_ONLY = {
    "directory:service_add",
    "directory:service_edit",
    "directory:service_close",
    "directory:provider_edit",
}
POST_ONLY |= {"directory:service_review"}
# Funding: removing a service or a post from a stream is a button on the stream's page.
POST_ONLY |= {"funding:service_detach", "funding:post_detach"}
# Partnerships: any signed-in person opens them, but only system administrators, strategic
# managers and the partnership's chair (the walker's personas chair none) change one.
PARTNERSHIP_KEEPERS_ONLY = {
    "partnerships:partnership_edit",
    "partnerships:member_add",
    "partnerships:member_end",
}
POST_ONLY |= {"partnerships:member_rejoin"}
# Partnership reviews: keepers set rounds up; a round is seen by the partnership's members
# and keepers only, and anyone else is told it does not exist.
PARTNERSHIP_KEEPERS_ONLY |= {"reviews:round_open"}
PARTNERSHIP_KEEPERS_OR_NOT_FOUND = {"reviews:round_detail"}
# The health check of the walker's round (a health round): its keepers see the statements and
# the results; it would be 404 for a round of another kind too (tests/reviews/test_health_check.py).
PARTNERSHIP_KEEPERS_OR_NOT_FOUND |= {"reviews:health_answer", "reviews:health_results"}
POST_ONLY |= {"reviews:round_close", "reviews:round_reopen"}
# People are added and changed by keepers and chairs; a logged relationship is changed by its
# author (not a persona) or a keeper, and withdrawn with a button on its form.
PARTNERSHIP_KEEPERS_ONLY |= {
    "partnerships:person_create",
    "partnerships:person_edit",
    "partnerships:relationship_edit",
}
POST_ONLY |= {"partnerships:relationship_withdraw"}
# The relationship survey's pages answer 404 for a round of another kind, to everyone: the
# world's round is a health check.
OWN_RECORDS_ONLY |= {"reviews:survey_answer", "reviews:survey_results"}
# Data quality: the records to fix open to the coordinators of the panel only; the
# walker's coordinator coordinates none.
OWN_RECORDS_ONLY |= {"reports:data_quality_records"}
PERSONAS = ["anonymous", "no_role", *[role.value for role in Role]]


def _pages() -> list[str]:
    return sorted(
        {
            name
            for name, pattern in iter_view_names()
            # Admin pages with arguments share the namespace policy checked via its index.
            if not (name.startswith("admin:") and pattern.pattern.regex.groups)
        }
    )


@pytest.fixture
def world(db) -> dict[str, Any]:
    locality = LocalityFactory(slug="easton")
    organisation = OrganisationFactory(slug="a-partner")
    organisation.localities.add(locality)
    target = make_person(Role.KEYWORKER, full_name="Target Person")
    membership = MembershipFactory(user=target, organisation=organisation, role=Role.REFERRER)
    child = ChildFactory()
    referral = ReferralFactory(child=child, referring_organisation=organisation, referrer=target)
    consent = ConsentRecordFactory(child=child)
    assessment = AssessmentFactory(child=child)
    over_to_you = OverToYouFactory(child=child)
    panel = PanelFactory(slug="a-panel")
    meeting = MeetingFactory(panel=panel)
    item = AgendaItem.objects.create(meeting=meeting, child=child, referral=referral)
    seat = PanelMemberFactory(panel=panel)
    criterion = MembershipCriterion.objects.create(panel=panel, text="Works in the locality")
    action = ActionFactory(meeting=meeting, owner=target, organisation=organisation)
    notice = notify(recipient=target, text="A notice", url="/", kind="test", dedupe_key="walk")
    concern = concern_raise(
        actor=target, child=child, organisation=organisation, details="Bruises on his arms."
    )
    plan = plan_rows(child=child, keyworker=target, organisation=organisation)
    transfer = TransferFactory(child=child, from_referral=referral, from_panel=panel)
    access_request = SubjectAccessRequest.objects.create(
        child=child,
        requester_name="Target Person",
        requester="parent",
        received_on=timezone.localdate(),
        due_on=timezone.localdate(),
    )
    run = AnonymisationRun.objects.create(as_of=timezone.localdate(), dry_run=True)
    directory_service = ServiceFactory(provider=ProviderFactory(maintained_by=organisation))
    stream = FundingStreamFactory()
    partnership_seat = PartnershipMemberFactory(
        partnership=PartnershipFactory(slug="a-partnership"), organisation=organisation
    )
    review_round = ReviewRoundFactory(partnership=partnership_seat.partnership)
    logged = LoggedRelationshipFactory(logged_by=target, from_organisation=organisation)
    return {
        "round_id": review_round.pk,
        "person_id": partnership_seat.person_id,
        "relationship_id": logged.pk,
        "stream_id": stream.pk,
        "funder_id": stream.funder_id,
        "post_id": PostFactory().pk,
        "partnership_slug": "a-partnership",
        "export_format": "graphml",
        "partnership_member_id": partnership_seat.pk,
        "service_id": directory_service.pk,
        "provider_id": directory_service.provider_id,
        "sar_id": access_request.pk,
        "run_id": run.pk,
        "record_type": "closed_case",
        "transfer_id": transfer.pk,
        "action_id": action.pk,
        "notification_id": notice.pk,
        "concern_id": concern.pk,
        **plan,
        "panel_slug": "a-panel",
        "meeting_id": meeting.pk,
        "item_id": item.pk,
        "seat_id": seat.pk,
        "criterion_id": criterion.pk,
        "reference": child.reference,
        "record_id": consent.pk,
        "assessment_id": assessment.pk,
        "response_id": over_to_you.pk,
        "member_id": consent.household_member_id,
        "referral_id": referral.pk,
        "user_id": target.pk,
        "membership_id": membership.pk,
        "organisation_slug": organisation.slug,
        "locality_slug": locality.slug,
        "field_key": "child.ethnicity",
        "year": 2026,
        "month": 3,
    }


def _url(name: str, world: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {}
    pattern = dict(iter_view_names())[name]
    wanted = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    if "user_id" in wanted:
        kwargs["user_id"] = world["user_id"]
    if "membership_id" in wanted:
        kwargs["membership_id"] = world["membership_id"]
    if "slug" in wanted:
        kwargs["slug"] = world[
            "locality_slug"
            if "locality" in name
            else "panel_slug"
            if name.startswith(("panels:", "actions:", "reports:data_quality"))
            else "partnership_slug"
            if name.startswith(("partnerships:", "reviews:"))
            else "organisation_slug"
        ]
    if "meeting_id" in wanted:
        kwargs["meeting_id"] = world["meeting_id"]
    if "item_id" in wanted:
        kwargs["item_id"] = world["item_id"]
    if "seat_id" in wanted:
        kwargs["seat_id"] = world["seat_id"]
    if "criterion_id" in wanted:
        kwargs["criterion_id"] = world["criterion_id"]
    if "referral_id" in wanted:
        kwargs["referral_id"] = world["referral_id"]
    if "step" in wanted:
        kwargs["step"] = "child"
    if "reference" in wanted:
        kwargs["reference"] = world["reference"]
    if "record_id" in wanted:
        kwargs["record_id"] = world["record_id"]
    if "member_id" in wanted:
        kwargs["member_id"] = world["member_id"]
    for key in (
        "assessment_id",
        "response_id",
        "action_id",
        "notification_id",
        "concern_id",
        "plan_id",
        "goal_id",
        "intervention_id",
        "transfer_id",
        "sar_id",
        "run_id",
        "record_type",
        "service_id",
        "provider_id",
        "stream_id",
        "funder_id",
        "post_id",
        "partnership_member_id",
        "export_format",
        "round_id",
        "person_id",
        "relationship_id",
        "field_key",
        "year",
        "month",
    ):
        if key in wanted:
            kwargs[key] = world[key]
    if "uidb64" in wanted:
        kwargs.update(uidb64="MQ", token="not-a-real-token")
    if "oruk_id" in wanted:
        # The ORUK API is public: an id that names nothing answers 404, which the policy allows.
        kwargs["oruk_id"] = "00000000-0000-4000-8000-000000000000"
    return reverse(name, kwargs=kwargs)


def _client_for(persona: str) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    user = make_person(None if persona == "no_role" else Role(persona))
    return sign_in_client(client, user)


def test_every_page_has_a_declared_policy():
    assert not [m for m in run_checks() if m.id == "joinedup.E001"]
    for name in _pages():
        assert policy_for(name) is not None, name


def test_the_policy_table_names_only_pages_that_exist():
    pages = {name for name, _ in iter_view_names()}
    for key in PAGE_POLICY:
        if not key.endswith(":*"):
            assert key in pages, f"{key} is in PAGE_POLICY but not in the URLconf"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_policy_says_on_every_page(persona, world):
    client = _client_for(persona)
    user = None if persona == "anonymous" else client.session
    wrong = []
    for name in _pages():
        access = policy_for(name)
        assert access is not None
        url = _url(name, world)
        response = client.get(url)
        status = response.status_code
        if access.public:
            ok = status < 500 and status != 403
        elif persona == "anonymous":
            ok = status == 302 and response["Location"].startswith(reverse("accounts:login"))
        elif access.roles and (persona == "no_role" or persona not in access.roles):
            ok = status == 403
            # The method must not matter: a refused POST is refused before the view runs.
            post = client.post(url)
            ok = ok and post.status_code == 403
        elif name in POST_ONLY:
            ok = status == 405
        elif name in MAINTAINERS_ONLY:
            ok = status == (200 if persona == Role.SYSTEM_ADMIN else 403)
        elif name in PARTNERSHIP_KEEPERS_ONLY:
            keeper = persona in (Role.SYSTEM_ADMIN, Role.STRATEGIC_MANAGER)
            ok = status == (200 if keeper else 403)
        elif name in PARTNERSHIP_KEEPERS_OR_NOT_FOUND:
            keeper = persona in (Role.SYSTEM_ADMIN, Role.STRATEGIC_MANAGER)
            ok = status == (200 if keeper else 404)
        elif name in OWN_RECORDS_ONLY:
            # The role may open such pages, but only for records of their own: need to know.
            ok = status == 404
        else:
            ok = status in (200, 302) and not (
                status == 302 and response["Location"].startswith(reverse("accounts:login"))
            )
        if not ok:
            wrong.append(f"{name} {url} -> {status}")
    assert user is not None or persona == "anonymous"
    assert not wrong, f"{persona}: " + "; ".join(wrong)


def test_a_person_who_has_not_passed_two_factor_is_sent_to_the_code_page(db, client):
    user = make_person(Role.KEYWORKER)
    client.force_login(user)
    response = client.get(reverse("organisations:organisation_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_a_forbidden_page_answers_403_in_the_service_style(db, sign_in):
    client = sign_in(make_person(Role.KEYWORKER))
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert b"You cannot open this page" in response.content
    assert b"govuk-header" in response.content


def test_an_unknown_address_answers_404_in_the_service_style(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
