import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """UUID keys so that references never reveal how many records exist, plus timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditVerb(models.TextChoices):
    CREATE = "create", "Created"
    READ = "read", "Read"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Set up two-factor sign-in"
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Passed two-factor check"
    TWO_FACTOR_FAILED = "two_factor_failed", "Failed two-factor check"
    TWO_FACTOR_SKIPPED = "two_factor_skipped", "Skipped two-factor (demo only)"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor sign-in"
    PASSWORD_CHANGED = "password_changed", "Changed password"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Asked for a password reset"
    INVITED = "invited", "Invited"
    ROLE_GRANTED = "role_granted", "Role granted"
    ROLE_ENDED = "role_ended", "Role ended"
    DEACTIVATED = "deactivated", "Account deactivated"
    REACTIVATED = "reactivated", "Account reactivated"
    MERGED = "merged", "Merged two records"
    UNMERGED = "unmerged", "Undid a merge"
    CONSENT_GIVEN = "consent_given", "Recorded consent"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Recorded consent withdrawn"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One thing that happened to personal data: who did it, to what, when, from where and why.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses
    them in the database too (see migration 0002).
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    # Kept as text too, so the entry still says who acted if an account is ever anonymised.
    actor_label = models.CharField(max_length=254, blank=True)
    verb = models.CharField(max_length=32, choices=AuditVerb.choices, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=36, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class IdempotencyRecord(models.Model):
    """The answer already given to a POST with this Idempotency-Key, saved in the same
    transaction as the change it made, so a retry gets the same answer and changes nothing."""

    id = models.BigAutoField(primary_key=True)
    client = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"Idempotency key {self.key[:12]}"


class RateLimitHits(models.Model):
    """How many times one client has used one rate-limited action (a search, the referral API)
    in the current window of time (joinedup/core/rate_limits.py): one row per client, its count
    starting again with each window. The client is kept as a keyed hash, since an address is
    personal data, and rows not used for a day are deleted by the nightly retention run."""

    id = models.BigAutoField(primary_key=True)
    scope = models.CharField(max_length=40)
    client = models.CharField(max_length=64)
    window_start = models.BigIntegerField(help_text="Seconds since 1970, UTC.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "client"], name="one_count_per_client")
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_limit_window")]

    def __str__(self) -> str:
        return f"{self.scope}: {self.hits} hits"
