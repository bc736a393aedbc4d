"""The plan pages' rows of the bad-input table (tests/accounts/test_bad_input.py): the records
each form needs, made only when a row asks for them. `world` is that module's World."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.consent.models import Scope
from joinedup.core.roles import Role
from joinedup.plans import services
from joinedup.plans.models import Goal, Intervention, Plan, Review
from tests.factories import ChildFactory, ConsentRecordFactory, ParentFactory, ReferralFactory


def _dates(name: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {f"{name}_day": today.day, f"{name}_month": today.month, f"{name}_year": today.year}


def _membership(world: Any) -> Any:
    return world.keyworker.memberships.get(role=Role.KEYWORKER)


def _child(world: Any) -> Any:
    """A child referred to the panel, whose mother agreed to contact by services and to
    sharing with the keyworker's organisation."""
    if not hasattr(world, "plan_child"):
        child = ChildFactory(given_name="Amina", family_name="Yusuf")
        mother = ParentFactory(child=child, full_name="Hodan Yusuf")
        ReferralFactory(child=child, panel=world.panel_world.panel)
        ConsentRecordFactory(child=child, household_member=mother, scope=Scope.CONTACT)
        ConsentRecordFactory(
            child=child,
            household_member=mother,
            scope=Scope.SHARE,
            organisation=_membership(world).organisation,
        )
        world.plan_child = child
    return world.plan_child


def _plan(world: Any) -> Plan:
    if not hasattr(world, "plan"):
        plan = services.plan_open(
            actor=None,
            child=_child(world),
            keyworker=world.keyworker,
            keyworker_organisation=_membership(world).organisation,
        )
        world.goal = services.goal_add(
            actor=None, plan=plan, revision=1, in_their_words="Go to football", said_by="child"
        )
        plan.refresh_from_db()
        world.plan = plan
    return world.plan


def _page(world: Any, url_name: str, **kwargs: Any) -> str:
    plan = _plan(world)
    on_plan = {"reference": plan.child.reference, "plan_id": plan.pk}
    url = reverse(url_name, kwargs={**on_plan, **kwargs})
    return str(world.as_persona("keyworker", url))


def start_page(world: Any) -> str:
    return str(world.as_coordinator("plans:plan_start", reference=_child(world).reference))


def start_answers(world: Any) -> dict[str, Any]:
    return {
        "keyworker": str(_membership(world).pk),
        **_dates("opened_on"),
        "contingency": "Call Hodan",
        "review_interval_weeks": "12",
    }


def plan_count(world: Any) -> int:
    return Plan.objects.count()


def edit_page(world: Any) -> str:
    return _page(world, "plans:plan_edit")


def edit_answers(world: Any) -> dict[str, Any]:
    plan = _plan(world)
    day = plan.next_review_on
    return {
        "revision": str(plan.revision),
        "keyworker": str(_membership(world).pk),
        "contingency": "Ring the duty team",
        "review_interval_weeks": "10",
        "next_review_on_day": day.day,
        "next_review_on_month": day.month,
        "next_review_on_year": day.year,
    }


def plan_as_saved(world: Any) -> tuple[Any, ...]:
    return tuple(
        Plan.objects.values_list(
            "revision", "status", "contingency", "review_interval_weeks", "next_review_on"
        ).get(pk=_plan(world).pk)
    )


def goal_add_page(world: Any) -> str:
    return _page(world, "plans:goal_add")


def goal_answers(world: Any) -> dict[str, Any]:
    return {
        "revision": str(_plan(world).revision),
        "in_their_words": "Be home by nine",
        "said_by": "family",
    }


def goal_edit_page(world: Any) -> str:
    _plan(world)
    return _page(world, "plans:goal_edit", goal_id=world.goal.pk)


def goal_edit_answers(world: Any) -> dict[str, Any]:
    return {**goal_answers(world), "status": "achieved", "position": "1"}


def goals_as_saved(world: Any) -> list[Any]:
    return list(Goal.objects.values_list("in_their_words", "said_by", "status", "position"))


def intervention_page(world: Any) -> str:
    return _page(world, "plans:intervention_add")


def intervention_answers(world: Any) -> dict[str, Any]:
    _plan(world)
    return {
        "revision": str(_plan(world).revision),
        "service": "Mentoring",
        "purpose": "mentoring",
        "provider_organisation": "",
        "provider_name": "Easton Youth Project",
        **_dates("starts_on"),
        "frequency": "Every Tuesday",
        "status": "planned",
        "stopped_reason": "",
        "goals": [str(world.goal.pk)],
    }


def intervention_count(world: Any) -> int:
    return Intervention.objects.count()


def review_page(world: Any) -> str:
    return _page(world, "plans:review_add")


def review_answers(world: Any) -> dict[str, Any]:
    _plan(world)
    return {
        "revision": str(_plan(world).revision),
        **_dates("held_on"),
        f"progress_{world.goal.pk}": "2",
        f"words_{world.goal.pk}": "Went twice",
        "child_view": "It is OK",
        "family_view": "Calmer",
        "assessment": "",
        "next_review_on_day": "",
        "next_review_on_month": "",
        "next_review_on_year": "",
    }


def review_count(world: Any) -> int:
    return Review.objects.count()


def close_page(world: Any) -> str:
    return _page(world, "plans:plan_close")


def close_answers(world: Any) -> dict[str, Any]:
    return {
        "revision": str(_plan(world).revision),
        **_dates("closed_on"),
        "outcome": "goals_met",
        "outcome_reason": "Back in school",
        "what_changed": "Attends every day",
        "child_view": "Happier",
        "family_view": "",
        "support_continuing": "",
        "follow_up_on_day": "",
        "follow_up_on_month": "",
        "follow_up_on_year": "",
    }
