"""The partnerships selectors' rows of the audit-trail table (tests/core/test_audit_trail.py)."""

from typing import Any

from joinedup.partnerships import selectors
from tests.factories import PartnershipMemberFactory


def partnership_calls(viewer: Any) -> dict[str, Any]:
    seat = PartnershipMemberFactory()
    return {
        "joinedup.partnerships.selectors.partnership_detail": (
            lambda: selectors.partnership_detail(viewer=viewer, slug=seat.partnership.slug)
        ),
        "joinedup.partnerships.selectors.person_memberships": (
            lambda: selectors.person_memberships(viewer=viewer, person=seat.person)
        ),
        "joinedup.partnerships.selectors.organisation_memberships": (
            lambda: selectors.organisation_memberships(
                viewer=viewer, organisation=seat.organisation
            )
        ),
        "joinedup.partnerships.selectors.person_page_rows": (
            lambda: selectors.person_page_rows(viewer=viewer, people=[seat.person])
        ),
        "joinedup.partnerships.selectors.person_seats": (
            lambda: selectors.person_seats(viewer=viewer, person=seat.person)
        ),
        "joinedup.partnerships.selectors.person_detail": (
            lambda: selectors.person_detail(viewer=viewer, person_id=seat.person.pk)
        ),
    }
