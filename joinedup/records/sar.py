"""Everything JoinedUp holds about one child, for a subject access request (UK GDPR article 15):
one plain structure (`bundle`) that becomes both the JSON file and the PDF, so the two can
never say different things. The structure is documented in docs/retention-and-rights.md;
its keys are stable ("format": "joinedup-sar/1"): a new section is added, never renamed.

Other people named in the record (the household, witnesses, whoever helped fill in Over to
You, a named provider) are listed under "third_parties" for the officer to review. Names the
officer marked for redaction are replaced everywhere in the copy before it is produced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from joinedup.actions.models import Action
from joinedup.assessments.models import Assessment, OverToYou
from joinedup.children.models import Child, HouseholdMember
from joinedup.consent.models import ChildView, ConsentRecord
from joinedup.core.models import AuditEntry
from joinedup.notifications.models import Notification
from joinedup.panels.models import AgendaItem, Minutes
from joinedup.plans.models import Plan
from joinedup.records.models import Rectification, Restriction, SarStatus, SubjectAccessRequest
from joinedup.referrals.models import Referral
from joinedup.safeguarding.models import SafeguardingConcern

FORMAT = "joinedup-sar/1"
REDACTED = "[redacted: another person]"

SECTIONS: tuple[tuple[str, str], ...] = (
    ("child", "The child's record"),
    ("addresses", "Addresses"),
    ("household", "Parents, carers and household"),
    ("team", "Who works with the child"),
    ("referrals", "Referrals"),
    ("consent", "Consent"),
    ("child_views", "The child's own views"),
    ("assessments", "Assessments"),
    ("over_to_you", "Over to You"),
    ("panel", "Panel agenda items and decisions"),
    ("minutes_extracts", "Extracts of panel minutes"),
    ("plans", "Integrated support plans"),
    ("actions", "Actions about the child"),
    ("safeguarding_concerns", "Safeguarding concerns"),
    ("notifications", "Notifications about the child"),
    ("rectifications", "Corrections of the record"),
    ("restrictions", "Restrictions of processing"),
    ("audit_trail", "Who saw or changed the child's data"),
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _person(user: Any) -> str:
    return str(user) if user is not None else ""


def _child(child: Child) -> dict[str, Any]:
    return {
        "reference": child.reference,
        "pseudonym": child.pseudonym,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "preferred_name": child.preferred_name,
        "other_names": list(child.other_names),
        "date_of_birth": _iso(child.date_of_birth),
        "date_of_birth_is_approximate": child.date_of_birth_is_approximate,
        "nhs_number": child.nhs_number,
        "sex": child.get_sex_display(),
        "gender_as_recorded": child.gender_as_recorded,
        "ethnicity": child.get_ethnicity_display(),
        "first_language": child.first_language,
        "interpreter_needed": child.interpreter_needed,
        "religion": child.get_religion_display() if child.religion else "",
        "school": child.school.name if child.school else "",
        "locality": child.locality.name if child.locality else "",
        "recorded_on": _iso(child.created_at),
    }


def _referral(referral: Referral) -> dict[str, Any]:
    return {
        "id": str(referral.pk),
        "submitted_at": _iso(referral.submitted_at),
        "referred_by": _person(referral.referrer),
        "organisation": referral.referring_organisation.name,
        "relationship_to_child": referral.relationship_to_child,
        "reasons": [concern.label for concern in referral.concerns.all()],
        "reasons_in_words": referral.concerns_other,
        "what_has_been_tried": referral.what_has_been_tried,
        "urgency": referral.get_urgency_display(),
        "family_aware": referral.get_family_aware_display(),
        "family_not_aware_reason": referral.family_not_aware_reason,
        "safeguarding_concern": referral.safeguarding_concern,
        "safeguarding_details": referral.safeguarding_details,
        "status": referral.get_status_display(),
        "panel": referral.panel.name if referral.panel else "",
        "identity_status": referral.get_identity_status_display(),
        "identity_note": referral.identity_note,
    }


def _consent(record: ConsentRecord) -> dict[str, Any]:
    return {
        "id": str(record.pk),
        "what": record.what_label,
        "given_by": record.giver_label,
        "method": record.get_method_display(),
        "witness_name": record.witness_name,
        "signed_form_held": bool(record.signed_form),
        "given_on": _iso(record.given_on),
        "expires_on": _iso(record.expires_on),
        "recorded_by": _person(record.recorded_by),
        "withdrawn_on": _iso(record.withdrawn_on),
        "withdrawal_reason": record.withdrawal_reason,
    }


def _assessment(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": str(assessment.pk),
        "label": assessment.label,
        "status": assessment.get_status_display(),
        "assessed_on": _iso(assessment.assessed_on),
        "assessed_by": _person(assessment.assessed_by),
        "organisation": assessment.organisation.name,
        "ratings": [
            {
                "area": rating.domain.name,
                "rating": rating.rating,
                "rating_label": rating.get_rating_display() if rating.rating is not None else "",
                "evidence": rating.evidence,
            }
            for rating in assessment.ratings.all()
        ],
        "protective_factors": assessment.protective_factors,
        "serious_harm": assessment.get_serious_harm_display(),
        "serious_harm_evidence": assessment.serious_harm_evidence,
    }


def _over_to_you(response: OverToYou) -> dict[str, Any]:
    return {
        "id": str(response.pk),
        "respondent": response.respondent_label,
        "filled_on": _iso(response.filled_on),
        "helped_by": response.helped_by,
        "answers": dict(response.answers),
        "in_their_words": response.in_their_words,
    }


def _agenda_item(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": str(item.pk),
        "panel": item.meeting.panel.name,
        "meeting_at": _iso(item.meeting.starts_at),
        "added_by": _person(item.added_by),
        "removed_at": _iso(item.removed_at),
        "removed_reason": item.removed_reason,
        "decisions": [
            {
                "version": decision.version,
                "outcome": decision.get_outcome_display(),
                "reasons": decision.rationale,
                "signpost_to": decision.signpost_to,
                "defer_reason": decision.defer_reason,
                "against_rule_reason": decision.against_rule_reason,
                "correction_reason": decision.correction_reason,
                "decided_at": _iso(decision.created_at),
                "decided_by": _person(decision.decided_by),
                "superseded_at": _iso(decision.superseded_at),
            }
            for decision in item.decisions.all()
        ],
        "written_views": [
            {
                "author": _person(view.author),
                "role": view.role,
                "organisation": view.organisation.name,
                "view": view.view,
                "written_at": _iso(view.created_at),
                "withdrawn_at": _iso(view.withdrawn_at),
            }
            for view in item.contributions.all()
        ],
    }


def _minutes_extracts(child: Child, minutes: Iterable[Minutes]) -> list[dict[str, Any]]:
    """The paragraphs of each meeting's minutes that are about the child: minutes name a child
    by reference and pseudonym, so those find them."""
    marks = (child.reference, child.pseudonym)
    extracts = []
    for record in minutes:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", record.text) if p.strip()]
        about = [p for p in paragraphs if any(mark in p for mark in marks)]
        if about:
            extracts.append(
                {
                    "panel": record.meeting.panel.name,
                    "meeting_at": _iso(record.meeting.starts_at),
                    "approved_at": _iso(record.approved_at),
                    "paragraphs": about,
                }
            )
    return extracts


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": str(plan.pk),
        "status": plan.get_status_display(),
        "keyworker": _person(plan.keyworker),
        "keyworker_organisation": plan.keyworker_organisation.name,
        "opened_on": _iso(plan.opened_on),
        "contingency": plan.contingency,
        "next_review_on": _iso(plan.next_review_on),
        "goals": [
            {
                "position": goal.position,
                "in_their_words": goal.in_their_words,
                "said_by": goal.get_said_by_display(),
                "status": goal.get_status_display(),
            }
            for goal in plan.goals.all()
        ],
        "interventions": [
            {
                "service": intervention.service,
                "provider": intervention.provider,
                "starts_on": _iso(intervention.starts_on),
                "frequency": intervention.frequency,
                "status": intervention.get_status_display(),
                "stopped_reason": intervention.stopped_reason,
            }
            for intervention in plan.interventions.all()
        ],
        "reviews": [
            {
                "held_on": _iso(review.held_on),
                "child_view": review.child_view,
                "family_view": review.family_view,
                "recorded_by": _person(review.recorded_by),
                "progress": [
                    {
                        "goal": progress.goal.position,
                        "progress": progress.get_progress_display(),
                        "in_words": progress.in_words,
                    }
                    for progress in review.progress.all()
                ],
            }
            for review in plan.reviews.all()
        ],
        "closed_on": _iso(plan.closed_on),
        "outcome": plan.get_outcome_display() if plan.outcome else "",
        "outcome_reason": plan.outcome_reason,
        "what_changed": plan.what_changed,
        "child_view_at_close": plan.child_view_at_close,
        "family_view_at_close": plan.family_view_at_close,
        "support_continuing": plan.support_continuing,
    }


def _action(action: Action) -> dict[str, Any]:
    return {
        "id": str(action.pk),
        "title": action.title,
        "detail": action.detail,
        "owner": _person(action.owner),
        "organisation": action.organisation.name,
        "due_on": _iso(action.due_on),
        "status": action.get_status_display(),
        "completed_at": _iso(action.completed_at),
        "outcome": action.outcome,
        "cancelled_reason": action.cancelled_reason,
    }


def _concern(concern: SafeguardingConcern) -> dict[str, Any]:
    return {
        "id": str(concern.pk),
        "raised_at": _iso(concern.raised_at),
        "raised_by": _person(concern.raised_by),
        "organisation": concern.organisation.name,
        "what_happened": concern.what_happened,
        "why_worried": concern.why_worried,
        "immediate_danger": concern.immediate_danger,
        "status": concern.get_status_display(),
        "outcome": concern.get_outcome_display() if concern.outcome else "",
        "outcome_reason": concern.outcome_reason,
        "closed_at": _iso(concern.closed_at),
        "events": [
            {
                "at": _iso(event.at),
                "by": _person(event.actor),
                "what": event.get_kind_display(),
                "text": event.text,
            }
            for event in concern.events.all()
        ],
    }


def _audit(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": _iso(entry.at),
        "who": entry.actor_label,
        "did": entry.get_verb_display(),
        "record_type": entry.target_type,
        "record_id": entry.target_id,
        "fields": list(entry.fields),
        "purpose": entry.purpose,
    }


def audit_targets(child: Child) -> dict[str, list[str]]:
    """The records about the child that audit entries point at, by kind."""

    def ids(queryset: Any) -> list[str]:
        return [str(pk) for pk in queryset.values_list("pk", flat=True)]

    child_ids = [str(child.pk), *ids(Child.objects.filter(merged_into=child))]
    return {
        "children.child": child_ids,
        "referrals.referral": ids(Referral.objects.filter(child=child)),
        "consent.consentrecord": ids(ConsentRecord.objects.filter(child=child)),
        "consent.childview": ids(ChildView.objects.filter(child=child)),
        "assessments.assessment": ids(Assessment.objects.filter(child=child)),
        "assessments.overtoyou": ids(OverToYou.objects.filter(child=child)),
        "panels.agendaitem": ids(AgendaItem.objects.filter(child=child)),
        "plans.plan": ids(Plan.objects.filter(child=child)),
        "actions.action": ids(Action.objects.filter(child=child)),
        "safeguarding.safeguardingconcern": ids(SafeguardingConcern.objects.filter(child=child)),
        "records.subjectaccessrequest": ids(SubjectAccessRequest.objects.filter(child=child)),
        "records.rectification": ids(Rectification.objects.filter(child=child)),
        "records.restriction": ids(Restriction.objects.filter(child=child)),
    }


def audit_trail(child: Child) -> list[AuditEntry]:
    condition = Q(pk__in=[])
    for target_type, target_ids in audit_targets(child).items():
        if target_ids:
            condition |= Q(target_type=target_type, target_id__in=target_ids)
    return list(AuditEntry.objects.filter(condition).order_by("at", "id"))


def third_parties(child: Child) -> list[dict[str, str]]:
    """Other people named in the child's record, with where: each is for the officer to review
    before release (the child's own data is theirs to have; someone else's may not be)."""
    found: dict[str, set[str]] = {}

    def note(name: str, where: str) -> None:
        name = name.strip()
        if name:
            found.setdefault(name, set()).add(where)

    for member in HouseholdMember.objects.filter(child=child):
        note(member.full_name, f"household ({member.get_relationship_display().lower()})")
    for witness in ConsentRecord.objects.filter(child=child).values_list("witness_name", flat=True):
        note(witness, "consent (witness)")
    for helper in OverToYou.objects.filter(child=child).values_list("helped_by", flat=True):
        note(helper, "Over to You (helped fill it in)")
    for plan in Plan.objects.filter(child=child).prefetch_related("interventions"):
        for intervention in plan.interventions.all():
            note(intervention.provider_name, "plan (named provider)")
    # A household member's name before it was corrected is still their name in the copy.
    for old_name in Rectification.objects.filter(
        child=child, household_member__isnull=False, field="full_name"
    ).values_list("old_value", flat=True):
        note(old_name, "corrections (a household member's name before it was corrected)")
    return [
        {"name": name, "appears_in": ", ".join(sorted(places))}
        for name, places in sorted(found.items())
    ]


def _redact(value: Any, names: list[str]) -> Any:
    if isinstance(value, str):
        for name in names:
            value = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REDACTED, value, flags=re.I)
        return value
    if isinstance(value, list):
        return [_redact(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _redact(item, names) for key, item in value.items()}
    return value


def _redactions(sar: SubjectAccessRequest) -> list[str]:
    """The names redacted: once released, those frozen with the release, so a copy produced
    again later is the copy that was sent."""
    if sar.status == SarStatus.RELEASED:
        return list(sar.released_redactions)
    return list(sar.redacted_names)


def bundle(sar: SubjectAccessRequest, *, produced_by: Any) -> dict[str, Any]:
    child = Child.objects.select_related("locality", "school").get(pk=sar.child_id)
    referrals = (
        Referral.objects.filter(child=child)
        .select_related("referrer", "referring_organisation", "panel")
        .prefetch_related("concerns")
        .order_by("submitted_at")
    )
    items = (
        AgendaItem.objects.filter(child=child)
        .select_related("meeting__panel", "added_by")
        .prefetch_related(
            "decisions__decided_by", "contributions__author", "contributions__organisation"
        )
        .order_by("meeting__starts_at")
    )
    minutes = (
        Minutes.objects.filter(meeting__items__child=child)
        .select_related("meeting__panel")
        .distinct()
    )
    plans = (
        Plan.objects.filter(child=child)
        .select_related("keyworker", "keyworker_organisation")
        .prefetch_related(
            "goals",
            "interventions__provider_organisation",
            "reviews__recorded_by",
            "reviews__progress__goal",
        )
        .order_by("opened_on")
    )
    notifications = Notification.objects.filter(
        Q(text__contains=child.reference) | Q(url__contains=child.reference)
    ).order_by("created_at")
    data: dict[str, Any] = {
        "format": FORMAT,
        "request": {
            "id": str(sar.pk),
            "requester_name": sar.requester_name,
            "requester": sar.get_requester_display(),
            "received_on": _iso(sar.received_on),
            "due_on": _iso(sar.due_on),
            "produced_at": _iso(timezone.now()),
            "produced_by": _person(produced_by),
            "redacted_names_count": len(_redactions(sar)),
            "status": sar.get_status_display(),
        },
        "child": _child(child),
        "addresses": [
            {
                "line_1": a.line_1,
                "line_2": a.line_2,
                "town": a.town,
                "postcode": a.postcode,
                "moved_in": _iso(a.moved_in),
                "moved_out": _iso(a.moved_out),
            }
            for a in child.addresses.all()
        ],
        "household": [
            {
                "full_name": m.full_name,
                "relationship": m.get_relationship_display(),
                "has_parental_responsibility": m.has_parental_responsibility,
                "lives_with_child": m.lives_with_child,
                "telephone": m.telephone,
            }
            for m in child.household.all()
        ],
        "team": [
            {
                "organisation": i.organisation.name,
                "worker": _person(i.worker),
                "role": i.get_role_display(),
                "started_on": _iso(i.started_on),
                "ended_on": _iso(i.ended_on),
            }
            for i in child.involvements.select_related("organisation", "worker")
        ],
        "referrals": [_referral(r) for r in referrals],
        "consent": [
            _consent(r)
            for r in ConsentRecord.objects.filter(child=child).select_related(
                "household_member", "organisation", "recorded_by"
            )
        ],
        "child_views": [
            {
                "recorded_on": _iso(v.recorded_on),
                "in_their_words": v.in_their_words,
                "competence": v.get_competence_display(),
                "competence_notes": v.competence_notes,
            }
            for v in ChildView.objects.filter(child=child)
        ],
        "assessments": [
            _assessment(a)
            for a in Assessment.objects.filter(child=child)
            .select_related("assessed_by", "organisation")
            .prefetch_related("ratings__domain")
        ],
        "over_to_you": [
            _over_to_you(o)
            for o in OverToYou.objects.filter(child=child).select_related("household_member")
        ],
        "panel": [_agenda_item(item) for item in items],
        "minutes_extracts": _minutes_extracts(child, minutes),
        "plans": [_plan(p) for p in plans],
        "actions": [
            _action(a)
            for a in Action.objects.filter(child=child).select_related("owner", "organisation")
        ],
        "safeguarding_concerns": [
            _concern(c)
            for c in SafeguardingConcern.objects.filter(child=child)
            .select_related("raised_by", "organisation")
            .prefetch_related("events__actor")
        ],
        "notifications": [
            {"sent_at": _iso(n.created_at), "to": _person(n.recipient), "text": n.text}
            for n in notifications.select_related("recipient")
        ],
        "rectifications": [
            {
                "at": _iso(r.created_at),
                "field": r.get_field_display(),
                "household_member": r.household_member.get_relationship_display()
                if r.household_member
                else None,
                "old_value": r.old_value,
                "new_value": r.new_value,
                "requested_by": r.requested_by,
                "reason": r.reason,
            }
            for r in Rectification.objects.filter(child=child).select_related("household_member")
        ],
        "restrictions": [
            {
                "started_at": _iso(r.created_at),
                "requested_by": r.requested_by,
                "reason": r.reason,
                "lifted_at": _iso(r.lifted_at),
                "lift_reason": r.lift_reason,
            }
            for r in Restriction.objects.filter(child=child)
        ],
        "audit_trail": [_audit(entry) for entry in audit_trail(child)],
        "third_parties": third_parties(child),
    }
    names = sorted(_redactions(sar), key=len, reverse=True)
    if names:
        data = _redact(data, names)
        data["third_parties"] = [
            party for party in data["third_parties"] if party["name"] != REDACTED
        ]
    return data
