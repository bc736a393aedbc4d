"""Forms for the meeting itself: attendance, declarations, decisions, minutes and the panel's
rules."""

from typing import Any

from django import forms
from django.utils import timezone

from joinedup.core.forms import GovukForm
from joinedup.panels.models import AttendanceStatus, DecisionOutcome

YES_NO = [("yes", "Yes"), ("no", "No")]
WHOLE_MEETING = "meeting"


def _when(meeting: Any) -> str:
    return f"{timezone.localtime(meeting.starts_at):%A %-d %B %Y, %H:%M}"


class AttendanceForm(GovukForm):
    """One question per member: deputies are recorded in the place of the member they stand
    in for."""

    def __init__(self, *args: Any, seats: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seats = seats
        for row in seats:
            seat = row.seat
            choices = [
                (AttendanceStatus.PRESENT.value, "Present"),
                (AttendanceStatus.APOLOGIES.value, "Sent apologies"),
                *[
                    (f"deputy:{deputy.pk}", f"Sent apologies; {deputy.user.display_name} attended")
                    for deputy in row.deputies
                ],
                (AttendanceStatus.ABSENT.value, "Absent without apologies"),
            ]
            initial = None
            if row.attendance is not None:
                initial = (
                    f"deputy:{row.attendance.deputy_id}"
                    if row.attendance.status == AttendanceStatus.DEPUTY
                    else row.attendance.status
                )
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=f"{seat.user.display_name}, {seat.organisation.name}"
                + ("" if seat.role == "member" else f" ({seat.get_role_display().lower()})"),
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select whether {seat.user.display_name} attended",
                    "invalid_choice": f"Select whether {seat.user.display_name} attended",
                },
            )

    def entries(self) -> list[tuple[Any, str, Any]]:
        """(seat, status, deputy seat or None) for each member."""
        rows = []
        for row in self.seats:
            answer = self.cleaned_data[f"seat_{row.seat.pk}"]
            deputy = None
            if answer.startswith("deputy:"):
                deputy = next(d for d in row.deputies if f"deputy:{d.pk}" == answer)
                answer = AttendanceStatus.DEPUTY.value
            rows.append((row.seat, answer, deputy))
        return rows


class DeclarationForm(GovukForm):
    member = forms.ChoiceField(label="Who is declaring an interest?")
    item = forms.ChoiceField(label="In what?", widget=forms.RadioSelect)
    interest = forms.CharField(
        label="What is the interest?",
        help_text="For example, 'Is a neighbour of the family' or 'Manages the school the child "
        "attends'. Do not write the child's name: declarations go into the minutes.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, members: list[Any], items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["member"].choices = [
            (str(seat.pk), f"{seat.user.display_name}, {seat.organisation.name}")
            for seat in members
        ]
        if len(members) == 1:
            fields["member"].initial = str(members[0].pk)
        fields["item"].choices = [
            (str(item.pk), f"The case of {item.child.pseudonym} ({item.child.reference})")
            for item in items
        ] + [(WHOLE_MEETING, "The whole meeting (they take part in no decision)")]


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        label="The panel's decision", choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    signpost_to = forms.CharField(
        label="If signposting: to which service?",
        help_text="For example, 'Barton Hill Settlement youth club, Tuesday evenings'",
        required=False,
        max_length=300,
    )
    deferred_to = forms.ChoiceField(label="If deferring: to which meeting?", required=False)
    defer_reason = forms.CharField(
        label="If deferring: why?",
        help_text="For example, 'Waiting for the school's attendance report'",
        required=False,
        max_length=500,
    )
    parents_concerned = forms.BooleanField(
        label="The parents or carers are concerned",
        help_text="Tick if the family told the panel so, even if no referral came from them.",
        required=False,
    )
    keyworker = forms.ChoiceField(
        label="Lead keyworker, if the panel decides on a plan",
        help_text="The plan opens with them as the child's lead keyworker, from any agency. "
        "Not needed when the child's plan is already open: the decision continues it.",
        required=False,
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        help_text="What the panel weighed, in plain words. Use the pseudonym, never the "
        "child's name: the reasons go into the minutes.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    against_rule_reason = forms.CharField(
        label="If the decision goes against the prioritisation rule: why? (optional otherwise)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    correction_reason = forms.CharField(
        label="If correcting the decision: why?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args: Any, later_meetings: list[Any], keyworkers: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.later_meetings = later_meetings
        self._keyworkers = {str(m.pk): m for m in keyworkers}
        keyworker: Any = self.fields["keyworker"]
        keyworker.choices = [("", "No keyworker chosen")] + [
            (str(m.pk), f"{m.user.display_name}, {m.organisation.name}") for m in keyworkers
        ]
        field: Any = self.fields["deferred_to"]
        field.choices = [("", "No meeting chosen")] + [
            (str(meeting.pk), _when(meeting)) for meeting in later_meetings
        ]

    def chosen_keyworker(self) -> tuple[Any, Any]:
        membership = self._keyworkers.get(self.cleaned_data.get("keyworker") or "")
        return (membership.user, membership.organisation) if membership else (None, None)

    def deferred_meeting(self) -> Any:
        chosen = self.cleaned_data.get("deferred_to")
        return next((m for m in self.later_meetings if str(m.pk) == chosen), None)


class MinutesEditForm(GovukForm):
    text = forms.CharField(
        label="Minutes",
        help_text="Children by pseudonym and reference only: the minutes go to every member.",
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 30}),
        strip=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MinutesApproveForm(GovukForm):
    minutes = forms.ChoiceField(
        label="Which minutes did the panel approve at this meeting?", widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["minutes"]
        field.choices = [
            (str(minutes.pk), f"The meeting of {_when(minutes.meeting)}") for minutes in choices
        ]


class QuorumForm(GovukForm):
    minimum_members = forms.IntegerField(
        label="Members taking part, at least",
        help_text="Members present and deputies in a member's place, without anyone who "
        "declared an interest in the case. From 1 to 50.",
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    minimum_agencies = forms.IntegerField(
        label="Different agencies among them, at least",
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    chair_required = forms.ChoiceField(
        label="Must the chair (or the chair's deputy) be there?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    delegated_authority_required = forms.ChoiceField(
        label="Must someone who can commit their agency's resources be there?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )


class PrioritisationForm(GovukForm):
    minimum_agencies = forms.IntegerField(
        label="Agencies concerned, at least",
        help_text="Different organisations that referred the child. From 1 to 20.",
        min_value=1,
        max_value=20,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    parents_concerned_qualifies = forms.ChoiceField(
        label="Do the parents' or carers' concerns qualify on their own?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    minimum_risk_factors = forms.IntegerField(
        label="Risk factors present, at least",
        help_text="Areas of the latest completed assessment rated at or above the rating below. "
        "From 1 to 30.",
        min_value=1,
        max_value=30,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    risk_rating_from = forms.ChoiceField(
        label="An area counts as a risk factor when rated",
        choices=[(str(n), f"{n} or more") for n in range(1, 5)],
        widget=forms.RadioSelect,
    )
    change_summary = forms.CharField(
        label="Why does the rule change?",
        help_text="Kept with the new version; decisions already made keep the rule they used.",
        max_length=300,
    )
