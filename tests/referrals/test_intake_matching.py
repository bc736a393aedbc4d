"""Matching at intake: a referral of a child already known is found before anyone relies on
the new record; the panel's coordinator links it (a merge that can be undone), records a new
child, or decides later. Twins and siblings are not offered as the same child."""

from datetime import date

import pytest
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.children import services as children
from joinedup.children.models import Address, Child, ChildMerge, HouseholdMember, Involvement
from joinedup.consent.models import Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels.models import Panel, PanelRole, PipelineCase
from joinedup.referrals import services
from joinedup.referrals.models import (
    Concern,
    FamilyAware,
    IdentityStatus,
    PossibleMatch,
    Referral,
    Urgency,
)
from tests.conftest import make_person
from tests.factories import (
    ConsentRecordFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelMemberFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from tests.referrals.journey import NOT_ATTENDING, born, text_of


def refer(
    actor: User,
    organisation: Organisation,
    locality: Locality,
    *,
    given_name: str = "Mohammed",
    family_name: str = "Hassan",
    date_of_birth: date | None = None,
    line_1: str = "12 Stapleton Road",
    postcode: str = "BS5 0RA",
    nhs_number: str = "",
    carer: str = "Hodan Hassan",
    safeguarding: str = "",
) -> Referral:
    return services.referral_submit(
        actor=actor,
        child=children.ChildDetails(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth or born(10, 3, 7),
            nhs_number=nhs_number,
            address=children.AddressDetails(line_1=line_1, postcode=postcode, locality=locality),
            household=[
                children.HouseholdMemberDetails(
                    full_name=carer, relationship="mother", has_parental_responsibility=True
                )
            ],
        ),
        details=services.ReferralDetails(
            organisation=organisation,
            relationship_to_child="Youth worker",
            concerns=[Concern.objects.get(label=NOT_ATTENDING)],
            what_has_been_tried="Mentoring.",
            urgency=Urgency.ROUTINE,
            family_aware=FamilyAware.YES,
            safeguarding_concern=bool(safeguarding),
            safeguarding_details=safeguarding,
        ),
    )


@pytest.fixture
def coordinator(easton) -> User:
    user = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(
        panel=Panel.objects.get(slug="easton"), user=user, role=PanelRole.COORDINATOR
    )
    return user


@pytest.fixture
def school_worker(db) -> tuple[User, Organisation]:
    school = OrganisationFactory(name="Easton Primary")
    worker = UserFactory(full_name="Sam Teacher")
    MembershipFactory(user=worker, organisation=school, role=Role.REFERRER)
    TOTPDeviceFactory(user=worker)
    return worker, school


@pytest.fixture
def known_child(volunteer, youth_project, easton) -> Referral:
    """Mohammed Hassan, referred once by the youth project; nobody else knows him yet."""
    return refer(volunteer, youth_project, easton)


def consent_to_share(child: Child, organisation: Organisation) -> None:
    ConsentRecordFactory(child=child, scope=Scope.SHARE, organisation=organisation)


def test_a_referral_of_a_known_child_in_another_spelling_is_flagged_for_the_coordinator(
    known_child, school_worker, easton
):
    worker, school = school_worker

    second = refer(worker, school, easton, given_name="Muhammad", line_1="3 Belle Vue Road")

    assert second.identity_status == IdentityStatus.TO_CHECK
    match = PossibleMatch.objects.get(referral=second)
    assert match.candidate == known_child.child
    assert match.probability >= 0.5
    assert any("Muhammad" in reason or "Mohammed" in reason for reason in match.reasons)


def test_a_twin_with_the_same_birthday_address_and_carer_is_not_offered_as_the_same_child(
    known_child, school_worker, easton
):
    worker, school = school_worker

    twin = refer(worker, school, easton, given_name="Abdirahman")

    assert twin.identity_status == IdentityStatus.NEW
    assert not PossibleMatch.objects.filter(referral=twin).exists()


def test_a_child_nobody_knows_makes_a_new_record_without_asking_anyone(
    volunteer, youth_project, easton
):
    referral = refer(volunteer, youth_project, easton)

    assert referral.identity_status == IdentityStatus.NEW
    assert Child.objects.count() == 1


def test_the_coordinator_sees_the_referral_and_the_possible_match_with_reasons(
    known_child, school_worker, easton, coordinator, sign_in
):
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad", line_1="3 Belle Vue Road")
    client = sign_in(coordinator)

    inbox = text_of(client.get(reverse("referrals:referral_inbox")))
    review = client.get(reverse("referrals:referral_review", kwargs={"referral_id": second.pk}))

    assert "Muhammad Hassan" in inbox and "Who is this child? (1)" in inbox
    shown = text_of(review)
    assert known_child.child.reference in shown
    assert "3 Belle Vue Road" in shown and "12 Stapleton Road" in shown
    assert "match probability" in shown
    reads = AuditEntry.objects.filter(
        verb=AuditVerb.READ, target_id=str(known_child.child.pk), actor=coordinator
    )
    assert reads.filter(purpose__icontains="already known").exists()


def test_the_referrer_is_never_shown_the_other_record(known_child, school_worker, easton, sign_in):
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad")
    client = sign_in(worker)

    page = text_of(
        client.get(reverse("referrals:referral_done", kwargs={"referral_id": second.pk}))
    )
    review = client.get(reverse("referrals:referral_review", kwargs={"referral_id": second.pk}))

    assert known_child.child.reference not in page
    assert review.status_code == 403


def test_a_coordinator_of_another_panel_cannot_open_the_referral(
    known_child, school_worker, easton, sign_in
):
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad")
    elsewhere = make_person(Role.PANEL_COORDINATOR, full_name="Kit Knowlewest")
    PanelMemberFactory(user=elsewhere, role=PanelRole.COORDINATOR)
    client = sign_in(elsewhere)

    response = client.get(reverse("referrals:referral_review", kwargs={"referral_id": second.pk}))

    assert response.status_code == 404
    assert "Muhammad" not in text_of(client.get(reverse("referrals:referral_inbox") + "?view=all"))


def _decide(client, referral, **answers):
    return client.post(
        reverse("referrals:referral_review", kwargs={"referral_id": referral.pk}), answers
    )


def test_linking_moves_the_referral_and_team_onto_the_known_childs_record(
    known_child, school_worker, easton, coordinator, sign_in
):
    worker, school = school_worker
    second = refer(
        worker,
        school,
        easton,
        given_name="Muhammad",
        line_1="3 Belle Vue Road",
        postcode="BS5 6DR",
        nhs_number="943 476 5919",
        carer="Hodan Hassan",
    )
    duplicate = second.child
    consent_to_share(known_child.child, school)
    client = sign_in(coordinator)

    response = _decide(
        client, second, decision=f"link:{known_child.child.pk}", note="Same mother and birthday"
    )

    assert response.status_code == 302
    second.refresh_from_db()
    known = Child.objects.get(pk=known_child.child.pk)
    assert second.identity_status == IdentityStatus.LINKED
    assert second.child == known
    assert Child.objects.get(pk=duplicate.pk).merged_into == known
    assert known.nhs_number == "9434765919"  # filled in from the new referral
    assert "Muhammad Hassan" in known.other_names
    assert Involvement.objects.filter(child=known, worker=worker).exists()
    assert Address.objects.get(child=known, moved_out__isnull=True).line_1 == "3 Belle Vue Road"
    assert AuditEntry.objects.filter(verb=AuditVerb.MERGED, target_id=str(known.pk)).exists()
    # The duplicate's reference now leads to the one record.
    old = client.get(reverse("children:child_detail", kwargs={"reference": duplicate.reference}))
    assert old.url == reverse("children:child_detail", kwargs={"reference": known.reference})
    # The school's worker now sees the child they referred, under the shared reference.
    page = text_of(sign_in(worker).get(old.url))
    assert known.reference in page and "Mohammed Hassan" in page
    # Every page addressed by the old reference leads to the same page of the one record.
    consent_page = client.get(
        reverse("consent:child_consent", kwargs={"reference": duplicate.reference})
    )
    assert consent_page.url == reverse(
        "consent:child_consent", kwargs={"reference": known.reference}
    )
    posted = client.post(
        reverse("consent:child_view_record", kwargs={"reference": duplicate.reference}), {}
    )
    assert posted.status_code == 404


def test_linking_is_refused_until_the_family_agrees_to_share_with_the_new_referrer(
    known_child, school_worker, easton, coordinator, sign_in
):
    """Linking opens the existing record (its history, its team) to the school that made the
    second referral, which is sharing: without consent the records stay as they were."""
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad", nhs_number="943 476 5919")
    duplicate = second.child
    known = known_child.child
    before = {"known": _rows(known), "duplicate": _rows(duplicate)}
    client = sign_in(coordinator)

    response = _decide(client, second, decision=f"link:{known.pk}", note="Same NHS number")

    assert response.status_code == 200
    page = text_of(response)
    assert f"Linking would open the existing record {known.reference} to {school.name}" in page
    assert "Decide later" in page
    second.refresh_from_db()
    assert second.identity_status == IdentityStatus.TO_CHECK
    assert second.child_id == duplicate.pk
    assert Child.objects.get(pk=duplicate.pk).merged_into is None
    assert {"known": _rows(known), "duplicate": _rows(duplicate)} == before
    assert not ChildMerge.objects.exists()

    # Consent the family gave to share with the school, recorded on either record, is enough.
    consent_to_share(duplicate, school)
    assert (
        _decide(client, second, decision=f"link:{known.pk}", note="Same NHS number").status_code
        == 302
    )
    second.refresh_from_db()
    assert second.identity_status == IdentityStatus.LINKED


def test_a_safeguarding_concern_links_without_consent_and_the_audit_trail_says_so(
    known_child, school_worker, easton, coordinator, sign_in
):
    worker, school = school_worker
    second = refer(
        worker,
        school,
        easton,
        given_name="Muhammad",
        nhs_number="943 476 5919",
        safeguarding="Bruising seen at school",
    )
    client = sign_in(coordinator)

    response = _decide(
        client, second, decision=f"link:{known_child.child.pk}", note="Same NHS number"
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(
        verb=AuditVerb.UPDATE, target_id=str(second.pk), fields=["identity_status"]
    )
    assert entry.detail["shared_without_consent_for_safeguarding"] == [school.name]


def test_undoing_a_link_puts_both_records_back_exactly(
    known_child, school_worker, easton, coordinator, sign_in
):
    worker, school = school_worker
    second = refer(
        worker,
        school,
        easton,
        given_name="Muhammad",
        line_1="3 Belle Vue Road",
        nhs_number="943 476 5919",
    )
    duplicate = second.child
    known = known_child.child
    consent_to_share(known, school)
    before = {
        "known": (known.nhs_number, known.other_names, _rows(known)),
        "duplicate": _rows(duplicate),
    }
    client = sign_in(coordinator)
    _decide(client, second, decision=f"link:{known.pk}", note="Same birthday and mother")
    # Linked, the two referrals are one child's: the later one is the panel's case.
    assert _cases() == {second.pk: known.pk}

    response = client.post(
        reverse("referrals:referral_unlink", kwargs={"referral_id": second.pk}),
        {"reason": "The school says they are cousins"},
    )

    assert response.status_code == 302
    second.refresh_from_db()
    known.refresh_from_db()
    assert second.identity_status == IdentityStatus.TO_CHECK
    assert second.child_id == duplicate.pk
    assert (known.nhs_number, known.other_names, _rows(known)) == before["known"]
    assert _rows(Child.objects.get(pk=duplicate.pk)) == before["duplicate"]
    assert Child.objects.get(pk=duplicate.pk).merged_into is None
    merge = ChildMerge.objects.get()
    assert merge.unmerged_at is not None and merge.unmerged_by == coordinator
    assert AuditEntry.objects.filter(verb=AuditVerb.UNMERGED).count() == 1
    assert _cases() == {known_child.pk: known.pk, second.pk: duplicate.pk}


def _cases() -> dict:
    """The coordinator's pipeline cases: referral -> child."""
    return dict(PipelineCase.objects.values_list("referral", "child"))


def _rows(child: Child) -> dict[str, set]:
    return {
        "referrals": set(Referral.objects.filter(child=child).values_list("pk", flat=True)),
        "involvements": set(Involvement.objects.filter(child=child).values_list("pk", flat=True)),
        "addresses": set(Address.objects.filter(child=child).values_list("pk", "moved_out")),
        "household": set(HouseholdMember.objects.filter(child=child).values_list("pk", flat=True)),
    }


def test_a_new_child_decision_keeps_both_records(
    known_child, school_worker, easton, coordinator, sign_in
):
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad")

    _decide(sign_in(coordinator), second, decision="new", note="")

    second.refresh_from_db()
    assert second.identity_status == IdentityStatus.NEW
    assert second.identity_decided_by == coordinator
    assert Child.objects.filter(merged_into__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"decision": "later", "note": ""}, "note", "Say what you need to find out"),
        ({"decision": "link:{candidate}", "note": ""}, "note", "Say what shows they are"),
        ({"decision": "link:00000000-0000-4000-8000-000000000000", "note": "x"}, "decision", ""),
        ({"decision": "", "note": ""}, "decision", "Select who this child is"),
    ],
)
def test_a_decision_without_what_it_needs_names_the_field_and_changes_nothing(
    known_child, school_worker, easton, coordinator, sign_in, answers, field, message
):
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad")
    answers = {k: v.format(candidate=known_child.child.pk) for k, v in answers.items()}

    response = _decide(sign_in(coordinator), second, **answers)

    assert response.status_code == 200
    assert f'href="#id_{field}' in response.content.decode()
    assert message in text_of(response)
    second.refresh_from_db()
    assert second.identity_status == IdentityStatus.TO_CHECK
    assert not ChildMerge.objects.exists()


def test_deciding_later_keeps_the_referral_in_its_own_view(
    known_child, school_worker, easton, coordinator, sign_in
):
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad")
    client = sign_in(coordinator)

    _decide(client, second, decision="later", note="Asking the school for the date of birth")

    second.refresh_from_db()
    assert second.identity_status == IdentityStatus.DEFERRED
    assert "Muhammad Hassan" in text_of(
        client.get(reverse("referrals:referral_inbox") + "?view=deferred")
    )


def test_the_inbox_costs_the_same_queries_for_3_referrals_as_for_15(
    volunteer, youth_project, easton, coordinator, sign_in, django_assert_max_num_queries
):
    client = sign_in(coordinator)
    names = iter(
        [
            "Ada",
            "Bea",
            "Cy",
            "Di",
            "Ed",
            "Flo",
            "Gus",
            "Hal",
            "Ivy",
            "Jo",
            "Kai",
            "Lu",
            "Mo",
            "Ned",
            "Oz",
        ]
    )
    for _ in range(3):
        refer(volunteer, youth_project, easton, given_name=next(names), family_name="Unique")
    client.get(reverse("referrals:referral_inbox") + "?view=all")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referrals:referral_inbox") + "?view=all")
    for _ in range(12):
        refer(volunteer, youth_project, easton, given_name=next(names), family_name="Unique")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("referrals:referral_inbox") + "?view=all")

    assert len(many) == len(few)


def test_a_key_shared_by_very_many_children_is_skipped_for_the_rarer_ones(db):
    from joinedup.children.matching import ChildRecordStore
    from joinedup.children.models import MatchKey
    from joinedup.matching.intake import MAX_BLOCK_SIZE
    from tests.factories import ChildFactory

    crowd = [ChildFactory() for _ in range(MAX_BLOCK_SIZE + 1)]
    MatchKey.objects.bulk_create([MatchKey(child=c, key="dob:2016-01-01") for c in crowd])
    twin_of_key = ChildFactory(given_name="Rarely", family_name="Named")
    MatchKey.objects.bulk_create(
        [MatchKey(child=twin_of_key, key="dob:2016-01-01"), MatchKey(child=twin_of_key, key="rare")]
    )
    store = ChildRecordStore()

    found = store.records_for_keys(["dob:2016-01-01", "rare"], limit=50)
    only_common = store.records_for_keys(["dob:2016-01-01"], limit=50)

    assert [r.record_id for r in found] == [str(twin_of_key.pk)]
    assert len(only_common) == 50  # the rarest key is still used when it is all there is


def test_match_keys_can_be_rebuilt_for_every_record(volunteer, youth_project, easton):
    from django.core.management import call_command

    from joinedup.children.models import MatchKey

    referral = refer(volunteer, youth_project, easton)
    keys = set(MatchKey.objects.filter(child=referral.child).values_list("key", flat=True))
    MatchKey.objects.all().delete()

    call_command("match_keys_rebuild", verbosity=0)

    assert set(MatchKey.objects.filter(child=referral.child).values_list("key", flat=True)) == keys


# Linking and what the child's panel record holds: plans, decisions, actions, concerns


def _open_plan(child: Child, keyworker: User, **fields):
    from joinedup.plans.models import Plan

    today = date.today()
    return Plan.objects.create(
        child=child,
        keyworker=keyworker,
        keyworker_organisation=keyworker.active_memberships()[0].organisation,
        opened_on=today,
        next_review_on=today,
        **fields,
    )


def _linkable(known_child, school_worker, easton):
    """A second referral of the known child, by the school, with the family's consent to share
    the existing record with it."""
    worker, school = school_worker
    second = refer(worker, school, easton, given_name="Muhammad", nhs_number="943 476 5919")
    consent_to_share(known_child.child, school)
    return second


def test_two_open_plans_refuse_the_link_on_the_form_and_change_nothing(
    known_child, school_worker, easton, coordinator, volunteer, sign_in
):
    second = _linkable(known_child, school_worker, easton)
    known, duplicate = known_child.child, second.child
    plans = {_open_plan(known, volunteer).pk: known.pk}
    plans[_open_plan(duplicate, volunteer).pk] = duplicate.pk
    before = {"known": _rows(known), "duplicate": _rows(duplicate)}

    response = _decide(
        sign_in(coordinator), second, decision=f"link:{known.pk}", note="Same NHS number"
    )

    assert response.status_code == 200
    assert 'href="#id_decision' in response.content.decode()
    assert (
        "Both records have an open integrated support plan: close one first (keeping its goals "
        "in the other's review), then link the records"
    ) in text_of(response)
    second.refresh_from_db()
    assert second.identity_status == IdentityStatus.TO_CHECK
    assert Child.objects.get(pk=duplicate.pk).merged_into is None
    assert {"known": _rows(known), "duplicate": _rows(duplicate)} == before
    from joinedup.plans.models import Plan

    assert dict(Plan.objects.values_list("pk", "child_id")) == plans
    assert not ChildMerge.objects.exists()
    assert not AuditEntry.objects.filter(verb=AuditVerb.MERGED).exists()


def test_the_merge_service_refuses_two_open_plans_before_moving_anything(
    known_child, school_worker, easton, volunteer
):
    second = _linkable(known_child, school_worker, easton)
    _open_plan(known_child.child, volunteer)
    _open_plan(second.child, volunteer)

    with pytest.raises(children.ChildRecordError, match="Both records have an open") as refused:
        children.child_merge(
            actor=None, survivor=known_child.child, merged=second.child, reason="Same child"
        )

    assert refused.value.field == "survivor"
    assert Address.objects.filter(moved_out__isnull=False).count() == 0
    assert Referral.objects.get(pk=second.pk).child_id == second.child_id


def test_linking_brings_plans_decisions_actions_and_concerns_to_the_one_record_and_back(
    known_child, school_worker, easton, coordinator, volunteer, sign_in
):
    from joinedup.actions.models import Action
    from joinedup.panels.models import AgendaItem, Contribution, Decision
    from joinedup.plans.models import Outcome, Plan, PlanStatus
    from joinedup.safeguarding.models import ConcernSource, Routing, SafeguardingConcern
    from tests.factories import ActionFactory, MeetingFactory

    second = _linkable(known_child, school_worker, easton)
    known, duplicate = known_child.child, second.child
    closed = _open_plan(
        known,
        volunteer,
        status=PlanStatus.CLOSED,
        closed_on=date.today(),
        outcome=Outcome.values[0],
    )
    open_plan = _open_plan(duplicate, volunteer)
    meeting = MeetingFactory(panel=Panel.objects.get(slug="easton"))
    item = AgendaItem.objects.create(meeting=meeting, child=duplicate, referral=second)
    decision = Decision.objects.create(item=item, outcome="support_plan", rationale="Agreed.")
    contribution = Contribution.objects.create(
        agenda_item=item,
        author=volunteer,
        organisation=volunteer.active_memberships()[0].organisation,
        role="Youth worker",
        view="Doing well.",
        will_attend=False,
    )
    action = ActionFactory(meeting=meeting, agenda_item=item, child=duplicate)
    concern = SafeguardingConcern.objects.create(
        child=duplicate,
        raised_by=volunteer,
        organisation=volunteer.active_memberships()[0].organisation,
        what_happened="Seen hurt.",
        why_worried="Unexplained.",
        source=ConcernSource.CHILD_RECORD,
        routing=Routing.NO_LEAD,
    )
    client = sign_in(coordinator)

    linked = _decide(client, second, decision=f"link:{known.pk}", note="Same NHS number")

    assert linked.status_code == 302
    assert Plan.objects.get(pk=open_plan.pk).child_id == known.pk
    assert Plan.objects.get(pk=closed.pk).child_id == known.pk
    assert AgendaItem.objects.get(pk=item.pk).child_id == known.pk
    assert Decision.objects.get(pk=decision.pk).item.child_id == known.pk
    assert Contribution.objects.get(pk=contribution.pk).agenda_item.child_id == known.pk
    assert Action.objects.get(pk=action.pk).child_id == known.pk  # a key with no reverse name
    assert SafeguardingConcern.objects.get(pk=concern.pk).child_id == known.pk

    client.post(
        reverse("referrals:referral_unlink", kwargs={"referral_id": second.pk}),
        {"reason": "Cousins, not the same child"},
    )

    assert Plan.objects.get(pk=open_plan.pk).child_id == duplicate.pk
    assert Plan.objects.get(pk=closed.pk).child_id == known.pk
    assert AgendaItem.objects.get(pk=item.pk).child_id == duplicate.pk
    assert Action.objects.get(pk=action.pk).child_id == duplicate.pk
    assert SafeguardingConcern.objects.get(pk=concern.pk).child_id == duplicate.pk


def test_linking_to_a_record_merged_since_is_refused_on_the_form(
    known_child, school_worker, easton, coordinator, sign_in
):
    second = _linkable(known_child, school_worker, easton)
    other = refer(*school_worker, easton, given_name="Ahmed", family_name="Farah").child
    children.child_merge(actor=None, survivor=other, merged=known_child.child, reason="Same")

    response = _decide(
        sign_in(coordinator), second, decision=f"link:{known_child.child.pk}", note="Same"
    )

    assert response.status_code == 200
    assert "One of these records has already been merged into another" in text_of(response)
    assert Child.objects.get(pk=second.child_id).merged_into is None
