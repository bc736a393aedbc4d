import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404

from joinedup.children import search, timeline
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
    return child.surviving_record().reference


@dataclass(frozen=True)
class Timeline:
    child: Child
    events: list[timeline.Event]


@audit.audit_exempt(
    reason="Records its own read of the child, naming the kinds of event shown; only for the "
    "team around the child (404 for anyone else)."
)
def child_timeline(
    *, viewer: Any, reference: str, kinds: Iterable[str] = (), oldest_first: bool = False
) -> Timeline:
    """Everything that happened for the child that this viewer may see, on one timeline."""
    child = (
        children_identified_to(viewer)
        .select_related("locality")
        .filter(reference=reference.upper())
        .first()
    )
    if child is None:
        raise Http404("No child record you may see with this reference.")
    events = timeline.events_for(child=child, viewer=viewer, kinds=kinds, oldest_first=oldest_first)
    audit.record(
        actor=viewer,
        verb=AuditVerb.READ,
        target=child,
        fields=["timeline", *sorted({event.kind for event in events})],
    )
    return Timeline(child=child, events=events)


@dataclass(frozen=True)
class SearchPage:
    page: Page[search.Found]
    total: int
    truncated: bool


def _terms_digest(criteria: search.Criteria) -> str:
    """A keyed digest of what was searched for: information governance can confirm whether a
    given search was made (by computing the digest of the terms they suspect) without the audit
    trail holding a child's name in clear."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, criteria.terms().encode(), hashlib.sha256).hexdigest()[:32]


@audit.audit_exempt(
    reason="Records the search itself (the kinds of criteria, a keyed digest of the terms and the "
    "number of results) and a read of each child on the page shown, with the fields shown."
)
def search_children(
    *, viewer: Any, criteria: search.Criteria, page: int | str = 1, per_page: int = 20
) -> SearchPage:
    """One page of the children the viewer may find with these criteria (search.find)."""
    results = search.find(viewer=viewer, criteria=criteria)
    current = Paginator(results.found, per_page).get_page(page)
    audit.record(
        actor=viewer,
        verb=AuditVerb.READ,
        fields=["child_search"],
        detail={
            "criteria": criteria.used(),
            "results": len(results.found),
            "truncated": results.truncated,
            "terms_digest": _terms_digest(criteria),
        },
    )
    for identified in (True, False):
        audit.record_reads(
            actor=viewer,
            targets=[f.child for f in current.object_list if f.identified == identified],
            fields=list(search.shown_fields(identified)),
            purpose="Search results",
        )
    return SearchPage(page=current, total=len(results.found), truncated=results.truncated)
