"""The menu's "Dashboard" and each role's first task on the start page lead to the person's
dashboard; roles without one see neither."""

import pytest
from django.urls import reverse

from joinedup.accounts.models import Membership
from joinedup.core.roles import Role
from tests.conftest import make_person, sign_in_client
from tests.factories import OrganisationFactory

DASHBOARD_OF = {
    Role.KEYWORKER: "dashboards:keyworker",
    Role.PANEL_COORDINATOR: "dashboards:coordinator",
    Role.PANEL_CHAIR: "dashboards:chair",
    Role.STRATEGIC_MANAGER: "dashboards:steering",
}


@pytest.mark.parametrize("role", list(DASHBOARD_OF))
def test_the_menu_and_the_first_task_lead_to_the_roles_dashboard(db, client, role):
    sign_in_client(client, make_person(role))
    start = client.get(reverse("core:start"))
    [section] = start.context["sections"]
    assert section["tasks"][0].url_name == DASHBOARD_OF[role]
    assert {"label": "Dashboard", "url": reverse("dashboards:home"), "current": False} in (
        start.context["navigation"]
    )
    response = client.get(reverse("dashboards:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(DASHBOARD_OF[role])
    page = client.get(response["Location"])
    assert [
        item["current"] for item in page.context["navigation"] if item["label"] == "Dashboard"
    ] == [True]


@pytest.mark.parametrize("role", [Role.REFERRER, Role.PANEL_MEMBER, Role.IG_OFFICER])
def test_roles_without_a_dashboard_see_no_link_to_one(db, client, role):
    sign_in_client(client, make_person(role))
    start = client.get(reverse("core:start"))
    assert "Dashboard" not in [item["label"] for item in start.context["navigation"]]
    assert client.get(reverse("dashboards:home")).status_code == 403


def test_a_person_with_two_dashboards_is_offered_the_other_one(db, client):
    person = make_person(Role.KEYWORKER)
    Membership.objects.create(
        user=person, organisation=OrganisationFactory(), role=Role.PANEL_COORDINATOR
    )
    sign_in_client(client, person)
    assert client.get(reverse("dashboards:home"))["Location"] == reverse("dashboards:keyworker")
    text = client.get(reverse("dashboards:keyworker")).content.decode()
    assert "Your other dashboard:" in text
    assert reverse("dashboards:coordinator") in text
