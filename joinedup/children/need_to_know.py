"""The one place that decides who may see which child's identity (DESIGN.md, rule 1).

A person sees a child's identifying details only while they are in the team around that
child (an involvement of theirs with the child that has not ended), or while they coordinate
the panel a referral of the child was sent to: the coordinator has to read a referral to
settle who the child is and to prepare the panel. That lasts until the panel hands the case to
another panel by an accepted transfer (joinedup.transfers.rules.handed_over): the child is then
the receiving panel's, whose new referral brings its coordinators in. A designated
safeguarding lead sees the identity of a child while a safeguarding concern about the child
that was routed to them is open, and while they still hold the role: they have to act on it.
Everyone else whose role lets them work with children sees the pseudonym, age band and locality
only. Later issues add panel members while the case is on an agenda with consent, and
break-glass access, here and nowhere else.

A record merged into another is never shown: its reference leads to the surviving record.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.children.models import Child, Involvement


def current_involvements() -> QuerySet[Involvement]:
    today = timezone.localdate()
    return Involvement.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))


def children_identified_to(viewer: Any, *, among: list[Any] | None = None) -> QuerySet[Child]:
    """The children whose identity `viewer` may see; `among`: only these children's ids are
    asked about, which lets the database look at their rows alone."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Child.objects.none()
    # Imported here: referrals and panels build on children, not the other way round.
    from joinedup.accounts.models import Membership
    from joinedup.core.roles import Role
    from joinedup.panels.models import PanelMember
    from joinedup.referrals.models import Referral
    from joinedup.safeguarding.models import ConcernRecipient
    from joinedup.transfers.rules import handed_over

    in_team = current_involvements().filter(worker=viewer).values("child")
    referred_to_their_panels = (
        Referral.objects.filter(panel__in=PanelMember.objects.panels_coordinated_by(viewer))
        .exclude(handed_over())
        .values("child")
    )
    open_concerns_routed_to_them = ConcernRecipient.objects.filter(
        lead=viewer,
        lead__in=Membership.objects.active()
        .filter(user=viewer, role=Role.SAFEGUARDING_LEAD)
        .values("user"),
        concern__closed_at__isnull=True,
        concern__child__isnull=False,
    ).values("concern__child")
    if among is not None:
        in_team = in_team.filter(child__in=among)
        referred_to_their_panels = referred_to_their_panels.filter(child__in=among)
        open_concerns_routed_to_them = open_concerns_routed_to_them.filter(concern__child__in=among)
    return Child.objects.filter(
        Q(pk__in=in_team)
        | Q(pk__in=referred_to_their_panels)
        | Q(pk__in=open_concerns_routed_to_them),
        merged_into__isnull=True,
    )


def sees_identity(viewer: Any, child: Child) -> bool:
    return children_identified_to(viewer).filter(pk=child.pk).exists()


def identities_seen(viewer: Any, child_ids: Iterable[Any]) -> set[Any]:
    """Which of these children `viewer` sees by name, in one query: for pages that show many
    children at once, such as a panel pack, so the answer never costs a query per child."""
    among = list(child_ids)
    if not among:
        return set()
    return set(
        children_identified_to(viewer, among=among)
        .filter(pk__in=among)
        .values_list("pk", flat=True)
    )
