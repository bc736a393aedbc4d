"""Child-protection concerns (DESIGN.md, rule 2: the one override of consent, and recorded).

A concern is raised by anyone working with children, about a child in JoinedUp, a reference
they were given, or a child described in words; it is routed at once to designated
safeguarding leads, who acknowledge it, record what they did and close it with an outcome.
What happened to a concern is kept as append-only events beside it.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.children.models import Child
from joinedup.core.models import AppendOnlyError, BaseModel
from joinedup.organisations.models import Locality, Organisation


class ConcernSource(models.TextChoices):
    CHILD_RECORD = "child_record", "Raised from the child's record"
    SAFEGUARDING_PAGE = "safeguarding_page", "Raised from the safeguarding page"
    REFERRAL = "referral", "A referral with a safeguarding concern"
    PANEL_DECISION = "panel_decision", "A panel decision to escalate to safeguarding"


class Routing(models.TextChoices):
    CLOSE_TO_THE_CHILD = (
        "close",
        "Safeguarding leads of the organisation that raised it and of the organisations working "
        "with the child",
    )
    LOCALITY = "locality", "Safeguarding leads of the organisations serving the child's locality"
    PARTNERSHIP = "partnership", "Every safeguarding lead in the partnership"
    NO_LEAD = "no_lead", "Nobody: there is no designated safeguarding lead in JoinedUp"


class Outcome(models.TextChoices):
    FRONT_DOOR = (
        "front_door",
        "Referred to children's social care front door (MASH)",
    )
    ALREADY_KNOWN = (
        "already_known",
        "Already known to children's social care: information passed on",
    )
    POLICE = "police", "Reported to the police"
    EARLY_HELP = "early_help", "Early help or other support offered instead"
    ADVICE = "advice", "Advice given to the person who raised it"
    NO_FURTHER_ACTION = "no_further_action", "No further safeguarding action"


class ConcernStatus(models.TextChoices):
    NEW = "new", "New: not yet acknowledged"
    ACKNOWLEDGED = "acknowledged", "Acknowledged: a safeguarding lead is dealing with it"
    CLOSED = "closed", "Closed"


class SafeguardingConcern(BaseModel):
    # A child in JoinedUp; or, when the person raising it could not name a record, the
    # reference they were given and/or their description of the child.
    child = models.ForeignKey(
        Child,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safeguarding_concerns",
    )
    reference_given = models.CharField(max_length=12, blank=True)
    child_description = models.TextField(blank=True)
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="safeguarding_concerns"
    )
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    what_happened = models.TextField()
    why_worried = models.TextField()
    immediate_danger = models.BooleanField(default=False)
    source = models.CharField(max_length=20, choices=ConcernSource.choices)
    # The record it came from (a referral, a panel decision), by type and id only, so that this
    # app depends on none of them.
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    routing = models.CharField(max_length=12, choices=Routing.choices)
    # Consent is never asked for; where it was not in force for sharing with a lead's
    # organisation, the record says so: [{"organisation": name, "consent": "missing" | ...}].
    raised_without_consent = models.BooleanField(default=False)
    consent_overridden = models.JSONField(default=list, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False)
                | ~Q(reference_given="")
                | ~Q(child_description=""),
                name="concern_says_which_child",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(outcome=""),
                name="closed_concern_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: str() ends up in logs and admin lists.
        return f"Safeguarding concern {str(self.pk)[:8]}"

    @property
    def status(self) -> str:
        if self.closed_at is not None:
            return ConcernStatus.CLOSED
        if self.acknowledged_at is not None:
            return ConcernStatus.ACKNOWLEDGED
        return ConcernStatus.NEW

    def get_status_display(self) -> str:
        return str(ConcernStatus(self.status).label)

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8].upper()


class ConcernRecipient(BaseModel):
    """A designated safeguarding lead the concern was routed to, in the organisation where
    they hold the role. Need to know follows it while the concern is open."""

    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, related_name="recipients"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_routed"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "lead"], name="concern_routed_once")
        ]

    def __str__(self) -> str:
        return f"{self.concern} to {self.lead}"


class EventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    ROUTED = "routed", "Routed to the safeguarding leads"
    NO_LEAD = "no_lead", "No safeguarding lead: the system administrators were told"
    EMAIL_FAILED = "email_failed", "The email could not be sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACTION = "action", "Action recorded"
    CLOSED = "closed", "Closed"


class ConcernEventQuerySet(models.QuerySet["ConcernEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("What was done about a concern cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("What was done about a concern cannot be deleted.")


class ConcernEvent(models.Model):
    """One thing that happened to a concern, in order; never changed or removed."""

    id = models.BigAutoField(primary_key=True)
    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    text = models.TextField(blank=True)

    objects = ConcernEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.concern})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("What was done about a concern cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("What was done about a concern cannot be deleted.")
