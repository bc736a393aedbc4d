"""Anonymising a story from the child's record, on hand-built children."""

from types import SimpleNamespace

import pytest

from joinedup.reports import anonymise
from joinedup.reports.anonymise import anonymise_for_child, anonymiser, replacements_for
from tests.reports.story_world import ANONYMISED, OWN_WORDS, STORY, story_world


def _child(**names):
    fields = {
        "given_name": "Amina",
        "family_name": "Yusuf",
        "preferred_name": "",
        "other_names": [],
        "school": None,
        "locality": None,
    }
    fields.update(names)
    return SimpleNamespace(**fields)


def _run(text, **record):
    return anonymiser(replacements_for(**record))(text)


def test_names_school_address_postcode_and_places_are_replaced(db):
    world = story_world()
    title, text, own = anonymise_for_child(
        world.child, "Amina goes back to school", STORY, OWN_WORDS
    )
    assert title.text == "[the young person] goes back to school"
    assert text.text == ANONYMISED
    assert own.text == "[the young person] says: I like going to [their school] now."
    assert text.counts == {
        anonymise.YOUNG_PERSON: 3,
        "[their mother]": 1,
        anonymise.SCHOOL: 1,
        anonymise.HOME: 1,
        anonymise.POSTCODE: 1,
        anonymise.AREA: 2,
        "[their brother or sister]": 1,
    }


def test_whole_words_only_in_any_case():
    child = _child(given_name="Will", family_name="Hill")
    result = _run("will WILL said he will climb the hill at Hillfields", child=child)
    assert result.text == (
        "[the young person] [the young person] said he [the young person] climb the "
        "[the young person] at Hillfields"
    )


def test_a_name_across_a_line_break_is_still_found():
    result = _run("We met Amina\nYusuf at home.", child=_child())
    assert result.text == "We met [the young person] at home."


def test_a_shared_family_name_reads_as_the_child_and_a_parents_whole_name_as_the_parent():
    mother = SimpleNamespace(full_name="Hodan Yusuf", relationship="mother")
    result = _run(
        "Hodan Yusuf and Mrs Yusuf came; Hodan was worried.", child=_child(), household=[mother]
    )
    assert result.text == (
        "[their mother] and Mrs [the young person] came; [their mother] was worried."
    )


def test_an_unknown_relationship_becomes_a_member_of_the_family():
    uncle = SimpleNamespace(full_name="Omar Farah", relationship="other")
    result = _run("Omar drove them.", child=_child(), household=[uncle])
    assert result.text == "[a member of their family] drove them."


def test_any_full_postcode_is_replaced_even_one_not_on_the_record():
    assert _run("They moved to BS16 2AB.", child=_child()).text == "They moved to [their postcode]."


def test_initials_are_left_alone():
    assert _run("A said yes.", child=_child(given_name="A")).text == "A said yes."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lives in Easton.", "Lives in [the area]."),
        ("A BS5 family.", "A [the area] family."),
        ("Near Lawrence Hill.", "Near [the area]."),
    ],
)
def test_the_childs_locality_its_wards_and_postcode_districts_are_places(text, expected):
    place = SimpleNamespace(name="Easton", wards=["Lawrence Hill"], postcode_districts=["BS5"])
    assert _run(text, child=_child(locality=place)).text == expected


def test_the_summary_says_what_was_replaced_without_the_names():
    result = _run("Amina and Amina", child=_child())
    assert result.summary() == ["the child's name replaced by [the young person] 2 times"]
    assert "Amina" not in " ".join(result.summary())
