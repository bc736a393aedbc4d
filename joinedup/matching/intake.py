"""Real-time matching at intake: fetch candidates through indexed blocking keys, then
score them with the trained model. The cost depends on the size of the blocks the new
record falls into, not on how many records the index holds."""

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Protocol

from joinedup.matching.features import record_features
from joinedup.matching.keys import blocking_keys_for_features
from joinedup.matching.model import MatchScore, Model
from joinedup.matching.records import PersonRecord

# How many stored records one lookup may score at most. Records sharing more keys with
# the new record are fetched first, so a very common name cannot crowd out the record
# that also shares its date of birth; the true match shares several keys with the new
# record (date with each name, the name pair, initials), a stranger rarely more than one.
CANDIDATE_FETCH_LIMIT = 50
# A key shared by more stored records than this is skipped at lookup (a popular name pair,
# a year with a common name, a house number on a long street): its block would cost more
# than it finds, and the record's rarer keys (date of birth with a name, postcode with a
# house number) still find the match. If every key of a record is that common, the rarest
# is used. The batch commands apply the same rule (splink_backend.BATCH_MAX_BLOCK).
MAX_BLOCK_SIZE = 200
_OTHER_NAMES_SEPARATOR = "\x1f"


class CandidateStore(Protocol):
    def records_for_keys(self, keys: Iterable[str], limit: int) -> list[PersonRecord]:
        """Stored records sharing at least one key, those sharing most keys first."""
        ...


@dataclass(frozen=True)
class Candidate:
    record: PersonRecord
    score: MatchScore


def find_candidates(
    record: PersonRecord,
    store: CandidateStore,
    model: Model,
    *,
    threshold: float = 0.5,
    limit: int = 10,
) -> list[Candidate]:
    """Existing records that may be the same child, most probable first."""
    features = record_features(record)
    stored = store.records_for_keys(blocking_keys_for_features(features), CANDIDATE_FETCH_LIMIT)
    candidates = []
    for other in stored:
        if other.record_id == record.record_id:
            continue
        other_features = record_features(other)
        # Screen on the probability alone; only candidates shown get their reasons.
        if model.probability_of_features(features, other_features) < threshold:
            continue
        score = model.score_features(features, other_features)
        candidates.append(Candidate(record=other, score=score))
    candidates.sort(key=lambda candidate: -candidate.score.probability)
    return candidates[:limit]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth TEXT,
    sex TEXT NOT NULL,
    postcode TEXT NOT NULL,
    address TEXT NOT NULL,
    school TEXT NOT NULL,
    nhs_number TEXT NOT NULL,
    other_names TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS record_keys (
    key TEXT NOT NULL,
    record_id INTEGER NOT NULL REFERENCES records(id)
);
"""
# Key first and record second, so a lookup is answered from the index alone.
_KEY_INDEX = "CREATE INDEX IF NOT EXISTS record_keys_by_key ON record_keys (key, record_id)"


def _record_row(record: PersonRecord) -> tuple[str, ...]:
    return (
        record.record_id,
        record.given_name,
        record.family_name,
        record.date_of_birth.isoformat() if record.date_of_birth else "",
        record.sex,
        record.postcode,
        record.address,
        record.school,
        record.nhs_number,
        _OTHER_NAMES_SEPARATOR.join(record.other_names),
    )


def _record_from_row(row: Sequence[str]) -> PersonRecord:
    return PersonRecord(
        record_id=row[0],
        given_name=row[1],
        family_name=row[2],
        date_of_birth=date.fromisoformat(row[3]) if row[3] else None,
        sex=row[4],
        postcode=row[5],
        address=row[6],
        school=row[7],
        nhs_number=row[8],
        other_names=tuple(name for name in row[9].split(_OTHER_NAMES_SEPARATOR) if name),
    )


class SQLiteCandidateStore:
    """A CandidateStore in SQLite: the same two tables the application database keeps."""

    def __init__(self, path: Path | str = ":memory:", *, max_block: int = MAX_BLOCK_SIZE) -> None:
        self.max_block = max_block
        self.connection = sqlite3.connect(str(path))
        self.connection.executescript(_SCHEMA)
        self.connection.execute(_KEY_INDEX)

    def close(self) -> None:
        self.connection.close()

    def add(self, record: PersonRecord) -> None:
        self.bulk_add([record])

    def bulk_add(self, records: Iterable[PersonRecord], batch_size: int = 20000) -> int:
        """Add records with their keys; for large loads the key index is rebuilt once at
        the end, which is much faster than keeping it sorted row by row."""
        connection = self.connection
        stored = connection.execute("SELECT count(*) FROM records").fetchone()[0]
        next_id = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM records").fetchone()[0]
        records_iterator: Iterator[PersonRecord] = iter(records)
        large = False
        added = 0
        with connection:
            while batch := list(islice(records_iterator, batch_size)):
                if not large and (len(batch) == batch_size or stored > batch_size):
                    large = True
                    connection.execute("DROP INDEX IF EXISTS record_keys_by_key")
                record_rows: list[tuple[object, ...]] = []
                key_rows: list[tuple[str, int]] = []
                for record in batch:
                    record_rows.append((next_id, *_record_row(record)))
                    key_rows.extend(
                        (key, next_id)
                        for key in blocking_keys_for_features(record_features(record))
                    )
                    next_id += 1
                connection.executemany(
                    "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", record_rows
                )
                connection.executemany("INSERT INTO record_keys VALUES (?, ?)", key_rows)
                added += len(batch)
            connection.execute(_KEY_INDEX)
        return added

    def block_sizes(self, keys: Iterable[str]) -> dict[str, int]:
        """How many stored records share each key, counted only up to `max_block` + 1:
        each count reads at most that many index entries, whatever the index size."""
        key_list = sorted(set(keys))
        if not key_list:
            return {}
        values = ", ".join(["(?)"] * len(key_list))
        query = (
            f"WITH wanted(key) AS (VALUES {values}) "  # noqa: S608 - parameter markers only
            "SELECT wanted.key, (SELECT count(*) FROM (SELECT 1 FROM record_keys AS k "
            "WHERE k.key = wanted.key LIMIT ?)) FROM wanted"
        )
        rows = self.connection.execute(query, [*key_list, self.max_block + 1]).fetchall()
        return {key: int(count) for key, count in rows}

    def records_for_keys(self, keys: Iterable[str], limit: int) -> list[PersonRecord]:
        sizes = self.block_sizes(keys)
        key_list = [key for key, size in sizes.items() if 0 < size <= self.max_block]
        if not key_list:
            present = [key for key, size in sizes.items() if size]
            if not present:
                return []
            key_list = [min(present, key=lambda key: (sizes[key], key))]
        markers = ", ".join("?" * len(key_list))
        # Only parameter markers are formatted into the query; keys travel as parameters.
        query = (
            "SELECT r.record_id, r.given_name, r.family_name, r.date_of_birth, r.sex, "  # noqa: S608
            "r.postcode, r.address, r.school, r.nhs_number, r.other_names "
            "FROM (SELECT record_id, count(*) AS shared FROM record_keys "
            f"WHERE key IN ({markers}) GROUP BY record_id "
            "ORDER BY shared DESC LIMIT ?) AS matched "
            "JOIN records AS r ON r.id = matched.record_id ORDER BY matched.shared DESC"
        )
        rows = self.connection.execute(query, [*key_list, limit]).fetchall()
        return [_record_from_row(row) for row in rows]

    def count_records(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM records").fetchone()[0])
