import pytest

from joinedup.children.models import InvolvementRole
from joinedup.core.roles import Role
from tests.conftest import make_person
from tests.factories import ChildFactory, InvolvementFactory, ParentFactory

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.JOINEDUP_PRIVATE_STORAGE = tmp_path / "private"
    return settings.JOINEDUP_PRIVATE_STORAGE


@pytest.fixture
def child(db):
    return ChildFactory(given_name="Amina", family_name="Yusuf")


@pytest.fixture
def mother(child):
    return ParentFactory(child=child, full_name="Hodan Yusuf")


@pytest.fixture
def father(child):
    return ParentFactory(child=child, full_name="Abdi Yusuf", relationship="father")


@pytest.fixture
def team(child, keyworker):
    """The keyworker and a youth worker from another organisation, both working with the
    child."""
    InvolvementFactory(child=child, worker=keyworker, role=InvolvementRole.KEYWORKER)
    youth_worker = make_person(Role.KEYWORKER, full_name="Yusra Youthwork")
    InvolvementFactory(child=child, worker=youth_worker, role=InvolvementRole.SERVICE)
    return [keyworker, youth_worker]
