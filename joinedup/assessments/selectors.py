"""Reads of assessments and "Over to You", each for someone who sees the child's identity (need
to know) and each recorded in the audit trail. Anyone else gets 404, as if the child were not
there, and never the child's name."""

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from joinedup.assessments.models import Assessment, DomainRating, OverToYou
from joinedup.children.models import Child, HouseholdMember
from joinedup.children.need_to_know import children_identified_to
from joinedup.core import audit
from joinedup.organisations.models import Organisation

_NOT_FOUND = "No child record you may see with this reference."


def _child_for(viewer: Any, reference: str) -> Child:
    child = children_identified_to(viewer).filter(reference=reference.upper()).first()
    if child is None:
        raise Http404(_NOT_FOUND)
    return child


@audit.audited_read(fields=("given_name", "family_name", "preferred_name", "household"))
def assessment_child(*, viewer: Any, reference: str) -> Child:
    """The child, with their household (a parent's "Over to You" names who filled it in)."""
    child = _child_for(viewer, reference)
    return Child.objects.prefetch_related(
        Prefetch("household", queryset=HouseholdMember.objects.order_by("full_name"))
    ).get(pk=child.pk)


def _assessments(child: Child) -> Any:
    return Assessment.objects.filter(child=child).select_related(
        "child", "assessed_by", "organisation", "completed_by", "last_saved_by"
    )


def _with_ratings(assessments: Any) -> Any:
    return assessments.prefetch_related(
        Prefetch(
            "ratings",
            queryset=DomainRating.objects.select_related("domain").order_by(
                "domain__order", "domain__name"
            ),
        )
    )


@audit.audited_read(fields=("assessment",))
def assessments_of(*, viewer: Any, reference: str) -> list[Assessment]:
    """Every version of the child's assessment, newest first, each with how many of its
    domains are rated."""
    return list(
        _assessments(_child_for(viewer, reference))
        .annotate(
            domains_total=Count("ratings"),
            domains_rated=Count("ratings", filter=Q(ratings__rating__isnull=False)),
        )
        .order_by("-version")
    )


@audit.audited_read(fields=("assessment",))
def assessment_detail(*, viewer: Any, reference: str, assessment_id: Any) -> Assessment:
    """One version with its ratings and the views kept with it; 404 for another child's."""
    views = OverToYou.objects.select_related("household_member", "recorded_by")
    assessment = (
        _with_ratings(_assessments(_child_for(viewer, reference)))
        .prefetch_related(Prefetch("views", queryset=views))
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment for this child.")
    return assessment


@audit.audited_read(fields=("assessment",))
def assessments_compared(
    *, viewer: Any, reference: str, earlier_id: Any, later_id: Any
) -> list[Assessment]:
    """Two versions of the child's assessment, earlier first, with their ratings."""
    found = {
        assessment.pk: assessment
        for assessment in _with_ratings(_assessments(_child_for(viewer, reference))).filter(
            pk__in=[earlier_id, later_id]
        )
    }
    if earlier_id not in found or later_id not in found:
        raise Http404("No such assessment for this child.")
    return [found[earlier_id], found[later_id]]


@audit.audited_read(fields=("over_to_you",))
def over_to_you_of(*, viewer: Any, reference: str) -> list[OverToYou]:
    """The child's and their parents' "Over to You", newest first."""
    return list(
        OverToYou.objects.filter(child=_child_for(viewer, reference)).select_related(
            "household_member", "assessment"
        )
    )


@audit.audited_read(fields=("over_to_you",))
def over_to_you_detail(*, viewer: Any, reference: str, response_id: Any) -> OverToYou:
    view = (
        OverToYou.objects.filter(child=_child_for(viewer, reference), pk=response_id)
        .select_related("child", "household_member", "recorded_by", "assessment")
        .first()
    )
    if view is None:
        raise Http404("No such Over to You for this child.")
    return view


@audit.audit_exempt(reason="The viewer's own organisations; no child's data.")
def organisations_of(*, viewer: Any) -> list[Organisation]:
    """The organisations the viewer holds a role in now: those they can assess for."""
    seen: dict[Any, Organisation] = {}
    for membership in viewer.active_memberships().order_by("organisation__name"):
        seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())
