"""Every form in JoinedUp answers bad input the same way: the page again (never a 500), a GOV.UK
error summary naming the field at fault, nothing saved, and any markup typed in shown only as
text. One row of FORM_PAGES describes one form; the cases are generated from it."""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import Membership, User
from joinedup.children.models import Child, HouseholdMember, Relationship, Sex
from joinedup.consent.models import ChildView, Competence, ConsentRecord, HowTold, Method, Scope
from joinedup.core.forms import GovukForm, GovukFormMixin, GovukModelForm
from joinedup.core.models import AuditEntry
from joinedup.core.roles import Role
from joinedup.notifications.models import NotificationPreference
from joinedup.organisations.models import Locality, Organisation, OrganisationKind
from joinedup.panels.models import (
    AgendaItem,
    Contribution,
    Meeting,
    MembershipCriterion,
    PanelMember,
    PanelRole,
    TermsOfReference,
)
from joinedup.referrals.models import (
    Concern,
    FamilyAware,
    IdentityStatus,
    PossibleMatch,
    Referral,
    Urgency,
)
from joinedup.referrals.steps import DRAFT_KEY
from tests.accounts.pages import error_summary, summary_names_field
from tests.actions import bad_input as action_pages
from tests.assessments import bad_input as assessment_pages
from tests.conftest import make_person, sign_in_client
from tests.directory import bad_input as directory_pages
from tests.directory import bad_input_editing as directory_editing_pages
from tests.factories import (
    TEST_PASSWORD,
    ChildFactory,
    ConsentRecordFactory,
    InvolvementFactory,
    LocalityFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ParentFactory,
    ReferralFactory,
    UserFactory,
)
from tests.funding import bad_input as funding_pages
from tests.panels import bad_input as meeting_pages
from tests.partnerships import bad_input as partnership_pages
from tests.plans import bad_input as plan_pages
from tests.records import bad_input as record_pages
from tests.reports import bad_input as quality_pages
from tests.reports import bad_input_builder as builder_pages
from tests.reports import bad_input_voices as report_pages
from tests.reviews import bad_input as review_pages
from tests.safeguarding import bad_input as safeguarding_pages
from tests.tracking import bad_input as tracking_pages
from tests.transfers import bad_input as transfer_pages

LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
# Fixed, so that test ids are the same in every pytest-xdist worker.
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
NEW_PASSWORD = "kettle lighthouse marmalade"


class World:
    """The people and records a form page needs, made only when a row asks for them."""

    def __init__(self, request: pytest.FixtureRequest, client: Client) -> None:
        self.request = request
        self.client = client

    def persona(self, name: str) -> User:
        return self.request.getfixturevalue(name)

    def as_persona(self, name: str, url: str) -> str:
        """Sign the persona in, two-factor passed, and give back the form's address."""
        sign_in_client(self.client, self.persona(name))
        return url

    def with_password_only(self, user: User, url: str) -> str:
        """Sign in with a password but no code yet, as on the two-factor pages."""
        self.client.force_login(user)
        return url

    @cached_property
    def keyworker(self) -> User:
        return self.persona("keyworker")

    @cached_property
    def newcomer(self) -> User:
        """Signed in with a password, no authenticator set up yet."""
        user = UserFactory(full_name="Nia Newstarter")
        MembershipFactory(user=user, role=Role.REFERRER, organisation=OrganisationFactory())
        return user

    @cached_property
    def invited(self) -> User:
        user = UserFactory(full_name="Ivy Invited", invited_at=timezone.now())
        user.set_unusable_password()
        user.save()
        return user

    @cached_property
    def target(self) -> User:
        return make_person(Role.KEYWORKER, full_name="Tess Target", email="tess@example.org")

    @cached_property
    def organisation(self) -> Organisation:
        return OrganisationFactory(name="Lawrence Hill Mosque", kind=OrganisationKind.FAITH)

    @cached_property
    def locality(self) -> Locality:
        return LocalityFactory(name="Easton", slug="easton")

    @cached_property
    def panel_world(self) -> SimpleNamespace:
        """A panel with its coordinator, a referral with a possible existing record of the
        same child, and a meeting with the child's case on its agenda."""
        panel = PanelFactory(slug="bad-input-panel")
        coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
        PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
        known = ChildFactory(given_name="Mohammed", family_name="Hassan")
        referral = ReferralFactory(
            panel=panel,
            child=ChildFactory(given_name="Muhammad", family_name="Hassan"),
            identity_status=IdentityStatus.TO_CHECK,
        )
        PossibleMatch.objects.create(referral=referral, candidate=known, probability=0.9)
        meeting = MeetingFactory(panel=panel)
        item = AgendaItem.objects.create(meeting=meeting, child=referral.child, referral=referral)
        return SimpleNamespace(
            panel=panel,
            coordinator=coordinator,
            referral=referral,
            meeting=meeting,
            item=item,
            candidate=make_person(Role.KEYWORKER, full_name="Sam Senco"),
            member_seat=PanelMemberFactory(panel=panel, role=PanelRole.MEMBER),
        )

    def as_coordinator(self, url_name: str, **kwargs: Any) -> str:
        sign_in_client(self.client, self.panel_world.coordinator)
        return reverse(url_name, kwargs=kwargs)

    def referral_page(self, slug: str) -> str:
        return self.as_persona(
            "keyworker", reverse("referrals:referral_step", kwargs={"step": slug})
        )

    def set_password_page(self, user: User, url_name: str) -> str:
        token_link = reverse(
            url_name,
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        return self.client.get(token_link).url


def _password_of(user: User) -> str:
    return User.objects.get(pk=user.pk).password


def _organisation_state(organisation: Organisation) -> tuple[Any, ...]:
    saved = Organisation.objects.get(pk=organisation.pk)
    return (
        *(getattr(saved, name) for name in ("name", "kind", "description", "website", "email")),
        saved.telephone,
        saved.is_active,
        sorted(saved.localities.values_list("pk", flat=True)),
    )


def _locality_state(locality: Locality) -> tuple[Any, ...]:
    saved = Locality.objects.get(pk=locality.pk)
    return (saved.name, saved.description, saved.postcode_districts, saved.wards)


@dataclass(frozen=True)
class FormPage:
    name: str
    open: Callable[[World], str]  # signs in whoever uses the form; returns the form's address
    valid: Callable[[World], dict[str, Any]]  # answers that pass, so one bad field stands out
    text: tuple[str, ...]  # free-text fields
    required: tuple[str, ...] = ()
    wrong: tuple[tuple[str, Any], ...] = ()  # (field, value of the wrong type)
    unchanged: Callable[[World], Any] | None = None  # what bad input must leave as it was
    method: str = "post"
    prefix: str = ""
    together: dict[str, str] = field(default_factory=dict)  # field typed twice, like passwords
    # Where the error summary links for a field posted under another name, like a date's boxes.
    anchors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def _organisation_answers(world: World) -> dict[str, Any]:
    return {
        "name": "Barton Hill Settlement",
        "kind": OrganisationKind.COMMUNITY,
        "description": "A community centre.",
        "localities": [world.locality.pk],
        "website": "https://barton-hill.example.org",
        "email": "hello@barton-hill.example.org",
        "telephone": "0117 496 0000",
        "is_active": "on",
    }


ORGANISATION_TEXT = ("name", "description", "website", "email", "telephone")
ORGANISATION_WRONG = (
    ("kind", "not-a-kind"),
    ("localities", ["not-a-uuid"]),
    ("localities", [UNKNOWN_ID]),
    ("website", "not a website"),
    ("email", "no-at-sign.example.org"),
    ("telephone", "call me maybe"),
)
LOCALITY_TEXT = ("name", "description", "postcode_districts", "wards")
PASSWORD_PAIR = {"new_password1": "new_password2"}
# A date is three boxes; its errors link to the first, the day.
DATE_OF_BIRTH_BOXES = ("date_of_birth_day", "date_of_birth_month", "date_of_birth_year")
DATE_OF_BIRTH_ANCHORS = dict.fromkeys(DATE_OF_BIRTH_BOXES, "date_of_birth_day")


def _new_passwords(world: World) -> dict[str, Any]:
    return {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def _referral_unchanged(world: World) -> tuple[Any, ...]:
    # A question page keeps good answers in the session only: a bad one goes nowhere.
    return Child.objects.count(), Referral.objects.count(), world.client.session.get(DRAFT_KEY)


def _consent_child(world: World) -> Child:
    """A child in the keyworker's team, with a mother who has parental responsibility."""
    if not hasattr(world, "consent_child"):
        child = ChildFactory(given_name="Amina", family_name="Yusuf")
        world.mother = ParentFactory(child=child, full_name="Hodan Yusuf")
        InvolvementFactory(child=child, worker=world.keyworker)
        world.consent_record = ConsentRecordFactory(child=child, household_member=world.mother)
        world.consent_child = child
    return world.consent_child


def _contribution_page(world: World) -> str:
    """The keyworker's written view of a case on the panel_world agenda: they work with the
    child, without sitting on the panel."""
    item = world.panel_world.item
    InvolvementFactory(child=item.child, worker=world.keyworker)
    return world.as_persona(
        "keyworker", reverse("panels:contribution_edit", kwargs={"item_id": item.pk})
    )


def _consent_page(world: World, url_name: str, *, record: bool = False) -> str:
    kwargs = {"reference": _consent_child(world).reference}
    if record:
        kwargs["record_id"] = world.consent_record.pk
    return world.as_persona("keyworker", reverse(url_name, kwargs=kwargs))


def _household_page(world: World, url_name: str, *, member: bool = False) -> str:
    kwargs = {"reference": _consent_child(world).reference}
    if member:
        kwargs["member_id"] = world.mother.pk
    return world.as_persona("keyworker", reverse(url_name, kwargs=kwargs))


def _mother_as_saved(world: World) -> tuple[Any, ...]:
    return HouseholdMember.objects.values_list(
        "full_name", "relationship", "has_parental_responsibility", "lives_with_child", "telephone"
    ).get(pk=world.mother.pk)


HOUSEHOLD_WRONG = (
    ("relationship", "not-a-relationship"),
    ("has_parental_responsibility", "maybe"),
    ("lives_with_child", "maybe"),
    ("telephone", "call me maybe"),
)


def _date_boxes(name: str, day: Any) -> dict[str, Any]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _boxes(name: str) -> tuple[str, ...]:
    return (f"{name}_day", f"{name}_month", f"{name}_year")


def _anchors(*names: str) -> dict[str, str]:
    return {box: f"{name}_day" for name in names for box in _boxes(name)}


FORM_PAGES = [
    FormPage(
        "sign-in",
        open=lambda w: reverse("accounts:login"),
        valid=lambda w: {"username": w.keyworker.email, "password": TEST_PASSWORD},
        text=("username", "password"),
        required=("username", "password"),
        wrong=(("username", "no-at-sign.example.org"),),
        unchanged=lambda w: w.client.session.get("_auth_user_id"),
    ),
    FormPage(
        "password-reset-request",
        open=lambda w: reverse("accounts:password_reset"),
        valid=lambda w: {"email": w.keyworker.email},
        text=("email",),
        required=("email",),
        wrong=(("email", "no-at-sign.example.org"),),
        unchanged=lambda w: len(mail.outbox),
    ),
    FormPage(
        "set-new-password",
        open=lambda w: w.set_password_page(w.keyworker, "accounts:password_reset_confirm"),
        valid=_new_passwords,
        text=("new_password1", "new_password2"),
        required=("new_password1", "new_password2"),
        unchanged=lambda w: _password_of(w.keyworker),
        together=PASSWORD_PAIR,
    ),
    FormPage(
        "accept-invitation",
        open=lambda w: w.set_password_page(w.invited, "accounts:invitation_accept"),
        valid=_new_passwords,
        text=("new_password1", "new_password2"),
        required=("new_password1", "new_password2"),
        unchanged=lambda w: _password_of(w.invited),
        together=PASSWORD_PAIR,
    ),
    FormPage(
        "two-factor-verify",
        open=lambda w: w.with_password_only(w.keyworker, reverse("accounts:two_factor_verify")),
        valid=lambda w: {"token": "123456"},
        text=("token",),
        required=("token",),
        wrong=(("token", "abcdef"), ("token", "12 34 5a")),
        unchanged=lambda w: w.client.session.get(DEVICE_ID_SESSION_KEY),
    ),
    FormPage(
        "two-factor-set-up",
        open=lambda w: w.with_password_only(w.newcomer, reverse("accounts:two_factor_setup")),
        valid=lambda w: {"token": "123456"},
        text=("token",),
        required=("token",),
        wrong=(("token", "abcdef"),),
        unchanged=lambda w: TOTPDevice.objects.filter(user=w.newcomer, confirmed=True).count(),
    ),
    FormPage(
        "change-password",
        open=lambda w: w.as_persona("keyworker", reverse("accounts:password_change")),
        valid=lambda w: {"old_password": TEST_PASSWORD, **_new_passwords(w)},
        text=("old_password", "new_password1", "new_password2"),
        required=("old_password", "new_password1", "new_password2"),
        unchanged=lambda w: _password_of(w.keyworker),
        together=PASSWORD_PAIR,
    ),
    FormPage(
        "invite",
        open=lambda w: w.as_persona("admin_user", reverse("accounts:user_invite")),
        valid=lambda w: {
            "full_name": "Vera Volunteer",
            "email": "vera@example.org",
            "organisation": w.organisation.pk,
            "role": Role.REFERRER,
            "job_title": "Youth worker",
        },
        text=("full_name", "email", "job_title"),
        required=("full_name", "email", "organisation", "role"),
        wrong=(
            ("organisation", "not-a-uuid"),
            ("organisation", UNKNOWN_ID),
            ("role", "not-a-role"),
            ("email", "no-at-sign.example.org"),
        ),
        unchanged=lambda w: (User.objects.count(), Membership.objects.count(), len(mail.outbox)),
    ),
    FormPage(
        "user-edit",
        open=lambda w: w.as_persona(
            "admin_user", reverse("accounts:user_edit", kwargs={"user_id": w.target.pk})
        ),
        valid=lambda w: {"full_name": "Tess Target-Smith", "email": "tess.smith@example.org"},
        text=("full_name", "email"),
        required=("full_name", "email"),
        wrong=(("email", "no-at-sign.example.org"),),
        unchanged=lambda w: User.objects.values_list("full_name", "email").get(pk=w.target.pk),
    ),
    FormPage(
        "add-role",
        open=lambda w: w.as_persona(
            "admin_user", reverse("accounts:membership_add", kwargs={"user_id": w.target.pk})
        ),
        valid=lambda w: {"organisation": w.organisation.pk, "role": Role.PANEL_MEMBER},
        text=("job_title",),
        required=("organisation", "role"),
        wrong=(
            ("organisation", "not-a-uuid"),
            ("organisation", UNKNOWN_ID),
            ("role", "not-a-role"),
        ),
        unchanged=lambda w: Membership.objects.count(),
        prefix="role-",
    ),
    FormPage(
        "audit-search",
        method="get",
        open=lambda w: w.as_persona("ig_officer", reverse("core:audit_log")),
        valid=lambda w: {},
        text=("actor", "target_id", "purpose", "request_id"),
        wrong=(
            ("date_from", "not-a-date"),
            ("date_to", "not-a-date"),
            ("date_from", "2026-02-30"),
            ("verb", "not-a-verb"),
            ("target_type", "not.a-type"),
        ),
        # A search that was refused is not run, so it is not recorded either.
        unchanged=lambda w: AuditEntry.objects.count(),
    ),
    FormPage(
        "organisation-create",
        open=lambda w: w.as_persona("admin_user", reverse("organisations:organisation_create")),
        valid=_organisation_answers,
        text=ORGANISATION_TEXT,
        required=("name", "kind"),
        wrong=ORGANISATION_WRONG,
        unchanged=lambda w: Organisation.objects.count(),
    ),
    FormPage(
        "organisation-edit",
        open=lambda w: w.as_persona(
            "admin_user",
            reverse("organisations:organisation_edit", kwargs={"slug": w.organisation.slug}),
        ),
        valid=_organisation_answers,
        text=ORGANISATION_TEXT,
        required=("name", "kind"),
        wrong=ORGANISATION_WRONG,
        unchanged=lambda w: _organisation_state(w.organisation),
    ),
    FormPage(
        "locality-create",
        open=lambda w: w.as_persona("admin_user", reverse("organisations:locality_create")),
        valid=lambda w: {"name": "Barton Hill", "postcode_districts": "BS5", "wards": "Easton"},
        text=LOCALITY_TEXT,
        required=("name",),
        wrong=(("postcode_districts", "XYZ"), ("postcode_districts", "BS5, 12345")),
        unchanged=lambda w: Locality.objects.count(),
    ),
    FormPage(
        "locality-edit",
        open=lambda w: w.as_persona(
            "admin_user", reverse("organisations:locality_edit", kwargs={"slug": w.locality.slug})
        ),
        valid=lambda w: {"name": "Easton", "postcode_districts": "BS5, BS2", "wards": "Easton"},
        text=LOCALITY_TEXT,
        required=("name",),
        wrong=(("postcode_districts", "XYZ"),),
        unchanged=lambda w: _locality_state(w.locality),
    ),
    FormPage(
        "organisation-search",
        method="get",
        open=lambda w: w.as_persona("keyworker", reverse("organisations:organisation_list")),
        valid=lambda w: {},
        text=("q",),
        wrong=(("kind", "not-a-kind"), ("locality", "no-such-place"), ("locality", UNKNOWN_ID)),
    ),
    FormPage(
        "steering-area",
        method="get",
        open=lambda w: w.as_persona("strategic_manager", reverse("dashboards:steering")),
        valid=lambda w: {},
        text=(),
        wrong=(("area", "no-such-place"), ("area", UNKNOWN_ID)),
    ),
    FormPage(
        "directory-overlap",
        method="get",
        open=lambda w: w.as_persona("strategic_manager", reverse("directory:overlap")),
        valid=lambda w: {},
        text=(),
        wrong=(("locality", "no-such-place"), ("need", "not-a-uuid"), ("need", UNKNOWN_ID)),
    ),
    FormPage(
        "directory-funding",
        method="get",
        open=lambda w: w.as_persona("strategic_manager", reverse("directory:funding")),
        valid=lambda w: {},
        text=(),
        wrong=(("months", "7"), ("months", "six")),
    ),
    FormPage(
        "people-search",
        method="get",
        open=lambda w: w.as_persona("admin_user", reverse("accounts:user_list")),
        valid=lambda w: {},
        text=("q",),
        wrong=(
            ("organisation", "not-a-uuid"),
            ("organisation", UNKNOWN_ID),
            ("role", "not-a-role"),
        ),
    ),
    FormPage(
        "referral-more",
        open=lambda w: w.referral_page("more"),
        valid=lambda w: {
            "other_names": "Amina Warsame",
            "nhs_number": "943 476 5919",
            "ethnicity": "black_african",
            "first_language": "Somali",
            "religion": "muslim",
            "school": "",
        },
        text=("other_names", "nhs_number", "first_language"),
        required=("ethnicity",),
        wrong=(
            ("nhs_number", "9434765918"),
            ("nhs_number", "12345"),
            ("ethnicity", "not-an-ethnicity"),
            ("religion", "not-a-religion"),
            ("school", UNKNOWN_ID),
        ),
        unchanged=_referral_unchanged,
    ),
    FormPage(
        "referral-child",
        open=lambda w: w.referral_page("child"),
        valid=lambda w: {
            "given_name": "Amina",
            "family_name": "Yusuf",
            "preferred_name": "Mina",
            "date_of_birth_day": "31",
            "date_of_birth_month": "3",
            "date_of_birth_year": "2016",
            "sex": Sex.FEMALE,
        },
        text=("given_name", "family_name", "preferred_name", *DATE_OF_BIRTH_BOXES),
        required=("given_name", "family_name", "date_of_birth_day", "sex"),
        wrong=(
            ("date_of_birth_month", "2"),  # 31 February
            ("date_of_birth_month", "13"),
            ("date_of_birth_year", "2O16"),
            ("date_of_birth_year", "16"),
            ("date_of_birth_day", ""),
            ("sex", "not-a-sex"),
        ),
        unchanged=_referral_unchanged,
        anchors=DATE_OF_BIRTH_ANCHORS,
    ),
    FormPage(
        "referral-home",
        open=lambda w: w.referral_page("home"),
        valid=lambda w: {
            "line_1": "12 Stapleton Road",
            "postcode": "BS5 0RA",
            "locality": w.locality.pk,
        },
        text=("line_1", "postcode"),
        required=("line_1", "postcode", "locality"),
        wrong=(
            ("postcode", "not a postcode"),
            ("postcode", "12345"),
            ("locality", "not-a-uuid"),
            ("locality", UNKNOWN_ID),
        ),
        unchanged=_referral_unchanged,
    ),
    FormPage(
        "referral-carer",
        open=lambda w: w.referral_page("carer"),
        valid=lambda w: {
            "carer_name": "Hodan Yusuf",
            "carer_relationship": Relationship.MOTHER,
            "carer_has_parental_responsibility": "yes",
        },
        text=("carer_name",),
        required=("carer_name", "carer_relationship", "carer_has_parental_responsibility"),
        wrong=(
            ("carer_relationship", "not-a-relationship"),
            ("carer_has_parental_responsibility", "maybe"),
        ),
        unchanged=_referral_unchanged,
    ),
    FormPage(
        "referral-you",
        open=lambda w: w.referral_page("you"),
        valid=lambda w: {
            "organisation": w.keyworker.memberships.get().organisation.pk,
            "relationship_to_child": "Youth worker",
        },
        text=("relationship_to_child",),
        required=("organisation", "relationship_to_child"),
        # Someone else's organisation is refused too: see tests/referrals.
        wrong=(("organisation", "not-a-uuid"), ("organisation", UNKNOWN_ID)),
        unchanged=_referral_unchanged,
    ),
    FormPage(
        "referral-reasons",
        open=lambda w: w.referral_page("reasons"),
        valid=lambda w: {
            "concerns": [Concern.objects.order_by("order").first().pk],
            "concerns_other": "",
            "what_has_been_tried": "Weekly mentoring since March.",
            "urgency": Urgency.ROUTINE,
        },
        text=("concerns_other", "what_has_been_tried"),
        # With no reason ticked and none described, the error is on the reasons.
        required=("concerns", "what_has_been_tried", "urgency"),
        wrong=(
            ("concerns", ["not-a-uuid"]),
            ("concerns", [UNKNOWN_ID]),
            ("urgency", "whenever"),
        ),
        unchanged=_referral_unchanged,
    ),
    FormPage(
        "referral-family",
        open=lambda w: w.referral_page("family"),
        valid=lambda w: {
            "family_aware": FamilyAware.NO,
            "family_not_aware_reason": "Her mother is in hospital this week.",
        },
        text=("family_not_aware_reason",),
        required=("family_aware",),
        wrong=(("family_aware", "perhaps"), ("family_not_aware_reason", "")),
        unchanged=_referral_unchanged,
    ),
    FormPage(
        "referral-safeguarding",
        open=lambda w: w.referral_page("safeguarding"),
        valid=lambda w: {
            "safeguarding_concern": "yes",
            "safeguarding_details": "She says an older boy makes her carry packages.",
        },
        text=("safeguarding_details",),
        required=("safeguarding_concern",),
        wrong=(("safeguarding_concern", "maybe"), ("safeguarding_details", "")),
        unchanged=_referral_unchanged,
    ),
    FormPage(
        "consent-record",
        open=lambda w: _consent_page(w, "consent:consent_record"),
        valid=lambda w: {
            "given_by": str(w.mother.pk),
            "scopes": [Scope.ASSESSMENT],
            "method": Method.VERBAL,
            "witness_name": "Wendy Witness",
            **_date_boxes("given_on", timezone.localdate()),
        },
        text=("witness_name", *_boxes("given_on"), *_boxes("expires_on")),
        required=("given_by", "method", "given_on_day"),
        wrong=(
            ("given_by", UNKNOWN_ID),
            ("given_by", "child"),  # not judged competent to consent
            ("scopes", ["not-a-scope"]),
            ("organisations", ["not-a-uuid"]),
            ("organisations", [UNKNOWN_ID]),
            ("method", "carrier_pigeon"),
            ("given_on_month", "13"),
            ("given_on_year", "2999"),
            ("expires_on_year", "2001"),
        ),
        unchanged=lambda w: ConsentRecord.objects.count(),
        anchors=_anchors("given_on", "expires_on"),
    ),
    FormPage(
        "consent-withdraw",
        open=lambda w: _consent_page(w, "consent:consent_withdraw", record=True),
        valid=lambda w: {
            "told_us": HowTold.TELEPHONE,
            "reason": "No reason given",
            **_date_boxes("withdrawn_on", timezone.localdate()),
        },
        text=("reason", *_boxes("withdrawn_on")),
        required=("withdrawn_on_day", "told_us", "reason"),
        wrong=(
            ("told_us", "carrier_pigeon"),
            ("withdrawn_on_month", "13"),
            ("withdrawn_on_year", "2999"),
        ),
        unchanged=lambda w: ConsentRecord.objects.filter(withdrawn_on__isnull=False).count(),
        anchors=_anchors("withdrawn_on"),
    ),
    FormPage(
        "child-view",
        open=lambda w: _consent_page(w, "consent:child_view_record"),
        valid=lambda w: {
            "in_their_words": "I want help with school.",
            "competence": Competence.COMPETENT,
            "competence_notes": "She told me back what the panel does and that she can say no.",
            **_date_boxes("recorded_on", timezone.localdate()),
        },
        text=("in_their_words", "competence_notes", *_boxes("recorded_on")),
        required=("in_their_words", "recorded_on_day", "competence"),
        wrong=(
            ("competence", "maybe"),
            ("competence_notes", ""),
            ("recorded_on_year", "2999"),
        ),
        unchanged=lambda w: ChildView.objects.count(),
        anchors=_anchors("recorded_on"),
    ),
    FormPage(
        "household-add",
        open=lambda w: _household_page(w, "children:household_add"),
        valid=lambda w: {
            "full_name": "Abdi Yusuf",
            "relationship": Relationship.FATHER,
            "has_parental_responsibility": "yes",
            "lives_with_child": "no",
            "telephone": "07700 900123",
        },
        text=("full_name", "telephone"),
        required=("full_name", "relationship", "has_parental_responsibility", "lives_with_child"),
        wrong=HOUSEHOLD_WRONG,
        unchanged=lambda w: HouseholdMember.objects.count(),
    ),
    FormPage(
        "household-change",
        open=lambda w: _household_page(w, "children:household_change", member=True),
        valid=lambda w: {
            "full_name": "Hodan Yusuf",
            "relationship": Relationship.MOTHER,
            "has_parental_responsibility": "yes",
            "lives_with_child": "no",
            "telephone": "0117 496 0000",
        },
        text=("full_name", "telephone"),
        required=("full_name", "relationship", "has_parental_responsibility", "lives_with_child"),
        # "no": her consent is in force, and counts only while she has parental responsibility.
        wrong=(*HOUSEHOLD_WRONG, ("has_parental_responsibility", "no")),
        unchanged=_mother_as_saved,
    ),
    FormPage(
        "child-timeline-filter",
        method="get",
        open=lambda w: _household_page(w, "children:timeline"),
        valid=lambda w: {"kind": ["consent"], "order": "oldest"},
        text=(),
        wrong=(("kind", "not-a-kind"), ("order", "sideways")),
    ),
    FormPage(
        "child-search",
        open=lambda w: w.as_persona("keyworker", reverse("children:search")),
        valid=lambda w: {},
        text=("q", "date_of_birth", "school", "postcode"),
        wrong=(
            ("q", "Z"),
            ("date_of_birth", "not-a-date"),
            ("date_of_birth", "31/02/2012"),
            ("postcode", "XYZ 123"),
        ),
    ),
    FormPage(
        "assessment-start",
        open=assessment_pages.start_page,
        valid=assessment_pages.start_answers,
        text=_boxes("assessed_on"),
        required=("kind", "organisation", "assessed_on_day"),
        wrong=(
            ("kind", "review"),  # the first assessment of a child is the initial one
            ("kind", "not-a-kind"),
            ("organisation", UNKNOWN_ID),
            ("organisation", "not-a-uuid"),
            ("assessed_on_month", "13"),
            ("assessed_on_year", "2999"),
        ),
        unchanged=assessment_pages.assessment_count,
        anchors=_anchors("assessed_on"),
    ),
    FormPage(
        "assessment-ratings",
        open=assessment_pages.ratings_page,
        valid=assessment_pages.ratings_answers,
        text=("evidence_education", "protective_factors", "serious_harm_evidence"),
        # Nothing else is needed to save a draft; the page's revision keeps saves apart.
        required=("revision",),
        wrong=(
            ("rating_education", "5"),
            ("rating_education", "high"),
            ("evidence_education", ""),  # a rating of 2 needs its evidence
            ("serious_harm", "maybe"),
            ("serious_harm_evidence", ""),  # "some concerns" needs what they are based on
            ("revision", "0"),
            ("revision", "abc"),
            ("revision", "7"),  # a page opened at another revision: refused, nothing lost
        ),
        unchanged=assessment_pages.draft_as_saved,
    ),
    FormPage(
        "assessment-complete",
        open=assessment_pages.complete_page,
        valid=assessment_pages.complete_answers,
        text=(),
        required=("confirm", "revision"),
        wrong=(("revision", "1"), ("revision", "abc")),
        unchanged=assessment_pages.rated_draft_as_saved,
    ),
    FormPage(
        "assessment-compare",
        method="get",
        open=assessment_pages.compare_page,
        valid=assessment_pages.compare_answers,
        text=(),
        wrong=(("earlier", "not-a-uuid"), ("later", UNKNOWN_ID)),
    ),
    FormPage(
        "child-over-to-you",
        open=lambda w: assessment_pages.over_to_you_page(w, "assessments:child_over_to_you"),
        valid=assessment_pages.over_to_you_answers,
        text=("in_their_words", "helped_by", *_boxes("filled_on")),
        required=("helped_by", "filled_on_day"),
        wrong=(
            ("school_like", "maybe"),
            ("filled_on_month", "13"),
            ("filled_on_year", "2999"),
        ),
        unchanged=assessment_pages.over_to_you_count,
        anchors=_anchors("filled_on"),
    ),
    FormPage(
        "parent-over-to-you",
        open=lambda w: assessment_pages.over_to_you_page(w, "assessments:parent_over_to_you"),
        valid=lambda w: assessment_pages.over_to_you_answers(w, parent=True),
        text=("in_their_words", "helped_by", *_boxes("filled_on")),
        required=("household_member", "helped_by", "filled_on_day"),
        wrong=(
            ("household_member", UNKNOWN_ID),
            ("household_member", "not-a-uuid"),
            ("family_get_on", "maybe"),
            ("filled_on_year", "2999"),
        ),
        unchanged=assessment_pages.over_to_you_count,
        anchors=_anchors("filled_on"),
    ),
    FormPage(
        "safeguarding-raise",
        open=safeguarding_pages.raise_page,
        valid=safeguarding_pages.raise_answers,
        text=("reference", "child_description", "what_happened", "why_worried"),
        required=(
            "knows_reference",
            "organisation",
            "what_happened",
            "why_worried",
            "immediate_danger",
        ),
        wrong=(
            ("knows_reference", "maybe"),
            ("reference", "JU-0000-0001"),  # its check character is wrong
            ("locality", UNKNOWN_ID),
            ("organisation", UNKNOWN_ID),
            ("immediate_danger", "perhaps"),
        ),
        unchanged=safeguarding_pages.concern_count,
    ),
    FormPage(
        "safeguarding-raise-for-child",
        open=safeguarding_pages.raise_for_child_page,
        valid=lambda w: safeguarding_pages.raise_answers(w, about_reference=False),
        text=("what_happened", "why_worried"),
        required=("organisation", "what_happened", "why_worried", "immediate_danger"),
        wrong=(("organisation", "not-a-uuid"), ("immediate_danger", "perhaps")),
        unchanged=safeguarding_pages.concern_count,
    ),
    FormPage(
        "safeguarding-action",
        open=lambda w: safeguarding_pages.lead_page(w, "safeguarding:concern_action"),
        valid=lambda w: {"action": "Phoned the keyworker."},
        text=("action",),
        required=("action",),
        unchanged=safeguarding_pages.history,
    ),
    FormPage(
        "safeguarding-close",
        open=lambda w: safeguarding_pages.lead_page(w, "safeguarding:concern_close"),
        valid=lambda w: dict(safeguarding_pages.CLOSE_ANSWERS),
        text=("reason",),
        required=("outcome", "reason"),
        wrong=(("outcome", "shrug"),),
        unchanged=safeguarding_pages.closed,
    ),
    FormPage(
        "plan-start",
        open=plan_pages.start_page,
        valid=plan_pages.start_answers,
        text=("contingency", "review_interval_weeks", *_boxes("opened_on")),
        required=("keyworker", "opened_on_day", "review_interval_weeks"),
        wrong=(
            ("keyworker", UNKNOWN_ID),
            ("review_interval_weeks", "53"),
            ("review_interval_weeks", "0"),
            ("opened_on_year", "2999"),
        ),
        unchanged=plan_pages.plan_count,
        anchors=_anchors("opened_on"),
    ),
    FormPage(
        "plan-change",
        open=plan_pages.edit_page,
        valid=plan_pages.edit_answers,
        text=("contingency", "review_interval_weeks", *_boxes("next_review_on")),
        required=("keyworker", "review_interval_weeks", "next_review_on_day"),
        wrong=(
            ("keyworker", "not-a-membership"),
            ("revision", "abc"),
            ("next_review_on_month", "13"),
        ),
        unchanged=plan_pages.plan_as_saved,
        anchors=_anchors("next_review_on"),
    ),
    FormPage(
        "plan-goal-add",
        open=plan_pages.goal_add_page,
        valid=plan_pages.goal_answers,
        text=("in_their_words",),
        required=("in_their_words", "said_by"),
        wrong=(("said_by", "the-system"), ("revision", "0")),
        unchanged=plan_pages.goals_as_saved,
    ),
    FormPage(
        "plan-goal-change",
        open=plan_pages.goal_edit_page,
        valid=plan_pages.goal_edit_answers,
        text=("in_their_words", "position"),
        required=("in_their_words", "said_by", "status", "position"),
        wrong=(("status", "finished"), ("position", "0"), ("position", "99")),
        unchanged=plan_pages.goals_as_saved,
    ),
    FormPage(
        "plan-support",
        open=plan_pages.intervention_page,
        valid=plan_pages.intervention_answers,
        text=("service", "provider_name", "frequency", "stopped_reason", *_boxes("starts_on")),
        required=("service", "purpose", "starts_on_day", "frequency", "status"),
        wrong=(
            ("purpose", "not-a-purpose"),
            ("provider_organisation", UNKNOWN_ID),
            ("status", "abandoned"),
            ("goals", [UNKNOWN_ID]),
            ("starts_on_month", "13"),
            ("directory_service", UNKNOWN_ID),
        ),
        unchanged=plan_pages.intervention_count,
        anchors=_anchors("starts_on"),
    ),
    FormPage(
        "plan-review",
        open=plan_pages.review_page,
        valid=plan_pages.review_answers,
        text=("child_view", "family_view", *_boxes("held_on"), *_boxes("next_review_on")),
        required=("held_on_day", "child_view"),
        wrong=(("assessment", UNKNOWN_ID), ("held_on_year", "2999")),
        unchanged=plan_pages.review_count,
        anchors=_anchors("held_on", "next_review_on"),
    ),
    FormPage(
        "plan-close",
        open=plan_pages.close_page,
        valid=plan_pages.close_answers,
        text=(
            "outcome_reason",
            "what_changed",
            "child_view",
            "family_view",
            "support_continuing",
            *_boxes("closed_on"),
        ),
        required=("closed_on_day", "outcome", "outcome_reason", "what_changed", "child_view"),
        wrong=(("outcome", "vanished"), ("follow_up_on_month", "13")),
        unchanged=plan_pages.plan_as_saved,
        anchors=_anchors("closed_on", "follow_up_on"),
    ),
    FormPage(
        "identity-decision",
        open=lambda w: w.as_coordinator(
            "referrals:referral_review", referral_id=w.panel_world.referral.pk
        ),
        valid=lambda w: {"decision": "new", "note": ""},
        text=("note",),
        required=("decision",),
        wrong=(("decision", f"link:{UNKNOWN_ID}"), ("decision", "maybe")),
        unchanged=lambda w: Referral.objects.values_list("identity_status", "child").get(
            pk=w.panel_world.referral.pk
        ),
    ),
    FormPage(
        "identity-unlink",
        open=lambda w: w.as_coordinator(
            "referrals:referral_unlink", referral_id=w.panel_world.referral.pk
        ),
        valid=lambda w: {"reason": "They are cousins"},
        text=("reason",),
        required=("reason",),
        unchanged=lambda w: Referral.objects.values_list("identity_status", "child").get(
            pk=w.panel_world.referral.pk
        ),
    ),
    FormPage(
        "meeting-create",
        open=lambda w: w.as_coordinator("panels:meeting_create", slug=w.panel_world.panel.slug),
        valid=lambda w: {
            "day_day": "15",
            "day_month": "6",
            "day_year": str(timezone.localdate().year + 1),
            "start_time": "16:00",
            "location": "Easton Community Centre",
        },
        text=("location", "start_time", "day_day"),
        required=("day_day", "start_time"),
        wrong=(
            ("start_time", "25:00"),
            ("start_time", "four o'clock"),
            ("day_month", "13"),
            ("day_year", "2020"),  # a real date, but in the past
        ),
        unchanged=lambda w: Meeting.objects.count(),
        anchors={"day_day": "day_day", "day_month": "day_day", "day_year": "day_day"},
    ),
    FormPage(
        "agenda-add",
        open=lambda w: w.as_coordinator("panels:agenda_add", referral_id=w.panel_world.referral.pk),
        valid=lambda w: {"meeting": str(w.panel_world.meeting.pk)},
        text=(),
        required=("meeting",),
        wrong=(("meeting", UNKNOWN_ID), ("meeting", "not-a-uuid")),
        unchanged=lambda w: AgendaItem.objects.count(),
    ),
    FormPage(
        "agenda-remove",
        open=lambda w: w.as_coordinator("panels:agenda_remove", item_id=w.panel_world.item.pk),
        valid=lambda w: {"reason": "The family moved away"},
        text=("reason",),
        required=("reason",),
        unchanged=lambda w: AgendaItem.objects.values_list("removed_at").get(
            pk=w.panel_world.item.pk
        ),
    ),
    FormPage(
        "panel-member-add",
        open=lambda w: w.as_coordinator("panels:member_add", slug=w.panel_world.panel.slug),
        valid=lambda w: {
            "email": w.panel_world.candidate.email,
            "organisation": "",
            "role": PanelRole.MEMBER,
            "has_delegated_authority": "yes",
            "deputy_for": "",
            "started_on_day": str(timezone.localdate().day),
            "started_on_month": str(timezone.localdate().month),
            "started_on_year": str(timezone.localdate().year),
        },
        text=("email",),
        required=("email", "role", "has_delegated_authority", "started_on_day"),
        wrong=(
            ("email", "not an email"),
            ("role", "king"),
            ("has_delegated_authority", "maybe"),
            ("deputy_for", "not-a-seat"),
            ("started_on_month", "13"),
        ),
        unchanged=lambda w: PanelMember.objects.filter(user=w.panel_world.candidate).count(),
        anchors=_anchors("started_on"),
    ),
    FormPage(
        "panel-member-end",
        open=lambda w: w.as_coordinator("panels:member_end", seat_id=w.panel_world.member_seat.pk),
        valid=lambda w: {
            "ended_on_day": str(timezone.localdate().day),
            "ended_on_month": str(timezone.localdate().month),
            "ended_on_year": str(timezone.localdate().year),
            "reason": "Left the organisation",
        },
        text=("reason",),
        required=("reason", "ended_on_day"),
        wrong=(("ended_on_day", "32"),),
        unchanged=lambda w: PanelMember.objects.values_list("ended_on").get(
            pk=w.panel_world.member_seat.pk
        ),
        anchors=_anchors("ended_on"),
    ),
    FormPage(
        "panel-criteria",
        open=lambda w: w.as_coordinator("panels:criteria", slug=w.panel_world.panel.slug),
        valid=lambda w: {"text": "Works with children in the locality"},
        text=("text",),
        required=("text",),
        unchanged=lambda w: MembershipCriterion.objects.count(),
    ),
    FormPage(
        "panel-terms",
        open=lambda w: w.as_coordinator("panels:terms_adopt", slug=w.panel_world.panel.slug),
        valid=lambda w: {
            "text": "The panel meets monthly to agree support for children.",
            "adopted_on_day": "1",
            "adopted_on_month": "9",
            "adopted_on_year": str(timezone.localdate().year - 1),
            "change_summary": "",
        },
        text=("text", "change_summary"),
        required=("text", "adopted_on_day"),
        wrong=(("adopted_on_year", "twenty"),),
        unchanged=lambda w: TermsOfReference.objects.count(),
        anchors=_anchors("adopted_on"),
    ),
    FormPage(
        "panel-contribution",
        open=_contribution_page,
        valid=lambda w: {"view": "He is doing well at the youth project.", "will_attend": "no"},
        text=("view",),
        required=("view", "will_attend"),
        wrong=(("will_attend", "maybe"),),
        unchanged=lambda w: Contribution.objects.count(),
    ),
    FormPage(
        "action-create",
        open=action_pages.create_page,
        valid=action_pages.create_answers,
        text=("title", "detail"),
        required=("title", "owner", "due_on_day"),
        wrong=(
            ("owner", "not-a-person"),
            ("agenda_item", UNKNOWN_ID),
            ("due_on_month", "13"),
        ),
        unchanged=action_pages.action_count,
        anchors=_anchors("due_on"),
    ),
    FormPage(
        "action-complete",
        open=lambda w: action_pages.step_page(w, "actions:action_complete", as_owner=True),
        valid=lambda w: {"revision": "1", "outcome": "Met the head teacher."},
        text=("outcome",),
        required=("outcome",),
        unchanged=action_pages.action_as_saved,
    ),
    FormPage(
        "action-reassign",
        open=lambda w: action_pages.step_page(w, "actions:action_reassign"),
        valid=action_pages.owner_answers,
        text=("reason",),
        required=("owner", "reason"),
        wrong=(("owner", UNKNOWN_ID),),
        unchanged=action_pages.action_as_saved,
    ),
    FormPage(
        "action-due-date",
        open=lambda w: action_pages.step_page(w, "actions:action_due_date", as_owner=True),
        valid=action_pages.due_date_answers,
        text=("reason",),
        required=("due_on_day", "reason"),
        wrong=(("due_on_year", "twenty"), ("due_on_year", "2001")),
        unchanged=action_pages.action_as_saved,
        anchors=_anchors("due_on"),
    ),
    FormPage(
        "action-cancel",
        open=lambda w: action_pages.step_page(w, "actions:action_cancel"),
        valid=lambda w: {"revision": "1", "reason": "The family moved away"},
        text=("reason",),
        required=("reason",),
        unchanged=action_pages.action_as_saved,
    ),
    FormPage(
        "action-report",
        open=action_pages.report_page,
        valid=lambda w: {},
        text=(),
        wrong=(("start_year", "twenty"), ("end_month", "13")),
        method="get",
        anchors=_anchors("start", "end"),
    ),
    # The meeting itself (tests/panels/bad_input.py).
    FormPage(
        "meeting-attendance",
        open=meeting_pages.attendance_page,
        valid=meeting_pages.attendance_answers,
        text=(),
        required=meeting_pages.SEAT_FIELDS,
        wrong=(
            (meeting_pages.SEAT_FIELDS[0], "late"),
            (meeting_pages.SEAT_FIELDS[2], f"deputy:{UNKNOWN_ID}"),
        ),
        unchanged=meeting_pages.attendance_as_saved,
    ),
    FormPage(
        "meeting-declaration",
        open=meeting_pages.declaration_page,
        valid=meeting_pages.declaration_answers,
        text=("interest",),
        required=("member", "item", "interest"),
        wrong=(("item", UNKNOWN_ID), ("member", UNKNOWN_ID)),
        unchanged=meeting_pages.declaration_count,
    ),
    FormPage(
        "meeting-decision",
        open=meeting_pages.decision_page,
        valid=meeting_pages.decision_answers,
        text=(
            "rationale",
            "signpost_to",
            "defer_reason",
            "against_rule_reason",
            "correction_reason",
        ),
        required=("outcome", "rationale"),
        wrong=(
            ("outcome", "promote"),
            ("deferred_to", UNKNOWN_ID),
            ("version", "first"),
            ("keyworker", UNKNOWN_ID),
        ),
        unchanged=meeting_pages.decision_count,
    ),
    FormPage(
        # The minutes of a meeting of fifteen cases run past 10,000 characters, so only the
        # 50,000-character limit is refused (tests/panels); markup is refused as everywhere.
        "meeting-minutes-edit",
        open=meeting_pages.minutes_edit_page,
        valid=meeting_pages.minutes_edit_answers,
        text=(),
        required=("text",),
        wrong=(("revision", "latest"), ("text", "<script>alert(1)</script>")),
        unchanged=meeting_pages.minutes_as_saved,
    ),
    FormPage(
        "meeting-minutes-approve",
        open=meeting_pages.minutes_approve_page,
        valid=meeting_pages.minutes_approve_answers,
        text=(),
        required=("minutes",),
        wrong=(("minutes", UNKNOWN_ID),),
        unchanged=meeting_pages.minutes_as_saved,
    ),
    FormPage(
        "panel-quorum",
        open=meeting_pages.quorum_page,
        valid=meeting_pages.quorum_answers,
        text=(),
        required=(
            "minimum_members",
            "minimum_agencies",
            "chair_required",
            "delegated_authority_required",
        ),
        wrong=(
            ("minimum_members", "0"),
            ("minimum_members", "many"),
            ("minimum_agencies", "9"),
            ("chair_required", "maybe"),
        ),
        unchanged=meeting_pages.quorum_as_saved,
    ),
    FormPage(
        "panel-prioritisation",
        open=meeting_pages.prioritisation_page,
        valid=meeting_pages.prioritisation_answers,
        text=("change_summary",),
        required=(
            "minimum_agencies",
            "parents_concerned_qualifies",
            "minimum_risk_factors",
            "risk_rating_from",
            "change_summary",
        ),
        wrong=(("risk_rating_from", "5"), ("minimum_agencies", "0"), ("minimum_risk_factors", "x")),
        unchanged=meeting_pages.prioritisation_count,
    ),
    FormPage(
        "notification-preferences",
        open=lambda w: w.as_persona("keyworker", reverse("notifications:preferences")),
        valid=lambda w: {
            "reviews": "daily",
            "consents": "weekly",
            "actions": "immediate",
            "referrals": "app",
            "directory": "weekly",
        },
        text=(),
        required=("reviews", "consents", "actions", "referrals", "directory"),
        # A reminder kept for the child's sake cannot be turned off; no such delivery.
        wrong=(("reviews", "off"), ("referrals", "off"), ("consents", "hourly")),
        unchanged=lambda w: list(
            NotificationPreference.objects.filter(user=w.keyworker).values_list("kind", "delivery")
        ),
    ),
]

FORM_PAGES += [
    FormPage(
        "transfer-request",
        open=transfer_pages.request_page,
        valid=transfer_pages.request_answers,
        text=(
            "new_address_line_1",
            "new_postcode",
            "reason",
            "risks",
            "what_is_working",
            "who_knows_the_child",
            *_boxes("moves_on"),
        ),
        required=(
            "new_locality",
            "moves_on_day",
            "reason",
            "risks",
            "what_is_working",
            "who_knows_the_child",
        ),
        wrong=(("new_locality", UNKNOWN_ID), ("moves_on_year", "2999")),
        unchanged=transfer_pages.transfers_as_saved,
        anchors=_anchors("moves_on"),
    ),
    FormPage(
        "transfer-accept",
        open=lambda w: transfer_pages.answer_page(w, "transfers:accept"),
        valid=lambda w: {"handover_read": "on", "keyworker": ""},
        text=(),
        required=("handover_read",),
        wrong=(("keyworker", "not-a-keyworker"),),
        unchanged=transfer_pages.transfers_as_saved,
    ),
    FormPage(
        "transfer-decline",
        open=lambda w: transfer_pages.answer_page(w, "transfers:decline"),
        valid=lambda w: {"reason": "The family is staying."},
        text=("reason",),
        required=("reason",),
        unchanged=transfer_pages.transfers_as_saved,
    ),
    FormPage(
        "transfer-withdraw",
        open=transfer_pages.withdraw_page,
        valid=lambda w: {"reason": "The move fell through."},
        text=("reason",),
        required=("reason",),
        unchanged=transfer_pages.transfers_as_saved,
    ),
    FormPage(
        "flag-looked-at",
        open=tracking_pages.look_page,
        valid=tracking_pages.look_answers,
        text=("note",),
        required=("note",),
        unchanged=tracking_pages.look_count,
    ),
    FormPage(
        "tracking-settings",
        open=tracking_pages.settings_page,
        valid=tracking_pages.settings_answers,
        text=("gap_weeks", "repeat_agencies", "repeat_months"),
        required=("gap_weeks", "repeat_agencies", "repeat_months"),
        wrong=(
            ("gap_weeks", "0"),
            ("gap_weeks", "53"),
            ("gap_weeks", "six"),
            ("repeat_agencies", "1"),
            ("repeat_months", "2.5"),
        ),
        unchanged=tracking_pages.settings_as_saved,
    ),
    FormPage(
        "retention-period",
        open=record_pages.retention_page,
        valid=record_pages.retention_answers,
        text=("reason",),
        required=("months", "reason"),
        wrong=(
            ("months", "0"),
            ("months", "1201"),
            ("months", "six"),
            ("months", "1.5"),
            ("until_age", "17"),
            ("until_age", "abc"),
        ),
        unchanged=record_pages.retention_as_saved,
    ),
    FormPage(
        "subject-access-request",
        open=lambda w: record_pages.as_officer(w, "records:sar_create"),
        valid=record_pages.sar_answers,
        text=("reference", "requester_name", "notes", *_boxes("received_on")),
        required=("reference", "requester_name", "requester", "received_on_day"),
        wrong=(
            ("reference", "JU-0000-0000"),
            ("requester", "the-cat"),
            ("received_on_year", "2999"),
            ("received_on_month", "13"),
        ),
        unchanged=record_pages.sar_count,
        anchors=_anchors("received_on"),
    ),
    FormPage(
        "subject-access-redactions",
        open=record_pages.redaction_page,
        valid=lambda w: {"names": ["Hester Hale"], "reason": "Not known to the requester"},
        text=("reason",),
        required=("reason",),
        wrong=(("names", ["Somebody Else"]),),
        unchanged=record_pages.redactions_as_saved,
    ),
    FormPage(
        "subject-access-release",
        open=record_pages.release_page,
        valid=record_pages.release_answers,
        text=("method_other", "released_to", *_boxes("released_on")),
        required=("released_on_day", "method", "released_to"),
        wrong=(
            ("method", "pigeon"),
            ("released_on_year", "2999"),
            ("released_on_month", "13"),
            ("released_on_year", "2000"),
        ),
        unchanged=record_pages.request_as_saved,
        anchors=_anchors("released_on"),
    ),
    FormPage(
        "subject-access-refused-or-withdrawn",
        open=record_pages.close_page,
        valid=record_pages.close_answers,
        text=("reason", *_boxes("closed_on")),
        required=("outcome", "closed_on_day", "reason"),
        wrong=(("outcome", "released"), ("closed_on_year", "2999"), ("closed_on_day", "32")),
        unchanged=record_pages.request_as_saved,
        anchors=_anchors("closed_on"),
    ),
    FormPage(
        "rights-find",
        method="get",
        open=lambda w: record_pages.as_officer(w, "records:rights_find"),
        valid=lambda w: {"reference": record_pages._child(w).reference},
        text=("reference",),
        required=("reference",),
        wrong=(("reference", "JU-0000-0000"),),
    ),
    FormPage(
        "rectification",
        open=lambda w: record_pages.rights_page(w, "records:rectification_add"),
        valid=record_pages.rectification_answers,
        text=("new_value", "requested_by", "reason"),
        required=("field", "requested_by", "reason"),
        wrong=(("field", "address"), ("new_value", "")),
        unchanged=record_pages.rights_as_saved,
    ),
    FormPage(
        "household-member-rectification",
        open=lambda w: record_pages.rights_page(w, "records:member_rectification_add"),
        valid=record_pages.member_rectification_answers,
        text=("new_value", "requested_by", "reason"),
        required=("member", "field", "requested_by", "reason"),
        wrong=(
            ("member", "not-a-member"),
            ("field", "date_of_birth"),
            ("new_value", "Aunt"),
            ("new_value", "Mother"),
        ),
        unchanged=record_pages.member_as_saved,
    ),
    FormPage(
        "restriction",
        open=lambda w: record_pages.rights_page(w, "records:restriction_add"),
        valid=lambda w: {"requested_by": "The child", "reason": "Disputed"},
        text=("requested_by", "reason"),
        required=("requested_by", "reason"),
        unchanged=record_pages.rights_as_saved,
    ),
    FormPage(
        "restriction-lift",
        open=lambda w: record_pages.rights_page(w, "records:restriction_lift", restricted=True),
        valid=lambda w: {"reason": "Settled with the family"},
        text=("reason",),
        required=("reason",),
        unchanged=record_pages.rights_as_saved,
    ),
]

FORM_PAGES += [
    FormPage(
        "directory-import",
        open=directory_pages.import_page,
        valid=directory_pages.import_answers,
        text=(),
        required=("file",),
        wrong=directory_pages.IMPORT_WRONG,
        unchanged=directory_pages.directory_as_saved,
    ),
    # Adding and changing a service are one form.
    *(
        FormPage(
            f"directory-service-{kind}",
            open=opener,
            valid=directory_editing_pages.service_answers,
            text=directory_editing_pages.SERVICE_TEXT,
            required=directory_editing_pages.SERVICE_REQUIRED,
            wrong=directory_editing_pages.SERVICE_WRONG,
            unchanged=directory_editing_pages.service_state,
            anchors=_anchors("funding_1_ends_on"),
        )
        for kind, opener in (
            ("add", directory_editing_pages.add_page),
            ("edit", directory_editing_pages.edit_page),
        )
    ),
    FormPage(
        "directory-service-close",
        open=directory_editing_pages.close_page,
        valid=lambda w: {"status": "temporarily closed", "alert": "Back in September."},
        text=("alert",),
        required=("status", "alert"),
        wrong=(("status", "active"),),
        unchanged=directory_editing_pages.service_state,
    ),
    FormPage(
        "directory-provider-edit",
        open=directory_editing_pages.provider_page,
        valid=lambda w: {"name": "Easton Youth", "description": "Youth work in Easton."},
        text=("name", "description", "email", "website"),
        required=("name", "description"),
        wrong=(("email", "not-an-email"), ("website", "not a website")),
        unchanged=directory_editing_pages.provider_state,
    ),
]

FORM_PAGES += [
    # The partnership's funding (docs/funding.md), as a strategic manager keeps it.
    FormPage(
        "funding-streams",
        method="get",
        open=funding_pages.list_page,
        valid=lambda w: {},
        text=("q",),
        wrong=(("funder", UNKNOWN_ID), ("locality", "no-such-place"), ("months", "7")),
    ),
    FormPage(
        "funding-ending",
        method="get",
        open=funding_pages.timeline_page,
        valid=lambda w: {},
        text=(),
        wrong=(("months", "7"), ("months", "six")),
    ),
    FormPage(
        "funding-funder",
        open=funding_pages.funder_page,
        valid=funding_pages.funder_answers,
        text=("name",),
        required=("name", "kind"),
        wrong=funding_pages.FUNDER_WRONG,
        unchanged=funding_pages.funding_as_saved,
    ),
    FormPage(
        "funding-stream",
        open=funding_pages.stream_page,
        valid=funding_pages.stream_answers,
        text=("name", "purpose", "notes"),
        required=("funder", "name", "amount", "starts_on", "ends_on"),
        wrong=funding_pages.STREAM_WRONG,
        unchanged=funding_pages.funding_as_saved,
        anchors={
            "starts_on": "starts_on_day",
            "ends_on": "ends_on_day",
            **_anchors("starts_on", "ends_on"),
        },
    ),
    FormPage(
        "funding-stream-end",
        open=funding_pages.end_page,
        valid=funding_pages.end_answers,
        text=("reason",),
        required=("ends_on", "reason"),
        unchanged=funding_pages.funding_as_saved,
        anchors={"ends_on": "ends_on_day", **_anchors("ends_on")},
    ),
    FormPage(
        "funding-service",
        open=funding_pages.service_page,
        valid=funding_pages.service_answers,
        text=(),
        required=("service",),
        wrong=funding_pages.SERVICE_WRONG,
        unchanged=funding_pages.funding_as_saved,
    ),
    FormPage(
        "funding-post",
        open=funding_pages.post_page,
        valid=funding_pages.post_answers,
        text=("title",),
        required=("title", "organisation", "hours_per_week"),
        wrong=funding_pages.POST_WRONG,
        unchanged=funding_pages.funding_as_saved,
    ),
]

# A new password can be set longer than the sign-in form accepts (4096 characters), after
# which its owner can never sign in: see the report on accounts/forms.py NewPasswordForm.


FORM_PAGES += [
    # The directory's search, signed out as a family would use it.
    FormPage(
        "directory-search",
        method="get",
        open=lambda w: reverse("directory:search"),
        valid=lambda w: {},
        text=("q", "postcode"),
        wrong=(
            ("age", "twelve"),
            ("age", "26"),
            ("age", "-1"),
            ("postcode", "not a postcode"),
            ("postcode", "BS99"),
            ("distance", "40"),
            ("need", UNKNOWN_ID),
            ("locality", "no-such-place"),
            ("language", "Klingon"),
            ("route", "by-pigeon"),
        ),
    ),
]

FORM_PAGES += [
    FormPage(
        "review-round",
        open=review_pages.round_page,
        valid=review_pages.round_answers,
        text=("title",),
        required=("kind", "title", "opens_on", "closes_on"),
        wrong=review_pages.WRONG,
        unchanged=review_pages.round_count,
        anchors={
            "opens_on": "opens_on_day",
            "closes_on": "closes_on_day",
            **_anchors("opens_on", "closes_on"),
        },
    ),
    FormPage(
        "health-check",
        open=review_pages.health_page,
        valid=review_pages.health_answers,
        text=("hopes", "fears"),
        required=review_pages.HEALTH_STATEMENTS,
        wrong=review_pages.HEALTH_WRONG,
        unchanged=review_pages.health_saved,
    ),
    FormPage(
        "survey-partners",
        method="get",
        open=review_pages.survey_partners_page,
        valid=review_pages.survey_partners_answers,
        text=(),
        required=("partners",),
        wrong=review_pages.SURVEY_PARTNERS_WRONG,
    ),
    FormPage(
        "survey-ratings",
        open=review_pages.survey_ratings_page,
        valid=review_pages.survey_ratings_answers,
        text=(),
        required=review_pages.SURVEY_RATINGS,
        wrong=review_pages.SURVEY_RATINGS_WRONG,
        unchanged=review_pages.survey_answer_count,
    ),
    FormPage(
        "partnership-create",
        open=partnership_pages.create_page,
        valid=partnership_pages.answers,
        text=partnership_pages.TEXT,
        required=("name", "kind", "purpose", "level"),
        wrong=partnership_pages.WRONG,
        unchanged=partnership_pages.count,
    ),
    FormPage(
        "partnership-edit",
        open=partnership_pages.edit_page,
        valid=partnership_pages.answers,
        text=partnership_pages.TEXT,
        required=("name", "kind", "purpose", "level"),
        wrong=partnership_pages.WRONG,
        unchanged=partnership_pages.state,
    ),
    FormPage(
        "partnership-member-add",
        open=partnership_pages.member_page,
        valid=partnership_pages.member_answers,
        text=(),
        required=("organisation",),
        wrong=(
            ("organisation", UNKNOWN_ID),
            ("person", "not-a-uuid"),
            ("role", "king"),
        ),
        unchanged=partnership_pages.member_count,
    ),
    FormPage(
        "partnership-search",
        method="get",
        open=partnership_pages.search_page,
        valid=lambda w: {},
        text=("q",),
        wrong=(("kind", "club"), ("level", "galaxy"), ("locality", "no-such-place")),
    ),
    FormPage(
        "partnership-person-create",
        open=partnership_pages.person_create_page,
        valid=partnership_pages.person_answers,
        text=partnership_pages.PERSON_TEXT,
        required=("name",),
        wrong=partnership_pages.PERSON_WRONG,
        unchanged=partnership_pages.person_state,
    ),
    FormPage(
        "partnership-person-edit",
        open=partnership_pages.person_edit_page,
        valid=partnership_pages.person_answers,
        text=partnership_pages.PERSON_TEXT,
        required=("name",),
        wrong=partnership_pages.PERSON_WRONG,
        unchanged=partnership_pages.person_state,
    ),
    FormPage(
        "partnership-person-search",
        method="get",
        open=partnership_pages.person_search_page,
        valid=lambda w: {},
        text=("q",),
        wrong=(("organisation", "no-such-organisation"),),
    ),
    FormPage(
        "partnership-relationship-log",
        open=partnership_pages.relationship_create_page,
        valid=partnership_pages.relationship_answers,
        text=partnership_pages.RELATIONSHIP_TEXT,
        required=partnership_pages.RELATIONSHIP_REQUIRED,
        wrong=partnership_pages.RELATIONSHIP_WRONG,
        unchanged=partnership_pages.relationship_state,
        anchors=partnership_pages.RELATIONSHIP_ANCHORS,
    ),
    FormPage(
        "partnership-relationship-edit",
        open=partnership_pages.relationship_edit_page,
        valid=partnership_pages.relationship_answers,
        text=partnership_pages.RELATIONSHIP_TEXT,
        required=partnership_pages.RELATIONSHIP_REQUIRED,
        wrong=partnership_pages.RELATIONSHIP_WRONG,
        unchanged=partnership_pages.relationship_state,
        anchors=partnership_pages.RELATIONSHIP_ANCHORS,
    ),
    FormPage(
        "partnership-relationship-search",
        method="get",
        open=partnership_pages.relationship_search_page,
        valid=lambda w: {},
        text=(),
        wrong=(("organisation", "no-such-organisation"), ("kind", "gossip")),
    ),
    FormPage(
        "partnership-map",
        method="get",
        open=partnership_pages.map_page,
        valid=lambda w: {},
        text=("q",),
        wrong=partnership_pages.MAP_WRONG,
    ),
    FormPage(
        "partnership-map-table",
        method="get",
        open=partnership_pages.map_table_page,
        valid=lambda w: {},
        text=("q",),
        wrong=partnership_pages.MAP_WRONG,
    ),
]

FORM_PAGES += [
    # The report builder (docs/report-exports.md), as a strategic manager builds reports.
    FormPage(
        "report-builder-new",
        open=builder_pages.create_page,
        valid=builder_pages.answers,
        text=("name",),
        required=("name", "scope_kind", "period_rule", "figures"),
        wrong=builder_pages.SAVED_WRONG,
        unchanged=builder_pages.saved_as_saved,
    ),
    FormPage(
        "report-builder-change",
        open=builder_pages.edit_page,
        valid=builder_pages.answers,
        text=("name",),
        required=("name", "scope_kind", "period_rule", "figures"),
        wrong=builder_pages.SAVED_WRONG,
        unchanged=builder_pages.saved_as_saved,
    ),
    # Data quality (docs/data-quality.md): the grid's filter.
    FormPage(
        "data-quality",
        method="get",
        open=quality_pages.grid_page,
        valid=lambda w: {"months": "6"},
        text=(),
        wrong=quality_pages.GRID_WRONG,
    ),
    FormPage(
        "report",
        method="get",
        open=quality_pages.report_page,
        valid=lambda w: {"scope": "city"},
        text=(),
        required=("scope", "period"),
        wrong=quality_pages.REPORT_WRONG,
    ),
]

# Stories and meeting reflections (tests/reports/bad_input_voices.py).
FORM_PAGES += [
    FormPage(
        "story-new",
        open=report_pages.story_new_page,
        valid=report_pages.story_answers,
        text=report_pages.STORY_TEXT,
        required=report_pages.STORY_REQUIRED,
        wrong=report_pages.STORY_WRONG,
        unchanged=report_pages.story_state,
        anchors=report_pages.STORY_ANCHORS,
    ),
    FormPage(
        "story-edit",
        open=report_pages.story_edit_page,
        valid=report_pages.story_answers,
        text=report_pages.STORY_TEXT,
        required=report_pages.STORY_REQUIRED,
        wrong=report_pages.STORY_WRONG,
        unchanged=report_pages.story_state,
        anchors=report_pages.STORY_ANCHORS,
    ),
    FormPage(
        "story-anonymised",
        open=report_pages.anonymised_page,
        valid=report_pages.anonymised_answers,
        text=("anonymised_title", "anonymised_text", "anonymised_own_words"),
        required=("anonymised_title", "anonymised_text"),
        wrong=(("anonymised_own_words", "Words with no story words behind them."),),
        unchanged=report_pages.story_state,
    ),
    FormPage(
        "story-family",
        open=report_pages.family_page,
        valid=lambda w: {"response": "agreed", "note": ""},
        text=("note",),
        required=("response",),
        wrong=(("response", "shrugged"),),
        unchanged=report_pages.family_state,
    ),
    FormPage(
        "story-review",
        open=report_pages.review_page,
        valid=lambda w: {"decision": "approve", "comments": ""},
        text=("comments",),
        required=("decision",),
        wrong=(("decision", "maybe"),),
        unchanged=report_pages.review_state,
    ),
    FormPage(
        "story-withdraw",
        open=report_pages.withdraw_page,
        valid=lambda w: {"by": "author"},
        text=(),
        required=("by",),
        wrong=(("by", "the-reviewer"),),
        unchanged=report_pages.story_state,
    ),
    FormPage(
        "meeting-pulse",
        open=report_pages.pulse_page,
        valid=report_pages.pulse_answers,
        text=("reflection",),
        required=("useful", "heard", "actions"),
        wrong=(("useful", "6"), ("heard", "0"), ("actions", "maybe"), ("useful", "five")),
        unchanged=report_pages.pulse_saved,
    ),
]


def _cases(page: FormPage) -> Iterator[tuple[str, str | None, Any]]:
    """(case name, field, value): everything empty, then each field given a bad value."""
    yield "all-empty", None, None
    for name in page.text:
        for label, value in (("10000-characters", LONG), ("script", SCRIPT)):
            # A password may hold any character (NCSC guidance); it is never displayed.
            if label == "script" and "password" in name:
                continue
            yield f"{name}-{label}", name, value
    for name, value in page.wrong:
        yield f"{name}-{value}", name, value


def _all_fields(page: FormPage, world: World) -> set[str]:
    return set(page.valid(world)) | set(page.text) | set(page.required) | {n for n, _ in page.wrong}


@contextmanager
def _undone_afterwards(client: Client) -> Iterator[None]:
    """Whatever a case writes (rows, the session, cookies, emails) is gone before the next
    case, so every case starts from the same world, built once for the page."""
    cookies = copy.deepcopy(client.cookies)
    outbox = list(mail.outbox)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
        mail.outbox[:] = outbox


@pytest.mark.parametrize("page", FORM_PAGES, ids=str)
def test_bad_input_gets_an_error_summary_naming_the_field_and_saves_nothing(
    db, request, client, subtests, page
):
    world = World(request, client)
    url = page.open(world)
    # Everything the answers and the checks point at is made now, outside the cases' undo.
    fields = _all_fields(page, world)
    if page.unchanged:
        page.unchanged(world)
    for case, field_name, value in _cases(page):
        with subtests.test(case), _undone_afterwards(world.client):
            _check_one_case(page, world, url, fields, field_name, value)


def _check_one_case(
    page: FormPage, world: World, url: str, fields: set[str], field_name: str | None, value: Any
) -> None:
    answers = page.valid(world)
    if field_name is None:
        # Browsers send no value at all for unticked checkboxes.
        answers = {name: "" for name in fields if not isinstance(answers.get(name), list)}
        expected_errors = page.required
    else:
        answers = {**answers, field_name: value}
        if field_name in page.together:
            answers[page.together[field_name]] = value
        expected_errors = (field_name,)
    before = page.unchanged(world) if page.unchanged else None

    response = getattr(world.client, page.method)(
        url, {f"{page.prefix}{name}": answer for name, answer in answers.items()}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert SCRIPT not in content
    if not expected_errors:
        # An empty search is no mistake: every filter is optional.
        assert error_summary(response) == []
        return
    assert "govuk-error-summary" in content
    for name in expected_errors:
        anchor = page.anchors.get(name, name)
        assert summary_names_field(response, f"id_{page.prefix}{anchor}"), (
            name,
            error_summary(response),
        )
    if page.unchanged:
        assert page.unchanged(world) == before


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found


def test_every_form_in_the_app_has_a_row_in_the_table(db, request):
    """A new form without a row in FORM_PAGES fails here, as a page without a policy fails
    the access-policy check."""
    tested = set()
    world = World(request, Client())
    for page in FORM_PAGES:
        world.client = Client()
        response = world.client.get(page.open(world))
        assert response.status_code == 200, page.name
        tested.add(type(response.context["form"]))

    forms_in_the_app = {
        form
        for form in _subclasses(GovukFormMixin)
        if form.__module__.startswith("joinedup.") and form not in (GovukForm, GovukModelForm)
    }
    assert forms_in_the_app - tested == set()
