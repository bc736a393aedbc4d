"""Synthetic children for the demo, made with Faker: no real child. NHS numbers start with 999,
the range the NHS keeps for testing, so none can belong to anyone."""

import random
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker

from joinedup.accounts.models import User
from joinedup.children import services
from joinedup.children.identifiers import REFERENCE_ALPHABET, nhs_number_is_valid, reference_from
from joinedup.children.models import Child, Ethnicity, Involvement, Relationship
from joinedup.consent import services as consent
from joinedup.consent.models import Competence, ConsentRecord, HowTold, Method, Scope
from joinedup.organisations.models import Locality, Organisation, OrganisationKind

POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LANGUAGES = ("English",) * 14 + ("Somali", "Urdu", "Punjabi", "Bengali", "Polish", "Arabic")
ETHNICITIES = (
    (Ethnicity.WHITE_BRITISH,) * 8
    + (Ethnicity.BLACK_AFRICAN,) * 2
    + (Ethnicity.BLACK_CARIBBEAN, Ethnicity.ASIAN_PAKISTANI, Ethnicity.ASIAN_INDIAN)
    + (Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN, Ethnicity.WHITE_OTHER, Ethnicity.PREFER_NOT_TO_SAY)
)


def school_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def _nhs_number(rng: random.Random) -> str:
    while True:
        candidate = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        for check in "0123456789":
            if nhs_number_is_valid(candidate + check):
                return candidate + check


def _postcode(rng: random.Random, locality: Locality) -> str:
    district = rng.choice(locality.postcode_districts or ["BS1"])
    letters = "".join(rng.choice(POSTCODE_LETTERS) for _ in range(2))
    return f"{district} {rng.randint(1, 9)}{letters}"


def _details(
    faker: Faker, rng: random.Random, locality: Locality, schools: list[Organisation]
) -> services.ChildDetails:
    female = rng.random() < 0.5
    given = faker.first_name_female() if female else faker.first_name_male()
    family = faker.last_name()
    start = school_year_start(timezone.localdate())
    born = start - timedelta(days=rng.randint(8 * 365 + 2, 13 * 365))
    carer_given = faker.first_name_female() if rng.random() < 0.8 else faker.first_name_male()
    carer_relationship = Relationship.MOTHER if rng.random() < 0.75 else Relationship.KINSHIP_CARER
    household = [
        services.HouseholdMemberDetails(
            full_name=f"{carer_given} {family}",
            relationship=carer_relationship,
            has_parental_responsibility=True,
        )
    ]
    if rng.random() < 0.4:
        household.append(
            services.HouseholdMemberDetails(
                full_name=f"{faker.first_name_male()} {family}",
                relationship=Relationship.FATHER,
                has_parental_responsibility=True,
                lives_with_child=rng.random() < 0.5,
            )
        )
    language = rng.choice(LANGUAGES)
    return services.ChildDetails(
        given_name=given,
        family_name=family,
        date_of_birth=born,
        nhs_number=_nhs_number(rng) if rng.random() < 0.7 else "",
        sex="female" if female else "male",
        ethnicity=rng.choice(ETHNICITIES),
        first_language=language,
        interpreter_needed=language != "English" and rng.random() < 0.2,
        school=rng.choice(schools) if schools else None,
        address=services.AddressDetails(
            line_1=f"{rng.randint(1, 140)} {faker.street_name()}",
            postcode=_postcode(rng, locality),
            locality=locality,
        ),
        household=household,
    )


def _family_consents(child: Child, organisation: Organisation, number: int) -> None:
    """A parent agreed to an assessment, the panel, contact and sharing with the worker's
    organisation (without which it could not join the team). A few children show the other
    states: the first's panel consent was withdrawn, the second's ends soon, the third has
    had their say."""
    parent = child.household.filter(has_parental_responsibility=True).first()
    if parent is None or ConsentRecord.objects.filter(child=child, organisation=organisation):
        return
    today = timezone.localdate()
    records = consent.consent_record(
        actor=None,
        child=child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name="Sam Okafor (family support worker)",
            household_member=parent,
            scopes=(Scope.ASSESSMENT, Scope.PANEL_DISCUSSION, Scope.CONTACT),
            organisations=[organisation],
            given_on=today - timedelta(days=40 + number),
            expires_on=today + timedelta(days=20) if number == 1 else None,
        ),
    )
    if number == 0:
        panel = next(r for r in records if r.scope == Scope.PANEL_DISCUSSION)
        consent.consent_withdraw(
            actor=None,
            record=panel,
            reason="They would rather the school and the family worker sort it out together.",
            told_us=HowTold.TELEPHONE,
        )
    if number == 2:
        consent.child_view_record(
            actor=None,
            child=child,
            in_their_words="I want help with school but I don't want loads of people to know.",
            recorded_on=today - timedelta(days=38),
            competence=Competence.NOT_ASSESSED,
        )


def load_demo_children(
    *,
    seed: int,
    count: int,
    organisations: list[Organisation],
    localities: list[Locality],
    caseloads: list[tuple[User, Organisation, str, int]],
) -> list[Child]:
    """`caseloads`: (worker, their organisation, involvement role, how many children)."""
    faker = Faker(["en_GB", "en_IN"])
    faker.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311  (repeatable demo data, not a secret)
    schools_by_locality = {
        locality.pk: [
            o
            for o in organisations
            if o.kind == OrganisationKind.SCHOOL and locality in o.localities.all()
        ]
        for locality in localities
    }
    children = []
    for _ in range(count):
        reference = reference_from("".join(rng.choice(REFERENCE_ALPHABET) for _ in range(7)))
        locality = rng.choice(localities)
        details = _details(faker, rng, locality, schools_by_locality[locality.pk])
        child = Child.objects.filter(reference=reference).first() or services.child_create(
            actor=None, details=details, reference=reference
        )
        children.append(child)
    assigned = iter(children)
    for worker, organisation, role, how_many in caseloads:
        for number, child in enumerate([next(assigned) for _ in range(how_many)]):
            if not Involvement.objects.filter(child=child, worker=worker, role=role).exists():
                _family_consents(child, organisation, number)
                services.involvement_start(
                    actor=None, child=child, organisation=organisation, role=role, worker=worker
                )
    return children
