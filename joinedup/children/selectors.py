from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from joinedup.children.models import Address, Child, HouseholdMember, Involvement
from joinedup.children.need_to_know import children_identified_to, current_involvements
from joinedup.children.services import IDENTIFYING_FIELDS
from joinedup.core import audit
from joinedup.core.models import AuditVerb


@dataclass(frozen=True)
class PseudonymousChild:
    """What someone outside the team around a child may know: nothing that identifies."""

    pseudonym: str
    age_band: str
    locality: str


@audit.audited_read(fields=("given_name", "family_name", "date_of_birth", "locality"))
def caseload(*, viewer: Any) -> list[Child]:
    """The children the viewer works with now, with who else is involved."""
    return list(
        children_identified_to(viewer)
        .select_related("locality", "school")
        .prefetch_related(
            Prefetch(
                "involvements",
                queryset=current_involvements().select_related("organisation", "worker"),
                to_attr="current_involvements",
            )
        )
        .order_by("family_name", "given_name")
    )


@audit.audited_read(fields=(*IDENTIFYING_FIELDS, "addresses", "household", "involvements"))
def child_identified(*, viewer: Any, reference: str, purpose: str = "") -> Child:
    """The whole record, for someone in the team around the child; 404 for anyone else."""
    children = (
        children_identified_to(viewer)
        .select_related("locality", "school")
        .prefetch_related(
            Prefetch("addresses", queryset=Address.objects.select_related("locality")),
            "household",
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("organisation", "worker"),
            ),
            "referrals__referring_organisation",
            "referrals__panel",
        )
    )
    child = children.filter(reference=reference).first()
    if child is None:
        raise Http404("No child record you may see with this reference.")
    return child


@audit.audited_read(fields=("given_name", "family_name", "preferred_name"))
def household_child(*, viewer: Any, reference: str) -> Child:
    """The child, for the page that adds a parent, carer or household member; 404 for anyone
    outside the team around the child."""
    child = children_identified_to(viewer).filter(reference=reference.upper()).first()
    if child is None:
        raise Http404("No child record you may see with this reference.")
    return child


@audit.audited_read(fields=("household",))
def household_member_detail(*, viewer: Any, reference: str, member_id: Any) -> HouseholdMember:
    """One member of the child's household, with the child; 404 for anyone outside the team
    around the child, and for a member of another child's household."""
    member = (
        HouseholdMember.objects.select_related("child")
        .filter(
            pk=member_id,
            child__in=children_identified_to(viewer),
            child__reference=reference.upper(),
        )
        .first()
    )
    if member is None:
        raise Http404("No such parent, carer or household member for this child.")
    return member


@audit.audit_exempt(
    reason="Returns only the pseudonym, age band and locality; records that read itself."
)
def child_pseudonymised(*, viewer: Any, reference: str) -> PseudonymousChild:
    child = Child.objects.select_related("locality").filter(reference=reference).first()
    if child is None:
        raise Http404("No child record with this reference.")
    audit.record(
        actor=viewer,
        verb=AuditVerb.READ,
        target=child,
        fields=["pseudonym", "age_band", "locality"],
    )
    return PseudonymousChild(
        pseudonym=child.pseudonym,
        age_band=child.age_band,
        locality=child.locality.name if child.locality else "Not recorded",
    )


@audit.audit_exempt(reason="Answers yes or no for the viewer; reads no record's contents.")
def is_identified_to(*, viewer: Any, reference: str) -> bool:
    return children_identified_to(viewer).filter(reference=reference).exists()


@audit.audit_exempt(reason="Returns only another reference; reads no record's contents.")
def surviving_reference(*, reference: str) -> str | None:
    """For the reference of a record merged into another, the reference that now stands for
    the child (following merges of merges); None for any other reference."""
    child = Child.objects.filter(reference=reference, merged_into__isnull=False).first()
    if child is None:
        return None
    seen = {child.pk}
    while child.merged_into_id is not None:
        child = Child.objects.get(pk=child.merged_into_id)
        if child.pk in seen:
            break
        seen.add(child.pk)
    return child.reference
