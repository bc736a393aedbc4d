"""The city-wide directory of services for children and young people, in the shape of the Open
Referral UK (ORUK) profile of the Human Services Data Specification 3.0 (HSDS).

Each model is one HSDS table and keeps HSDS's field names where it has the field, so that the
ORUK API (api.py) and the feed import (oruk_import.py) map one to one. Every id is a UUID, as
HSDS requires. What this field needs beyond the standard is marked "Extension": capacity and
waiting list, faith-based or culturally specific provision, the referral route, and the end of
each funding stream. The API publishes the extensions as extra properties, which the ORUK
schemas allow (they do not forbid additional properties).

HSDS 3.0 dropped the eligibility table: ages are `minimum_age`/`maximum_age` on the service and
the rest is `eligibility_description` and taxonomy terms.

Nothing here is personal data about a child. Contacts are the published contact points of a
service, not people the partnership works with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from joinedup.core.models import BaseModel
from joinedup.organisations.models import Locality, Organisation
from joinedup.plans.models import Purpose

# Entries not reviewed by their owner for this long are flagged to them as stale.
STALE_AFTER_DAYS = 183
AGE_RANGE = (0, 25)


class Taxonomy(BaseModel):
    """A classification scheme, such as JoinedUp's own list of needs."""

    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(BaseModel):
    """One need or category. `purpose` ties a term to the kinds of support that the plans and
    the duplication flags use, so a service chosen for a plan brings its purpose with it."""

    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.PROTECT, related_name="terms"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    # The term's code in its taxonomy (HSDS `term`), and its address (`term_uri`).
    code = models.CharField(max_length=100, blank=True)
    term_uri = models.URLField(blank=True)
    # Extension: what kind of support a service with this term gives (plans.Purpose).
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(BaseModel):
    """An HSDS `organization`: whoever runs services. It may or may not be a partner of the
    panel; when it is, `maintained_by` names the partner organisation whose people keep its
    entries up to date (Extension)."""

    name = models.CharField(max_length=250)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    logo = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    maintained_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_providers",
    )
    # UK charity or company number (HSDS organization_identifiers), e.g. "charity-number".
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Running"
    INACTIVE = "inactive", "Not running at the moment"
    DEFUNCT = "defunct", "Closed for good"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class ReferralRoute(models.TextChoices):
    OPEN_ACCESS = "open_access", "Open access: anyone can go along or get in touch"
    REFERRAL = "referral", "A referral is needed from a professional"
    PANEL = "panel", "Only through the panel"


class Service(BaseModel):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    # HSDS `fees`: the words; the amounts are cost options.
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.TextField(blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    # HSDS `last_modified`: when the entry's content last changed.
    last_modified = models.DateTimeField(auto_now=True)
    terms: models.ManyToManyField[TaxonomyTerm, ServiceTerm] = models.ManyToManyField(
        TaxonomyTerm, through="ServiceTerm", blank=True, related_name="services"
    )

    # Extensions.
    referral_route = models.CharField(
        max_length=20, choices=ReferralRoute.choices, default=ReferralRoute.REFERRAL
    )
    how_to_refer = models.TextField(blank=True)
    # How many children or young people it can work with at once; null when it is not limited
    # or not known.
    capacity = models.PositiveIntegerField(null=True, blank=True)
    # How many are waiting and roughly how long the wait is.
    waiting_list_count = models.PositiveIntegerField(null=True, blank=True)
    waiting_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    faith_based = models.BooleanField(default=False)
    # Who a culturally specific service is for, in the provider's own words ("Somali families").
    culturally_specific_for = models.CharField(max_length=250, blank=True)
    # True when no cost option asks for money; kept with the cost options so search can
    # filter on it without a join.
    is_free = models.BooleanField(default=True)
    # Name, description, provider and needs in lower case, for word search (search_text.py).
    search_text = models.TextField(blank=True, default="", editable=False)
    # When someone from the maintaining organisation last confirmed the entry is right.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        # Search (search.py) lists services alphabetically from this index and stops at the
        # page's last row. There is no index on status, ages or the other filters, on purpose:
        # nearly every service is running and age ranges are wide, so such an index only sends
        # the database from row to row, several times slower than reading the table straight
        # through (measured with benchmarks/directory_search.py).
        indexes = [
            models.Index(Lower("name"), "id", name="service_name_order"),
            # Covers the filters on a service found through its needs, places or schedules, so
            # that each candidate is checked without reading its (wide) row.
            models.Index(
                fields=["id", "status", "minimum_age", "maximum_age", "name"],
                name="service_filters",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceTerm(BaseModel):
    """An HSDS `attribute` linking a service to a taxonomy term: its id is the attribute's id."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_terms")
    term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "term"], name="one_link_per_term"),
        ]
        indexes = [models.Index(fields=["term", "service"], name="serviceterm_search")]


class ServiceArea(BaseModel):
    """Where a service works. With a locality, it covers that locality; without one it covers
    the area named (for the demo, the whole city)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200)
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=50, blank=True)
    uri = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["locality", "service"], name="servicearea_search")]


class ServiceLanguage(BaseModel):
    """A language a service is delivered in without an interpreter. `code` is ISO 639."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        indexes = [models.Index(fields=["name", "service"], name="servicelanguage_search")]


class CostOption(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=250, blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=250, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)


class Funding(BaseModel):
    """Where a service's money comes from. HSDS has only `source`; the partnership needs to
    know when each stream ends (Extension) to see funding cliffs coming."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(max_length=250)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, db_index=True)
    # The partnership's record of the stream this line comes from (joinedup/funding), if any.
    stream = models.ForeignKey(
        "funding.FundingStream",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_fundings",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="funding_ends_after_it_starts",
            ),
        ]


class Contact(BaseModel):
    """A published contact point for a service (a role or a named worker who agreed to be
    listed), with its telephone number (HSDS `phones`, one here)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    phone_id = models.UUIDField(null=True, blank=True)


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people can go"
    POSTAL = "postal", "A postal address"
    VIRTUAL = "virtual", "Online or by telephone"


class Location(BaseModel):
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=250, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The physical address, flattened: HSDS allows several, the directory keeps one.
    address_id = models.UUIDField(null=True, blank=True)
    address_1 = models.CharField(max_length=250, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, default="GB")
    # The outward code ("BS5") of postal_code, kept for locality and distance search.
    postcode_district = models.CharField(max_length=4, blank=True, db_index=True)
    # How to get in and around: step-free access, hearing loop... (HSDS accessibility).
    accessibility = models.TextField(blank=True)

    class Meta:
        # Distance search reads the places inside a box from this index alone.
        indexes = [models.Index(fields=["latitude", "longitude", "id"], name="location_search")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="location_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.address_1 or "Location"


class ServiceAtLocation(BaseModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_once_per_place"),
        ]
        indexes = [models.Index(fields=["location", "service"], name="serviceatlocation_search")]


class Weekday(models.TextChoices):
    MO = "MO", "Monday"
    TU = "TU", "Tuesday"
    WE = "WE", "Wednesday"
    TH = "TH", "Thursday"
    FR = "FR", "Friday"
    SA = "SA", "Saturday"
    SU = "SU", "Sunday"


class Schedule(BaseModel):
    """When a service is open, as HSDS's iCal-style weekly rule: `byday` is a comma-separated
    list of iCal day codes ("MO,WE"), and the service is open from `opens_at` to `closes_at`
    on each of them. A schedule may belong to the service or to one of its locations."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    freq = models.CharField(max_length=10, default="WEEKLY")
    byday = models.CharField(max_length=30, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(service_at_location__isnull=False),
                name="schedule_belongs_somewhere",
            ),
        ]
        # Most schedules belong to the service, so the plain foreign-key index is mostly
        # NULL and SQLite's statistics rate it useless: it then scans every schedule to find
        # a place's. Indexing only the rows that have a place keeps the lookups by index.
        indexes = [
            models.Index(
                fields=["service_at_location"],
                condition=Q(service_at_location__isnull=False),
                name="schedule_place",
            ),
            # Whether a service is open on a day and at a time, read from the index alone.
            models.Index(
                fields=["service", "byday", "opens_at", "closes_at"],
                name="schedule_service_times",
            ),
        ]


class PostcodeDistrict(models.Model):
    """Where a postcode district ("BS5") is, for distance search without sending anyone's
    postcode to an outside service. Loaded from the ONS postcode directory or worked out from
    the directory's own locations (docs/directory.md)."""

    code = models.CharField(max_length=4, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()

    def __str__(self) -> str:
        return self.code


class SearchIndexState(models.Model):
    """One row whose token changes whenever a table the search index reads changes: set by
    database triggers (migration 0005), so no way of writing can forget it. The search index
    (search_index.py) is built again when the token differs from the one it was built at."""

    ONLY = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONLY)
    token = models.CharField(max_length=36)

    def __str__(self) -> str:
        return self.token
