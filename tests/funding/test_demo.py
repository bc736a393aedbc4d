"""The demo funding: Bristol-like funders and streams, some ending within 3 and 6 months,
funding demo directory services and posts; loading twice changes nothing."""

import pytest

from joinedup.core.roles import Role
from joinedup.demo.loader import load_demo_data
from joinedup.directory.models import Funding
from joinedup.funding.models import FundedPost, FundedService, Funder, FunderKind, FundingStream
from joinedup.funding.selectors import stream_list
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_the_demo_funds_directory_services_and_posts_and_loads_twice_unchanged():
    load_demo_data()
    counts = (
        Funder.objects.count(),
        FundingStream.objects.count(),
        FundedService.objects.count(),
        FundedPost.objects.count(),
        Funding.objects.filter(stream__isnull=False).count(),
    )
    assert counts[0] == 4 and counts[1] == 4
    assert counts[2] >= 6 and counts[3] >= 3
    assert counts[4] == counts[2]
    kinds = set(Funder.objects.values_list("kind", flat=True))
    assert {FunderKind.LOCAL_AUTHORITY, FunderKind.POLICE_CRIME_COMMISSIONER} <= kinds
    viewer = make_person(Role.STRATEGIC_MANAGER)
    assert len(stream_list(viewer=viewer, months=3)) >= 2
    assert len(stream_list(viewer=viewer, months=6)) >= 3

    load_demo_data()
    assert counts == (
        Funder.objects.count(),
        FundingStream.objects.count(),
        FundedService.objects.count(),
        FundedPost.objects.count(),
        Funding.objects.filter(stream__isnull=False).count(),
    )
