import pytest
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.transfers import services
from joinedup.transfers.models import Transfer, TransferStatus
from tests.conftest import make_person, sign_in_client
from tests.factories import ChildFactory, ReferralFactory
from tests.transfers.world import build, details, requested


@pytest.fixture
def world(db):
    return build()


def _answers(world, **changes):
    moves_on = details(world).moves_on
    answers = {
        "new_locality": str(world.lockleaze.pk),
        "moves_on_day": str(moves_on.day),
        "moves_on_month": str(moves_on.month),
        "moves_on_year": str(moves_on.year),
        "new_address_line_1": "",
        "new_postcode": "",
        "reason": "A new tenancy.",
        "risks": "Missed school during the move.",
        "what_is_working": "Mentoring.",
        "who_knows_the_child": "The keyworker.",
    }
    return answers | changes


def test_the_easton_coordinator_asks_from_the_childs_record(world, client):
    sign_in_client(client, world.easton_coordinator)
    record = client.get(
        reverse("children:child_detail", kwargs={"reference": world.child.reference})
    )
    url = reverse("transfers:request", kwargs={"reference": world.child.reference})
    assert url in record.content.decode()

    response = client.post(url, _answers(world))

    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfers:detail", kwargs={"transfer_id": transfer.pk})


def test_a_service_refusal_is_shown_beside_its_field(world, client):
    sign_in_client(client, world.easton_coordinator)
    url = reverse("transfers:request", kwargs={"reference": world.child.reference})
    response = client.post(url, _answers(world, new_locality=str(world.easton.pk)))
    assert response.status_code == 200
    assert response.context["form"].errors["new_locality"]
    assert not Transfer.objects.exists()


def test_someone_in_the_team_who_may_not_ask_is_told_who_can(world, client):
    from tests.factories import InvolvementFactory

    referrer = make_person(Role.KEYWORKER)
    InvolvementFactory(child=world.child, worker=referrer)
    sign_in_client(client, referrer)
    url = reverse("transfers:request", kwargs={"reference": world.child.reference})
    response = client.get(url)
    assert "Only a coordinator of that panel" in response.content.decode()
    client.post(url, _answers(world))
    assert not Transfer.objects.exists()


def test_the_request_page_is_not_found_for_a_child_one_does_not_know(world, client):
    sign_in_client(client, world.lockleaze_coordinator)
    url = reverse("transfers:request", kwargs={"reference": world.child.reference})
    assert client.get(url).status_code == 404


def test_the_receiving_coordinator_reads_the_handover_by_pseudonym_then_by_name(world, client):
    transfer = requested(world)
    sign_in_client(client, world.lockleaze_coordinator)
    url = reverse("transfers:detail", kwargs={"transfer_id": transfer.pk})

    before = client.get(url).content.decode()
    assert world.child.pseudonym in before and "Child Q missed school" in before
    for identifying in ("Zebedee", "Quixwort", "Gainsborough", "BS7 9XA"):
        assert identifying not in before
    assert reverse("transfers:accept", kwargs={"transfer_id": transfer.pk}) in before

    response = client.post(
        reverse("transfers:accept", kwargs={"transfer_id": transfer.pk}),
        {"handover_read": "on", "keyworker": ""},
    )
    assert response.status_code == 302
    after = client.get(url).content.decode()
    assert "Zebedee" in after
    assert "ask them again" in after  # consent to panel discussion


def test_the_sending_coordinator_sees_the_pseudonym_after_the_handover(world, client):
    transfer = requested(world)
    services.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)
    sign_in_client(client, world.easton_coordinator)
    content = client.get(
        reverse("transfers:detail", kwargs={"transfer_id": transfer.pk})
    ).content.decode()
    assert world.child.pseudonym in content and "Zebedee" not in content


def test_a_transfer_is_not_found_for_anyone_outside_it(world, client):
    transfer = requested(world)
    sign_in_client(client, make_person(Role.PANEL_COORDINATOR))
    for name in ("detail", "accept", "decline", "withdraw"):
        url = reverse(f"transfers:{name}", kwargs={"transfer_id": transfer.pk})
        assert client.get(url).status_code == 404, name


def test_the_sending_side_cannot_answer_and_the_receiving_side_cannot_withdraw(world, client):
    transfer = requested(world)
    sign_in_client(client, world.easton_coordinator)
    assert (
        client.get(reverse("transfers:accept", kwargs={"transfer_id": transfer.pk})).status_code
        == 404
    )
    sign_in_client(client, world.lockleaze_coordinator)
    assert (
        client.get(reverse("transfers:withdraw", kwargs={"transfer_id": transfer.pk})).status_code
        == 404
    )


def test_an_answered_transfer_cannot_be_answered_again_from_a_stale_page(world, client):
    transfer = requested(world)
    services.transfer_decline(
        actor=world.lockleaze_coordinator, transfer=transfer, reason="Not ours."
    )
    sign_in_client(client, world.lockleaze_coordinator)
    response = client.post(
        reverse("transfers:accept", kwargs={"transfer_id": transfer.pk}), {"handover_read": "on"}
    )
    assert response.status_code == 302
    assert Transfer.objects.get().status == TransferStatus.DECLINED


def test_declining_and_withdrawing_through_the_pages(world, client):
    transfer = requested(world)
    sign_in_client(client, world.lockleaze_coordinator)
    client.post(
        reverse("transfers:decline", kwargs={"transfer_id": transfer.pk}),
        {"reason": "The family is staying."},
    )
    assert Transfer.objects.get().status == TransferStatus.DECLINED
    again = requested(world)
    sign_in_client(client, world.easton_coordinator)
    client.post(
        reverse("transfers:withdraw", kwargs={"transfer_id": again.pk}),
        {"reason": "The move fell through."},
    )
    assert Transfer.objects.get(pk=again.pk).status == TransferStatus.WITHDRAWN


def test_the_list_shows_transfers_in_and_out_with_a_constant_number_of_queries(
    world, client, django_assert_max_num_queries
):
    requested(world)
    sign_in_client(client, world.lockleaze_coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("transfers:list"))
    for _ in range(5):
        child = ChildFactory(locality=world.easton)
        ReferralFactory(child=child, panel=world.easton_panel)
        services.transfer_request(
            actor=world.easton_coordinator,
            child=child,
            details=details(world, new_postcode="", new_address_line_1=""),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("transfers:list"))
    assert len(response.context["waiting"]) == 6
    assert "Zebedee" not in response.content.decode()


def test_the_empty_list_says_so(world, client):
    sign_in_client(client, world.keyworker)
    content = client.get(reverse("transfers:list")).content.decode()
    assert "No transfers are waiting" in content
    assert "No transfers out yet" in content


def test_coordinators_find_transfers_in_the_navigation(world, client):
    sign_in_client(client, world.lockleaze_coordinator)
    content = client.get(reverse("core:start")).content.decode()
    assert reverse("transfers:list") in content
