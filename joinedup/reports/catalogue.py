"""The figures JoinedUp reports and the recorded fields each is built from (docs/reports.md).

Plain data, no queries: the report page, the exports, stories (which illustrate a figure) and
the data-quality page (which says how complete the fields behind each figure are) all name
figures and fields by these keys, so a key never changes once data refers to it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportedField:
    key: str
    label: str


# Every field a figure counts by. The data-quality page measures each one's completeness and
# validity per panel and month.
REPORTED_FIELDS: tuple[ReportedField, ...] = (
    ReportedField("child.date_of_birth", "Child's date of birth"),
    ReportedField("child.sex", "Child's sex"),
    ReportedField("child.ethnicity", "Child's ethnicity"),
    ReportedField("child.religion", "Child's religion or faith"),
    ReportedField("child.locality", "Child's locality"),
    ReportedField("referral.referring_organisation", "Referring organisation"),
    ReportedField("organisation.sector", "Referring organisation's sector"),
    ReportedField("referral.panel", "Panel the referral went to"),
    ReportedField("decision.outcome", "Panel decision"),
    ReportedField("plan.opened_on", "Date the plan opened"),
    ReportedField("plan.outcome", "Outcome when the plan closed"),
    ReportedField("plan.outcome_reason", "Reason the plan closed"),
    ReportedField("intervention.starts_on", "Date a service started"),
    ReportedField("assessment.ratings", "Assessment ratings"),
    ReportedField("attendance.status", "Meeting attendance"),
    ReportedField("action.completed_at", "Date an action was completed"),
)
FIELD_LABELS = {field.key: field.label for field in REPORTED_FIELDS}


@dataclass(frozen=True)
class FigureSpec:
    key: str
    title: str
    fields: tuple[str, ...]


# In the order the report shows them.
FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("referrals_by_month", "Referrals by month", ("referral.panel",)),
    FigureSpec(
        "referrals_by_organisation",
        "Referrals by referring organisation",
        ("referral.referring_organisation",),
    ),
    FigureSpec("referrals_by_sector", "Referrals by sector", ("organisation.sector",)),
    FigureSpec("referrals_by_locality", "Referrals by locality", ("child.locality",)),
    FigureSpec("referrals_by_age", "Referrals by age", ("child.date_of_birth",)),
    FigureSpec("referrals_by_sex", "Referrals by sex", ("child.sex",)),
    FigureSpec("referrals_by_ethnicity", "Referrals by ethnicity", ("child.ethnicity",)),
    FigureSpec("referrals_by_religion", "Referrals by religion or faith", ("child.religion",)),
    FigureSpec(
        "referral_conversion",
        "From referral to plan",
        ("decision.outcome", "plan.opened_on"),
    ),
    FigureSpec("time_to_decision", "Days from referral to panel decision", ("decision.outcome",)),
    FigureSpec(
        "time_to_first_service",
        "Days from referral to first service",
        ("intervention.starts_on",),
    ),
    FigureSpec("plans_open_closed", "Plans opened, closed and open", ("plan.opened_on",)),
    FigureSpec(
        "plan_outcomes", "Plans closed, by outcome", ("plan.outcome", "plan.outcome_reason")
    ),
    FigureSpec(
        "assessment_change",
        "Change in assessment ratings from first assessment to closure",
        ("assessment.ratings",),
    ),
    FigureSpec(
        "assessment_mean_change",
        "Average change in assessment ratings from first assessment to closure",
        ("assessment.ratings",),
    ),
    FigureSpec("attendance_by_agency", "Panel attendance by agency", ("attendance.status",)),
    FigureSpec("actions_by_agency", "Actions completed by agency", ("action.completed_at",)),
    FigureSpec("services_used", "Services used", ("intervention.starts_on",)),
    FigureSpec(
        "services_waiting",
        "Waiting times for services",
        ("plan.opened_on", "intervention.starts_on"),
    ),
)
FIGURE_TITLES = {figure.key: figure.title for figure in FIGURES}
