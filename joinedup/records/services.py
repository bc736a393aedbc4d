"""Every write of retention and rights: periods, the anonymisation run, subject access requests,
rectifications and restrictions. Information governance officers act here; the job acts as
the system (actor None)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.children.identifiers import nhs_number_is_valid, nhs_number_normalise
from joinedup.children.models import Child, Ethnicity, HouseholdMember, Relationship, Religion, Sex
from joinedup.children.services import (
    ChildRecordError,
    HouseholdMemberDetails,
    household_member_change,
    match_keys_refresh,
)
from joinedup.core import audit, rate_limits
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.notifications.models import Notification
from joinedup.records import retention, sar
from joinedup.records.defaults import DEFAULT_PERIODS
from joinedup.records.models import (
    MAX_RETENTION_MONTHS,
    MAX_UNTIL_AGE,
    MIN_UNTIL_AGE,
    AnonymisationRun,
    MemberRectifiableField,
    RecordType,
    RectifiableField,
    Rectification,
    ReleaseMethod,
    Requester,
    Restriction,
    RetentionApplied,
    RetentionPeriod,
    SarStatus,
    SubjectAccessRequest,
)

logger = logging.getLogger(__name__)


class RecordsError(FieldError):
    """A rule of retention or rights was broken; `field` names the form field at fault."""


def _required(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RecordsError(message, field=field)
    return value


# Retention periods


def retention_periods_ensure_defaults() -> None:
    """Put back the default period of any kind of record missing one (a database emptied by
    tests, an old demo); a period already set is left as it is."""
    for record_type, (months, until_age, why) in DEFAULT_PERIODS.items():
        RetentionPeriod.objects.get_or_create(
            record_type=record_type, defaults={"months": months, "until_age": until_age, "why": why}
        )


def retention_period_change(
    *, actor: Any, record_type: str, months: int, until_age: int | None, reason: str
) -> RetentionPeriod:
    if record_type not in RecordType.values:
        raise RecordsError("Choose a kind of record from the list", field="record_type")
    if not isinstance(months, int) or not 1 <= months <= MAX_RETENTION_MONTHS:
        raise RecordsError(
            f"Months must be a whole number from 1 to {MAX_RETENTION_MONTHS}", field="months"
        )
    if until_age is not None and not MIN_UNTIL_AGE <= until_age <= MAX_UNTIL_AGE:
        raise RecordsError(
            f"Age must be a whole number from {MIN_UNTIL_AGE} to {MAX_UNTIL_AGE}, or left empty",
            field="until_age",
        )
    reason = _required(reason, field="reason", message="Say why the period is changing")
    with transaction.atomic():
        period, _ = RetentionPeriod.objects.select_for_update().get_or_create(
            record_type=record_type, defaults={"months": months, "until_age": until_age}
        )
        before = {"months": period.months, "until_age": period.until_age}
        period.months, period.until_age = months, until_age
        period.changed_by = actor if getattr(actor, "is_authenticated", False) else None
        period.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=period,
            fields=["months", "until_age"],
            purpose=reason,
            detail={
                "record_type": record_type,
                "before": before,
                "after": {"months": months, "until_age": until_age},
            },
        )
    return period


# The anonymisation job


def _anonymise_one(child: Child, record_types: list[str], run: AnonymisationRun) -> Counter[str]:
    counts: Counter[str] = Counter()
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        names = retention.names_of(locked)
        for record_type in record_types:
            counts[record_type] += retention.ANONYMISERS[record_type](locked, names)
            RetentionApplied.objects.create(child=locked, record_type=record_type, run=run)
        audit.record(
            actor=None,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=record_types,
            purpose="Anonymised after the retention period",
            detail={"run": str(run.pk), "record_types": record_types},
        )
    return counts


def retention_apply(
    *, today: date, dry_run: bool = False, started_by: str = "system", batch_size: int = 500
) -> AnonymisationRun:
    """Anonymise what is past its period as of `today`, each child in its own transaction: one
    child's failure is reported and the rest go on. A dry run reports what would be done and
    changes nothing but the run's own record."""
    table = retention.periods()
    run = AnonymisationRun.objects.create(as_of=today, dry_run=dry_run, started_by=started_by)
    counts: Counter[str] = Counter()
    children_report: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    finished = RetentionApplied.objects.filter(record_type=RecordType.CLOSED_CASE)
    candidates = list(
        retention.closed_children()
        .exclude(pk__in=finished.values("child_id"))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(candidates), batch_size):
        ids = candidates[start : start + batch_size]
        closed = retention.closed_on(ids)
        done: dict[Any, set[str]] = {}
        for child_id, record_type in RetentionApplied.objects.filter(child_id__in=ids).values_list(
            "child_id", "record_type"
        ):
            done.setdefault(child_id, set()).add(record_type)
        for child in Child.objects.filter(pk__in=ids).order_by("created_at", "pk"):
            closed_day = closed.get(child.pk)
            if closed_day is None:
                continue
            due = retention.due_types(
                child, closed=closed_day, today=today, table=table, done=done.get(child.pk, set())
            )
            if not due:
                continue
            entry: dict[str, Any] = {
                "reference": child.reference,
                "pseudonym": child.pseudonym,
                "closed_on": closed_day.isoformat(),
                "record_types": due,
            }
            if dry_run:
                children_report.append(entry)
                counts.update(dict.fromkeys(due, 0))
                continue
            try:
                changed = _anonymise_one(child, due, run)
            except Exception as error:
                logger.exception("Retention failed for %s", child.reference)
                failures.append({"reference": child.reference, "error": type(error).__name__})
                continue
            counts.update(changed)
            entry["rows"] = dict(changed)
            children_report.append(entry)
    notifications = _old_notifications(today, table)
    notifications_count = notifications.count()
    if not dry_run and notifications_count:
        notifications.delete()
    if not dry_run:
        # Who searched, as a keyed hash, kept no longer than it is needed to count.
        rate_limits.forget_old_counts()
    audit_period = table[RecordType.AUDIT_EVENT]
    audit_cutoff = retention.add_months(today, -audit_period.months)
    run.report = {
        "counts": {record_type: counts.get(record_type, 0) for record_type in retention.CASE_TYPES},
        "children": children_report,
        "failures": failures,
        "notifications_deleted": notifications_count,
        "audit_entries_past_period": AuditEntry.objects.filter(at__date__lt=audit_cutoff).count(),
    }
    run.finished_at = timezone.now()
    run.save(update_fields=["report", "finished_at", "updated_at"])
    return run


def _old_notifications(today: date, table: dict[str, retention.Period]) -> Any:
    cutoff = retention.add_months(today, -table[RecordType.NOTIFICATION].months)
    return Notification.objects.filter(created_at__date__lt=cutoff)


# Subject access requests


def _child_by_reference(reference: str, *, field: str = "reference") -> Child:
    reference = (reference or "").strip().upper()
    if not reference:
        raise RecordsError("Enter the child's JoinedUp reference, like JU-7KQ2-M9XD", field=field)
    child = Child.objects.filter(reference=reference).first()
    if child is None:
        raise RecordsError(
            "No child has this JoinedUp reference: check it against the request", field=field
        )
    # A merged record's reference leads to the record that now stands for the child.
    return child.surviving_record()


@dataclass(frozen=True)
class SarDetails:
    reference: str
    requester_name: str
    requester: str
    received_on: date
    notes: str = ""


def sar_create(*, actor: Any, details: SarDetails) -> SubjectAccessRequest:
    """Record a subject access request; it is due one calendar month after it was received."""
    child = _child_by_reference(details.reference)
    name = _required(
        details.requester_name, field="requester_name", message="Enter who made the request"
    )
    if details.requester not in Requester.values:
        raise RecordsError("Select who made the request", field="requester")
    if details.received_on > timezone.localdate():
        raise RecordsError("The date received must be today or in the past", field="received_on")
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            child=child,
            requester_name=name,
            requester=details.requester,
            received_on=details.received_on,
            due_on=retention.add_months(details.received_on, 1),
            notes=details.notes.strip(),
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=request,
            fields=["child", "requester_name", "received_on"],
            detail={"child": child.reference},
        )
    return request


def _lock_open(request: SubjectAccessRequest, *, field: str) -> SubjectAccessRequest:
    """The request, locked, while it is still open: once released, refused or withdrawn what
    was decided stands (two officers on the same request cannot both conclude it)."""
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == SarStatus.RELEASED:
        raise RecordsError(
            f"The copy was released on {_day(locked.released_on)}: what was released can no "
            "longer change",
            field=field,
            code="concluded",
        )
    if locked.status != SarStatus.OPEN:
        raise RecordsError(
            f"This request was {locked.get_status_display().lower()} on "
            f"{_day(locked.closed_on)}: it can no longer change",
            field=field,
            code="concluded",
        )
    return locked


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "an earlier day"


def sar_redactions_set(
    *, actor: Any, request: SubjectAccessRequest, names: list[str], reason: str
) -> SubjectAccessRequest:
    """Mark which other people's names come out of the copy that is released, and why."""
    reason = _required(reason, field="reason", message="Say why these names, or none")
    allowed = {party["name"] for party in sar.third_parties(request.child)}
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise RecordsError("Choose names from the list of other people", field="names")
    with transaction.atomic():
        request = _lock_open(request, field="names")
        request.redacted_names = sorted(set(names))
        request.save(update_fields=["redacted_names", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=request,
            fields=["redacted_names"],
            purpose=reason,
            detail={"count": len(request.redacted_names)},
        )
    return request


def _concluded_on(
    day: date | None, request: SubjectAccessRequest, *, field: str, what: str
) -> date:
    if day is None:
        raise RecordsError(f"Enter the date {what}", field=field)
    if day > timezone.localdate():
        raise RecordsError(f"The date {what} must be today or in the past", field=field)
    if day < request.received_on:
        raise RecordsError(
            f"The date {what} cannot be before the request was received "
            f"({_day(request.received_on)})",
            field=field,
        )
    return day


@dataclass(frozen=True)
class SarRelease:
    released_on: date | None
    method: str
    released_to: str
    method_other: str = ""


def sar_release(
    *, actor: Any, request: SubjectAccessRequest, release: SarRelease
) -> SubjectAccessRequest:
    """Record that the copy was sent or handed over: the day, how, to whom, and the names that
    were redacted in it, frozen with the request so they cannot change afterwards."""
    released_on = _concluded_on(
        release.released_on, request, field="released_on", what="the copy was sent"
    )
    if release.method not in ReleaseMethod.values:
        raise RecordsError("Select how the copy was sent", field="method")
    method_other = (release.method_other or "").strip()
    if release.method == ReleaseMethod.OTHER:
        method_other = _required(
            method_other, field="method_other", message="Say how the copy was sent"
        )
    else:
        method_other = ""
    released_to = _required(
        release.released_to, field="released_to", message="Enter who the copy was released to"
    )
    with transaction.atomic():
        locked = _lock_open(request, field="released_on")
        if locked.exported_at is None:
            raise RecordsError(
                "Produce the copy (the PDF or the JSON) before recording that it was released",
                field="released_on",
                code="not_produced",
            )
        locked.status = SarStatus.RELEASED
        locked.released_on = released_on
        locked.release_method = release.method
        locked.release_method_other = method_other
        locked.released_to = released_to
        locked.released_redactions = list(locked.redacted_names)
        locked.concluded_by = actor
        locked.concluded_at = timezone.now()
        locked.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=[
                "status",
                "released_on",
                "release_method",
                "released_to",
                "released_redactions",
            ],
            purpose="Subject access copy released",
            detail={
                "status": SarStatus.RELEASED,
                "method": release.method,
                "redacted_names_count": len(locked.released_redactions),
            },
        )
    return locked


def _sar_close(
    *,
    actor: Any,
    request: SubjectAccessRequest,
    status: SarStatus,
    closed_on: date | None,
    reason: str,
) -> SubjectAccessRequest:
    what = "it was refused" if status == SarStatus.REFUSED else "it was withdrawn"
    closed_on = _concluded_on(closed_on, request, field="closed_on", what=what)
    reason = _required(
        reason,
        field="reason",
        message="Say why the request was refused"
        if status == SarStatus.REFUSED
        else "Say why the request was withdrawn, or who withdrew it",
    )
    with transaction.atomic():
        locked = _lock_open(request, field="closed_on")
        locked.status = status
        locked.closed_on = closed_on
        locked.closed_reason = reason
        locked.concluded_by = actor
        locked.concluded_at = timezone.now()
        locked.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["status", "closed_on", "closed_reason"],
            purpose=reason,
            detail={"status": str(status)},
        )
    return locked


def sar_refuse(
    *, actor: Any, request: SubjectAccessRequest, refused_on: date | None, reason: str
) -> SubjectAccessRequest:
    """Record that the request was refused (for example manifestly unfounded or excessive,
    UK GDPR article 12(5)), on which day and why."""
    return _sar_close(
        actor=actor, request=request, status=SarStatus.REFUSED, closed_on=refused_on, reason=reason
    )


def sar_withdraw(
    *, actor: Any, request: SubjectAccessRequest, withdrawn_on: date | None, reason: str
) -> SubjectAccessRequest:
    """Record that the requester withdrew the request, on which day and why."""
    return _sar_close(
        actor=actor,
        request=request,
        status=SarStatus.WITHDRAWN,
        closed_on=withdrawn_on,
        reason=reason,
    )


def sar_export(*, actor: Any, request: SubjectAccessRequest, file_format: str) -> dict[str, Any]:
    """Everything held about the child, as one structure; the export is itself audited."""
    with transaction.atomic():
        data = sar.bundle(request, produced_by=actor)
        request.exported_at = timezone.now()
        request.save(update_fields=["exported_at", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.EXPORT,
            target=request.child,
            fields=[key for key, _ in sar.SECTIONS],
            purpose=f"Subject access request {request.short_id}",
            detail={"request": str(request.pk), "format": file_format},
        )
    return data


# Rectification


def _corrected_value(field: str, value: str) -> Any:
    value = value.strip()
    if field == RectifiableField.DATE_OF_BIRTH:
        try:
            born = date.fromisoformat(value)
        except ValueError as error:
            raise RecordsError(
                "Date of birth must be a date like 2014-03-27", field="new_value"
            ) from error
        if born > timezone.localdate():
            raise RecordsError("Date of birth must be in the past", field="new_value")
        return born
    if field == RectifiableField.NHS_NUMBER:
        number = nhs_number_normalise(value)
        if number and not nhs_number_is_valid(number):
            raise RecordsError(
                "NHS number must be 10 digits with a correct check digit, like 943 476 5919",
                field="new_value",
            )
        return number
    choices = {
        RectifiableField.SEX: Sex,
        RectifiableField.ETHNICITY: Ethnicity,
        RectifiableField.RELIGION: Religion,
    }.get(RectifiableField(field))
    if choices is not None:
        by_label = {str(label).lower(): key for key, label in choices.choices}
        key = value if value in choices.values else by_label.get(value.lower())
        if key is None and not (field == RectifiableField.RELIGION and value == ""):
            raise RecordsError(
                "Enter one of: " + "; ".join(str(label) for _, label in choices.choices),
                field="new_value",
            )
        return key or ""
    if field in {RectifiableField.GIVEN_NAME, RectifiableField.FAMILY_NAME} and not value:
        raise RecordsError("A name cannot be made empty", field="new_value")
    return value


@dataclass(frozen=True)
class RectificationDetails:
    field: str
    new_value: str
    requested_by: str
    reason: str


def rectification_record(
    *, actor: Any, child: Child, details: RectificationDetails
) -> Rectification:
    """Correct one field of the child's record and keep what it said before, who asked and
    why. The children app has no service for changing these fields, so the change is made here,
    with the model's own validation and the match keys rebuilt."""
    if details.field not in RectifiableField.values:
        raise RecordsError("Select the field that was wrong", field="field")
    value = _corrected_value(details.field, details.new_value)
    requested_by = _required(
        details.requested_by, field="requested_by", message="Enter who asked for the correction"
    )
    reason = _required(details.reason, field="reason", message="Say why the record was wrong")
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        old = getattr(locked, details.field)
        if old == value:
            raise RecordsError("The record already says this", field="new_value")
        setattr(locked, details.field, value)
        try:
            locked.full_clean(exclude=["created_by", "merged_into", "school", "locality"])
        except ValidationError as error:
            message = next(iter(error.message_dict.values()))[0]
            raise RecordsError(message, field="new_value") from error
        locked.save(update_fields=[details.field, "updated_at"])
        match_keys_refresh(locked)
        rectification = Rectification.objects.create(
            child=locked,
            field=details.field,
            old_value=str(old or "")[:150],
            new_value=str(value or "")[:150],
            requested_by=requested_by,
            reason=reason,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=[details.field],
            purpose=f"Rectification: {reason}",
            detail={"rectification": str(rectification.pk)},
        )
    return rectification


_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def _member_value(field: str, value: str) -> Any:
    """The corrected value of a household member's field, from what the officer typed."""
    value = (value or "").strip()
    if field == MemberRectifiableField.FULL_NAME:
        if not value:
            raise RecordsError("A name cannot be made empty", field="new_value")
        return value
    if field == MemberRectifiableField.RELATIONSHIP:
        by_label = {str(label).lower(): key for key, label in Relationship.choices}
        key = value if value in Relationship.values else by_label.get(value.lower())
        if key is None:
            raise RecordsError(
                "Enter one of: " + "; ".join(str(label) for _, label in Relationship.choices),
                field="new_value",
            )
        return key
    if field in (
        MemberRectifiableField.HAS_PARENTAL_RESPONSIBILITY,
        MemberRectifiableField.LIVES_WITH_CHILD,
    ):
        if value.lower() in _YES:
            return True
        if value.lower() in _NO:
            return False
        raise RecordsError("Enter Yes or No", field="new_value")
    return value


def _member_words(field: str, value: Any) -> str:
    """A member's value as the correction keeps it: words a family can read in their copy."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field == MemberRectifiableField.RELATIONSHIP and value in Relationship.values:
        return str(Relationship(value).label)
    return str(value or "")[:150]


def member_rectification_record(
    *, actor: Any, member: HouseholdMember, details: RectificationDetails
) -> Rectification:
    """Correct one of a household member's details (their name, relationship, parental
    responsibility, whether they live with the child, telephone) and keep what it said, who
    asked and why. The change goes through the children app's household service, so its rules
    hold here too: consent they gave that is in force keeps them from losing parental
    responsibility, and the member stays the same row, so their consent stays theirs."""
    if details.field not in MemberRectifiableField.values:
        raise RecordsError("Select the detail that was wrong", field="field")
    value = _member_value(details.field, details.new_value)
    requested_by = _required(
        details.requested_by, field="requested_by", message="Enter who asked for the correction"
    )
    reason = _required(details.reason, field="reason", message="Say why the record was wrong")
    with transaction.atomic():
        locked = (
            HouseholdMember.objects.select_for_update(of=("self",))
            .select_related("child")
            .get(pk=member.pk)
        )
        old = getattr(locked, details.field)
        if old == value:
            raise RecordsError("The record already says this", field="new_value")
        current = HouseholdMemberDetails(
            full_name=locked.full_name,
            relationship=locked.relationship,
            has_parental_responsibility=locked.has_parental_responsibility,
            lives_with_child=locked.lives_with_child,
            telephone=locked.telephone,
        )
        try:
            household_member_change(
                actor=actor,
                member=locked,
                details=replace(current, **{details.field: value}),
                rectification_reason=reason,
            )
        except ChildRecordError as error:
            raise RecordsError(error.message, field="new_value", code=error.code) from error
        rectification = Rectification.objects.create(
            child=locked.child,
            household_member=locked,
            field=details.field,
            old_value=_member_words(details.field, old),
            new_value=_member_words(details.field, value),
            requested_by=requested_by,
            reason=reason,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=rectification,
            fields=["household_member", "field", "old_value", "new_value"],
            purpose=f"Rectification: {reason}",
            detail={"household_member": str(locked.pk), "field": details.field},
        )
    return rectification


# Restriction of processing


def restriction_start(*, actor: Any, child: Child, requested_by: str, reason: str) -> Restriction:
    requested_by = _required(
        requested_by, field="requested_by", message="Enter who asked for the restriction"
    )
    reason = _required(reason, field="reason", message="Say why processing is restricted")
    with transaction.atomic():
        Child.objects.select_for_update().get(pk=child.pk)
        if Restriction.objects.filter(child=child, lifted_at__isnull=True).exists():
            raise RecordsError(
                "Processing of this child's data is already restricted", field="reason"
            )
        restriction = Restriction.objects.create(
            child=child, requested_by=requested_by, reason=reason, started_by=actor
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=restriction,
            fields=["child", "reason"],
            purpose=reason,
            detail={"child": child.reference},
        )
    return restriction


def restriction_lift(*, actor: Any, child: Child, reason: str) -> Restriction:
    reason = _required(reason, field="reason", message="Say why the restriction is lifted")
    with transaction.atomic():
        restriction = (
            Restriction.objects.select_for_update()
            .filter(child=child, lifted_at__isnull=True)
            .first()
        )
        if restriction is None:
            raise RecordsError("Processing of this child's data is not restricted", field="reason")
        restriction.lifted_at = timezone.now()
        restriction.lifted_by = actor
        restriction.lift_reason = reason
        restriction.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=restriction,
            fields=["lifted_at"],
            purpose=reason,
            detail={"child": child.reference},
        )
    return restriction
