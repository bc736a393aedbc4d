from django.db import models
from django.db.models.functions import Lower

from joinedup.core.models import BaseModel


class Sector(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    VOLUNTARY_COMMUNITY_FAITH = "vcf", "Voluntary, community and faith"
    OTHER = "other", "Other"


class OrganisationKind(models.TextChoices):
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education service"
    SCHOOL = "school", "School"
    HOUSING = "housing", "Housing"
    YOUTH_SERVICE = "youth_service", "Youth service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    CAREERS = "careers", "Careers and advice"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY = "voluntary", "Voluntary organisation"
    COMMUNITY = "community", "Community group"
    FAITH = "faith", "Faith group"
    PARTNERSHIP_BODY = "partnership_body", "Partnership or programme"
    OTHER = "other", "Other"


SECTOR_OF_KIND: dict[str, str] = {
    OrganisationKind.VOLUNTARY: Sector.VOLUNTARY_COMMUNITY_FAITH,
    OrganisationKind.COMMUNITY: Sector.VOLUNTARY_COMMUNITY_FAITH,
    OrganisationKind.FAITH: Sector.VOLUNTARY_COMMUNITY_FAITH,
    OrganisationKind.PARTNERSHIP_BODY: Sector.OTHER,
    OrganisationKind.OTHER: Sector.OTHER,
}


class Locality(BaseModel):
    """A neighbourhood a panel serves, such as a ward or a group of wards."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Postcode districts (outward codes like "BS5") and ward names, kept as short lists.
    postcode_districts = models.JSONField(default=list, blank=True)
    wards = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"
        constraints = [models.UniqueConstraint(Lower("name"), name="locality_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Organisation(BaseModel):
    """A partner: a statutory agency, a school, or a voluntary, community or faith group."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    description = models.TextField(blank=True)
    # No localities means the organisation works across the whole city.
    localities = models.ManyToManyField(Locality, blank=True, related_name="organisations")
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci")]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return SECTOR_OF_KIND.get(self.kind, Sector.STATUTORY)

    def get_sector_display(self) -> str:
        return str(Sector(self.sector).label)
