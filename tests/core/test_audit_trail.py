import importlib
import inspect

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from joinedup.core import audit
from joinedup.core.models import AppendOnlyError, AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from tests.conftest import make_person
from tests.dashboards.audit_calls import dashboard_calls
from tests.factories import (
    ActionFactory,
    ChildFactory,
    ConsentRecordFactory,
    InvolvementFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelMemberFactory,
    ReferralFactory,
)
from tests.plans.audit_calls import plan_calls
from tests.safeguarding.audit_calls import safeguarding_calls
from tests.tracking.audit_calls import tracking_calls


def _selector_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("joinedup."):
            try:
                yield importlib.import_module(f"{config.name}.selectors")
            except ModuleNotFoundError:
                continue
    # The panel pack's reads live beside its builder, not in panels.selectors.
    yield importlib.import_module("joinedup.panels.pack")
    # The health check's reads, kept apart from the reviews' other selectors.
    yield importlib.import_module("joinedup.reviews.health_selectors")
    # The relationship survey's reads live in its own package inside the reviews app.
    yield importlib.import_module("joinedup.reviews.survey.selectors")
    # Data quality's reads, kept apart from the other reports' selectors.
    yield importlib.import_module("joinedup.reports.quality_selectors")


def test_every_selector_is_audited_or_exempt_with_a_reason():
    undecided = []
    for module in _selector_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            qualified = (
                f"{function.__module__}.{getattr(function, '__wrapped__', function).__qualname__}"
            )
            if (
                qualified not in audit.AUDITED_SELECTORS
                and qualified not in audit.AUDIT_EXEMPT_SELECTORS
            ):
                undecided.append(qualified)
    assert not undecided, "Selectors neither audited nor exempt: " + ", ".join(undecided)
    assert all(reason.strip() for reason in audit.AUDIT_EXEMPT_SELECTORS.values())


def test_reading_a_persons_record_through_a_selector_writes_an_audit_entry(db, sign_in, admin_user):
    person = make_person(Role.KEYWORKER, full_name="Priya Patel")
    client = sign_in(admin_user)
    before = AuditEntry.objects.filter(verb=AuditVerb.READ, target_id=str(person.pk)).count()
    response = client.get(reverse("accounts:user_detail", kwargs={"user_id": person.pk}))
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(verb=AuditVerb.READ, target_id=str(person.pk)).first()
    assert (
        AuditEntry.objects.filter(verb=AuditVerb.READ, target_id=str(person.pk)).count()
        == before + 1
    )
    assert entry.actor == admin_user
    assert entry.target_type == "accounts.user"
    assert "email" in entry.fields
    assert entry.path == reverse("accounts:user_detail", kwargs={"user_id": person.pk})
    assert entry.method == "GET"
    assert entry.request_id == response["X-Request-Id"]
    assert entry.ip_address == "127.0.0.1"


def _assessment_calls(viewer, child):
    from django.utils import timezone

    from joinedup.assessments import selectors
    from joinedup.assessments.models import AssessmentStatus
    from tests.factories import AssessmentFactory, OverToYouFactory

    first = AssessmentFactory(
        child=child, status=AssessmentStatus.COMPLETED, completed_at=timezone.now()
    )
    review = AssessmentFactory(child=child, version=2, kind="review")
    view = OverToYouFactory(child=child)
    on_child = {"viewer": viewer, "reference": child.reference}
    return {
        "joinedup.assessments.selectors.assessment_child": (
            lambda: selectors.assessment_child(**on_child)
        ),
        "joinedup.assessments.selectors.assessments_of": (
            lambda: selectors.assessments_of(**on_child)
        ),
        "joinedup.assessments.selectors.assessment_detail": (
            lambda: selectors.assessment_detail(**on_child, assessment_id=first.pk)
        ),
        "joinedup.assessments.selectors.assessments_compared": (
            lambda: selectors.assessments_compared(
                **on_child, earlier_id=first.pk, later_id=review.pk
            )
        ),
        "joinedup.assessments.selectors.over_to_you_of": (
            lambda: selectors.over_to_you_of(**on_child)
        ),
        "joinedup.assessments.selectors.over_to_you_detail": (
            lambda: selectors.over_to_you_detail(**on_child, response_id=view.pk)
        ),
    }


def _pack_calls(viewer, child):
    from joinedup.panels import pack
    from joinedup.panels.models import AgendaItem
    from tests.factories import MeetingFactory

    item = AgendaItem.objects.create(meeting=MeetingFactory(), child=child)
    return {
        "joinedup.panels.pack.children_on_upcoming_agendas": (
            lambda: pack.children_on_upcoming_agendas(viewer=viewer)
        ),
        "joinedup.panels.pack.contribution_item_for": (
            lambda: pack.contribution_item_for(viewer=viewer, item_id=item.pk)
        ),
    }


def test_every_audited_selector_records_its_reads(db, admin_user):
    """Each audited selector, called directly, leaves one READ entry per record it returns."""
    from joinedup.accounts import selectors as account_selectors
    from joinedup.children import selectors as children_selectors
    from joinedup.referrals import selectors as referral_selectors

    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, role=Role.REFERRER)
    person = make_person(Role.KEYWORKER)
    child = ChildFactory()
    InvolvementFactory(child=child, worker=admin_user)
    referral = ReferralFactory(referrer=admin_user)
    seat = PanelMemberFactory(user=admin_user, role=PanelRole.COORDINATOR)
    to_panel = ReferralFactory(panel=seat.panel)
    from joinedup.consent import selectors as consent_selectors
    from joinedup.consent.models import ChildView

    consent = ConsentRecordFactory(child=child, signed_form="consent/signed.pdf")
    ChildView.objects.create(child=child, in_their_words="OK", recorded_on=consent.given_on)
    on_child = {"viewer": admin_user, "reference": child.reference}
    from joinedup.actions import selectors as action_selectors

    action = ActionFactory(owner=admin_user)
    calls = {
        "joinedup.consent.selectors.consent_child": (
            lambda: consent_selectors.consent_child(**on_child)
        ),
        "joinedup.consent.selectors.consent_records": (
            lambda: consent_selectors.consent_records(**on_child)
        ),
        "joinedup.consent.selectors.consent_record_detail": (
            lambda: consent_selectors.consent_record_detail(**on_child, record_id=consent.pk)
        ),
        "joinedup.consent.selectors.signed_form": (
            lambda: consent_selectors.signed_form(**on_child, record_id=consent.pk)
        ),
        "joinedup.consent.selectors.child_views": (
            lambda: consent_selectors.child_views(**on_child)
        ),
        **_assessment_calls(admin_user, child),
        "joinedup.actions.selectors.action_for": (
            lambda: action_selectors.action_for(viewer=admin_user, action_id=action.pk)
        ),
        **safeguarding_calls(admin_user, child),
        **plan_calls(admin_user, child),
        **tracking_calls(admin_user),
        "joinedup.referrals.selectors.referral_inbox": (
            lambda: referral_selectors.referral_inbox(viewer=admin_user, view="all")
        ),
        "joinedup.referrals.selectors.referral_for_coordinator": (
            lambda: referral_selectors.referral_for_coordinator(
                viewer=admin_user, referral_id=to_panel.pk
            )
        ),
        "joinedup.referrals.selectors.referrals_made_by": (
            lambda: referral_selectors.referrals_made_by(viewer=admin_user)
        ),
        "joinedup.referrals.selectors.referral_made_by": (
            lambda: referral_selectors.referral_made_by(viewer=admin_user, referral_id=referral.pk)
        ),
        "joinedup.children.selectors.caseload": lambda: children_selectors.caseload(
            viewer=admin_user
        ),
        "joinedup.children.selectors.child_identified": (
            lambda: children_selectors.child_identified(
                viewer=admin_user, reference=child.reference
            )
        ),
        "joinedup.children.selectors.household_child": (
            lambda: children_selectors.household_child(viewer=admin_user, reference=child.reference)
        ),
        "joinedup.children.selectors.household_member_detail": (
            lambda: children_selectors.household_member_detail(
                **on_child, member_id=consent.household_member_id
            )
        ),
        "joinedup.accounts.selectors.user_detail": lambda: account_selectors.user_detail(
            viewer=admin_user, user_id=person.pk
        ),
        "joinedup.accounts.selectors.user_page_rows": lambda: account_selectors.user_page_rows(
            viewer=admin_user, users=[person, admin_user]
        ),
        "joinedup.accounts.selectors.organisation_people": (
            lambda: account_selectors.organisation_people(
                viewer=admin_user, organisation=organisation
            )
        ),
    }
    calls.update(_pack_calls(admin_user, child))
    from joinedup.records import selectors as record_selectors
    from joinedup.records.models import SubjectAccessRequest

    calls.update(dashboard_calls(admin_user))
    from joinedup.panels import selectors as panel_selectors

    access_request = SubjectAccessRequest.objects.create(
        child=child,
        requester_name="A parent",
        requester="parent",
        received_on=consent.given_on,
        due_on=consent.given_on,
    )
    calls["joinedup.records.selectors.sar_list"] = lambda: record_selectors.sar_list(
        viewer=admin_user
    )
    calls["joinedup.records.selectors.sar_detail"] = lambda: record_selectors.sar_detail(
        viewer=admin_user, sar_id=access_request.pk
    )
    calls["joinedup.records.selectors.child_rights"] = lambda: record_selectors.child_rights(
        viewer=admin_user, reference=child.reference
    )
    from joinedup.panels.pipeline import cases_rebuild

    # The world's referrals were made by factories, not the services that keep the pipeline.
    cases_rebuild()
    calls["joinedup.panels.selectors.pipeline_page"] = lambda: panel_selectors.pipeline_page(
        viewer=admin_user
    )
    from tests.transfers.walk import transfer_calls

    calls.update(transfer_calls(admin_user, child))
    from tests.partnerships.audit_calls import partnership_calls

    calls.update(partnership_calls(admin_user))
    from tests.reports.audit_calls import quality_calls

    calls.update(quality_calls(admin_user))
    assert set(calls) == set(audit.AUDITED_SELECTORS), "add a call for each audited selector"
    for name, call in calls.items():
        before = AuditEntry.objects.filter(verb=AuditVerb.READ).count()
        result = call()
        shown = len(result) if isinstance(result, list) else 1
        assert shown > 0, name
        assert AuditEntry.objects.filter(verb=AuditVerb.READ).count() == before + shown, name


def test_audit_entries_cannot_be_changed_or_deleted_through_the_app(db, admin_user):
    entry = audit.record(actor=admin_user, verb=AuditVerb.UPDATE, fields=["email"])
    entry.purpose = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.purpose == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_audit_entries_even_with_raw_sql(db, admin_user):
    from django.db import DatabaseError, transaction

    entry = audit.record(actor=admin_user, verb=AuditVerb.UPDATE)
    for sql in (
        "UPDATE core_auditentry SET purpose = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, purpose="").exists()


def test_the_django_admin_offers_no_way_to_edit_audit_entries():
    from django.contrib import admin

    assert AuditEntry not in admin.site._registry


def test_information_governance_officer_searches_the_audit_trail(
    db, sign_in, ig_officer, admin_user
):
    person = make_person(Role.KEYWORKER, full_name="Searchable Person")
    audit.record(
        actor=admin_user,
        verb=AuditVerb.UPDATE,
        target=person,
        fields=["email"],
        purpose="Correcting a typo",
    )
    audit.record(actor=person, verb=AuditVerb.SIGN_IN, target=person)
    client = sign_in(ig_officer)

    response = client.get(reverse("core:audit_log"), {"actor": admin_user.email, "verb": "update"})
    assert response.status_code == 200
    page = response.context["page"]
    assert [e.verb for e in page.object_list] == ["update"]
    assert b"Correcting a typo" in response.content

    response = client.get(reverse("core:audit_log"), {"target_id": str(person.pk)})
    assert {e.verb for e in response.context["page"].object_list} == {"update", "sign_in"}

    response = client.get(reverse("core:audit_log"), {"purpose": "no such purpose"})
    assert b"No entries match your search" in response.content

    # The search itself is in the trail, with its filters.
    searched = AuditEntry.objects.filter(actor=ig_officer, fields=["audit_trail"]).first()
    assert searched is not None
    assert searched.detail == {"purpose": "no such purpose"}


def test_audit_search_rejects_a_backwards_date_range(db, sign_in, ig_officer):
    response = sign_in(ig_officer).get(
        reverse("core:audit_log"), {"date_from": "2026-11-10", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"To date must be the same as or after the from date" in response.content


def test_only_information_governance_can_read_the_audit_trail(db, sign_in, admin_user):
    assert sign_in(admin_user).get(reverse("core:audit_log")).status_code == 403
