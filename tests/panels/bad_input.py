"""The meeting pages' rows of the bad-input table (tests/accounts/test_bad_input.py): a panel
at a meeting that started an hour ago, everyone present, made only when a row asks for it.
`world` is that module's World."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.panels import minutes
from joinedup.panels.models import (
    Attendance,
    Decision,
    Declaration,
    Minutes,
    PrioritisationRule,
    QuorumRule,
)
from tests.conftest import sign_in_client
from tests.panels.meeting_world import SEAT_IDS, MeetingWorld, meeting_world

SEAT_FIELDS = tuple(
    f"seat_{SEAT_IDS[name]}" for name in ("coordinator", "chair", "police", "school")
)


def _meeting(world: Any) -> MeetingWorld:
    if not hasattr(world, "meeting_world"):
        built = meeting_world(fixed_ids=True)
        built.everyone_present()
        world.meeting_world = built
    return world.meeting_world


def _as_coordinator(world: Any, url_name: str, **kwargs: Any) -> str:
    sign_in_client(world.client, _meeting(world).coordinator)
    return reverse(url_name, kwargs=kwargs)


def attendance_page(world: Any) -> str:
    return _as_coordinator(world, "panels:attendance_record", meeting_id=_meeting(world).meeting.pk)


def attendance_answers(world: Any) -> dict[str, Any]:
    return dict.fromkeys(SEAT_FIELDS, "present")


def attendance_as_saved(world: Any) -> Any:
    return sorted(Attendance.objects.values_list("member_id", "status", "deputy_id"))


def declaration_page(world: Any) -> str:
    return _as_coordinator(world, "panels:declaration_add", meeting_id=_meeting(world).meeting.pk)


def declaration_answers(world: Any) -> dict[str, Any]:
    built = _meeting(world)
    return {
        "member": str(built.seats["school"].pk),
        "item": str(built.items[0].pk),
        "interest": "Neighbour of the family",
    }


def declaration_count(world: Any) -> int:
    return Declaration.objects.count()


def decision_page(world: Any) -> str:
    return _as_coordinator(world, "panels:decision_record", item_id=_meeting(world).items[0].pk)


def decision_answers(world: Any) -> dict[str, Any]:
    return {
        "outcome": "no_further_action",
        "rationale": "Settled at home.",
        "signpost_to": "",
        "deferred_to": "",
        "defer_reason": "",
        "against_rule_reason": "",
        "correction_reason": "",
        "version": "",
    }


def decision_count(world: Any) -> int:
    return Decision.objects.count()


def _draft(world: Any) -> Minutes:
    built = _meeting(world)
    if not hasattr(world, "minutes_draft"):
        world.minutes_draft = minutes.minutes_generate(
            actor=built.coordinator, meeting=built.meeting
        )
    return world.minutes_draft


def minutes_edit_page(world: Any) -> str:
    _draft(world)
    return _as_coordinator(world, "panels:minutes_edit", meeting_id=_meeting(world).meeting.pk)


def minutes_edit_answers(world: Any) -> dict[str, Any]:
    draft = _draft(world)
    return {"text": draft.text + "Any other business: none.", "revision": str(draft.revision)}


def minutes_as_saved(world: Any) -> Any:
    return Minutes.objects.values_list("text", "revision", "approved_at").get()


def minutes_approve_page(world: Any) -> str:
    _draft(world)
    later = _meeting(world).next_meeting
    later.starts_at = timezone.now() - timedelta(minutes=5)
    later.save()
    return _as_coordinator(world, "panels:minutes_approve", meeting_id=later.pk)


def minutes_approve_answers(world: Any) -> dict[str, Any]:
    return {"minutes": str(_draft(world).pk)}


def quorum_page(world: Any) -> str:
    return _as_coordinator(world, "panels:quorum_rule", slug=_meeting(world).panel.slug)


def quorum_answers(world: Any) -> dict[str, Any]:
    return {
        "minimum_members": "3",
        "minimum_agencies": "2",
        "chair_required": "yes",
        "delegated_authority_required": "no",
    }


def quorum_as_saved(world: Any) -> Any:
    return list(QuorumRule.objects.values_list("minimum_members", "minimum_agencies"))


def prioritisation_page(world: Any) -> str:
    return _as_coordinator(world, "panels:prioritisation_rule", slug=_meeting(world).panel.slug)


def prioritisation_answers(world: Any) -> dict[str, Any]:
    return {
        "minimum_agencies": "3",
        "parents_concerned_qualifies": "yes",
        "minimum_risk_factors": "4",
        "risk_rating_from": "2",
        "change_summary": "The partnership agreed three agencies",
    }


def prioritisation_count(world: Any) -> int:
    return PrioritisationRule.objects.count()
