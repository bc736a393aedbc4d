"""The assessment pages' forms. Each checks what it can show next to the field; the services
check everything again, so no other way in can skip a rule."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    Domain,
    DomainRating,
    Rating,
    Respondent,
    SeriousHarm,
)
from joinedup.assessments.questionnaires import Group, groups_for
from joinedup.assessments.services import AssessmentAnswers, DomainAnswer
from joinedup.children.models import HouseholdMember
from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.core.validators import no_markup
from joinedup.organisations.models import Organisation

EVIDENCE_MAX = 4000
# Only a page that was tampered with, or saved from a very old copy, lacks a good revision.
OUT_OF_DATE = "This page is out of date: open the assessment again and make your changes there"


def _not_in_future(value: date | None, label: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")
    return value


def _revision_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )


def _text_field(label: str, help_text: str, *, rows: int = 4) -> forms.CharField:
    # Fields added after GovukForm's own set-up get its markup check and messages here.
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=EVIDENCE_MAX,
        validators=[no_markup],
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {EVIDENCE_MAX} characters or fewer"},
    )


class AssessmentStartForm(GovukForm):
    kind = forms.ChoiceField(
        label="Which assessment is this?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which assessment this is",
            "invalid_choice": "Select which assessment this is from the list",
        },
    )
    organisation = forms.ChoiceField(
        label="Which organisation are you assessing for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation you are assessing for",
            "invalid_choice": "Select one of your own organisations",
        },
    )
    assessed_on = GovukDateField(
        label="Date of the assessment",
        help_text="The day you last met the child for it. For example, 27 3 2026",
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[AssessmentKind],
        organisations: list[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        if len(kinds) == 1:
            fields["kind"].initial = kinds[0].value
        if len(organisations) == 1:
            fields["organisation"].initial = str(organisations[0].pk)
        self.organisations = {str(o.pk): o for o in organisations}

    def clean_assessed_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("assessed_on"), "Date of the assessment")

    def chosen_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


@dataclass(frozen=True)
class DomainRow:
    domain: Domain
    rating: forms.BoundField
    evidence: forms.BoundField


RATING_CHOICES = [(str(value), f"{value} \N{EN DASH} {label}") for value, label in Rating.choices]


class AssessmentRatingsForm(GovukForm):
    """Every domain's rating and evidence, the strengths and the screening, on one page."""

    revision = _revision_field()
    protective_factors = forms.CharField(
        label="Protective factors and strengths",
        help_text=(
            "What is going well and who and what helps: family, friends, school, activities, "
            "faith, the child's own skills and hopes. Needed to complete the assessment."
        ),
        required=False,
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    serious_harm = forms.ChoiceField(
        label="Is there anything to suggest a risk of serious harm to other people?",
        help_text=(
            "A screening, not a judgement about the child: think about what has happened and "
            "what you have been told. Needed to complete the assessment."
        ),
        choices=SeriousHarm.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select no concerns, some concerns or significant"},
    )
    serious_harm_evidence = forms.CharField(
        label="What are the concerns based on? (unless there are none)",
        help_text="What happened, when, and who told you.",
        required=False,
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, ratings: list[DomainRating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = [rating.domain for rating in ratings]
        for domain in self.domains:
            self.fields[f"rating_{domain.key}"] = forms.ChoiceField(
                label=f"Rating for {domain.name.lower()}",
                help_text=domain.description,
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                error_messages={
                    "invalid_choice": (f"Select a rating between 0 and 4 for {domain.name.lower()}")
                },
            )
            self.fields[f"evidence_{domain.key}"] = _text_field(
                f"Evidence for the rating of {domain.name.lower()}",
                "What you saw, heard or were told, and by whom. Needed for a rating of 1 or more.",
            )
        self.order_fields(
            [name for d in self.domains for name in (f"rating_{d.key}", f"evidence_{d.key}")]
        )

    @staticmethod
    def initial_from(assessment: Assessment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "revision": assessment.revision,
            "protective_factors": assessment.protective_factors,
            "serious_harm": assessment.serious_harm,
            "serious_harm_evidence": assessment.serious_harm_evidence,
        }
        for rating in assessment.ratings.all():
            key = rating.domain.key
            initial[f"rating_{key}"] = "" if rating.rating is None else str(rating.rating)
            initial[f"evidence_{key}"] = rating.evidence
        return initial

    def domain_rows(self) -> list[DomainRow]:
        return [
            DomainRow(d, self[f"rating_{d.key}"], self[f"evidence_{d.key}"]) for d in self.domains
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for domain in self.domains:
            rating = cleaned.get(f"rating_{domain.key}")
            evidence_field = f"evidence_{domain.key}"
            if (
                rating
                and rating != "0"
                and not cleaned.get(evidence_field)
                and not self.errors.get(evidence_field)
            ):
                self.add_error(
                    evidence_field,
                    f"Enter the evidence for the rating of {domain.name.lower()}: every rating "
                    "of 1 or more needs it",
                )
        screening = cleaned.get("serious_harm")
        if (
            screening
            and screening != SeriousHarm.NONE
            and not cleaned.get("serious_harm_evidence")
            and not self.errors.get("serious_harm_evidence")
        ):
            self.add_error(
                "serious_harm_evidence",
                "Describe the concerns about serious harm to others and what they are based on",
            )
        return cleaned

    def answers(self) -> AssessmentAnswers:
        data = self.cleaned_data
        ratings = {}
        for domain in self.domains:
            rating = data.get(f"rating_{domain.key}")
            ratings[domain.key] = DomainAnswer(
                rating=int(rating) if rating else None,
                evidence=data.get(f"evidence_{domain.key}", ""),
            )
        return AssessmentAnswers(
            ratings=ratings,
            protective_factors=data["protective_factors"],
            serious_harm=data["serious_harm"],
            serious_harm_evidence=data["serious_harm_evidence"],
        )


class AssessmentCompleteForm(GovukForm):
    confirm = forms.BooleanField(
        label="I have checked the ratings and the evidence: this assessment is ready to complete",
        help_text="Once it is completed it cannot be changed. A review records what changes.",
        error_messages={"required": "Confirm that you have checked the assessment"},
    )
    revision = _revision_field()


class AssessmentCompareForm(GovukForm):
    """Which two versions to compare; the earlier of the two is always shown first."""

    earlier = forms.ChoiceField(
        label="Compare",
        required=False,
        error_messages={"invalid_choice": "Select a version of this child's assessment"},
    )
    later = forms.ChoiceField(
        label="with",
        required=False,
        error_messages={"invalid_choice": "Select a version of this child's assessment"},
    )

    def __init__(self, *args: Any, versions: list[Assessment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(a.pk), a.label) for a in versions]
        fields: Any = self.fields
        fields["earlier"].choices = choices
        fields["later"].choices = choices
        self.versions = {str(a.pk): a for a in versions}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        earlier, later = cleaned.get("earlier"), cleaned.get("later")
        if earlier and later and earlier == later:
            self.add_error("later", "Select two different versions to compare")
        elif bool(earlier) != bool(later) and not self.errors:
            missing = "later" if earlier else "earlier"
            self.add_error(missing, "Select both versions to compare")
        return cleaned

    def chosen(self) -> tuple[Assessment, Assessment] | None:
        """The chosen pair, earlier version first; None when nothing was chosen."""
        if not self.is_bound or not self.is_valid():
            return None
        earlier, later = self.cleaned_data.get("earlier"), self.cleaned_data.get("later")
        if not earlier or not later:
            return None
        pair = sorted((self.versions[earlier], self.versions[later]), key=lambda a: a.version)
        return pair[0], pair[1]


@dataclass(frozen=True)
class StatementGroup:
    title: str
    fields: list[forms.BoundField]


class OverToYouForm(GovukForm):
    """The child's or a parent's "Over to You": agree, not sure or disagree for each statement
    (none has to be answered), their own words, and, for the worker, who helped and when."""

    household_member = forms.ChoiceField(
        label="Who is filling it in?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who is filling it in",
            "invalid_choice": "Select who is filling it in from the child's parents and carers",
        },
    )
    in_their_words = forms.CharField(
        label="Is there anything else you want to tell us?",
        help_text="In your own words. You can write as much or as little as you like.",
        required=False,
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    helped_by = forms.CharField(
        label="Who helped fill it in?",
        help_text=(
            "Their name and role, for example 'Kit Jones, youth worker' or 'an interpreter'. "
            "Write 'Nobody' if nobody helped."
        ),
        max_length=150,
        error_messages={"required": "Enter who helped fill it in, or 'Nobody'"},
    )
    filled_on = GovukDateField(label="Date it was filled in", help_text="For example, 27 3 2026")

    def __init__(
        self,
        *args: Any,
        respondent: str,
        household: list[HouseholdMember],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.respondent = respondent
        self.groups: list[Group] = list(groups_for(respondent))
        for group in self.groups:
            for statement in group.statements:
                self.fields[statement.key] = forms.ChoiceField(
                    label=statement.text,
                    choices=Answer.choices,
                    widget=forms.RadioSelect,
                    required=False,
                    error_messages={
                        "invalid_choice": (
                            f"Select agree, not sure or disagree for “{statement.text}”"
                        )
                    },
                )
        statement_keys = [s.key for g in self.groups for s in g.statements]
        if respondent == Respondent.CHILD:
            del self.fields["household_member"]
            self.members: dict[str, HouseholdMember] = {}
            self.order_fields(statement_keys)
        else:
            member: Any = self.fields["household_member"]
            member.choices = [
                (str(m.pk), f"{m.full_name} ({m.get_relationship_display().lower()})")
                for m in household
            ]
            self.members = {str(m.pk): m for m in household}
            self.fields[
                "in_their_words"
            ].label = "Is there anything else you want to tell us about your child or your family?"
            self.order_fields(["household_member", *statement_keys])

    def statement_groups(self) -> list[StatementGroup]:
        return [
            StatementGroup(group.title, [self[s.key] for s in group.statements])
            for group in self.groups
        ]

    def clean_filled_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("filled_on"), "Date it was filled in")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        keys = [s.key for g in self.groups for s in g.statements]
        answered = any(cleaned.get(key) for key in keys)
        if (
            not answered
            and not cleaned.get("in_their_words")
            and not any(self.errors.get(key) for key in [*keys, "in_their_words"])
        ):
            self.add_error(
                keys[0], "Answer at least one question, or write something in the last box"
            )
        return cleaned

    def answers(self) -> dict[str, str]:
        return {
            s.key: self.cleaned_data[s.key]
            for g in self.groups
            for s in g.statements
            if self.cleaned_data.get(s.key)
        }

    def member(self) -> HouseholdMember | None:
        return self.members.get(self.cleaned_data.get("household_member") or "")
