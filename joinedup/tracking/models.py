"""Duplication and gaps: the settings each panel (or the whole partnership) uses to decide when
a child is flagged, and the notes coordinators leave when they have looked at a flag. The flags
themselves are never stored: they are worked out from the record each time (flags.py), so a
flag goes away the moment what caused it changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from joinedup.core.models import BaseModel

DEFAULT_GAP_WEEKS = 6
DEFAULT_REPEAT_AGENCIES = 2
DEFAULT_REPEAT_MONTHS = 12
GAP_WEEKS_RANGE = (1, 52)
REPEAT_AGENCIES_RANGE = (2, 10)
REPEAT_MONTHS_RANGE = (1, 36)


class FlagKind(models.TextChoices):
    OVERLAP = "overlap", "Same kind of support from several organisations"
    GAP = "gap", "No support or contact for weeks"
    REPEAT = "repeat", "Referred by several organisations"


class TrackingSettings(BaseModel):
    """When to flag. One row without a panel holds the partnership's settings; a row for a
    panel overrides them for that panel's children. Without any row the defaults apply."""

    panel = models.OneToOneField(
        "panels.Panel",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tracking_settings",
    )
    # True on the partnership's row only: lets the database keep that row unique.
    for_partnership = models.BooleanField(default=False, editable=False)
    gap_weeks = models.PositiveSmallIntegerField(default=DEFAULT_GAP_WEEKS)
    repeat_agencies = models.PositiveSmallIntegerField(default=DEFAULT_REPEAT_AGENCIES)
    repeat_months = models.PositiveSmallIntegerField(default=DEFAULT_REPEAT_MONTHS)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "tracking settings"
        constraints = [
            models.UniqueConstraint(
                fields=["for_partnership"],
                condition=Q(for_partnership=True),
                name="tracking_settings_once_for_the_partnership",
            ),
            models.CheckConstraint(
                condition=Q(for_partnership=True, panel__isnull=True)
                | Q(for_partnership=False, panel__isnull=False),
                name="tracking_settings_partnership_or_a_panel",
            ),
            models.CheckConstraint(
                condition=Q(
                    gap_weeks__gte=GAP_WEEKS_RANGE[0],
                    gap_weeks__lte=GAP_WEEKS_RANGE[1],
                    repeat_agencies__gte=REPEAT_AGENCIES_RANGE[0],
                    repeat_agencies__lte=REPEAT_AGENCIES_RANGE[1],
                    repeat_months__gte=REPEAT_MONTHS_RANGE[0],
                    repeat_months__lte=REPEAT_MONTHS_RANGE[1],
                ),
                name="tracking_settings_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Tracking settings of {self.panel or 'the partnership'}"


class FlagLook(BaseModel):
    """A coordinator looked at a flag and said why it needs nothing more for now. The flag
    stays quiet while what caused it (`facts`: the ids and dates behind it) is no more than it
    was; anything new makes it shout again. Undoing keeps the row, with who and when."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=FlagKind.choices)
    facts = models.JSONField(default=list)
    note = models.TextField()
    looked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind"],
                condition=Q(undone_at__isnull=True),
                name="one_current_look_per_flag",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} looked at"
