"""Reads of consent, each for someone who sees the child's identity (need to know) and each
recorded in the audit trail. Anyone else gets 404, as if the child were not there."""

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from joinedup.children.models import Child, HouseholdMember
from joinedup.children.need_to_know import sees_identity
from joinedup.consent.models import ChildView, ConsentRecord
from joinedup.core import audit


def _child_for(viewer: Any, reference: str) -> Child:
    child = Child.objects.filter(reference=reference.upper()).first()
    if child is None or not sees_identity(viewer, child):
        raise Http404("No child record you may see with this reference.")
    return child


@audit.audited_read(fields=("given_name", "family_name", "preferred_name", "household"))
def consent_child(*, viewer: Any, reference: str) -> Child:
    """The child, with the parents and carers who may give consent, for the consent pages."""
    child = _child_for(viewer, reference)
    return (
        Child.objects.prefetch_related(
            Prefetch("household", queryset=HouseholdMember.objects.order_by("full_name"))
        )
        .select_related("locality")
        .get(pk=child.pk)
    )


def _records(child: Child) -> Any:
    return ConsentRecord.objects.filter(child=child).select_related(
        "household_member", "organisation", "recorded_by", "withdrawn_by"
    )


@audit.audited_read(fields=("consent",))
def consent_records(*, viewer: Any, reference: str) -> list[ConsentRecord]:
    return list(_records(_child_for(viewer, reference)))


@audit.audited_read(fields=("consent",))
def consent_record_detail(*, viewer: Any, reference: str, record_id: Any) -> ConsentRecord:
    record = _records(_child_for(viewer, reference)).filter(pk=record_id).first()
    if record is None:
        raise Http404("No such consent record for this child.")
    return record


@audit.audited_read(fields=("signed_form",))
def signed_form(*, viewer: Any, reference: str, record_id: Any) -> ConsentRecord:
    """The record whose signed form is being downloaded; 404 if it has none."""
    record = _records(_child_for(viewer, reference)).filter(pk=record_id).first()
    if record is None or not record.signed_form:
        raise Http404("No signed form for this consent record.")
    return record


@audit.audited_read(fields=("child_view",))
def child_views(*, viewer: Any, reference: str) -> list[ChildView]:
    child = _child_for(viewer, reference)
    return list(ChildView.objects.filter(child=child).select_related("recorded_by"))
