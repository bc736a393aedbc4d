from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.children.identifiers import new_pseudonym_code, new_reference, pseudonym_label
from joinedup.core.models import BaseModel
from joinedup.organisations.models import Locality, Organisation


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The 2021 Census categories for England and Wales."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: any other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Religion(models.TextChoices):
    NO_RELIGION = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    RASTAFARIAN = "rastafarian", "Rastafarian"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Child(BaseModel):
    """One child, one record, one JoinedUp reference across every provider."""

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    pseudonym_code = models.CharField(
        max_length=5, unique=True, default=new_pseudonym_code, editable=False
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    other_names = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField()
    date_of_birth_is_approximate = models.BooleanField(default=False)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender_as_recorded = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(
        max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_RECORDED
    )
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    religion = models.CharField(max_length=24, choices=Religion.choices, blank=True)
    school = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="pupils"
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when this record turned out to be a second record of a child already known: the
    # reference then leads to the surviving record. Undone by an unmerge.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["family_name", "given_name", "date_of_birth"]),
            # What the reports count each referred child by (equalities monitoring), read from
            # the index rather than from each child's record.
            models.Index(
                fields=["id", "date_of_birth", "sex", "ethnicity", "religion", "locality"],
                name="child_report_cover_idx",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: str() ends up in logs, admin lists and error reports.
        return self.pseudonym

    @property
    def pseudonym(self) -> str:
        return pseudonym_label(self.pseudonym_code)

    @property
    def known_as(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def age_band(self) -> str:
        """Bands wide enough that age and locality together do not single a child out."""
        age = self.age
        if age < 8:
            return "under 8"
        if age <= 10:
            return "8 to 10"
        if age <= 13:
            return "11 to 13"
        return "14 or over"

    def surviving_record(self) -> "Child":
        """The record that stands for this child: this one, or the one it was merged into
        (following merges of merges). One child, one record."""
        child, seen = self, {self.pk}
        while child.merged_into_id is not None:
            child = Child.objects.get(pk=child.merged_into_id)
            if child.pk in seen:
                break
            seen.add(child.pk)
        return child


class Address(BaseModel):
    """Where a child lives or has lived; the current address has no end date."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=150)
    line_2 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=80, default="Bristol")
    postcode = models.CharField(max_length=8)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT)
    moved_in = models.DateField(null=True, blank=True)
    moved_out = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_out", "-moved_in"]
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(moved_out__isnull=True), name="one_current_address"
            )
        ]

    def __str__(self) -> str:
        return f"Address of {self.child}"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    KINSHIP_CARER = "kinship_carer", "Kinship carer"
    GRANDPARENT = "grandparent", "Grandparent"
    SIBLING = "sibling", "Brother or sister"
    OTHER = "other", "Other"


class HouseholdMember(BaseModel):
    """A parent, carer or other member of the child's household."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="household")
    full_name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=True)
    telephone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-has_parental_responsibility", "full_name"]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} of {self.child}"


class InvolvementRole(models.TextChoices):
    REFERRER = "referrer", "Referred the child"
    KEYWORKER = "keyworker", "Keyworker"
    SERVICE = "service", "Provides a service"
    COORDINATOR = "coordinator", "Panel coordinator"


class Involvement(BaseModel):
    """An organisation (and, where known, the person) working with a child: the team around
    the child. Need-to-know access to the child's identity follows it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="involvements"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="involvements",
    )
    role = models.CharField(max_length=20, choices=InvolvementRole.choices)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on"]
        indexes = [models.Index(fields=["worker", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()}) with {self.child}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


class MatchKey(models.Model):
    """A blocking key of a child record (see joinedup.matching.keys): intake looks candidates
    up by key through this index, so the cost of a search depends on the size of the blocks,
    not on how many children are recorded."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["key"])]
        constraints = [
            models.UniqueConstraint(fields=["child", "key"], name="match_key_once_per_child")
        ]

    def __str__(self) -> str:
        return self.key


class ChildMerge(BaseModel):
    """Two records found to be the same child: `merged` was folded into `survivor`. `moved`
    lists, per model, the ids of the rows that moved and `previous` the survivor's values that
    changed, so the merge can be undone exactly."""

    survivor = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_out")
    reason = models.TextField()
    moved = models.JSONField(default=dict)
    previous = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unmerge_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged} merged into {self.survivor}"
