import pytest

from joinedup.directory.models import Funding, Service, ServiceAtLocation, ServiceTerm
from joinedup.directory.synthetic import generate_directory

pytestmark = pytest.mark.django_db


def test_the_synthetic_directory_has_every_part_of_a_service():
    made = generate_directory(200, seed=3)

    assert made.services == Service.objects.count() == 200
    assert ServiceTerm.objects.values("service").distinct().count() == 200
    assert ServiceAtLocation.objects.count() == 200
    assert Funding.objects.filter(ends_on__isnull=False).count() == 200
    for service in Service.objects.all():
        assert service.minimum_age <= service.maximum_age


def test_the_same_seed_makes_the_same_directory():
    generate_directory(30, seed=4)
    first = list(Service.objects.order_by("name").values_list("name", "minimum_age"))
    Service.objects.all().delete()

    generate_directory(30, seed=4)

    assert list(Service.objects.order_by("name").values_list("name", "minimum_age")) == first
