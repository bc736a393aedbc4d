"""The partnership's money (issue 7, point 7): who funds it, the streams of money with their
dates, and which directory services and staff posts each stream pays for, so that the end of a
stream can be seen coming with everything that depends on it (docs/funding.md)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from joinedup.core.models import BaseModel
from joinedup.organisations.models import Locality, Organisation

# A full-time week in local government in England (the NJC's 37 hours): a post's hours read
# as a share of it.
FULL_TIME_HOURS = Decimal(37)


class FunderKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NATIONAL_GOVERNMENT = "national_government", "National government"
    LOTTERY_TRUST = "lottery_trust", "Lottery, trust or foundation"
    POLICE_CRIME_COMMISSIONER = "pcc", "Police and Crime Commissioner"
    HEALTH = "health", "Health"
    BUSINESS = "business", "Business"
    OTHER = "other", "Other"


class Funder(BaseModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=FunderKind.choices)
    # When the funder also sits in the partnership (the council, the police), its record there.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), name="funder_name_unique")]

    def __str__(self) -> str:
        return self.name


class FundingStream(BaseModel):
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="streams")
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    starts_on = models.DateField()
    ends_on = models.DateField(db_index=True)
    # None: the stream is for the whole city.
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_renewable = models.BooleanField(default=False)
    renewal_decision_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # Why a stream was ended before the date first agreed, when it was.
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["ends_on", Lower("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="stream_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="stream_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.funder.name}: {self.name}"


class FundedService(BaseModel):
    stream = models.ForeignKey(
        FundingStream, on_delete=models.CASCADE, related_name="funded_services"
    )
    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="funded_by"
    )
    # The part of the stream that goes to this service, when it is known.
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "service"], name="funded_service_once"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funded_service_amount_not_negative",
            ),
        ]


class Post(BaseModel):
    """A staff post, not the person in it: posts outlive the people who hold them, and the
    partnership plans for the post when its money ends."""

    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(60))],
    )

    class Meta:
        ordering = [Lower("title")]

    @property
    def fte(self) -> Decimal:
        return (self.hours_per_week / FULL_TIME_HOURS).quantize(Decimal("0.1"))

    def __str__(self) -> str:
        return f"{self.title}, {self.fte.normalize():f} FTE"


class FundedPost(BaseModel):
    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="funded_posts")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="funded_by")
    share = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "post"], name="funded_post_once"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0),
                name="funded_post_share_not_negative",
            ),
        ]
