"""Boards, panels, steering groups, forums and networks, and who sits on each.

The research found the same organisations and the same people on several bodies at once
("hats"), and partnerships nobody had mapped. These models are what the map, the network
measures, the survey and the health check are built on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from joinedup.core.models import BaseModel


class PartnershipKind(models.TextChoices):
    BOARD = "board", "Board"
    PANEL = "panel", "Panel"
    STEERING_GROUP = "steering_group", "Steering group"
    FORUM = "forum", "Forum"
    NETWORK = "network", "Network"
    SUB_GROUP = "sub_group", "Sub-group"
    OTHER = "other", "Other"


class PartnershipLevel(models.TextChoices):
    KEYWORKERS = "keyworkers", "Keyworkers"
    PANEL = "panel", "Panel"
    LOCAL_STEERING_GROUP = "local_steering_group", "Local steering group"
    CITY_WIDE_STEERING_GROUP = "city_wide_steering_group", "City-wide steering group"
    OTHER = "other", "Other"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"
    SECRETARIAT = "secretariat", "Secretariat"
    OTHER = "other", "Other"


class Partnership(BaseModel):
    """A body partners meet in. A panel's partnership points at the panels app's panel, whose
    meetings and attendance are the partnership's: they are not recorded twice."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=PartnershipKind.choices)
    purpose = models.TextField()
    level = models.CharField(max_length=32, choices=PartnershipLevel.choices)
    # No locality means the partnership works across the whole city.
    locality = models.ForeignKey(
        "organisations.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    # Services refuse a parent that would make a loop (a group inside its own sub-group).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    terms_of_reference = models.TextField(blank=True)
    panel = models.OneToOneField(
        "panels.Panel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="partnership_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Person(BaseModel):
    """Someone who represents an organisation, whether or not they sign in to JoinedUp: a work
    contact, never a child or a family member."""

    name = models.CharField(max_length=150)
    role_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership_people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership_person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class PartnershipMemberQuerySet(models.QuerySet["PartnershipMember"]):
    def current(self) -> "PartnershipMemberQuerySet":
        return self.filter(left_on__isnull=True)


class PartnershipMember(BaseModel):
    """An organisation's seat in a partnership and, once named, the person who fills it. Ending
    a membership keeps the row (left_on), so the history of who sat where is kept."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="partnership_seats"
    )
    # Empty while an organisation has joined but not yet named who represents it.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=MemberRole.choices, default=MemberRole.MEMBER)
    # May commit the organisation's money, staff or services without going back to it.
    delegated_authority = models.BooleanField(default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = PartnershipMemberQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on"]
        constraints = [
            # One current seat per (partnership, organisation, person); an unnamed
            # representative counts as one person, which NULL in a unique index would not.
            models.UniqueConstraint(
                fields=["partnership", "organisation", "person"],
                condition=Q(left_on__isnull=True, person__isnull=False),
                name="partnership_member_one_current",
            ),
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left_on__isnull=True, person__isnull=True),
                name="partnership_member_one_current_unnamed",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="partnership_member_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class RelationshipKind(models.TextChoices):
    INTRODUCTION = "introduction", "Introduction"
    JOINT_WORK = "joint_work", "Joint work"
    SHARED_TRAINING = "shared_training", "Shared training"
    REFERRAL_ROUTE = "referral_route", "Referral route agreed"
    OTHER = "other", "Other"


class LoggedRelationshipQuerySet(models.QuerySet["LoggedRelationship"]):
    def standing(self) -> "LoggedRelationshipQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class LoggedRelationship(BaseModel):
    """Relationship-building work between two organisations, logged by the worker who did it
    ("I got the adventure playground worker to come to the school's club"). The research
    found this work took half a worker's time and nobody was tracking it; the log feeds the
    map's organisation-to-organisation edges. About organisations, never a child or family.

    Withdrawing keeps the row (withdrawn_at), as ending a membership does, so the audit trail
    still points at something."""

    from_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="relationships_from",
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="relationships_to",
    )
    kind = models.CharField(max_length=32, choices=RelationshipKind.choices)
    happened_on = models.DateField()
    description = models.CharField(
        max_length=500,
        help_text="What happened, between organisations. Do not name children or families.",
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="logged_relationships",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="logged_relationships",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = LoggedRelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["happened_on", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="logged_relationship_two_organisations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.from_organisation} and {self.to_organisation}"
