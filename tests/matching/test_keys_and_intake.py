from dataclasses import replace
from datetime import date
from itertools import pairwise

from joinedup.matching.evaluation import pairs_within_clusters
from joinedup.matching.intake import SQLiteCandidateStore, find_candidates
from joinedup.matching.keys import blocking_keys
from joinedup.matching.model import Model
from joinedup.matching.records import PersonRecord
from joinedup.matching.synthetic import generate_children, generate_index_records


def test_true_matches_share_a_blocking_key_on_the_synthetic_set() -> None:
    sample = generate_children(300, seed=5)
    keys = {record.record_id: blocking_keys(record) for record in sample.records}
    true_pairs = pairs_within_clusters(sample.cluster_of)
    sharing = sum(1 for first, second in true_pairs if keys[first] & keys[second])
    assert sharing / len(true_pairs) >= 0.97


def test_no_key_is_a_single_common_value() -> None:
    record = PersonRecord("a", "Bill", "Smith", date(2014, 3, 7), postcode="BS5 6XY")
    for key in blocking_keys(record):
        kind, value = key.split(":", 1)
        assert "|" in value or kind == "nhs"


def test_swapped_names_and_swapped_day_month_share_keys() -> None:
    record = PersonRecord("a", "Amina", "Hassan", date(2014, 3, 7))
    swapped = PersonRecord("b", "Hassan", "Amina", date(2014, 7, 3))
    assert blocking_keys(record) & blocking_keys(swapped)


def test_a_reordered_street_and_a_mistyped_surname_still_share_a_key() -> None:
    # No date of birth, the street written in another order and the postcode mistyped:
    # the house number with the surname still brings the records together.
    record = PersonRecord(
        "a", "", "Campton", None, postcode="BS5 6XY", address="31 Mina Road Easton"
    )
    reordered = PersonRecord(
        "b", "", "Campton", None, postcode="BS5 6YX", address="31 Easton Mina Rd"
    )
    assert blocking_keys(record) & blocking_keys(reordered)


def test_one_shared_initial_and_the_date_of_birth_share_a_key() -> None:
    record = PersonRecord("a", "Gianni", "Wiseman", date(2014, 10, 30))
    other = PersonRecord("b", "Isabelle", "Wixeman", date(2014, 10, 30))
    assert blocking_keys(record) & blocking_keys(other)


def test_intake_finds_the_child_among_distinct_children() -> None:
    store = SQLiteCandidateStore()
    index = list(generate_index_records(3000, seed=3))
    store.bulk_add(index)
    child = index[1234]
    new_referral = replace(
        child,
        record_id="new",
        given_name=child.given_name.upper(),
        postcode="",
        address="",
        date_of_birth=child.date_of_birth and date(child.date_of_birth.year, 1, 1),
    )
    model = Model.load()
    found = find_candidates(new_referral, store, model, threshold=0.01)
    assert found and found[0].record.record_id == child.record_id
    assert all(
        earlier.score.probability >= later.score.probability for earlier, later in pairwise(found)
    )


def test_intake_does_not_offer_the_twin() -> None:
    store = SQLiteCandidateStore()
    amina = PersonRecord("a", "Amina", "Hassan", date(2014, 3, 7), "F", "BS5 6XY", "12 Mina Road")
    store.add(replace(amina, record_id="twin", given_name="Hodan"))
    assert find_candidates(amina, store, Model.load()) == []
    store.add(replace(amina, record_id="same", given_name="Aminah", address=""))
    found = find_candidates(amina, store, Model.load())
    assert [candidate.record.record_id for candidate in found] == ["same"]
