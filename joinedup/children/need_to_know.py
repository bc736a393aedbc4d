"""The one place that decides who may see which child's identity (DESIGN.md, rule 1).

A person sees a child's identifying details only while they are in the team around that
child: an involvement of theirs with the child that has not ended. Everyone else whose role
lets them work with children sees the pseudonym, age band and locality only. Later issues add
the panel coordinator of the child's panel, panel members while the case is on an agenda with
consent, and break-glass access, here and nowhere else.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.children.models import Child, Involvement


def current_involvements() -> QuerySet[Involvement]:
    today = timezone.localdate()
    return Involvement.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))


def children_identified_to(viewer: Any) -> QuerySet[Child]:
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Child.objects.none()
    return Child.objects.filter(pk__in=current_involvements().filter(worker=viewer).values("child"))


def sees_identity(viewer: Any, child: Child) -> bool:
    return children_identified_to(viewer).filter(pk=child.pk).exists()
