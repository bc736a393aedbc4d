from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from joinedup.accounts.models import Membership, User
from joinedup.core.roles import Role
from joinedup.demo.catalogue import LOCALITIES, ORGANISATIONS
from joinedup.demo.loader import DEMO_PASSWORD, load_demo_data
from joinedup.organisations.models import Locality, Organisation


def test_demo_data_holds_the_research_localities_and_one_person_per_role(db):
    load_demo_data()
    assert set(Locality.objects.values_list("name", flat=True)) == {
        "Easton & Lawrence Hill",
        "Lockleaze & Upper Horfield",
        "Knowle West",
    }
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert set(Membership.objects.active().values_list("role", flat=True)) == set(Role.values)


def test_loading_the_demo_twice_changes_nothing(db):
    first = load_demo_data()
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    second = load_demo_data()
    assert first == second
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    )


def test_the_same_seed_gives_the_same_people_and_another_seed_different_ones(db):
    names = [login.full_name for login in load_demo_data(seed=7)]
    assert names == [login.full_name for login in load_demo_data(seed=7)]
    assert names != [login.full_name for login in load_demo_data(seed=8)]


def test_demo_logins_work_with_the_printed_password(db):
    logins = load_demo_data()
    request = RequestFactory().post("/accounts/sign-in/")
    for login in logins:
        assert authenticate(request, username=login.email, password=DEMO_PASSWORD) is not None


def test_a_demo_person_wears_several_hats(db):
    load_demo_data()
    keyworker = User.objects.get(email="keyworker@demo.joinedup.test")
    assert keyworker.active_roles() == {Role.KEYWORKER, Role.PANEL_MEMBER}
    assert len({m.organisation_id for m in keyworker.active_memberships()}) == 2


def test_the_command_prints_every_login_and_the_password(db):
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for user in User.objects.all():
        assert user.email in printed


def test_invented_organisations_say_so_in_their_name():
    for seed in ORGANISATIONS:
        if seed.source == "illustrative":
            assert "(demo)" in seed.name
    assert {seed.slug for seed in LOCALITIES} >= {
        slug for seed in ORGANISATIONS for slug in seed.localities
    }
