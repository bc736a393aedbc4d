"""A child in Easton with a keyworker from a voluntary group; the group's designated
safeguarding lead; and a lead in a school serving Easton who does not work with the child."""

from types import SimpleNamespace

import pytest

from joinedup.accounts.models import User
from joinedup.children.models import InvolvementRole
from joinedup.core.roles import Role
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    TOTPDeviceFactory,
    UserFactory,
)


def make_lead(organisation, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=Role.SAFEGUARDING_LEAD)
    TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def world(db) -> SimpleNamespace:
    easton = LocalityFactory(name="Easton", slug="easton")
    lockleaze = LocalityFactory(name="Lockleaze", slug="lockleaze")
    group = OrganisationFactory(name="Easton Families Project")
    school = SchoolFactory(name="Easton Primary")
    school.localities.add(easton)
    child = ChildFactory(given_name="Zebedee", family_name="Quixwort", locality=easton)
    keyworker = make_person(None, full_name="Kit Keyworker")
    MembershipFactory(user=keyworker, organisation=group, role=Role.KEYWORKER)
    TOTPDeviceFactory(user=keyworker)
    InvolvementFactory(
        child=child, organisation=group, worker=keyworker, role=InvolvementRole.KEYWORKER
    )
    return SimpleNamespace(
        easton=easton,
        lockleaze=lockleaze,
        group=group,
        school=school,
        child=child,
        keyworker=keyworker,
        group_lead=make_lead(group, full_name="Gita Grouplead", email="gita@example.org"),
        school_lead=make_lead(school, full_name="Sol Schoollead", email="sol@example.org"),
        admin=make_person(Role.SYSTEM_ADMIN, email="admin@example.org"),
    )
