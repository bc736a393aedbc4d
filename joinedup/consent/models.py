"""Consent as data (DESIGN.md, rule 2): who agreed to what, how, when, until when, and when
they changed their mind. Records are never deleted or edited: a withdrawal is a new state of
the record it withdraws, and giving consent again is a new record."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from joinedup.children.models import Child, HouseholdMember
from joinedup.consent.uploads import PrivateStorage, signed_form_name
from joinedup.core.models import BaseModel
from joinedup.organisations.models import Organisation


class Scope(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment of the child's needs"
    PANEL_DISCUSSION = "panel_discussion", "Discussion at the panel"
    SHARE = "share", "Sharing with a named organisation"
    CONTACT = "contact", "Contact by services"


class GivenBy(models.TextChoices):
    PARENT = "parent", "A parent or carer with parental responsibility"
    CHILD = "child", "The child, judged competent to consent"


class Method(models.TextChoices):
    SIGNED_FORM = "signed_form", "Signed consent form"
    VERBAL = "verbal", "Said so, with a witness"
    ELECTRONIC = "electronic", "Electronically (for example by email or an online form)"


class HowTold(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    TELEPHONE = "telephone", "By telephone"
    WRITING = "writing", "In writing (letter, email or text message)"
    THROUGH_SOMEONE = "through_someone", "Through someone else working with the family"


class ConsentRecord(BaseModel):
    """One person's consent to one thing: for sharing, with one named organisation."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="consent_records")
    given_by = models.CharField(max_length=10, choices=GivenBy.choices)
    household_member = models.ForeignKey(
        HouseholdMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_records",
    )
    scope = models.CharField(max_length=20, choices=Scope.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_records",
    )
    method = models.CharField(max_length=12, choices=Method.choices)
    witness_name = models.CharField(max_length=150, blank=True)
    signed_form = models.FileField(
        storage=PrivateStorage(), upload_to=signed_form_name, blank=True, max_length=200
    )
    signed_form_type = models.CharField(max_length=40, blank=True)
    given_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_recorded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    withdrawal_told_us = models.CharField(max_length=20, choices=HowTold.choices, blank=True)

    class Meta:
        ordering = ["scope", "-given_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(given_by=GivenBy.PARENT, household_member__isnull=False)
                    | Q(given_by=GivenBy.CHILD, household_member__isnull=True)
                ),
                name="consent_given_by_parent_or_child",
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.SHARE, organisation__isnull=False)
                    | (~Q(scope=Scope.SHARE) & Q(organisation__isnull=True))
                ),
                name="consent_sharing_names_one_organisation",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("given_on")),
                name="consent_expires_after_given",
            ),
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_on__isnull=True, withdrawal_recorded_at__isnull=True)
                    | Q(withdrawn_on__isnull=False, withdrawal_recorded_at__isnull=False)
                ),
                name="consent_withdrawal_complete",
            ),
        ]
        indexes = [models.Index(fields=["child", "scope"])]

    def __str__(self) -> str:
        return f"Consent ({self.get_scope_display()}) for {self.child}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    @property
    def giver_label(self) -> str:
        if self.household_member is not None:
            member = self.household_member
            return f"{member.full_name} ({member.get_relationship_display().lower()})"
        return "The child"

    @property
    def what_label(self) -> str:
        if self.scope == Scope.SHARE and self.organisation is not None:
            return f"Sharing with {self.organisation.name}"
        return self.get_scope_display()


class Competence(models.TextChoices):
    """Gillick (Fraser) competence: whether the child understands enough to decide for
    themself. Judged by the worker for this decision, at this time."""

    COMPETENT = "competent", "Judged competent to consent for themself"
    NOT_COMPETENT = "not_competent", "Not judged competent to consent for themself"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class ChildView(BaseModel):
    """The child's own say, in their words: recorded for every child, whatever their age."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="views")
    in_their_words = models.TextField()
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    competence = models.CharField(
        max_length=16, choices=Competence.choices, default=Competence.NOT_ASSESSED
    )
    competence_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on", "-created_at"]

    def __str__(self) -> str:
        return f"View of {self.child}"
