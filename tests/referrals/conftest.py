"""The people and places of a referral: a worker at a voluntary group, the Easton panel's area
(children aged 8 to 13) and Lockleaze, which no panel covers yet."""

import pytest

from joinedup.accounts.models import User
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality, Organisation, OrganisationKind
from joinedup.panels.models import Panel
from tests.conftest import make_person
from tests.factories import (
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)

EASTON_SIGNPOSTING = "Easton Community Centre runs a drop-in youth club on Tuesdays."


@pytest.fixture
def youth_project(db) -> Organisation:
    return OrganisationFactory(name="Easton Youth Project", kind=OrganisationKind.VOLUNTARY)


@pytest.fixture
def volunteer(youth_project) -> User:
    """A referrer at a voluntary group: the people the single referral route is for."""
    user = UserFactory(full_name="Vera Volunteer")
    MembershipFactory(user=user, organisation=youth_project, role=Role.REFERRER)
    TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def other_agency_worker(db) -> User:
    return make_person(Role.KEYWORKER, full_name="Owen Otheragency")


@pytest.fixture
def easton(db) -> Locality:
    locality = LocalityFactory(name="Easton", slug="easton")
    panel = Panel.objects.create(
        name="Easton panel",
        slug="easton",
        minimum_age=8,
        maximum_age=13,
        signposting=EASTON_SIGNPOSTING,
    )
    panel.localities.add(locality)
    return locality


@pytest.fixture
def lockleaze(db) -> Locality:
    return LocalityFactory(name="Lockleaze", slug="lockleaze")


@pytest.fixture
def volunteer_client(sign_in, volunteer):
    return sign_in(volunteer)
