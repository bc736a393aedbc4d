from django.db.models import Count

from joinedup.organisations.models import Organisation
from joinedup.partnerships.models import Partnership, PartnershipMember, Person
from joinedup.partnerships.synthetic import generate_partnerships


def _shape():
    return sorted(
        PartnershipMember.objects.values_list(
            "partnership__slug", "organisation__slug", "person__name", "role"
        ),
        key=str,
    )


def test_a_small_landscape_is_made_with_hubs_and_no_loops(db, django_assert_max_num_queries):
    # Two queries per locality (a dozen), then a few inserts per table, whatever the size.
    with django_assert_max_num_queries(60):
        landscape = generate_partnerships(organisations=60, people=150, partnerships=12, seed=3)

    assert landscape.organisations == 60
    assert Person.objects.count() == landscape.people == 150
    assert Partnership.objects.count() == 12
    assert PartnershipMember.objects.count() == landscape.members >= 12 * 5
    # Some organisations sit on several partnerships.
    most = (
        PartnershipMember.objects.values("organisation")
        .annotate(n=Count("partnership"))
        .order_by("-n")
        .first()
    )
    assert most is not None and most["n"] >= 3
    for partnership in Partnership.objects.select_related("parent"):
        seen = set()
        while partnership is not None:
            assert partnership.pk not in seen
            seen.add(partnership.pk)
            partnership = partnership.parent


def test_the_same_seed_gives_the_same_landscape(db):
    generate_partnerships(organisations=30, people=60, partnerships=5, seed=11)
    first = _shape()
    PartnershipMember.objects.all().delete()
    Partnership.objects.filter(parent__isnull=False).delete()
    Partnership.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    generate_partnerships(organisations=30, people=60, partnerships=5, seed=11)
    assert _shape() == first
