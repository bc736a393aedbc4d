"""A child referred to a panel, with a coordinator, a keyworker at a voluntary group and the
family's consent to contact by services and to share with the keyworker's group."""

from types import SimpleNamespace

import pytest

from joinedup.consent.models import Scope
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from joinedup.plans import services
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    PanelFactory,
    PanelMemberFactory,
    ParentFactory,
    ReferralFactory,
)


def organisation_of(user):
    return user.active_memberships().get().organisation


@pytest.fixture
def world(db, keyworker):
    panel = PanelFactory(slug="plans-panel")
    coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    child = ChildFactory(given_name="Amina", family_name="Yusuf", locality=panel.localities.get())
    mother = ParentFactory(child=child, full_name="Hodan Yusuf")
    ReferralFactory(child=child, panel=panel)
    contact = ConsentRecordFactory(child=child, household_member=mother, scope=Scope.CONTACT)
    ConsentRecordFactory(
        child=child,
        household_member=mother,
        scope=Scope.SHARE,
        organisation=organisation_of(keyworker),
    )
    return SimpleNamespace(
        panel=panel,
        coordinator=coordinator,
        child=child,
        mother=mother,
        keyworker=keyworker,
        organisation=organisation_of(keyworker),
        contact=contact,
    )


def open_plan(world, **kwargs):
    return services.plan_open(
        actor=world.coordinator,
        child=world.child,
        keyworker=world.keyworker,
        keyworker_organisation=world.organisation,
        panel=world.panel,
        **kwargs,
    )


@pytest.fixture
def plan(world):
    return open_plan(world)


def add_goal(plan, words="I want to go back to football", said_by="child", actor=None):
    plan.refresh_from_db()
    return services.goal_add(
        actor=actor or plan.keyworker,
        plan=plan,
        revision=plan.revision,
        in_their_words=words,
        said_by=said_by,
    )
