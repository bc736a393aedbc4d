"""The plan's forms. Each edit form carries the plan's revision it was loaded at, so a save
over someone else's later save is refused (see services._claim)."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.assessments.models import Assessment
from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.core.validators import no_markup
from joinedup.directory.models import Service as DirectoryService
from joinedup.organisations.models import Organisation
from joinedup.plans.models import (
    DEFAULT_REVIEW_WEEKS,
    MAX_REVIEW_WEEKS,
    Goal,
    GoalStatus,
    InterventionStatus,
    Outcome,
    Plan,
    Progress,
    Purpose,
    SaidBy,
)
from joinedup.plans.services import TEXT_MAX, InterventionDetails, PlanDetails, ProgressGiven

OUT_OF_DATE = "This page is out of date: open the plan again and make your changes there"


def _revision_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )


def _text(label: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _not_in_future(value: date | None, label: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")
    return value


def _weeks_field() -> forms.IntegerField:
    message = f"Weeks between reviews must be a whole number from 1 to {MAX_REVIEW_WEEKS}"
    return forms.IntegerField(
        label="Weeks between reviews",
        help_text=f"Usually {DEFAULT_REVIEW_WEEKS}.",
        min_value=1,
        max_value=MAX_REVIEW_WEEKS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the weeks between reviews",
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class KeyworkerChoice:
    """The lead keyworker is chosen as one of their keyworker roles: a person at an
    organisation."""

    def _set_keyworkers(self, memberships: list[Membership]) -> None:
        form: Any = self
        form.fields["keyworker"].choices = [
            ("", "Select a keyworker"),
            *[(str(m.pk), f"{m.user.display_name}, {m.organisation.name}") for m in memberships],
        ]
        self._memberships = {str(m.pk): m for m in memberships}

    def chosen_keyworker(self) -> tuple[Any, Organisation]:
        form: Any = self
        membership = self._memberships[form.cleaned_data["keyworker"]]
        return membership.user, membership.organisation


def _keyworker_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Lead keyworker",
        help_text="From any partner, voluntary and community groups included. They join the "
        "team around the child and can see and update the plan.",
        error_messages={
            "required": "Select the lead keyworker",
            "invalid_choice": "Select a keyworker from the list",
        },
    )


class PlanStartForm(KeyworkerChoice, GovukForm):
    keyworker = _keyworker_field()
    opened_on = GovukDateField(label="Date the plan starts", help_text="For example, 27 3 2026")
    contingency = _text(
        "If things go wrong",
        "What the child, the family and the keyworker will do if things get harder, and who to "
        "call. You can add this later.",
    )
    review_interval_weeks = _weeks_field()

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_keyworkers(memberships)

    def clean_opened_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("opened_on"), "Date the plan starts")


class PlanEditForm(KeyworkerChoice, GovukForm):
    revision = _revision_field()
    keyworker = _keyworker_field()
    contingency = _text(
        "If things go wrong",
        "What the child, the family and the keyworker will do if things get harder, and who to "
        "call.",
    )
    review_interval_weeks = _weeks_field()
    next_review_on = GovukDateField(label="Date of the next review")

    def __init__(
        self, *args: Any, memberships: list[Membership], plan: Plan, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._set_keyworkers(memberships)
        if not self.is_bound:
            current = next(
                (
                    key
                    for key, m in self._memberships.items()
                    if m.user_id == plan.keyworker_id
                    and m.organisation_id == plan.keyworker_organisation_id
                ),
                "",
            )
            self.initial.update(
                revision=plan.revision,
                keyworker=current,
                contingency=plan.contingency,
                review_interval_weeks=plan.review_interval_weeks,
                next_review_on=plan.next_review_on,
            )

    def details(self) -> PlanDetails:
        user, organisation = self.chosen_keyworker()
        return PlanDetails(
            keyworker=user,
            keyworker_organisation=organisation,
            contingency=self.cleaned_data["contingency"],
            review_interval_weeks=self.cleaned_data["review_interval_weeks"],
            next_review_on=self.cleaned_data["next_review_on"],
        )


class GoalForm(GovukForm):
    revision = _revision_field()
    in_their_words = _text(
        "The goal, in their own words",
        "Write it exactly as the child or family say it. It is shown to them as written.",
        required=True,
    )
    said_by = forms.ChoiceField(
        label="Who said it?",
        choices=SaidBy.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who said it",
            "invalid_choice": "Select who said it from the list",
        },
    )


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(
        label="Where does the goal stand?",
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select where the goal stands",
            "invalid_choice": "Select where the goal stands from the list",
        },
    )
    position = forms.IntegerField(
        label="Position in the list",
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the position in the list",
            "invalid": "Position must be a whole number, like 1",
            "min_value": "Position must be 1 or more",
        },
    )

    def __init__(self, *args: Any, goal: Goal, revision: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                revision=revision,
                in_their_words=goal.in_their_words,
                said_by=goal.said_by,
                status=goal.status,
                position=goal.position,
            )


NOT_IN_DIRECTORY = "It is not in the directory"
PURPOSE_HELP = (
    "Used to notice when two organisations offer the child the same kind of support. For a "
    "service from the directory this comes from the needs it meets, when they make it clear."
)


class InterventionForm(GovukForm):
    """A piece of support: a service found in the directory (the search on the page lists
    them), or one that is not listed, described in words."""

    revision = _revision_field()
    directory_service = forms.ChoiceField(
        label="Choose the service",
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": f"Choose a service from the list, or “{NOT_IN_DIRECTORY}”",
        },
    )
    service = forms.CharField(
        label="Service or activity",
        help_text="For example, weekly mentoring, a football club, family support sessions.",
        max_length=200,
        required=False,
    )
    purpose = forms.ChoiceField(
        label="What is it for?",
        help_text=PURPOSE_HELP,
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select what the support is for from the list"},
    )
    provider_organisation = forms.ChoiceField(
        label="Provided by (a partner organisation)",
        required=False,
        error_messages={"invalid_choice": "Select a partner organisation from the list"},
    )
    provider_name = forms.CharField(
        label="Or the provider's name, if not a partner",
        required=False,
        max_length=200,
    )
    starts_on = GovukDateField(label="Start date", help_text="For example, 27 3 2026")
    frequency = forms.CharField(
        label="How often", help_text="For example, every Tuesday after school", max_length=150
    )
    status = forms.ChoiceField(
        label="Where does it stand?",
        choices=InterventionStatus.choices,
        widget=forms.RadioSelect,
        initial=InterventionStatus.PLANNED,
        error_messages={
            "required": "Select where the support stands",
            "invalid_choice": "Select where the support stands from the list",
        },
    )
    stopped_reason = _text("If it stopped early, why")
    goals = forms.MultipleChoiceField(
        label="Which goals does it help with? (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select goals from this plan"},
    )

    # Shown in the part of the page for a service that is not in the directory.
    TYPED_FIELDS = ("service", "purpose", "provider_organisation", "provider_name")

    def __init__(
        self,
        *args: Any,
        providers: list[Organisation],
        goals: list[Goal],
        revision: int,
        intervention: Any = None,
        directory_services: list[DirectoryService] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["provider_organisation"].choices = [
            ("", "Not a partner organisation"),
            *[(str(o.pk), o.name) for o in providers],
        ]
        fields["goals"].choices = [(str(g.pk), f"{g.position}. {g.in_their_words}") for g in goals]
        self.directory_services = list(directory_services or [])
        fields["directory_service"].choices = [
            *[(str(s.pk), s.name) for s in self.directory_services],
            ("", NOT_IN_DIRECTORY),
        ]
        self._directory = {str(s.pk): s for s in self.directory_services}
        self._providers = {str(o.pk): o for o in providers}
        self._goals = {str(g.pk): g for g in goals}
        if not self.is_bound:
            self.initial["revision"] = revision
            if intervention is not None:
                self.initial.update(
                    directory_service=str(intervention.directory_service_id or ""),
                    service=intervention.service,
                    purpose=intervention.purpose,
                    provider_organisation=str(intervention.provider_organisation_id or ""),
                    provider_name=intervention.provider_name,
                    starts_on=intervention.starts_on,
                    frequency=intervention.frequency,
                    status=intervention.status,
                    stopped_reason=intervention.stopped_reason,
                    goals=[str(g.pk) for g in intervention.goals.all()],
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("directory_service") or "directory_service" in self.errors:
            return cleaned
        # Not from the directory: the keyworker says what it is and what it is for.
        if "service" not in self.errors and not cleaned.get("service"):
            self.add_error("service", "Enter service or activity")
        if "purpose" not in self.errors and not cleaned.get("purpose"):
            self.add_error("purpose", "Select what the support is for")
        return cleaned

    def directory_rows(self) -> list[tuple[Any, DirectoryService | None]]:
        """Each radio of the directory choice with its service (None for "not in the
        directory"), so the page can say who runs it, for what ages and needs."""
        return [
            (choice, self._directory.get(str(choice.data["value"])))
            for choice in self["directory_service"]
        ]

    def typed_fields(self) -> list[Any]:
        return [self[name] for name in self.TYPED_FIELDS]

    def other_fields(self) -> list[Any]:
        skip = {"directory_service", *self.TYPED_FIELDS}
        return [field for field in self.visible_fields() if field.name not in skip]

    def details(self) -> InterventionDetails:
        data = self.cleaned_data
        return InterventionDetails(
            service=data["service"],
            purpose=data["purpose"],
            provider_organisation=self._providers.get(data["provider_organisation"] or ""),
            provider_name=data["provider_name"],
            starts_on=data["starts_on"],
            frequency=data["frequency"],
            status=data["status"],
            stopped_reason=data["stopped_reason"],
            goals=[self._goals[key] for key in data["goals"]],
            directory_service=self._directory.get(data["directory_service"] or ""),
        )


PROGRESS_CHOICES = [(str(value), label) for value, label in Progress.choices]


class ReviewForm(GovukForm):
    revision = _revision_field()
    held_on = GovukDateField(label="Date of the review", help_text="For example, 27 3 2026")
    child_view = _text(
        "What the child says, in their words",
        "How they think it is going, what helps, what they want next.",
        required=True,
    )
    family_view = _text("What the family says, in their words")
    assessment = forms.ChoiceField(
        label="Re-assessment done for this review (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a completed review of the assessment"},
    )
    next_review_on = GovukDateField(
        label="Date of the next review (optional)",
        required=False,
        help_text="Leave blank for the usual interval after this review.",
    )

    def __init__(
        self,
        *args: Any,
        goals: list[Goal],
        assessments: list[Assessment],
        revision: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for number, goal in enumerate(goals, start=1):
            self.fields[f"progress_{goal.pk}"] = forms.ChoiceField(
                label=f"Progress on goal {number}",
                choices=PROGRESS_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select the progress on goal {number}",
                    "invalid_choice": f"Select one of the answers for goal {number}",
                },
            )
            self.fields[f"words_{goal.pk}"] = forms.CharField(
                label=f"What was said about goal {number}",
                required=False,
                max_length=TEXT_MAX,
                validators=[no_markup],
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"What was said about goal {number} must be {TEXT_MAX} "
                    "characters or fewer"
                },
            )
        fields: Any = self.fields
        fields["assessment"].choices = [
            ("", "No re-assessment"),
            *[(str(a.pk), f"{a.label} ({a.assessed_on:%d %B %Y})") for a in assessments],
        ]
        self._assessments = {str(a.pk): a for a in assessments}
        if not self.is_bound:
            self.initial.update(revision=revision, held_on=timezone.localdate())

    def clean_held_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("held_on"), "Date of the review")

    def goal_rows(self) -> list[tuple[Goal, Any, Any]]:
        return [(g, self[f"progress_{g.pk}"], self[f"words_{g.pk}"]) for g in self.goals]

    def progress(self) -> dict[Any, ProgressGiven]:
        return {
            goal.pk: ProgressGiven(
                progress=int(self.cleaned_data[f"progress_{goal.pk}"]),
                in_words=self.cleaned_data[f"words_{goal.pk}"],
            )
            for goal in self.goals
        }

    def chosen_assessment(self) -> Assessment | None:
        return self._assessments.get(self.cleaned_data["assessment"] or "")


class PlanCloseForm(GovukForm):
    revision = _revision_field()
    closed_on = GovukDateField(label="Date the plan closes", help_text="For example, 27 3 2026")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the outcome",
            "invalid_choice": "Select the outcome from the list",
        },
    )
    outcome_reason = _text("Reason for closing", required=True)
    what_changed = _text(
        "What has changed", "For the child and family since the plan started.", required=True
    )
    child_view = _text("What the child says, in their words", required=True)
    family_view = _text("What the family says, in their words")
    support_continuing = _text(
        "What support continues", "Services or groups the child and family keep going to."
    )
    follow_up_on = GovukDateField(
        label="Date to follow up (optional)",
        required=False,
        help_text="Leave blank for three months after closing.",
    )

    def __init__(self, *args: Any, revision: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(revision=revision, closed_on=timezone.localdate())

    def clean_closed_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("closed_on"), "Date the plan closes")
