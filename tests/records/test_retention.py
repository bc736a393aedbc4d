"""The retention job end to end: a case closed long ago is anonymised and its old name matches
nothing any more; a recent closure, an open case and a dry run change nothing; the job is safe
to run twice and one child's failure does not stop the rest."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from joinedup.children import search
from joinedup.children.matching import candidates_for, keys_for
from joinedup.children.models import Address, Child, HouseholdMember, MatchKey
from joinedup.children.services import match_keys_refresh
from joinedup.core.models import AuditEntry
from joinedup.core.roles import Role
from joinedup.notifications.models import Notification
from joinedup.panels.models import PanelRole
from joinedup.records import retention
from joinedup.records.models import AnonymisationRun, RecordType, RetentionApplied
from joinedup.records.services import retention_apply
from tests.conftest import make_person
from tests.factories import ChildFactory, PanelMemberFactory, UserFactory
from tests.records.cases import all_text, build_case
from tests.transfers.walk import TransferFactory

TODAY = date(2026, 6, 1)


@pytest.fixture
def cases(db):
    return {
        "old": build_case(
            given_name="Zebedee",
            family_name="Quixwort",
            born=date(1996, 2, 14),
            happened_on=date(2010, 5, 4),
        ),
        "recent": build_case(
            given_name="Ottoline",
            family_name="Brambleby",
            born=date(2013, 7, 1),
            happened_on=date(2026, 4, 1),
            carer="Rosa Brambleby",
        ),
        "open": build_case(
            given_name="Percival",
            family_name="Thistlewood",
            born=date(1996, 3, 3),
            happened_on=date(2010, 5, 4),
            plan_open=True,
            carer="Mabel Thistlewood",
        ),
    }


def _probe(given: str, family: str, born: date) -> Child:
    """A new record of a child with the old details, as a referral would make."""
    probe = ChildFactory(given_name=given, family_name=family, date_of_birth=born)
    Address.objects.create(child=probe, line_1="77 Marmalade Lane", postcode="BS5 9QQ")
    match_keys_refresh(probe)
    return probe


def _run(**options) -> str:
    out = StringIO()
    call_command("apply_retention", today=TODAY.isoformat(), stdout=out, **options)
    return out.getvalue()


def test_a_case_closed_long_ago_is_anonymised_and_its_old_name_matches_nothing(cases):
    old = cases["old"]
    probe = _probe("Zebedee", "Quixwort", date(1996, 2, 14))
    old_keys = keys_for(Child.objects.get(pk=probe.pk))
    assert old in [found.child for found in candidates_for(probe)]  # the search can find it

    output = _run()

    old.refresh_from_db()
    assert "Anonymised records of 1 children" in output
    assert (old.given_name, old.family_name, old.nhs_number, old.other_names) == (
        "Anonymised",
        "Child",
        "",
        [],
    )
    assert old.date_of_birth == date(1996, 2, 1) and old.date_of_birth_is_approximate
    # What reports count is kept.
    assert old.pseudonym_code and old.sex and old.ethnicity and old.locality_id
    assert old.plans.get().outcome == "goals_met"
    assert old.plans.get().closed_on == date(2010, 5, 4)
    address = Address.objects.get(child=old)
    assert (address.line_1, address.postcode) == ("Removed", "")
    member = HouseholdMember.objects.get(child=old)
    assert (member.full_name, member.telephone) == ("Removed", "")
    text = all_text(old)
    for name in ("Zebedee", "Quixwort", "Philippa", "Marsh", "Marmalade", "9434765919"):
        assert name not in text, name
    assert retention.REMOVED_TEXT in text
    minutes = old.agenda_items.get().meeting.minutes
    assert "Zebedee" not in minutes.text and old.reference in minutes.text
    # No search by the old name finds the record any more.
    assert not MatchKey.objects.filter(child=old, key__in=old_keys).exists()
    assert old not in [found.child for found in candidates_for(probe)]
    assert set(
        RetentionApplied.objects.filter(child=old).values_list("record_type", flat=True)
    ) == set(retention.CASE_TYPES)
    entry = AuditEntry.objects.filter(target_id=str(old.pk), verb="update").latest("id")
    assert entry.purpose == "Anonymised after the retention period"
    run = AnonymisationRun.objects.get()
    assert [c["reference"] for c in run.report["children"]] == [old.reference]
    assert run.report["counts"][RecordType.CLOSED_CASE] > 0
    assert "Zebedee" not in str(run.report)


def test_a_recent_closure_and_an_open_case_are_untouched(cases):
    before = {key: all_text(child) for key, child in cases.items() if key != "old"}

    _run()

    for key in ("recent", "open"):
        child = Child.objects.get(pk=cases[key].pk)
        assert child.given_name != "Anonymised"
        assert all_text(child) == before[key]
    assert retention.open_reasons(cases["open"]) == ["an open integrated support plan"]
    assert retention.open_reasons(cases["recent"]) == []


def test_a_dry_run_changes_nothing_but_reports_what_it_would_do(cases):
    before = all_text(cases["old"])
    keys = set(MatchKey.objects.filter(child=cases["old"]).values_list("key", flat=True))

    output = _run(dry_run=True)

    assert "Would anonymise records of 1 children" in output
    assert all_text(Child.objects.get(pk=cases["old"].pk)) == before
    assert set(MatchKey.objects.filter(child=cases["old"]).values_list("key", flat=True)) == keys
    assert not RetentionApplied.objects.exists()
    run = AnonymisationRun.objects.get()
    assert run.dry_run and run.report["children"][0]["reference"] == cases["old"].reference


def test_running_twice_does_nothing_the_second_time(cases):
    retention_apply(today=TODAY)
    after_first = all_text(Child.objects.get(pk=cases["old"].pk))

    second = retention_apply(today=TODAY)

    assert second.report["children"] == []
    assert all_text(Child.objects.get(pk=cases["old"].pk)) == after_first


def test_a_failure_on_one_child_is_reported_and_the_others_go_on(cases, monkeypatch):
    other = build_case(
        given_name="Wilhelmina",
        family_name="Ashdown",
        born=date(1995, 1, 1),
        happened_on=date(2009, 1, 1),
        carer="Hester Ashdown",
    )
    real = retention.ANONYMISERS[RecordType.PLAN]

    def broken(child, names):
        if child.pk == cases["old"].pk:
            raise RuntimeError("disk full")
        return real(child, names)

    monkeypatch.setitem(retention.ANONYMISERS, RecordType.PLAN, broken)

    run = retention_apply(today=TODAY)

    assert run.report["failures"] == [
        {"reference": cases["old"].reference, "error": "RuntimeError"}
    ]
    assert Child.objects.get(pk=cases["old"].pk).given_name == "Zebedee"  # rolled back whole
    assert not RetentionApplied.objects.filter(child=cases["old"]).exists()
    assert Child.objects.get(pk=other.pk).given_name == "Anonymised"


def test_a_kind_of_record_with_a_shorter_period_goes_first(cases):
    from joinedup.records.models import RetentionPeriod

    RetentionPeriod.objects.filter(record_type=RecordType.ASSESSMENT).update(
        months=1, until_age=None
    )

    run = retention_apply(today=TODAY)

    recent = Child.objects.get(pk=cases["recent"].pk)
    assert recent.given_name == "Ottoline"  # the identity is kept
    assert recent.assessments.get().protective_factors == retention.REMOVED_TEXT
    assert any(
        c["reference"] == recent.reference and c["record_types"] == [RecordType.ASSESSMENT]
        for c in run.report["children"]
    )


def test_old_notifications_are_deleted(db):
    user = UserFactory()
    old = Notification.objects.create(recipient=user, text="Old", kind="t", dedupe_key="a")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2024, 1, 1))
    )
    Notification.objects.create(recipient=user, text="New", kind="t", dedupe_key="b")

    run = retention_apply(today=TODAY)

    assert run.report["notifications_deleted"] == 1
    assert list(Notification.objects.values_list("text", flat=True)) == ["New"]


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("apply_retention", today="31/12/2030")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 15), 12, date(2025, 3, 15)),
        (date(2024, 3, 15), -3, date(2023, 12, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert retention.add_months(day, months) == expected


def test_a_record_merged_into_the_child_is_anonymised_with_them(cases):
    old = cases["old"]
    merged = ChildFactory(given_name="Zeb", family_name="Quixwort", merged_into=old)

    retention_apply(today=TODAY)

    merged.refresh_from_db()
    assert (merged.given_name, merged.family_name) == ("Anonymised", "Child")
    assert not MatchKey.objects.filter(child=merged).exists()


def test_a_transfer_waiting_for_an_answer_keeps_the_case_open(cases):
    old = cases["old"]
    TransferFactory(child=old, from_referral=old.referrals.get())

    _run()

    old.refresh_from_db()
    assert old.given_name == "Zebedee"
    assert retention.open_reasons(old) == ["a transfer to another panel waiting for an answer"]


def test_after_anonymisation_no_search_by_the_old_name_finds_the_child(cases):
    old = cases["old"]
    # The case was referred to the panel that discussed it; its coordinator searches.
    panel = old.agenda_items.get().meeting.panel
    old.referrals.update(panel=panel)
    coordinator = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)

    def found(text: str) -> list[Child]:
        criteria = search.Criteria.from_text(text)
        return [match.child for match in search.find(viewer=coordinator, criteria=criteria).found]

    assert old in found("Zebedee Quixwort")

    _run()

    for text in ("Zebedee Quixwort", "Zebedee", "Quixwort", "Zebedee Oldname", "Zebedy Quixwort"):
        assert old not in found(text), text
    # The record itself remains, anonymised: its reference still finds it.
    assert found(old.reference) == [old]
