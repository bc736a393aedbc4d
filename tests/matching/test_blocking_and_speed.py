"""Blocking shared by intake and batch, the common-key limit, and the fast scoring path."""

from dataclasses import replace
from datetime import date

from joinedup.matching.batch import dedupe
from joinedup.matching.comparisons import comparison_levels
from joinedup.matching.features import record_features
from joinedup.matching.intake import SQLiteCandidateStore, find_candidates
from joinedup.matching.keys import blocking_keys
from joinedup.matching.model import Model
from joinedup.matching.records import PersonRecord
from joinedup.matching.splink_backend import common_keys_dropped, predict_pairs
from joinedup.matching.synthetic import generate_children

CHILD = PersonRecord(
    "a", "Oliver", "Smith", date(2014, 3, 7), "M", "BS5 6XY", "12 Stapleton Road", "Easton"
)


def test_names_swapped_with_a_typo_are_the_swapped_level() -> None:
    swapped = replace(CHILD, given_name="Smiht", family_name="Oliver")
    levels = comparison_levels(record_features(CHILD), record_features(swapped))
    assert levels["given_name"] == "swapped"
    # One piece of evidence, weighed once: the family name adds nothing further.
    assert levels["family_name"] == "null"


def test_postcode_with_two_characters_swapped_is_one_character_off() -> None:
    # Non-UK codes (as in FEBRL) have no outward code to agree on first.
    first, second = replace(CHILD, postcode="2152"), replace(CHILD, postcode="2125")
    levels = comparison_levels(record_features(first), record_features(second))
    assert levels["postcode"] == "one_character_differs"


def test_mistyped_names_and_postcode_still_share_a_key() -> None:
    typed = replace(CHILD, given_name="Olviier", family_name="Smtih", postcode="BS5 6XZ")
    assert blocking_keys(CHILD) & blocking_keys(typed)


def test_fast_probability_equals_the_explained_score() -> None:
    model = Model.load()
    sample = generate_children(30, seed=4).records
    features = [record_features(record) for record in sample]
    for other in features:
        assert model.probability_of_features(features[0], other) == (
            model.score_features(features[0], other).probability
        )


def test_common_keys_are_dropped_but_a_record_keeps_its_rarest() -> None:
    kept = common_keys_dropped([[{"common", "rare"}, {"common"}, {"common", "other"}]], 2)
    assert kept == [[{"rare"}, {"common"}, {"other"}]]


def test_intake_skips_common_blocks_and_still_finds_the_child() -> None:
    store = SQLiteCandidateStore(max_block=3)
    # Many children with the same name pair: the name block is over the limit.
    store.bulk_add(
        replace(CHILD, record_id=f"other{n}", date_of_birth=date(2010, 1, 1 + n), address="")
        for n in range(10)
    )
    store.add(replace(CHILD, record_id="same", given_name="Ollie"))
    found = find_candidates(replace(CHILD, record_id="new", postcode=""), store, Model.load())
    assert [candidate.record.record_id for candidate in found] == ["same"]


def test_batch_compares_every_pair_sharing_an_intake_key() -> None:
    # Both names replaced, only the date of birth and the house number agree: the pair
    # shares the `da` key, so the batch run scores it (and the model keeps it apart).
    other = replace(
        CHILD, record_id="b", given_name="Jack", family_name="Jones", postcode="", school=""
    )
    assert blocking_keys(CHILD) & blocking_keys(other)
    clustered = dedupe([CHILD, other], Model.load(), threshold=0.0, sibling_guard=False)
    assert {row.match_probability is not None for row in clustered} == {True}


def test_batch_and_real_time_scoring_give_every_pair_the_same_probability() -> None:
    """Each comparison is written twice, as SQL for Splink and as Python for intake; a pair
    must get the same probability from both, sibling guard included."""
    model = Model.load()
    records = [
        record for record in generate_children(120, seed=11).records if not record.other_names
    ]
    by_id = {record.record_id: record for record in records}
    pairs = predict_pairs([records], model, threshold=1e-9)
    assert len(pairs) > 100
    for left, right, probability in pairs.itertuples(index=False):
        expected = model.score(by_id[left], by_id[right]).probability
        assert abs(probability - expected) < 1e-6, (by_id[left], by_id[right])
