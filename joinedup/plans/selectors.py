"""Reads of integrated support plans, each for someone who sees the child's identity (the team
around the child: need to know) and each recorded in the audit trail. Anyone else gets 404, as
if the child were not there, and never the child's name."""

import uuid
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404

from joinedup.accounts.models import Membership
from joinedup.assessments.models import Assessment, AssessmentStatus
from joinedup.children.models import Child
from joinedup.children.need_to_know import children_identified_to, current_involvements
from joinedup.core import audit
from joinedup.core.roles import Role
from joinedup.directory.models import Service, ServiceStatus
from joinedup.directory.search import NAME_ORDER, with_every_word
from joinedup.organisations.models import Organisation
from joinedup.plans.models import (
    OPEN_INTERVENTIONS,
    Goal,
    GoalProgress,
    Intervention,
    Plan,
    PlanStatus,
    Review,
)

_NOT_FOUND = "No child record you may see with this reference."


def _child_for(viewer: Any, reference: str) -> Child:
    child = children_identified_to(viewer).filter(reference=reference.upper()).first()
    if child is None:
        raise Http404(_NOT_FOUND)
    return child


@audit.audited_read(fields=("given_name", "family_name", "preferred_name"))
def plan_child(*, viewer: Any, reference: str) -> Child:
    """The child, for the team around them; 404 for anyone else."""
    return _child_for(viewer, reference)


@audit.audited_read(fields=("plan",))
def plans_of(*, viewer: Any, reference: str) -> list[Plan]:
    """The child's plans, the open one first, then the closed ones newest first."""
    return list(
        Plan.objects.filter(child=_child_for(viewer, reference))
        .select_related("keyworker", "keyworker_organisation", "panel")
        .order_by("status", "-opened_on", "-created_at")
    )


def _with_everything(plans: Any) -> Any:
    goals = Goal.objects.order_by("position", "created_at")
    interventions = Intervention.objects.select_related(
        "provider_organisation", "directory_service"
    ).prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position")))
    reviews = Review.objects.select_related("recorded_by", "assessment").prefetch_related(
        Prefetch("progress", queryset=GoalProgress.objects.select_related("goal"))
    )
    return plans.select_related(
        "child",
        "keyworker",
        "keyworker_organisation",
        "panel",
        "last_saved_by",
        "closed_by",
        "opened_by",
    ).prefetch_related(
        Prefetch("goals", queryset=goals),
        Prefetch("interventions", queryset=interventions),
        Prefetch("reviews", queryset=reviews),
    )


@audit.audited_read(fields=("plan", "goals", "interventions", "reviews"))
def plan_detail(*, viewer: Any, reference: str, plan_id: Any) -> Plan:
    """One plan of the child with its goals, interventions and reviews; 404 for another
    child's plan or a child the viewer may not see."""
    plan = _with_everything(
        Plan.objects.filter(child=_child_for(viewer, reference), pk=plan_id)
    ).first()
    if plan is None:
        raise Http404("No such plan for this child.")
    return plan


@audit.audited_read(fields=("plan", "next_review_on", "interventions"))
def caseload(*, viewer: Any) -> list[Plan]:
    """The open plans the viewer leads as keyworker, soonest review first, each with the
    number of interventions still planned or going on and whether the viewer is in the team
    around the child (who alone sees the name). A fixed number of queries, however many."""
    in_team = current_involvements().filter(worker=viewer, child=OuterRef("child"))
    return list(
        Plan.objects.filter(keyworker=viewer, status=PlanStatus.OPEN)
        .select_related("child", "keyworker_organisation")
        .annotate(
            open_interventions=Count(
                "interventions", filter=Q(interventions__status__in=OPEN_INTERVENTIONS)
            ),
            in_team=Exists(in_team),
        )
        .order_by("next_review_on", "opened_on")
    )


@audit.audited_read(fields=("assessment",))
def review_assessments(*, viewer: Any, plan: Plan) -> list[Assessment]:
    """The child's completed reviews and final reviews of the assessment, newest first: those
    a plan review can link to."""
    if not children_identified_to(viewer).filter(pk=plan.child_id).exists():
        raise Http404(_NOT_FOUND)
    from joinedup.plans.services import REVIEW_KINDS

    return list(
        Assessment.objects.filter(
            child_id=plan.child_id, kind__in=REVIEW_KINDS, status=AssessmentStatus.COMPLETED
        ).order_by("-version")
    )


@audit.audit_exempt(reason="Who holds the keyworker role where: staff, never a child's data.")
def keyworkers() -> list[Membership]:
    """Everyone who may lead a plan now: each active keyworker role, with its organisation."""
    return list(
        Membership.objects.active()
        .filter(role=Role.KEYWORKER, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__full_name", "organisation__name")
    )


@audit.audit_exempt(reason="The list of partner organisations; no personal data.")
def providers() -> list[Organisation]:
    return list(Organisation.objects.filter(is_active=True).order_by("name"))


# The directory, for choosing the service a piece of support is -------------------------------

DIRECTORY_RESULTS = 10


def _directory_rows() -> Any:
    return Service.objects.select_related("provider", "provider__maintained_by").prefetch_related(
        "terms"
    )


@audit.audit_exempt(reason="The service directory is published for everyone; no personal data.")
def directory_services_matching(query: str, *, limit: int = DIRECTORY_RESULTS) -> list[Service]:
    """Services whose name, provider, description or needs hold every word of the query, by
    name; never one closed for good, which cannot be chosen."""
    if not query.split():
        return []
    services = with_every_word(_directory_rows().exclude(status=ServiceStatus.DEFUNCT), query)
    return list(services.order_by(*NAME_ORDER)[:limit])


@audit.audit_exempt(reason="The service directory is published for everyone; no personal data.")
def directory_services_by_id(ids: list[Any]) -> list[Service]:
    """The services with these ids, whatever their status (a support may stay linked to a
    service that has since closed); ids that are not UUIDs are left out."""
    keys = []
    for value in ids:
        try:
            keys.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return list(_directory_rows().filter(pk__in=keys)) if keys else []
