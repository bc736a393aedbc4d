"""The panel's prioritisation rule, evaluated for one child from the record.

The default mirrors the Youth Inclusion and Support Panel entry rule: two or more agencies
concerned, or the parents or carers concerned, or four or more risk factors present. From the
record: agencies concerned are the distinct organisations that referred the child; parents are
concerned when a referral came from a parent or carer (or the coordinator says so on the
decision); a risk factor is an area rated 2 or more on the child's latest completed assessment.
Each decision keeps the evaluation, so "why some children benefit while others do not" can be
answered later, whatever the rule has become since."""

import re
from dataclasses import dataclass
from typing import Any

from joinedup.assessments.models import Assessment, AssessmentStatus, DomainRating
from joinedup.panels.models import DecisionOutcome, PrioritisationRule
from joinedup.referrals.models import Referral

# Words in "your relationship to the child" that say a parent or carer referred.
PARENT_WORDS = frozenset(
    {"parent", "mother", "father", "mum", "dad", "carer", "guardian", "grandparent", "stepparent"}
)


def default_rule(panel: Any) -> PrioritisationRule:
    """The rule a panel uses until it adopts its own: version 0, not saved."""
    return PrioritisationRule(panel=panel, version=0)


def current_rule(panel: Any) -> PrioritisationRule:
    """The panel's newest version, or the default."""
    return PrioritisationRule.objects.filter(panel=panel).order_by(
        "-version"
    ).first() or default_rule(panel)


def rule_text(rule: PrioritisationRule) -> str:
    parts = [f"{rule.minimum_agencies} or more agencies concerned"]
    if rule.parents_concerned_qualifies:
        parts.append("the parents or carers concerned")
    parts.append(
        f"{rule.minimum_risk_factors} or more risk factors present (areas of the latest "
        f"completed assessment rated {rule.risk_rating_from} or more)"
    )
    return "Priority for an integrated support plan when " + ", or ".join(parts)


def version_label(rule: PrioritisationRule) -> str:
    return f"version {rule.version}" if rule.version else "the default rule"


def referred_by_a_parent(relationship_to_child: str) -> bool:
    words = set(re.findall(r"[a-z]+", relationship_to_child.lower().replace("-", "")))
    return bool(words & PARENT_WORDS)


@dataclass(frozen=True)
class CaseInputs:
    agencies: tuple[str, ...]
    parents_referred: bool
    assessment: str  # which assessment the risk factors come from; "" when none is completed
    risk_factors: tuple[str, ...]


def inputs_for(child: Any, rule: PrioritisationRule) -> tuple[CaseInputs, Assessment | None]:
    """Read from the record what the rule needs (three queries, whatever the child's history)."""
    referrals = list(
        Referral.objects.filter(child=child)
        .order_by("submitted_at")
        .values_list("referring_organisation__name", "relationship_to_child")
    )
    agencies = tuple(sorted({name for name, _ in referrals}))
    assessment = (
        Assessment.objects.filter(child=child, status=AssessmentStatus.COMPLETED)
        .order_by("-completed_at", "-version")
        .first()
    )
    risks: tuple[str, ...] = ()
    if assessment is not None:
        risks = tuple(
            DomainRating.objects.filter(assessment=assessment, rating__gte=rule.risk_rating_from)
            .order_by("domain__order", "domain__name")
            .values_list("domain__name", flat=True)
        )
    return (
        CaseInputs(
            agencies=agencies,
            parents_referred=any(referred_by_a_parent(r) for _, r in referrals),
            assessment=(
                f"{assessment.label}, completed {assessment.completed_at:%d %B %Y}"
                if assessment is not None and assessment.completed_at
                else ""
            ),
            risk_factors=risks,
        ),
        assessment,
    )


@dataclass(frozen=True)
class Evaluation:
    rule_version: int
    rule_text: str
    rule_label: str
    inputs: CaseInputs
    parents_ticked: bool
    agencies_met: bool
    parents_met: bool
    risks_met: bool

    @property
    def met(self) -> bool:
        return self.agencies_met or self.parents_met or self.risks_met

    @property
    def parents_concerned(self) -> bool:
        return self.inputs.parents_referred or self.parents_ticked

    def goes_against(self, outcome: str) -> bool:
        """A plan for a child the rule does not prioritise, or none for a child it does.
        Deferring and escalating to safeguarding never go against it."""
        if outcome == DecisionOutcome.SUPPORT_PLAN:
            return not self.met
        if outcome in (DecisionOutcome.SIGNPOST, DecisionOutcome.NO_FURTHER_ACTION):
            return self.met
        return False

    def snapshot(self) -> dict[str, Any]:
        return {
            "rule_version": self.rule_version,
            "rule_text": self.rule_text,
            "agencies": list(self.inputs.agencies),
            "agencies_count": len(self.inputs.agencies),
            "agencies_met": self.agencies_met,
            "parents_referred": self.inputs.parents_referred,
            "parents_ticked": self.parents_ticked,
            "parents_met": self.parents_met,
            "assessment": self.inputs.assessment,
            "risk_factors": list(self.inputs.risk_factors),
            "risk_factors_count": len(self.inputs.risk_factors),
            "risks_met": self.risks_met,
            "met": self.met,
        }


def evaluate(
    rule: PrioritisationRule, inputs: CaseInputs, *, parents_ticked: bool = False
) -> Evaluation:
    parents = inputs.parents_referred or parents_ticked
    return Evaluation(
        rule_version=rule.version,
        rule_text=rule_text(rule),
        rule_label=version_label(rule),
        inputs=inputs,
        parents_ticked=parents_ticked,
        agencies_met=len(inputs.agencies) >= rule.minimum_agencies,
        parents_met=rule.parents_concerned_qualifies and parents,
        risks_met=len(inputs.risk_factors) >= rule.minimum_risk_factors,
    )
