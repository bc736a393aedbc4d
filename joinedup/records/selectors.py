from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone

from joinedup.children.models import Child
from joinedup.core import audit
from joinedup.records.models import (
    AnonymisationRun,
    RecordType,
    Rectification,
    Restriction,
    RetentionPeriod,
    SarStatus,
    SubjectAccessRequest,
)

RUNS_SHOWN = 50


@audit.audit_exempt(reason="Retention periods are settings of the partnership, not personal data.")
def retention_periods(*, viewer: Any) -> list[RetentionPeriod]:
    order = {value: position for position, value in enumerate(RecordType.values)}
    return sorted(RetentionPeriod.objects.all(), key=lambda p: order.get(p.record_type, 99))


@audit.audit_exempt(reason="Retention periods are settings of the partnership, not personal data.")
def retention_period(*, viewer: Any, record_type: str) -> RetentionPeriod:
    period = RetentionPeriod.objects.filter(record_type=record_type).first()
    if period is None:
        raise Http404("No retention period for this kind of record.")
    return period


@audit.audit_exempt(reason="A run's report names children by reference and pseudonym only.")
def runs(*, viewer: Any) -> list[AnonymisationRun]:
    return list(AnonymisationRun.objects.all()[:RUNS_SHOWN])


@audit.audit_exempt(reason="A run's report names children by reference and pseudonym only.")
def run_detail(*, viewer: Any, run_id: Any) -> AnonymisationRun:
    run = AnonymisationRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404("No such retention run.")
    return run


@audit.audited_read(fields=("child", "requester_name", "received_on", "due_on", "status"))
def sar_list(*, viewer: Any) -> list[SubjectAccessRequest]:
    """Overdue requests first (due date passed, nothing released, refused or withdrawn), the
    longest overdue at the top; then the rest, latest due date first. One query."""
    overdue = Q(status=SarStatus.OPEN, due_on__lt=timezone.localdate())
    return list(
        SubjectAccessRequest.objects.select_related("child")
        .annotate(
            overdue=Case(
                When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("overdue", Case(When(overdue, then=F("due_on"))), "-due_on", "-created_at")
    )


@audit.audited_read(fields=("child", "requester_name", "received_on", "due_on", "notes"))
def sar_detail(*, viewer: Any, sar_id: Any) -> SubjectAccessRequest:
    request = (
        SubjectAccessRequest.objects.select_related("child", "recorded_by", "concluded_by")
        .filter(pk=sar_id)
        .first()
    )
    if request is None:
        raise Http404("No such subject access request.")
    return request


@audit.audited_read(fields=("pseudonym", "rectifications", "restrictions", "household"))
def child_rights(*, viewer: Any, reference: str) -> Child:
    """The child by reference and pseudonym, with the corrections and restrictions recorded;
    the pages show no name (an officer sees the record itself only in a subject access
    export, which is audited as such)."""
    child = (
        Child.objects.prefetch_related(
            Prefetch(
                "rectifications",
                queryset=Rectification.objects.select_related("recorded_by", "household_member"),
            ),
            "household",
            Prefetch(
                "restrictions",
                queryset=Restriction.objects.select_related("started_by", "lifted_by"),
            ),
        )
        .filter(reference=reference.strip().upper(), merged_into__isnull=True)
        .first()
    )
    if child is None:
        raise Http404("No child record with this reference.")
    return child


@audit.audit_exempt(reason="Answers yes or no; reads no record's contents.")
def child_exists(*, viewer: Any, reference: str) -> bool:
    return Child.objects.filter(reference=reference, merged_into__isnull=True).exists()
