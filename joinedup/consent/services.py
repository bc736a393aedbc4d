"""Every change to consent, and the checks other apps call before they share or discuss a
child's case. Consent is enforced here, never in templates."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from joinedup.children.models import Child, HouseholdMember
from joinedup.children.need_to_know import current_involvements, sees_identity
from joinedup.consent import rules, uploads
from joinedup.consent.models import (
    ChildView,
    Competence,
    ConsentRecord,
    GivenBy,
    HowTold,
    Method,
    Scope,
)
from joinedup.consent.signals import consent_withdrawn
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Organisation

logger = logging.getLogger(__name__)


class ConsentError(FieldError):
    """Bad input to a consent service, naming the form field at fault."""


class ConsentRequired(Exception):
    """What another app tried needs consent that is not in force. `message` says what is
    missing and how to get it, in a sentence a worker can act on; `code` is "missing",
    "withdrawn" or "expired"."""

    def __init__(self, message: str, *, code: str = "missing") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _check_actor(actor: Any, child: Child) -> None:
    # None is the system itself (the demo loader, a command); a person must be in the team.
    if actor is not None and not sees_identity(actor, child):
        raise ConsentError(
            "Only people working with the child can record their consent", code="not_in_team"
        )


def _records_for(child: Child, scope: str, organisation: Organisation | None) -> list[Any]:
    records = ConsentRecord.objects.filter(child=child, scope=scope).select_related(
        "household_member", "organisation"
    )
    if scope == Scope.SHARE:
        if organisation is None:
            raise ValueError("Consent to share is always with a named organisation")
        records = records.filter(organisation=organisation)
    return list(records)


def _standing(
    child: Child, scope: str, organisation: Organisation | None, on: date | None
) -> rules.Standing:
    scope = Scope(scope)
    standing = rules.standing_of(
        _records_for(child, scope, organisation),
        scope=scope,
        today=on or timezone.localdate(),
    )
    standing.organisation = organisation if scope == Scope.SHARE else None
    return standing


def consent_in_force(
    *, child: Child, scope: str, organisation: Organisation | None = None, on: date | None = None
) -> bool:
    """Whether consent for `scope` (for sharing: with `organisation`) is in force today."""
    return _standing(child, scope, organisation, on).is_in_force


def _what(scope: str, organisation: Organisation | None) -> str:
    if scope == Scope.SHARE and organisation is not None:
        return f"sharing their information with {organisation.name}"
    return {
        Scope.ASSESSMENT: "an assessment of their needs",
        Scope.PANEL_DISCUSSION: "discussing their case at the panel",
        Scope.CONTACT: "contact by services",
    }[Scope(scope)]


def require_consent(
    *, child: Child, scope: str, organisation: Organisation | None = None, on: date | None = None
) -> None:
    """Raise ConsentRequired, saying what is missing and how to get it, unless consent for
    `scope` (for sharing: with `organisation`) is in force."""
    standing = _standing(child, scope, organisation, on)
    if standing.is_in_force:
        return
    what = _what(scope, organisation)
    how = (
        "A parent or carer with parental responsibility needs to give consent again, recorded "
        "on the child's consent page"
    )
    if standing.withdrawn:
        latest = max(standing.withdrawn, key=lambda r: r.withdrawal_recorded_at or r.created_at)
        raise ConsentRequired(
            f"Consent to {what} for {child.pseudonym} was withdrawn on "
            f"{latest.withdrawn_on:%d %B %Y}. {how} before this can go ahead.",
            code="withdrawn",
        )
    if standing.expired:
        ended = max(r.expires_on for r in standing.expired if r.expires_on)
        raise ConsentRequired(
            f"Consent to {what} for {child.pseudonym} expired on {ended:%d %B %Y}. Ask a parent "
            "or carer with parental responsibility to renew it and record it on the child's "
            "consent page.",
            code="expired",
        )
    if scope == Scope.SHARE and organisation is not None:
        raise ConsentRequired(
            f"{organisation.name} is not in the consent for {child.pseudonym}: nobody with "
            f"parental responsibility has agreed to {what}. Ask them, and record their consent "
            f"to share with {organisation.name} on the child's consent page first."
        )
    raise ConsentRequired(
        f"There is no consent to {what} for {child.pseudonym}. Ask a parent or carer with "
        "parental responsibility and record their consent on the child's consent page first."
    )


def latest_child_view(child: Child) -> ChildView | None:
    return ChildView.objects.filter(child=child).order_by("-recorded_on", "-created_at").first()


@dataclass(frozen=True)
class ConsentGiven:
    """One person's consent to one or more things, given one way on one day. A parent's
    consent names the household member; a competent child's consent sets `by_child`."""

    method: str
    given_on: date
    household_member: HouseholdMember | None = None
    by_child: bool = False
    scopes: Sequence[str] = ()
    organisations: Sequence[Organisation] = ()
    expires_on: date | None = None
    witness_name: str = ""
    signed_form: Any = None


def _check_given(child: Child, given: ConsentGiven) -> None:
    member = given.household_member
    if given.by_child == (member is not None):
        raise ConsentError("Select who gave consent", field="given_by")
    if member is not None and (
        member.child_id != child.pk or not member.has_parental_responsibility
    ):
        raise ConsentError(
            "Select a parent or carer with parental responsibility for this child",
            field="given_by",
        )
    if given.by_child:
        view = latest_child_view(child)
        if view is None or view.competence != Competence.COMPETENT:
            raise ConsentError(
                "The child can give consent only once you have recorded their view and judged "
                "them competent to consent for themself",
                field="given_by",
            )
    if not given.scopes and not given.organisations:
        raise ConsentError(
            "Select what they agreed to, or at least one organisation to share with",
            field="scopes",
        )
    if any(scope not in Scope.values or scope == Scope.SHARE for scope in given.scopes):
        raise ConsentError("Select what they agreed to from the list", field="scopes")
    if given.method not in Method.values:
        raise ConsentError("Select how consent was given", field="method")
    if given.method == Method.VERBAL and not given.witness_name.strip():
        raise ConsentError("Enter the name of the witness", field="witness_name")
    if given.method == Method.SIGNED_FORM:
        if given.signed_form is None:
            raise ConsentError("Choose the signed consent form to upload", field="signed_form")
        problem = uploads.signed_form_problem(given.signed_form)
        if problem:
            raise ConsentError(problem, field="signed_form")
    today = timezone.localdate()
    if given.given_on > today:
        raise ConsentError("Date consent was given must be today or in the past", field="given_on")
    if given.expires_on is not None and given.expires_on <= given.given_on:
        raise ConsentError(
            "Date consent ends must be after the date it was given", field="expires_on"
        )


def consent_record(*, actor: Any, child: Child, given: ConsentGiven) -> list[ConsentRecord]:
    """Record consent: one record per thing agreed to and one per organisation, all or
    nothing. A signed form is stored once, under a random name, for all of them."""
    _check_actor(actor, child)
    _check_given(child, given)
    stored = ""
    content_type = ""
    storage = ConsentRecord._meta.get_field("signed_form").storage
    if given.method == Method.SIGNED_FORM:
        content_type = uploads.detected_type(given.signed_form) or ""
        given.signed_form.seek(0)
        stored = storage.save(uploads.random_name(content_type), given.signed_form)
    common = {
        "child": child,
        "given_by": GivenBy.CHILD if given.by_child else GivenBy.PARENT,
        "household_member": given.household_member,
        "method": given.method,
        "witness_name": given.witness_name.strip() if given.method == Method.VERBAL else "",
        "signed_form": stored,
        "signed_form_type": content_type,
        "given_on": given.given_on,
        "expires_on": given.expires_on,
        "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    wanted: list[tuple[Scope, Organisation | None]] = [
        (Scope(scope), None) for scope in Scope.values if scope in given.scopes
    ]
    wanted += [(Scope.SHARE, organisation) for organisation in given.organisations]
    try:
        with transaction.atomic():
            records = [
                ConsentRecord.objects.create(**common, scope=scope, organisation=organisation)
                for scope, organisation in wanted
            ]
            audit.record(
                actor=actor,
                verb=AuditVerb.CONSENT_GIVEN,
                target=child,
                fields=["consent"],
                detail={
                    "consent_records": [str(record.pk) for record in records],
                    "scopes": [str(scope) for scope, _ in wanted],
                    "organisations": [str(o.pk) for _, o in wanted if o is not None],
                    "given_by": common["given_by"],
                    "method": given.method,
                },
            )
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    return records


@dataclass(frozen=True)
class Withdrawal:
    record: ConsentRecord
    # The people in the team around the child who were emailed about it.
    told: list[Any]


def _team_to_tell(child: Child, actor: Any) -> list[Any]:
    involvements = (
        current_involvements()
        .filter(child=child, worker__isnull=False, worker__is_active=True)
        .select_related("worker")
        .order_by("started_on")
    )
    people: dict[Any, Any] = {}
    for involvement in involvements:
        worker = involvement.worker
        if worker is not None and worker.pk != getattr(actor, "pk", None) and worker.email:
            people.setdefault(worker.pk, worker)
    return list(people.values())


def _email_the_team(record: ConsentRecord, people: list[Any], base_url: str) -> None:
    """No name, date of birth or address: only the pseudonym, the reference and a link,
    because email leaves the service and may be read anywhere."""
    child = record.child
    link = f"{base_url.rstrip('/')}{reverse('consent:child_consent', args=[child.reference])}"
    context = {"child": child, "what": record.what_label, "link": link, "record": record}
    subject = f"Consent withdrawn for {child.pseudonym}"
    body = render_to_string("consent/email/consent_withdrawn.txt", context)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [p.email]) for p in people]
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:
        # The withdrawal stands whatever the mail server does; the page and the audit trail
        # still show it, and the failure is logged for the service team.
        logger.exception("Could not email the team about withdrawn consent %s", record.pk)


def consent_withdraw(
    *,
    actor: Any,
    record: ConsentRecord,
    reason: str,
    told_us: str,
    withdrawn_on: date | None = None,
    base_url: str = "",
) -> Withdrawal:
    """Withdraw consent at once: the record keeps what was given and now says when it was
    withdrawn, by whom and why. Receivers of `consent_withdrawn` act in the same
    transaction; the team around the child is emailed once it is saved."""
    child = record.child
    _check_actor(actor, child)
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    if withdrawn_on > today:
        raise ConsentError(
            "Date consent was withdrawn must be today or in the past", field="withdrawn_on"
        )
    if withdrawn_on < record.given_on:
        raise ConsentError(
            "Date consent was withdrawn must be on or after the date it was given",
            field="withdrawn_on",
        )
    if told_us not in HowTold.values:
        raise ConsentError("Select how they told us", field="told_us")
    if not reason.strip():
        raise ConsentError("Enter what they said, or 'No reason given'", field="reason")
    with transaction.atomic():
        locked = (
            ConsentRecord.objects.select_for_update(of=("self",))
            .select_related("child", "organisation", "household_member")
            .get(pk=record.pk)
        )
        if locked.is_withdrawn:
            raise ConsentError(
                f"This consent was already withdrawn on {locked.withdrawn_on:%d %B %Y}",
                code="already_withdrawn",
            )
        locked.withdrawn_on = withdrawn_on
        locked.withdrawal_recorded_at = timezone.now()
        locked.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.withdrawal_reason = reason.strip()
        locked.withdrawal_told_us = told_us
        locked.save(
            update_fields=[
                "withdrawn_on",
                "withdrawal_recorded_at",
                "withdrawn_by",
                "withdrawal_reason",
                "withdrawal_told_us",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CONSENT_WITHDRAWN,
            target=child,
            fields=["consent"],
            detail={
                "consent_record": str(locked.pk),
                "withdrawn": True,
                "scope": locked.scope,
                "organisation": str(locked.organisation_id or ""),
                "told_us": told_us,
            },
        )
        consent_withdrawn.send(
            sender=ConsentRecord,
            child=child,
            scope=Scope(locked.scope),
            organisation=locked.organisation,
            actor=actor,
            record=locked,
        )
        people = _team_to_tell(child, actor)
        transaction.on_commit(lambda: _email_the_team(locked, people, base_url))
    return Withdrawal(record=locked, told=people)


def child_view_record(
    *,
    actor: Any,
    child: Child,
    in_their_words: str,
    recorded_on: date,
    competence: str,
    competence_notes: str = "",
) -> ChildView:
    """Record the child's own say, and whether they were judged competent to consent."""
    _check_actor(actor, child)
    if not in_their_words.strip():
        raise ConsentError("Enter what the child said, in their words", field="in_their_words")
    if recorded_on > timezone.localdate():
        raise ConsentError(
            "Date the child told you must be today or in the past", field="recorded_on"
        )
    if competence not in Competence.values:
        raise ConsentError(
            "Select whether the child was judged competent to consent", field="competence"
        )
    if competence != Competence.NOT_ASSESSED and not competence_notes.strip():
        raise ConsentError(
            "Explain how you judged whether the child could consent for themself",
            field="competence_notes",
        )
    with transaction.atomic():
        view = ChildView.objects.create(
            child=child,
            in_their_words=in_their_words.strip(),
            recorded_on=recorded_on,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            competence=competence,
            competence_notes=competence_notes.strip(),
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=child,
            fields=["child_view"],
            detail={"child_view": str(view.pk), "competence": competence},
        )
    return view
