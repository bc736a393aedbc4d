"""Concurrent edits (issue 10, docs/security.md): the same plan, the same consent record and the
same agenda changed at the same moment through separate database connections, as separate
server processes would: no change is lost, nothing happens twice, and each person who lost the
race is told why in words.

On PostgreSQL only: SQLite lets one writer in at a time, so nothing races there, and the test
database lives in one connection's memory."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, connections

from joinedup.consent.models import ConsentRecord, HowTold, Scope
from joinedup.consent.services import ConsentError, consent_withdraw
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels import services as panels
from joinedup.panels.models import AgendaItem, PanelRole
from joinedup.plans import services as plans
from joinedup.plans.models import Plan
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    ParentFactory,
    ReferralFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer in at a time: nothing races",
    ),
]


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread and database connection, all released together. Each
    call's result, or the exception it raised, in the order given."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a call never finished"
    return outcomes


def _coordinator(panel) -> Any:
    person = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(panel=panel, user=person, role=PanelRole.COORDINATOR)
    return person


def _world() -> SimpleNamespace:
    """A child referred to a panel, with consent to discuss them there, a meeting coming up,
    two coordinators and an open plan with its keyworker."""
    panel = PanelFactory()
    first, second = _coordinator(panel), _coordinator(panel)
    keyworker = make_person(Role.KEYWORKER)
    organisation = keyworker.active_memberships().get().organisation
    child = ChildFactory(locality=panel.localities.get())
    mother = ParentFactory(child=child)
    referral = ReferralFactory(child=child, panel=panel)
    consent = ConsentRecordFactory(
        child=child, household_member=mother, scope=Scope.PANEL_DISCUSSION
    )
    ConsentRecordFactory(child=child, household_member=mother, scope=Scope.CONTACT)
    ConsentRecordFactory(
        child=child, household_member=mother, scope=Scope.SHARE, organisation=organisation
    )
    plan = plans.plan_open(
        actor=first,
        child=child,
        keyworker=keyworker,
        keyworker_organisation=organisation,
        panel=panel,
    )
    return SimpleNamespace(
        panel=panel,
        coordinators=(first, second),
        keyworker=keyworker,
        child=child,
        referral=referral,
        consent=consent,
        meeting=MeetingFactory(panel=panel),
        plan=plan,
    )


def test_four_saves_of_one_plan_at_once_keep_one_and_tell_the_others():
    world = _world()
    revision = world.plan.revision
    people = [world.keyworker, *world.coordinators, world.keyworker]

    def save(person: Any, words: str) -> Callable[[], Plan]:
        def call() -> Plan:
            plan = Plan.objects.get(pk=world.plan.pk)
            details = plans.PlanDetails(
                keyworker=plan.keyworker,
                keyworker_organisation=plan.keyworker_organisation,
                contingency=words,
                review_interval_weeks=plan.review_interval_weeks,
                next_review_on=plan.next_review_on,
            )
            return plans.plan_change(actor=person, plan=plan, revision=revision, details=details)

        return call

    outcomes = at_once(*(save(person, f"Plan B, from save {n}") for n, person in enumerate(people)))

    saved = [n for n, outcome in enumerate(outcomes) if isinstance(outcome, Plan)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, plans.PlanError)]
    assert len(saved) == 1, outcomes
    assert len(refused) == 3, outcomes
    assert {error.code for error in refused} == {"stale"}
    assert all("Someone else changed this plan" in error.message for error in refused)
    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.revision == revision + 1
    assert plan.contingency == f"Plan B, from save {saved[0]}"
    changes = AuditEntry.objects.filter(verb=AuditVerb.UPDATE, target_id=str(plan.pk))
    assert changes.count() == 1


def test_two_withdrawals_of_one_consent_at_once_record_it_once():
    world = _world()

    def withdraw(person: Any) -> Callable[[], Any]:
        return lambda: consent_withdraw(
            actor=person,
            record=ConsentRecord.objects.get(pk=world.consent.pk),
            reason="Mum rang to say she no longer wants the panel to discuss him.",
            told_us=HowTold.TELEPHONE,
        )

    outcomes = at_once(*(withdraw(person) for person in world.coordinators))

    refused = [outcome for outcome in outcomes if isinstance(outcome, ConsentError)]
    assert len(refused) == 1, outcomes
    assert refused[0].code == "already_withdrawn"
    assert "already withdrawn on" in refused[0].message
    record = ConsentRecord.objects.get(pk=world.consent.pk)
    assert record.is_withdrawn
    assert record.withdrawn_by in world.coordinators
    assert AuditEntry.objects.filter(verb=AuditVerb.CONSENT_WITHDRAWN).count() == 1


def test_two_coordinators_adding_one_case_to_an_agenda_at_once_add_it_once():
    world = _world()

    def add(person: Any) -> Callable[[], AgendaItem]:
        return lambda: panels.agenda_add(
            actor=person, meeting=world.meeting, referral=world.referral
        )

    outcomes = at_once(*(add(person) for person in world.coordinators))

    refused = [outcome for outcome in outcomes if isinstance(outcome, panels.PanelError)]
    assert len(refused) == 1, outcomes
    assert refused[0].message == "This child is already on that meeting's agenda"
    assert AgendaItem.objects.filter(meeting=world.meeting).count() == 1


def test_consent_withdrawn_as_the_case_is_added_to_an_agenda_never_leaves_it_on():
    """DESIGN.md rule 2: no case is discussed at the panel without consent in force. Whichever
    comes first, the case must not end on the agenda with the consent withdrawn."""
    for _ in range(5):
        world = _world()
        coordinator, other = world.coordinators
        outcomes = at_once(
            lambda world=world, coordinator=coordinator: panels.agenda_add(
                actor=coordinator, meeting=world.meeting, referral=world.referral
            ),
            lambda world=world, other=other: consent_withdraw(
                actor=other,
                record=ConsentRecord.objects.get(pk=world.consent.pk),
                reason="Dad says no.",
                told_us=HowTold.IN_PERSON,
            ),
        )
        assert not isinstance(outcomes[1], Exception), outcomes
        added, _ = outcomes
        if isinstance(added, panels.PanelError):
            assert "consent" in added.message.lower(), added.message
        on_the_agenda = AgendaItem.objects.filter(
            meeting=world.meeting, child=world.child, removed_at__isnull=True
        )
        assert not on_the_agenda.exists(), outcomes
