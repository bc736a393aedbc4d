"""Marking a flag as looked at, undoing it, and the settings: audited, validated, and only for
a coordinator of the child's panel."""

import pytest

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.tracking import selectors, services
from joinedup.tracking.models import FlagKind, FlagLook, TrackingSettings
from tests.conftest import make_person
from tests.factories import OrganisationFactory
from tests.tracking.builders import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _waiting_child(world, days=100):
    child = world.child()
    world.refer(child, days=days)
    return child


def _quiet(viewer):
    return {
        (row.child.pk, f.kind)
        for row in selectors.flag_board(viewer=viewer).quiet
        for f in row.flags
    }


def test_a_looked_at_flag_goes_quiet_and_is_audited(world):
    child = _waiting_child(world)

    look = services.flag_look(
        actor=world.coordinator,
        child=child,
        kind=FlagKind.GAP,
        note="Family on holiday; school has it",
    )

    assert (child.pk, FlagKind.GAP) in _quiet(world.coordinator)
    assert selectors.flag_counts(viewer=world.coordinator)["gap"] == 0
    entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(child.pk))
    assert entry.fields == ["flag_looked_at"]
    assert entry.detail == {"kind": "gap", "look": str(look.pk)}
    assert "holiday" not in str(entry.detail)


def test_something_new_makes_a_quiet_flag_shout_again(world):
    child = world.child()
    world.refer(child, days=100)
    world.refer(child, days=50)
    services.flag_look(actor=world.coordinator, child=child, kind=FlagKind.REPEAT, note="Known")
    assert (child.pk, FlagKind.REPEAT) in _quiet(world.coordinator)

    world.refer(child, by=OrganisationFactory(), days=1)

    board = selectors.flag_board(viewer=world.coordinator)
    shouting = {(row.child.pk, f.kind): f for row in board.rows for f in row.flags}
    assert shouting[(child.pk, FlagKind.REPEAT)].look is not None  # the note still shows


def test_undo_makes_the_flag_need_a_look_again_and_keeps_the_row(world):
    child = _waiting_child(world)
    services.flag_look(actor=world.coordinator, child=child, kind=FlagKind.GAP, note="Seen")

    services.flag_look_undo(actor=world.coordinator, child=child, kind=FlagKind.GAP)

    assert _quiet(world.coordinator) == set()
    look = FlagLook.objects.get()
    assert look.undone_by == world.coordinator
    assert AuditEntry.objects.filter(verb=AuditVerb.UPDATE, target_id=str(child.pk)).exists()
    with pytest.raises(services.TrackingError) as error:
        services.flag_look_undo(actor=world.coordinator, child=child, kind=FlagKind.GAP)
    assert error.value.field == "kind"


def test_looking_again_replaces_the_earlier_look(world):
    child = _waiting_child(world)
    services.flag_look(actor=world.coordinator, child=child, kind=FlagKind.GAP, note="First")
    services.flag_look(actor=world.coordinator, child=child, kind=FlagKind.GAP, note="Second")

    assert FlagLook.objects.filter(undone_at__isnull=True).get().note == "Second"
    assert FlagLook.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "note", "field"),
    [
        (FlagKind.GAP, "", "note"),
        (FlagKind.GAP, "   ", "note"),
        (FlagKind.GAP, "x" * 2001, "note"),
        ("sideways", "Seen", "kind"),
        (FlagKind.OVERLAP, "Seen", "kind"),  # no such flag on the child
    ],
)
def test_bad_looks_are_refused_naming_the_field_and_nothing_is_saved(world, kind, note, field):
    child = _waiting_child(world)

    with pytest.raises(services.TrackingError) as error:
        services.flag_look(actor=world.coordinator, child=child, kind=kind, note=note)

    assert error.value.field == field
    assert not FlagLook.objects.exists()
    assert not AuditEntry.objects.filter(verb=AuditVerb.CREATE).exists()


def test_only_a_coordinator_of_the_childs_panel_marks_a_flag(world):
    child = _waiting_child(world)
    other = make_world()

    for actor in (other.coordinator, world.keyworker):
        with pytest.raises(services.TrackingError):
            services.flag_look(actor=actor, child=child, kind=FlagKind.GAP, note="Seen")
    assert not FlagLook.objects.exists()


def test_settings_are_validated_and_audited(world):
    row = services.settings_change(
        actor=world.coordinator, panel=world.panel, gap_weeks=8, repeat_agencies=3, repeat_months=6
    )
    assert (row.gap_weeks, row.repeat_agencies, row.repeat_months) == (8, 3, 6)
    assert AuditEntry.objects.filter(target_id=str(row.pk), verb=AuditVerb.CREATE).exists()

    services.settings_change(
        actor=world.coordinator, panel=None, gap_weeks=4, repeat_agencies=2, repeat_months=12
    )
    assert TrackingSettings.objects.get(for_partnership=True).gap_weeks == 4

    for values, field in (
        ({"gap_weeks": 0}, "gap_weeks"),
        ({"gap_weeks": "six"}, "gap_weeks"),
        ({"repeat_agencies": 1}, "repeat_agencies"),
        ({"repeat_months": 37}, "repeat_months"),
    ):
        answers = {"gap_weeks": 6, "repeat_agencies": 2, "repeat_months": 12, **values}
        with pytest.raises(services.TrackingError) as error:
            services.settings_change(actor=world.coordinator, panel=world.panel, **answers)
        assert error.value.field == field
    assert TrackingSettings.objects.get(panel=world.panel).gap_weeks == 8


def test_only_the_panels_coordinator_changes_its_settings(world):
    other = make_world()
    for actor in (other.coordinator, make_person(Role.KEYWORKER)):
        with pytest.raises(services.TrackingError):
            services.settings_change(
                actor=actor, panel=world.panel, gap_weeks=8, repeat_agencies=2, repeat_months=12
            )
    assert not TrackingSettings.objects.exists()
