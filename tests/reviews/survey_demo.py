"""The demo's partnerships and relationship survey, without the rest of the demo (children,
meetings, plans), for the tests that only need the survey: its logins are made here with the
demo's addresses, password and authenticator."""

from joinedup.accounts.models import User
from joinedup.core.roles import Role
from joinedup.demo.catalogue import ORGANISATIONS
from joinedup.demo.loader import (
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    _enrol_authenticator,
    _load_localities,
    _load_organisation,
)
from joinedup.demo.partnerships import load_demo_partnerships
from joinedup.demo.reviews_survey import load_demo_survey
from joinedup.organisations.models import Organisation
from tests.factories import MembershipFactory, UserFactory

LOGINS = {
    "strategic.manager": (Role.STRATEGIC_MANAGER, "bristol-city-council"),
    "panel.chair": (Role.PANEL_CHAIR, "social-services"),
    "coordinator": (Role.PANEL_COORDINATOR, "easton-yisp"),
    "panel.member": (Role.PANEL_MEMBER, "avon-and-somerset-constabulary"),
}


def load_survey_demo() -> dict[str, User]:
    localities = _load_localities()
    for seed in ORGANISATIONS:
        _load_organisation(seed, localities)
    users = {}
    for login, (role, organisation) in LOGINS.items():
        user = UserFactory(email=f"{login}@{DEMO_EMAIL_DOMAIN}")
        user.set_password(DEMO_PASSWORD)
        user.save()
        _enrol_authenticator(user)
        MembershipFactory(
            user=user, role=role, organisation=Organisation.objects.get(slug=organisation)
        )
        users[login] = user
    load_demo_partnerships()
    load_demo_survey()
    return users
