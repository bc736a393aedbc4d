"""JoinedUp's needs taxonomy: every term says what kind of support it is, and loading it again
changes nothing and duplicates nothing."""

from joinedup.core.models import AuditEntry
from joinedup.directory.models import Taxonomy, TaxonomyTerm
from joinedup.directory.needs import NEEDS, NEEDS_TAXONOMY, needs_ensure_defaults
from joinedup.plans.models import Purpose


def test_the_needs_taxonomy_is_made_with_a_purpose_for_every_term(db):
    terms = needs_ensure_defaults()

    taxonomy = Taxonomy.objects.get(name=NEEDS_TAXONOMY)
    assert set(terms) == {need.code for need in NEEDS}
    assert taxonomy.terms.count() == len(NEEDS)
    assert all(term.purpose in Purpose.values for term in taxonomy.terms.all())
    assert terms["mentoring"].purpose == Purpose.MENTORING
    assert terms["outdoor-adventure"].purpose == Purpose.ACTIVITIES
    assert terms["back-into-school"].purpose == Purpose.LEARNING


def test_loading_again_is_idempotent_and_puts_changed_words_back(db):
    first = needs_ensure_defaults()
    TaxonomyTerm.objects.filter(pk=first["sport"].pk).update(name="Sports", purpose="")
    entries = AuditEntry.objects.count()

    again = needs_ensure_defaults()
    needs_ensure_defaults()

    assert Taxonomy.objects.filter(name=NEEDS_TAXONOMY).count() == 1
    assert TaxonomyTerm.objects.count() == len(NEEDS)
    assert {code: term.pk for code, term in again.items()} == {
        code: term.pk for code, term in first.items()
    }
    sport = TaxonomyTerm.objects.get(pk=first["sport"].pk)
    assert (sport.name, sport.purpose) == ("Sport", Purpose.ACTIVITIES)
    # The repair is recorded once; the run after it changes nothing and records nothing.
    assert AuditEntry.objects.count() == entries + 1


def test_terms_added_by_others_are_left_alone(db):
    taxonomy_terms = needs_ensure_defaults()
    own = TaxonomyTerm.objects.create(
        taxonomy=taxonomy_terms["sport"].taxonomy, name="Chess", description="Chess clubs."
    )

    needs_ensure_defaults()

    assert TaxonomyTerm.objects.filter(pk=own.pk, name="Chess").exists()
