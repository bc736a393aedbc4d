"""Intake matching in the application database: the bridge between child records and the
Django-free matching library (joinedup.matching).

Each child's blocking keys are stored in the indexed MatchKey table; a search fetches only the
children sharing a key with the new record and scores them with the trained model, so its cost
depends on the size of the blocks, not on how many children are recorded.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count

from joinedup.children.models import Address, Child, MatchKey
from joinedup.matching.intake import MAX_BLOCK_SIZE, find_candidates
from joinedup.matching.keys import blocking_keys
from joinedup.matching.model import MatchScore, Model
from joinedup.matching.records import PersonRecord

# Above this probability an existing record is shown to the coordinator as a possible match.
CANDIDATE_THRESHOLD = 0.5
MAX_CANDIDATES = 5


@cache
def match_model() -> Model:
    return Model.load()


def person_record(child: Child, *, address: Address | None = None) -> PersonRecord:
    if address is None:
        address = next(
            (a for a in child.addresses.all() if a.moved_out is None),
            None,
        )
    return PersonRecord(
        record_id=str(child.pk),
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.date_of_birth,
        sex=child.sex if child.sex in {"female", "male"} else "",
        postcode=address.postcode if address else "",
        address=address.line_1 if address else "",
        school=child.school.name if child.school_id and child.school else "",
        nhs_number=child.nhs_number,
        other_names=tuple(child.other_names),
    )


def keys_for(child: Child) -> set[str]:
    return set(blocking_keys(person_record(child)))


class ChildRecordStore:
    """The CandidateStore of joinedup.matching.intake over the application database."""

    def __init__(self, *, exclude: Iterable[object] = ()) -> None:
        self._exclude = [str(pk) for pk in exclude]
        self.children: dict[str, Child] = {}

    def block_sizes(self, keys: Iterable[str]) -> dict[str, int]:
        """How many children share each key, counted only up to MAX_BLOCK_SIZE + 1, so each
        count reads a bounded stretch of the index however many children are recorded."""
        key_list = sorted(set(keys))
        if not key_list:
            return {}
        table = MatchKey._meta.db_table
        values = ", ".join(["(%s)"] * len(key_list))
        # Only parameter markers and the model's own table name are formatted into the query.
        query = (
            f"WITH wanted(key) AS (VALUES {values}) "  # noqa: S608
            f"SELECT wanted.key, (SELECT count(*) FROM (SELECT 1 FROM {table} AS k "
            "WHERE k.key = wanted.key LIMIT %s) AS block) FROM wanted"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, [*key_list, MAX_BLOCK_SIZE + 1])
            return {key: int(count) for key, count in cursor.fetchall()}

    def records_for_keys(self, keys: Iterable[str], limit: int) -> list[PersonRecord]:
        # A key shared by very many children (a common name with a popular birthday, at city
        # scale) cannot tell them apart; the record's rarer keys still find the child. If all
        # its keys are common, the rarest one is used.
        sizes = self.block_sizes(keys)
        usable = [key for key, size in sizes.items() if 0 < size <= MAX_BLOCK_SIZE]
        if not usable:
            present = [key for key, size in sizes.items() if size]
            if not present:
                return []
            usable = [min(present, key=lambda key: (sizes[key], key))]
        # Children sharing the most keys first, so that a common name cannot crowd out the
        # record that also shares the date of birth.
        child_ids = (
            MatchKey.objects.filter(key__in=usable)
            .exclude(child_id__in=self._exclude)
            .values("child_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "child_id")
            .values_list("child_id", flat=True)[:limit]
        )
        children = (
            Child.objects.filter(pk__in=list(child_ids), merged_into__isnull=True)
            .select_related("school")
            .prefetch_related("addresses")
        )
        records = []
        for child in children:
            self.children[str(child.pk)] = child
            records.append(person_record(child))
        return records


@dataclass(frozen=True)
class ChildCandidate:
    child: Child
    score: MatchScore


def candidates_for(child: Child) -> list[ChildCandidate]:
    """Existing records that may be the same child, most likely first."""
    store = ChildRecordStore(exclude=[child.pk])
    found = find_candidates(
        person_record(child),
        store,
        match_model(),
        threshold=CANDIDATE_THRESHOLD,
        limit=MAX_CANDIDATES,
    )
    return [ChildCandidate(store.children[c.record.record_id], c.score) for c in found]
