"""A child's case moving from one locality's panel to another's when the child moves home: who
asked, why, what the receiving panel needs to know (the handover), and the receiving panel's
answer. A transfer is never edited after its answer: a later move is a new transfer."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from joinedup.core.models import BaseModel
from joinedup.organisations.models import Locality, Organisation


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Transfer(BaseModel):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="transfers")
    from_panel = models.ForeignKey(
        "panels.Panel", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_panel = models.ForeignKey(
        "panels.Panel", on_delete=models.PROTECT, related_name="transfers_in"
    )
    # The sending panel's referral that stood for the case, and the receiving panel's new one
    # made on acceptance: the first is never changed, so the sending panel's history stays true.
    from_referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_referral = models.OneToOneField(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_from",
    )
    new_locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="+")
    moves_on = models.DateField()
    # The new address, when known: identifying, so shown only to those who see the child.
    new_address_line_1 = models.CharField(max_length=150, blank=True)
    new_postcode = models.CharField(max_length=8, blank=True)
    reason = models.TextField()
    # The handover: what the receiving panel needs to know.
    risks = models.TextField()
    what_is_working = models.TextField()
    who_knows_the_child = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transfers_requested"
    )
    # The organisation the requester asked for: their seat on the sending panel, or the
    # organisation they lead the child's plan for. The receiving panel's referral names it.
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # A keyworker named by the receiving coordinator on acceptance; none: the plan's keyworker
    # carries on.
    new_keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["child", "status", "accepted_at"]),
            models.Index(fields=["to_panel", "status"]),
            models.Index(fields=["from_panel", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status="requested"),
                name="one_open_transfer_per_child",
            ),
            models.CheckConstraint(
                condition=~Q(from_panel=models.F("to_panel")),
                name="transfer_to_another_panel",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="accepted_transfer_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_transfer_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer of {self.child} to {self.to_panel}"

    @property
    def is_open(self) -> bool:
        return self.status == TransferStatus.REQUESTED
