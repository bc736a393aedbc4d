from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.children import matching as child_matching
from joinedup.children import services as children
from joinedup.children.models import Child, InvolvementRole
from joinedup.children.need_to_know import current_involvements
from joinedup.consent.models import Scope
from joinedup.consent.services import ConsentRequired, require_consent
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels import pipeline
from joinedup.panels import selectors as panel_selectors
from joinedup.panels.selectors import panel_serving
from joinedup.records.restrictions import HELD_MESSAGE, is_restricted
from joinedup.referrals.models import (
    Concern,
    FamilyAware,
    IdentityStatus,
    PossibleMatch,
    Referral,
    ReferralStatus,
)
from joinedup.safeguarding.models import ConcernSource
from joinedup.safeguarding.services import SafeguardingError, concern_raise

# The starting list; migration 0002 added the same labels to every new database.
DEFAULT_CONCERNS = (
    "Not attending school regularly",
    "At risk of being excluded from school",
    "Behaviour that is worrying adults at school or in the community",
    "Has had contact with the police",
    "Emotional wellbeing or mental health",
    "Friendships or relationships that may put the child at risk",
    "Alcohol or drug use",
    "The family is under pressure (for example money, housing or health)",
    "Bereavement, loss or family breakdown",
    "Caring for someone at home",
)


def concerns_ensure_defaults() -> None:
    for order, label in enumerate(DEFAULT_CONCERNS):
        Concern.objects.get_or_create(label=label, defaults={"order": order})


class ReferralError(FieldError):
    """A rule of this domain was broken; `field` names the form field at fault."""


@dataclass(frozen=True)
class EligibilityCheck:
    rule: str
    met: bool
    explanation: str


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def eligibility_check(
    *, date_of_birth: date, locality: Locality | None, on: date | None = None
) -> list[EligibilityCheck]:
    """Each rule with whether it is met and why, in words a referrer can act on."""
    today = on or timezone.localdate()
    panel = panel_serving(locality)
    if panel is None:
        where = locality.name if locality else "the child's area"
        return [
            EligibilityCheck(
                "locality",
                False,
                f"No panel in JoinedUp covers {where} yet, so the referral cannot go to a panel.",
            )
        ]
    assert locality is not None  # a panel serves only a known locality
    age = _age_on(date_of_birth, today)
    in_range = panel.minimum_age <= age <= panel.maximum_age
    return [
        EligibilityCheck(
            "locality", True, f"The {panel.name} covers {locality.name}, where the child lives."
        ),
        EligibilityCheck(
            "age",
            in_range,
            f"The child is {age}; the {panel.name} supports children aged "
            f"{panel.minimum_age} to {panel.maximum_age}.",
        ),
    ]


@dataclass(frozen=True)
class ReferralDetails:
    organisation: Organisation
    relationship_to_child: str
    concerns: Sequence[Concern]
    what_has_been_tried: str
    urgency: str
    family_aware: str
    safeguarding_concern: bool
    concerns_other: str = ""
    family_not_aware_reason: str = ""
    safeguarding_details: str = ""


def _check(details: ReferralDetails, actor: Any) -> None:
    if not Membership.objects.active().filter(user=actor, organisation=details.organisation):
        raise ReferralError("Select an organisation you work for", field="organisation")
    if not details.concerns and not details.concerns_other.strip():
        raise ReferralError(
            "Select at least one reason for the referral, or describe it", field="concerns"
        )
    if details.family_aware == FamilyAware.NO and not details.family_not_aware_reason.strip():
        raise ReferralError(
            "Explain why the family does not know about the referral",
            field="family_not_aware_reason",
        )
    if details.safeguarding_concern and not details.safeguarding_details.strip():
        raise ReferralError("Describe the safeguarding concern", field="safeguarding_details")


def referral_submit(
    *, actor: Any, child: children.ChildDetails, details: ReferralDetails
) -> Referral:
    """Record a referral and the child's record in one go. A safeguarding concern routes the
    referral to safeguarding at once, whatever else is true; a referral the panel cannot take
    is still recorded, with the reason and where to signpost."""
    _check(details, actor)
    locality = child.address.locality if child.address else None
    checks = eligibility_check(date_of_birth=child.date_of_birth, locality=locality)
    eligible = all(check.met for check in checks)
    if details.safeguarding_concern:
        status = ReferralStatus.SAFEGUARDING
    elif not eligible:
        status = ReferralStatus.NOT_ELIGIBLE
    else:
        status = ReferralStatus.RECEIVED
    panel = panel_serving(locality)
    with transaction.atomic():
        record: Child = children.child_create(actor=actor, details=child)
        referral = Referral.objects.create(
            child=record,
            referrer=actor,
            referring_organisation=details.organisation,
            relationship_to_child=details.relationship_to_child.strip(),
            concerns_other=details.concerns_other.strip(),
            what_has_been_tried=details.what_has_been_tried.strip(),
            urgency=details.urgency,
            family_aware=details.family_aware,
            family_not_aware_reason=details.family_not_aware_reason.strip(),
            safeguarding_concern=details.safeguarding_concern,
            safeguarding_details=details.safeguarding_details.strip(),
            status=status,
            eligibility=[vars(check) for check in checks],
            signposting=(panel.signposting if panel else "") if not eligible else "",
            panel=panel,
        )
        referral.concerns.set(details.concerns)
        children.involvement_start(
            actor=actor,
            child=record,
            organisation=details.organisation,
            role=InvolvementRole.REFERRER,
            worker=actor,
        )
        _possible_matches_record(referral)
        if details.safeguarding_concern:
            # Straight to the designated safeguarding leads, whatever the consent or the
            # panel's criteria say.
            try:
                concern_raise(
                    actor=actor,
                    child=record,
                    organisation=details.organisation,
                    details=details.safeguarding_details,
                    source=ConcernSource.REFERRAL,
                    source_object=referral,
                )
            except SafeguardingError as error:
                raise ReferralError(error.message, field="safeguarding_details") from error
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=referral,
            fields=["child", "concerns", "safeguarding_concern", "status"],
            detail={"status": status, "identity_status": referral.identity_status},
        )
        pipeline.cases_refresh(record)
    return referral


def _possible_matches_record(referral: Referral) -> None:
    """Look for existing records of the same child before the new one is relied on; if there
    are any, the coordinator decides (link, new child, or later)."""
    candidates = child_matching.candidates_for(referral.child)
    if not candidates:
        return
    PossibleMatch.objects.bulk_create(
        [
            PossibleMatch(
                referral=referral,
                candidate=candidate.child,
                probability=candidate.score.probability,
                reasons=list(candidate.score.reasons),
            )
            for candidate in candidates
        ]
    )
    referral.identity_status = IdentityStatus.TO_CHECK
    referral.save(update_fields=["identity_status", "updated_at"])


class IdentityDecision:
    LINK = "link"
    NEW = "new"
    LATER = "later"


def _coordinator_check(actor: Any, referral: Referral) -> None:
    if referral.panel_id is None or not panel_selectors.coordinates(
        viewer=actor, panel_id=referral.panel_id
    ):
        raise ReferralError(
            "Only the coordinator of the panel this referral went to can decide this",
            field="decision",
        )


def identity_decide(
    *,
    actor: Any,
    referral: Referral,
    decision: str,
    candidate: Child | None = None,
    note: str = "",
) -> Referral:
    """The coordinator settles who the referred child is: the same child as an existing record
    (the referral's record is merged into it, reversibly), a new child, or decide later."""
    note = note.strip()
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        _coordinator_check(actor, referral)
        if referral.identity_status == IdentityStatus.LINKED:
            raise ReferralError(
                "This referral is already linked to an existing record: undo the link first",
                field="decision",
            )
        shared_for_safeguarding: list[str] = []
        if decision == IdentityDecision.LINK:
            if (
                candidate is None
                or not referral.possible_matches.filter(candidate=candidate).exists()
            ):
                raise ReferralError("Select the record that is the same child", field="decision")
            if is_restricted(candidate):
                # Joining a new referral to a restricted record would use the data the child
                # or family asked us to stop using: the referral is held until it is lifted.
                raise ReferralError(HELD_MESSAGE, field="decision", code="restricted")
            if not note:
                raise ReferralError(
                    "Say what shows they are the same child (for example, the same NHS number)",
                    field="note",
                )
            newly_sharing = _organisations_new_to(candidate, referral.child)
            try:
                merge = children.child_merge(
                    actor=actor, survivor=candidate, merged=referral.child, reason=note
                )
            except children.ChildRecordError as refusal:
                # The merge names its own fields; on this form the choice of record is at fault.
                raise ReferralError(refusal.message, field="decision") from refusal
            shared_for_safeguarding = _check_link_sharing(referral, candidate, newly_sharing)
            referral.refresh_from_db()
            referral.identity_status = IdentityStatus.LINKED
            referral.identity_merge = merge
            # The merged record's referrals are the surviving record's cases now.
            pipeline.cases_refresh(candidate, merge.merged)
        elif decision == IdentityDecision.NEW:
            referral.identity_status = IdentityStatus.NEW
        elif decision == IdentityDecision.LATER:
            if not note:
                raise ReferralError("Say what you need to find out before deciding", field="note")
            referral.identity_status = IdentityStatus.DEFERRED
        else:
            raise ReferralError("Select who this child is", field="decision")
        referral.identity_note = note
        referral.identity_decided_by = actor
        referral.identity_decided_at = timezone.now()
        referral.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=referral,
            fields=["identity_status"],
            detail={
                "identity_status": referral.identity_status,
                "linked_to": candidate.reference if candidate and decision == "link" else None,
                **(
                    {"shared_without_consent_for_safeguarding": shared_for_safeguarding}
                    if shared_for_safeguarding
                    else {}
                ),
            },
        )
    return referral


def _organisations_new_to(survivor: Child, merged: Child) -> list[Organisation]:
    """Organisations working with the referral's record that do not yet work with the
    existing one: linking opens the existing record to them."""
    already = current_involvements().filter(child=survivor).values("organisation")
    return list(
        Organisation.objects.filter(
            pk__in=current_involvements().filter(child=merged).values("organisation")
        )
        .exclude(pk__in=already)
        .order_by("name")
    )


def _check_link_sharing(
    referral: Referral, survivor: Child, organisations: Sequence[Organisation]
) -> list[str]:
    """Linking shares the existing record with the referral's organisations, so the
    family's consent to share with each must be in force (DESIGN.md, rule 2), counting the
    consent recorded on the referral's record, which the merge has just moved across. A
    safeguarding concern is the one override: the names are returned to be audited."""
    overridden = []
    for organisation in organisations:
        try:
            require_consent(child=survivor, scope=Scope.SHARE, organisation=organisation)
        except ConsentRequired as refusal:
            if referral.safeguarding_concern:
                overridden.append(organisation.name)
                continue
            raise ReferralError(
                f"Linking would open the existing record {survivor.reference} to "
                f"{organisation.name}. {refusal.message} Until then, choose 'Decide later'.",
                field="decision",
            ) from refusal
    return overridden


def identity_unlink(*, actor: Any, referral: Referral, reason: str) -> Referral:
    """Undo a link that was wrong: the merge is undone and the question is open again."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        _coordinator_check(actor, referral)
        if referral.identity_status != IdentityStatus.LINKED or referral.identity_merge is None:
            raise ReferralError("This referral is not linked to another record", field="reason")
        try:
            children.child_unmerge(actor=actor, merge=referral.identity_merge, reason=reason)
        except children.ChildRecordError as refusal:
            raise ReferralError(refusal.message, field="reason") from refusal
        pipeline.cases_refresh(referral.identity_merge.survivor, referral.identity_merge.merged)
        referral.refresh_from_db()
        referral.identity_status = IdentityStatus.TO_CHECK
        referral.identity_merge = None
        referral.identity_note = reason.strip()
        referral.identity_decided_by = actor
        referral.identity_decided_at = timezone.now()
        referral.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=referral,
            fields=["identity_status"],
            detail={"identity_status": referral.identity_status, "unlinked": True},
        )
    return referral


def referral_continue(
    *,
    actor: Any,
    referral: Referral,
    panel: Any,
    referrer: Any,
    organisation: Organisation,
    relationship_to_child: str,
    what_has_been_tried: str,
    locality: Locality,
) -> Referral:
    """The child's case continued at another panel after a transfer: a new referral to that
    panel, so that the first panel's referral and history stay exactly as they were. The
    reasons, the urgency and what the family knows carry over; the child's identity was
    settled at the first panel, so it stays settled."""
    checks = eligibility_check(date_of_birth=referral.child.date_of_birth, locality=locality)
    with transaction.atomic():
        continued = Referral.objects.create(
            child=referral.child,
            referrer=referrer,
            referring_organisation=organisation,
            relationship_to_child=relationship_to_child[:150],
            concerns_other=referral.concerns_other,
            what_has_been_tried=what_has_been_tried,
            urgency=referral.urgency,
            family_aware=referral.family_aware,
            family_not_aware_reason=referral.family_not_aware_reason,
            status=ReferralStatus.RECEIVED,
            eligibility=[vars(check) for check in checks],
            panel=panel,
            identity_status=referral.identity_status,
            identity_note=f"Settled at the {referral.panel} before the case was transferred.",
        )
        continued.concerns.set(referral.concerns.all())
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=continued,
            fields=["child", "concerns", "status"],
            detail={"continues": str(referral.pk), "panel": str(panel.pk)},
        )
        pipeline.cases_refresh(continued.child)
    return continued
