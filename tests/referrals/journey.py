"""A referrer's answers to the seven question pages, and going through them as a browser does:
one POST a page, each answer kept in the session until "Send referral"."""

import html
import re
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.children import services as children
from joinedup.children.models import Relationship, Sex
from joinedup.organisations.models import Locality, Organisation
from joinedup.referrals import services
from joinedup.referrals.models import Concern, FamilyAware, Referral, Urgency
from joinedup.referrals.steps import DRAFT_KEY, STEPS

SLUGS = tuple(step.slug for step in STEPS)
NOT_ATTENDING = "Not attending school regularly"


def born(years_ago: int, month: int = 1, day: int = 1) -> date:
    """A birthday that makes the child `years_ago` old today, whatever today is (from 1 January
    the child has had their birthday this year)."""
    return date(timezone.localdate().year - years_ago, month, day)


def date_parts(day: date) -> dict[str, str]:
    return {
        "date_of_birth_day": str(day.day),
        "date_of_birth_month": str(day.month),
        "date_of_birth_year": str(day.year),
    }


def answers(
    *,
    organisation: Organisation,
    locality: Locality,
    date_of_birth: date,
    **changed: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """What a referrer types on each page, by page slug; `changed` replaces some of a page's."""
    pages: dict[str, dict[str, Any]] = {
        "child": {
            "given_name": "Amina",
            "family_name": "Yusuf",
            "preferred_name": "",
            **date_parts(date_of_birth),
            "sex": Sex.FEMALE,
        },
        "more": {
            "other_names": "Ayan Warsame",
            "nhs_number": "943 476 5919",
            "ethnicity": "black_african",
            "first_language": "Somali",
            "interpreter_needed": "on",
            "religion": "muslim",
            "school": "",
        },
        "home": {"line_1": "12 Stapleton Road", "postcode": "bs5 0ra", "locality": locality.pk},
        "carer": {
            "carer_name": "Hodan Yusuf",
            "carer_relationship": Relationship.MOTHER,
            "carer_has_parental_responsibility": "yes",
        },
        "you": {"organisation": organisation.pk, "relationship_to_child": "Youth worker"},
        "reasons": {
            "concerns": [Concern.objects.get(label=NOT_ATTENDING).pk],
            "concerns_other": "",
            "what_has_been_tried": "Weekly mentoring at the youth club since March.",
            "urgency": Urgency.SOON,
        },
        "family": {"family_aware": FamilyAware.YES, "family_not_aware_reason": ""},
        "safeguarding": {"safeguarding_concern": "no", "safeguarding_details": ""},
    }
    for slug, fields in changed.items():
        pages[slug] = {**pages[slug], **fields}
    return pages


def step_url(slug: str, *, change: bool = False) -> str:
    url = reverse("referrals:referral_step", kwargs={"step": slug})
    return f"{url}?change=1" if change else url


def check_url() -> str:
    return reverse("referrals:referral_check")


def fill_in(client: Client, pages: dict[str, dict[str, Any]], *, up_to: int = len(SLUGS)) -> None:
    """Answer the first `up_to` pages, each taking the referrer on to the next."""
    for index, slug in enumerate(SLUGS[:up_to]):
        response = client.post(step_url(slug), pages[slug])
        following = step_url(SLUGS[index + 1]) if index + 1 < len(SLUGS) else check_url()
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
        assert response.url == following


def send(client: Client) -> HttpResponse:
    return client.post(check_url())


def draft(client: Client) -> dict[str, Any] | None:
    return client.session.get(DRAFT_KEY)


def text_of(response: HttpResponse) -> str:
    """The page as a person reads it: entities decoded, runs of whitespace made one space."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def form_target(response: HttpResponse) -> str:
    """Where the question's form posts to: its action, or the page's own address if it has none.
    (The header's sign-out form comes first on every page, so look for the referral's own.)"""
    match = re.search(
        r'<form method="post"[^>]*?action="(/referrals/[^"]*)"', response.content.decode()
    )
    if match:
        return html.unescape(match.group(1))
    return response.wsgi_request.get_full_path()


def referral_made(
    *,
    actor: User,
    organisation: Organisation,
    locality: Locality,
    given_name: str = "Amina",
    family_name: str = "Yusuf",
    date_of_birth: date | None = None,
) -> Referral:
    """A referral made through the service, for pages that list referrals."""
    return services.referral_submit(
        actor=actor,
        child=children.ChildDetails(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth or born(10),
            address=children.AddressDetails(
                line_1="12 Stapleton Road", postcode="BS5 0RA", locality=locality
            ),
            household=[
                children.HouseholdMemberDetails(
                    full_name=f"Parent {family_name}",
                    relationship=Relationship.MOTHER,
                    has_parental_responsibility=True,
                )
            ],
        ),
        details=services.ReferralDetails(
            organisation=organisation,
            relationship_to_child="Youth worker",
            concerns=[Concern.objects.get(label=NOT_ATTENDING)],
            what_has_been_tried="Mentoring.",
            urgency=Urgency.ROUTINE,
            family_aware=FamilyAware.YES,
            safeguarding_concern=False,
        ),
    )


def easton_partner_token(organisation_name: str = "Easton Youth Project") -> str:
    """The key of a new API token for a voluntary group's system, and the Easton panel (for
    children aged 8 to 13) that its referrals go to, made the first time it is asked for. The
    concerns a referral names are made too: a test that commits its data empties every table
    when it ends, the migrations' rows included."""
    from joinedup.accounts import services as accounts
    from joinedup.core.roles import Role
    from joinedup.panels.models import Panel
    from tests.factories import (
        LocalityFactory,
        MembershipFactory,
        OrganisationFactory,
        PanelFactory,
        UserFactory,
    )

    services.concerns_ensure_defaults()
    if not Panel.objects.filter(slug="easton").exists():
        panel = PanelFactory(name="Easton panel", slug="easton", minimum_age=8, maximum_age=13)
        panel.localities.add(LocalityFactory(name="Easton", slug="easton"))
    group = OrganisationFactory(name=organisation_name)
    worker = UserFactory()
    MembershipFactory(user=worker, organisation=group, role=Role.REFERRER)
    _, key = accounts.api_token_issue(
        actor=None, organisation=group, user=worker, name="Case-management tool"
    )
    return key
