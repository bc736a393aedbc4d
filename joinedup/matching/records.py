"""The record every matching function works on: plain data, no database."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PersonRecord:
    record_id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str = ""
    postcode: str = ""
    address: str = ""
    school: str = ""
    nhs_number: str = ""
    other_names: tuple[str, ...] = ()
