"""Raising a child-protection concern, routing it at once to the designated safeguarding leads,
and what the leads do with it.

Raising never asks for consent and is never stopped by the voluntary route (DESIGN.md, rule 2:
safeguarding is the one override). Where consent to share with a lead's organisation is not
in force, the concern says so, and so does the audit trail.

Who the leads are for a concern (the first of these that finds anyone):
1. the safeguarding leads of the organisation the concern is raised for and of every
   organisation working with the child now (the team around the child);
2. the safeguarding leads of the organisations serving the child's locality;
3. every safeguarding lead in the partnership.
If there is none at all, the concern is still recorded, the system administrators are emailed
and the person raising it is told to phone the children's social care front door.
"""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.children.identifiers import reference_is_valid
from joinedup.children.models import Child
from joinedup.children.need_to_know import current_involvements
from joinedup.consent.models import Scope
from joinedup.consent.services import ConsentRequired, require_consent
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality, Organisation
from joinedup.safeguarding.models import (
    ConcernEvent,
    ConcernRecipient,
    ConcernSource,
    EventKind,
    Outcome,
    Routing,
    SafeguardingConcern,
)

logger = logging.getLogger(__name__)

PURPOSE = "Safeguarding concern"
# Longest free text accepted: a long account is fine, a pasted document is not.
MAX_TEXT = 5000


class SafeguardingError(FieldError):
    """A rule of this domain was broken; `field` names the form field at fault."""


def _text(value: str, *, field: str, label: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise SafeguardingError(f"Enter {label}", field=field)
    if len(value) > MAX_TEXT:
        raise SafeguardingError(
            f"{label[0].upper()}{label[1:]} must be {MAX_TEXT} characters or fewer", field=field
        )
    return value


def _leads_in(organisations: Any) -> list[Membership]:
    return list(
        Membership.objects.active()
        .filter(role=Role.SAFEGUARDING_LEAD, user__is_active=True, organisation__in=organisations)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name")
    )


def designated_leads(
    *, child: Child | None, organisation: Organisation, locality: Locality | None
) -> tuple[str, list[Membership]]:
    """The routing rule (see the module's docstring): which rule applied and the leads' roles,
    one per person."""
    close = Organisation.objects.filter(pk=organisation.pk)
    if child is not None:
        close = Organisation.objects.filter(
            models.Q(pk=organisation.pk)
            | models.Q(pk__in=current_involvements().filter(child=child).values("organisation"))
        )
    tiers: list[tuple[str, Any]] = [(Routing.CLOSE_TO_THE_CHILD, close)]
    if locality is not None:
        tiers.append((Routing.LOCALITY, Organisation.objects.filter(localities=locality)))
    tiers.append((Routing.PARTNERSHIP, Organisation.objects.all()))
    for routing, organisations in tiers:
        leads: dict[Any, Membership] = {}
        for membership in _leads_in(organisations):
            leads.setdefault(membership.user_id, membership)
        if leads:
            return routing, list(leads.values())
    return Routing.NO_LEAD, []


def _consent_overridden(
    child: Child | None, raised_for: Organisation, organisations: Iterable[Organisation]
) -> list[dict[str, str]]:
    """Each lead's organisation, other than the one raising the concern, with which consent to
    share the child's information is not in force: the concern goes to it anyway."""
    if child is None:
        return []
    overridden = []
    for organisation in organisations:
        if organisation.pk == raised_for.pk:
            continue
        try:
            require_consent(child=child, scope=Scope.SHARE, organisation=organisation)
        except ConsentRequired as refusal:
            overridden.append({"organisation": organisation.name, "consent": refusal.code})
    return overridden


def _event(concern: SafeguardingConcern, kind: str, actor: Any = None, text: str = "") -> None:
    ConcernEvent.objects.create(
        concern=concern,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        text=text,
    )


def concern_raise(
    *,
    actor: Any,
    child: Child | None,
    organisation: Organisation,
    details: str,
    immediate_danger: bool = False,
    source: str = ConcernSource.SAFEGUARDING_PAGE,
    source_object: models.Model | None = None,
    why_worried: str = "",
    reference_given: str = "",
    child_description: str = "",
    locality: Locality | None = None,
    base_url: str = "",
) -> SafeguardingConcern:
    """Record a child-protection concern and route it at once to the designated safeguarding
    leads; they are emailed (reference and pseudonym only) once it is saved. Never asks for
    consent. `details` is what the person saw or was told.

    Which child: `child`; or, from the safeguarding page, the JoinedUp reference the person was
    given (`reference_given`, matched to a record here and never confirmed back to them) and/or
    their description of a child not in JoinedUp (`child_description`, with the `locality` if
    they know it)."""
    if not Membership.objects.active().filter(user=actor, organisation=organisation).exists():
        raise SafeguardingError("Select an organisation you work for", field="organisation")
    details = _text(details, field="what_happened", label="what you saw or were told")
    why_worried = _text(
        why_worried, field="why_worried", label="why you are worried", required=False
    )
    child_description = _text(
        child_description, field="child_description", label="who the child is", required=False
    )
    if source not in ConcernSource.values:
        raise SafeguardingError("Say where the concern comes from", field="source")
    reference_given = (reference_given or "").strip().upper()
    if reference_given and not reference_is_valid(reference_given):
        raise SafeguardingError(
            "Enter a JoinedUp reference like JU-7KQ2-M9XD, or describe the child instead",
            field="reference",
        )
    if child is None and reference_given:
        # Matched quietly: whether a record exists is not told to someone who may not see it.
        child = Child.objects.filter(reference=reference_given).first()
    if child is None and not reference_given and not child_description:
        raise SafeguardingError(
            "Enter the child's JoinedUp reference, or describe the child", field="child"
        )
    with transaction.atomic():
        if child is not None:
            child = child.surviving_record()
            locality = child.locality or locality
        routing, leads = designated_leads(child=child, organisation=organisation, locality=locality)
        overridden = _consent_overridden(
            child,
            organisation,
            {lead.organisation_id: lead.organisation for lead in leads}.values(),
        )
        concern = SafeguardingConcern.objects.create(
            child=child,
            reference_given=reference_given,
            child_description=child_description,
            locality=locality,
            raised_by=actor,
            organisation=organisation,
            what_happened=details,
            why_worried=why_worried,
            immediate_danger=bool(immediate_danger),
            source=source,
            source_type=source_object._meta.label_lower if source_object is not None else "",
            source_id=str(source_object.pk) if source_object is not None else "",
            routing=routing,
            raised_without_consent=bool(overridden),
            consent_overridden=overridden,
        )
        ConcernRecipient.objects.bulk_create(
            ConcernRecipient(concern=concern, lead=lead.user, organisation=lead.organisation)
            for lead in leads
        )
        _event(concern, EventKind.RAISED, actor, ConcernSource(source).label)
        if leads:
            _event(
                concern,
                EventKind.ROUTED,
                text="; ".join(f"{lead.user.display_name}, {lead.organisation}" for lead in leads),
            )
        else:
            _event(concern, EventKind.NO_LEAD)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=concern,
            fields=["child", "what_happened", "why_worried", "immediate_danger", "recipients"],
            purpose=PURPOSE,
            detail={
                "child": child.reference if child is not None else None,
                "source": source,
                "routing": routing,
                "routed_to": [str(lead.user_id) for lead in leads],
                **(
                    {
                        "shared_without_consent_for_safeguarding": [
                            o["organisation"] for o in overridden
                        ]
                    }
                    if overridden
                    else {}
                ),
            },
        )
        people = [lead.user for lead in leads]
        transaction.on_commit(lambda: _tell_leads(concern, people, base_url))
    return concern


def _link(concern: SafeguardingConcern, base_url: str) -> str:
    path = reverse("safeguarding:concern_detail", kwargs={"concern_id": concern.pk})
    # A concern raised without a request (a referral through the API) links from the
    # configured address, so the lead's email always holds a link they can follow.
    return f"{(base_url or settings.JOINEDUP_SITE_URL).rstrip('/')}{path}"


def _tell_leads(concern: SafeguardingConcern, people: Sequence[Any], base_url: str) -> None:
    """No name, date of birth, address or the concern's words: email leaves the service and may
    be read anywhere. The pseudonym, the reference and a link only."""
    context = {"concern": concern, "child": concern.child, "link": _link(concern, base_url)}
    if people:
        subject = (
            "URGENT: " if concern.immediate_danger else ""
        ) + "JoinedUp: a safeguarding concern has been raised"
        template = "safeguarding/email/concern_raised.txt"
        recipients = [person.email for person in people if person.email]
    else:
        subject = "JoinedUp: a safeguarding concern has no designated safeguarding lead"
        template = "safeguarding/email/no_lead.txt"
        recipients = list(
            Membership.objects.active()
            .filter(role=Role.SYSTEM_ADMIN, user__is_active=True)
            .values_list("user__email", flat=True)
            .distinct()
        )
    body = render_to_string(template, context)
    failed = []
    for recipient in recipients:
        try:
            send_mail(subject, body, None, [recipient], fail_silently=False)
        except Exception:
            # The concern is saved whatever the mail server does; the lead's inbox shows it.
            logger.exception("Could not email about safeguarding concern %s", concern.pk)
            failed.append(recipient)
    if failed:
        try:
            _event(
                concern,
                EventKind.EMAIL_FAILED,
                text=f"Could not email {len(failed)} of {len(recipients)}: {', '.join(failed)}",
            )
        except Exception:
            logger.exception("Could not record the failed email for concern %s", concern.pk)


def _lead_check(actor: Any, concern: SafeguardingConcern) -> None:
    routed = ConcernRecipient.objects.filter(concern=concern, lead=actor).exists()
    holds_role = (
        Membership.objects.active().filter(user=actor, role=Role.SAFEGUARDING_LEAD).exists()
    )
    if not (routed and holds_role):
        raise SafeguardingError(
            "Only a designated safeguarding lead this concern was sent to can do this",
            code="not_routed",
        )


def _locked(concern: SafeguardingConcern, actor: Any) -> SafeguardingConcern:
    _lead_check(actor, concern)
    locked = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.closed_at is not None:
        raise SafeguardingError(
            f"This concern was closed on {timezone.localtime(locked.closed_at):%d %B %Y}",
            code="closed",
        )
    return locked


def _acknowledge(locked: SafeguardingConcern, actor: Any) -> None:
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = actor
    _event(locked, EventKind.ACKNOWLEDGED, actor)


def concern_acknowledge(*, actor: Any, concern: SafeguardingConcern) -> SafeguardingConcern:
    """A lead says they have it: the person who raised it sees that someone is dealing with it."""
    with transaction.atomic():
        locked = _locked(concern, actor)
        if locked.acknowledged_at is not None:
            who = locked.acknowledged_by.display_name if locked.acknowledged_by else "a lead"
            raise SafeguardingError(
                f"{who} already acknowledged this concern on "
                f"{timezone.localtime(locked.acknowledged_at):%d %B %Y at %H:%M}",
                code="already_acknowledged",
            )
        _acknowledge(locked, actor)
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["acknowledged_at"],
            purpose=PURPOSE,
        )
    return locked


def concern_action_record(
    *, actor: Any, concern: SafeguardingConcern, action: str
) -> SafeguardingConcern:
    """Add what the lead did (a call, advice, a referral made) to the concern's history.
    Recording an action acknowledges the concern if nobody had."""
    action = _text(action, field="action", label="what you did")
    with transaction.atomic():
        locked = _locked(concern, actor)
        if locked.acknowledged_at is None:
            _acknowledge(locked, actor)
            locked.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        _event(locked, EventKind.ACTION, actor, action)
        audit.record(
            actor=actor, verb=AuditVerb.UPDATE, target=locked, fields=["actions"], purpose=PURPOSE
        )
    return locked


def concern_close(
    *, actor: Any, concern: SafeguardingConcern, outcome: str, reason: str
) -> SafeguardingConcern:
    """Close the concern with its outcome and the reason for it (for no further safeguarding
    action, why none is needed)."""
    if outcome not in Outcome.values:
        raise SafeguardingError("Select the outcome", field="outcome")
    reason = _text(reason, field="reason", label="what was decided and why")
    with transaction.atomic():
        locked = _locked(concern, actor)
        if locked.acknowledged_at is None:
            _acknowledge(locked, actor)
        locked.outcome = outcome
        locked.outcome_reason = reason
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.save()
        _event(locked, EventKind.CLOSED, actor, f"{Outcome(outcome).label}. {reason}")
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["outcome", "outcome_reason", "closed_at"],
            purpose=PURPOSE,
            detail={"outcome": outcome},
        )
    return locked


def front_door() -> str:
    """What to do when no designated safeguarding lead can be reached through JoinedUp."""
    return str(settings.JOINEDUP_SAFEGUARDING_FRONT_DOOR)
