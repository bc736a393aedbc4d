"""Loads the demo partnership: the research's localities and organisations, and one person per
role. Deterministic (same seed, same people) and safe to run again: it updates, never duplicates.
Every person is made up by Faker; none is real."""

import hashlib
from base64 import b32encode
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import prefetch_related_objects
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from joinedup.accounts.models import Membership, User
from joinedup.assessments.services import domains_ensure_defaults
from joinedup.children.models import InvolvementRole
from joinedup.core.roles import Role
from joinedup.demo.actions import load_demo_actions
from joinedup.demo.assessments import load_demo_assessments
from joinedup.demo.catalogue import LOCALITIES, ORGANISATIONS, OrganisationSeed
from joinedup.demo.children import load_demo_children
from joinedup.demo.directory import load_demo_directory
from joinedup.demo.funding import load_demo_funding
from joinedup.demo.meetings import load_demo_meetings
from joinedup.demo.pack import load_demo_pack
from joinedup.demo.partnerships import load_demo_partnerships
from joinedup.demo.plans import load_demo_plans
from joinedup.demo.referrals import load_demo_referrals
from joinedup.demo.reflections import load_demo_reflections
from joinedup.demo.reviews_health import load_demo_health_checks
from joinedup.demo.reviews_survey import load_demo_survey
from joinedup.demo.safeguarding import load_demo_safeguarding
from joinedup.demo.stories import load_demo_stories
from joinedup.demo.tracking import load_demo_tracking
from joinedup.demo.transfers import load_demo_transfers
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels.models import (
    MembershipCriterion,
    Panel,
    PanelMember,
    PanelRole,
    TermsOfReference,
)
from joinedup.panels.pipeline import cases_rebuild
from joinedup.records.services import retention_periods_ensure_defaults
from joinedup.referrals.services import concerns_ensure_defaults

DEMO_PASSWORD = "joinedup-demo"
DEMO_EMAIL_DOMAIN = "demo.joinedup.test"
DEFAULT_SEED = 2004


def demo_totp_key_hex() -> str:
    """Every demo person shares one published authenticator key, so anyone can try two-factor
    sign-in in the demo. Never do this with real accounts."""
    return hashlib.sha256(b"joinedup demo authenticator").hexdigest()[:40]


def demo_totp_secret() -> str:
    return b32encode(bytes.fromhex(demo_totp_key_hex())).decode()


@dataclass(frozen=True)
class DemoHat:
    role: Role
    kinds: tuple[str, ...]
    locality: str | None
    job_title: str


@dataclass(frozen=True)
class DemoPerson:
    email_name: str
    hats: tuple[DemoHat, ...]


EASTON, LOCKLEAZE, KNOWLE_WEST = (locality.slug for locality in LOCALITIES)

DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("referrer", (DemoHat(Role.REFERRER, ("school",), EASTON, "Learning mentor"),)),
    DemoPerson(
        "keyworker",
        (
            DemoHat(Role.KEYWORKER, ("voluntary", "community"), LOCKLEAZE, "Family support worker"),
            # A second "hat": the research found people sitting for several organisations.
            DemoHat(Role.PANEL_MEMBER, ("youth_service",), None, "Youth worker"),
        ),
    ),
    DemoPerson(
        "coordinator",
        (DemoHat(Role.PANEL_COORDINATOR, ("partnership_body",), None, "YISP development worker"),),
    ),
    DemoPerson("panel.member", (DemoHat(Role.PANEL_MEMBER, ("police",), None, "Sergeant"),)),
    DemoPerson(
        "safeguarding.lead",
        (
            DemoHat(
                Role.SAFEGUARDING_LEAD,
                ("voluntary", "community"),
                LOCKLEAZE,
                "Designated safeguarding lead",
            ),
        ),
    ),
    DemoPerson("panel.chair", (DemoHat(Role.PANEL_CHAIR, ("social_care",), None, "Team manager"),)),
    DemoPerson(
        "strategic.manager",
        (DemoHat(Role.STRATEGIC_MANAGER, ("local_authority",), None, "Head of early help"),),
    ),
    DemoPerson(
        "ig.officer",
        (DemoHat(Role.IG_OFFICER, ("local_authority",), None, "Data protection officer"),),
    ),
    DemoPerson(
        "admin", (DemoHat(Role.SYSTEM_ADMIN, ("local_authority",), None, "Systems officer"),)
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    roles: str


def _load_localities() -> dict[str, Locality]:
    localities = {}
    for seed in LOCALITIES:
        locality, _ = Locality.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "name": seed.name,
                "description": seed.description,
                "postcode_districts": list(seed.postcode_districts),
                "wards": list(seed.wards),
            },
        )
        panel, _ = Panel.objects.get_or_create(
            slug=seed.slug,
            defaults={
                "name": f"{seed.name} panel",
                "signposting": (
                    f"Open-access youth sessions and the community groups working in "
                    f"{seed.name}: see Organisations, filtered by locality."
                ),
            },
        )
        panel.localities.add(locality)
        localities[seed.slug] = locality
    return localities


def _load_organisation(seed: OrganisationSeed, localities: dict[str, Locality]) -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        slug=seed.slug,
        defaults={"name": seed.name, "kind": seed.kind, "description": seed.description},
    )
    organisation.localities.set([localities[slug] for slug in seed.localities])
    return organisation


def _organisation_for(hat: DemoHat, organisations: list[Organisation]) -> Organisation:
    by_kind = [o for o in organisations if o.kind in hat.kinds]
    local = [o for o in by_kind if hat.locality in {loc.slug for loc in o.localities.all()}]
    return (local or by_kind or organisations)[0]


def _with_localities(organisations: list[Organisation]) -> list[Organisation]:
    """The same organisations, in the same order, with their localities read in one query
    (those that follow look them up for every hat and every school)."""
    prefetch_related_objects(organisations, "localities")
    return organisations


def _enrol_authenticator(user: User) -> None:
    TOTPDevice.objects.filter(user=user).exclude(name="Demo authenticator").delete()
    TOTPDevice.objects.update_or_create(
        user=user,
        name="Demo authenticator",
        defaults={"key": demo_totp_key_hex(), "confirmed": True, "step": 30, "digits": 6},
    )


@transaction.atomic
def load_demo_data(*, seed: int = DEFAULT_SEED) -> list[DemoLogin]:
    faker = Faker("en_GB")
    faker.seed_instance(seed)
    concerns_ensure_defaults()
    domains_ensure_defaults()
    retention_periods_ensure_defaults()
    localities = _load_localities()
    organisations = _with_localities([_load_organisation(s, localities) for s in ORGANISATIONS])
    logins = []
    for person in DEMO_PEOPLE:
        email = f"{person.email_name}@{DEMO_EMAIL_DOMAIN}"
        full_name = f"{faker.first_name()} {faker.last_name()}"
        user, _ = User.objects.update_or_create(
            email=email, defaults={"full_name": full_name, "is_active": True}
        )
        user.set_password(DEMO_PASSWORD)
        is_admin = any(hat.role == Role.SYSTEM_ADMIN for hat in person.hats)
        user.is_staff = user.is_superuser = is_admin
        user.save()
        _enrol_authenticator(user)
        for hat in person.hats:
            organisation = _organisation_for(hat, organisations)
            if (
                not Membership.objects.active()
                .filter(user=user, organisation=organisation, role=hat.role)
                .exists()
            ):
                Membership.objects.create(
                    user=user, organisation=organisation, role=hat.role, job_title=hat.job_title
                )
        roles = "; ".join(str(m) for m in user.active_memberships())
        logins.append(DemoLogin(email=email, full_name=full_name, roles=roles))
    _load_panel_seats()
    _load_children(seed=seed, organisations=organisations, localities=list(localities.values()))
    # After the plans, whose support it links to its services.
    load_demo_directory()
    # After the directory, whose services it funds and whose funding lines it names.
    load_demo_funding()
    load_demo_meetings()
    # The demo's meetings and plans are made with their dates in the past, not through the
    # services that keep the pipeline: its stages are worked out once, at the end.
    cases_rebuild()
    # Through the service, once every case stands: a request moves no case, only its answer.
    load_demo_transfers(coordinator=User.objects.get(email=f"coordinator@{DEMO_EMAIL_DOMAIN}"))
    # After the panels and the demo logins, which the partnerships link to.
    load_demo_partnerships()
    # After the partnerships, whose members answer the health checks: those without an account
    # get a demo login, listed with the others.
    for user in load_demo_health_checks():
        user.set_password(DEMO_PASSWORD)
        user.save()
        _enrol_authenticator(user)
        logins.append(
            DemoLogin(
                email=user.email,
                full_name=user.full_name,
                roles="Steering group member who answers its health check (no other role)",
            )
        )
    # After the partnerships, whose members answer it.
    load_demo_survey()
    # Last: stories about the keyworker's caseload, and reflections on the Easton panel's
    # meetings (one of which it adds, five days ago, for its attendees to reflect on).
    load_demo_stories()
    load_demo_reflections()
    return logins


# Who sits on which panel: the coordinator and the chair serve every panel (as a city-wide YISP
# team would); the police sergeant sits on Easton's, the youth worker on Lockleaze's.
EVERY_PANEL = (EASTON, LOCKLEAZE, KNOWLE_WEST)
DEMO_PANEL_SEATS: tuple[tuple[str, Role, PanelRole, tuple[str, ...]], ...] = (
    ("coordinator", Role.PANEL_COORDINATOR, PanelRole.COORDINATOR, EVERY_PANEL),
    ("panel.chair", Role.PANEL_CHAIR, PanelRole.CHAIR, EVERY_PANEL),
    ("panel.member", Role.PANEL_MEMBER, PanelRole.MEMBER, (EASTON,)),
    ("keyworker", Role.PANEL_MEMBER, PanelRole.MEMBER, (LOCKLEAZE,)),
)


def _load_panel_seats() -> None:
    for email_name, role, panel_role, panel_slugs in DEMO_PANEL_SEATS:
        membership = Membership.objects.active().get(
            user__email=f"{email_name}@{DEMO_EMAIL_DOMAIN}", role=role
        )
        for panel in Panel.objects.filter(slug__in=panel_slugs):
            PanelMember.objects.get_or_create(
                panel=panel,
                user=membership.user,
                role=panel_role,
                ended_on=None,
                defaults={
                    "organisation": membership.organisation,
                    "has_delegated_authority": panel_role != PanelRole.MEMBER,
                },
            )
    for panel in Panel.objects.all():
        for position, text in enumerate(DEMO_MEMBERSHIP_CRITERIA):
            MembershipCriterion.objects.get_or_create(
                panel=panel, text=text, defaults={"position": position}
            )
        if not panel.terms.exists():
            TermsOfReference.objects.create(
                panel=panel,
                version=1,
                text=DEMO_TERMS.format(panel=panel.name),
                adopted_on=date(2026, 4, 1),
            )


DEMO_MEMBERSHIP_CRITERIA = (
    "Works with children, young people or families in the panel's area",
    "Represents an agency, school or community group, not only themself",
    "Can commit their organisation's resources, or brings a deputy who can",
)
DEMO_TERMS = "\n\n".join(
    (
        "Purpose: the {panel} brings together the agencies and community groups working with "
        "children aged 8 to 13 in its area, to agree early support for children and families "
        "before problems grow.",
        "Membership: members represent their organisation and meet the panel's membership "
        "criteria. Each agency sends someone who can commit its resources, or a deputy who can.",
        "Meetings and decisions: the panel meets monthly. It is quorate when at least four "
        "agencies are present, including one from education and one from a statutory service. "
        "Each decision is recorded with its reasons.",
        "Information sharing: cases are discussed only with the family's consent. Members "
        "outside the team around a child see the child's pseudonym, not their name.",
    )
)


DEMO_CHILDREN = 60


def _load_children(
    *, seed: int, organisations: list[Organisation], localities: list[Locality]
) -> None:
    def hat(name: str, role: Role) -> tuple[User, Organisation]:
        membership = (
            Membership.objects.active()
            .select_related("user", "organisation")
            .get(user__email=f"{name}@{DEMO_EMAIL_DOMAIN}", role=role)
        )
        return membership.user, membership.organisation

    keyworker, keyworker_organisation = hat("keyworker", Role.KEYWORKER)
    referrer, school = hat("referrer", Role.REFERRER)
    load_demo_children(
        seed=seed,
        count=DEMO_CHILDREN,
        organisations=organisations,
        localities=localities,
        caseloads=[
            (keyworker, keyworker_organisation, InvolvementRole.KEYWORKER, 8),
            (referrer, school, InvolvementRole.REFERRER, 5),
        ],
    )
    coordinator, _ = hat("coordinator", Role.PANEL_COORDINATOR)
    load_demo_referrals(
        referrer=(referrer, school),
        keyworker=(keyworker, keyworker_organisation),
        coordinator=coordinator,
    )
    load_demo_assessments(assessor=(referrer, school))
    load_demo_pack(
        referrer=(referrer, school),
        keyworker=(keyworker, keyworker_organisation),
        coordinator=coordinator,
    )
    load_demo_actions(coordinator=coordinator)
    load_demo_safeguarding(raiser=(keyworker, keyworker_organisation))
    load_demo_plans(keyworker=(keyworker, keyworker_organisation), coordinator=coordinator)
    load_demo_tracking(keyworker=(keyworker, keyworker_organisation), coordinator=coordinator)


def demo_logins() -> list[DemoLogin]:
    emails = [f"{person.email_name}@{DEMO_EMAIL_DOMAIN}" for person in DEMO_PEOPLE]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [
        DemoLogin(
            email=email,
            full_name=users[email].full_name,
            roles="; ".join(str(m) for m in users[email].active_memberships()),
        )
        for email in emails
        if email in users
    ]
