"""Demo referrals and panel meetings, so that the coordinator's inbox shows each kind of case:
a known child referred again under another spelling and at a new address (to check), twins
who must stay two children, a safeguarding concern, a child too old for the panel, and a case
with the family's consent on the next Easton agenda. Every person is made up."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.children import services as children
from joinedup.children.models import Child, Relationship
from joinedup.consent import services as consent
from joinedup.consent.models import Method, Scope
from joinedup.demo.catalogue import EASTON, LOCKLEAZE
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels import services as panels
from joinedup.panels.models import Meeting, Panel
from joinedup.referrals import services
from joinedup.referrals.models import Concern, FamilyAware, Referral, Urgency


def _born(years: int, month: int, day: int) -> date:
    return date(timezone.localdate().year - years, month, day)


def _refer(
    actor: User,
    organisation: Organisation,
    child: children.ChildDetails,
    *,
    concern: str,
    safeguarding: str = "",
) -> Referral:
    return services.referral_submit(
        actor=actor,
        child=child,
        details=services.ReferralDetails(
            organisation=organisation,
            relationship_to_child="Learning mentor" if "school" in organisation.kind else "Worker",
            concerns=list(Concern.objects.filter(label=concern)),
            what_has_been_tried="Weekly check-ins and a call home; things have not improved.",
            urgency=Urgency.SOON,
            family_aware=FamilyAware.YES,
            safeguarding_concern=bool(safeguarding),
            safeguarding_details=safeguarding,
        ),
    )


def _child(
    given: str,
    family: str,
    born: date,
    line_1: str,
    postcode: str,
    locality: Locality,
    carer: str,
    **more: object,
) -> children.ChildDetails:
    return children.ChildDetails(
        given_name=given,
        family_name=family,
        date_of_birth=born,
        address=children.AddressDetails(line_1=line_1, postcode=postcode, locality=locality),
        household=[
            children.HouseholdMemberDetails(
                full_name=carer,
                relationship=Relationship.MOTHER,
                has_parental_responsibility=True,
            )
        ],
        **more,  # type: ignore[arg-type]
    )


def _consent_to_share(
    actor: User, referral: Referral, organisation: Organisation, *, witness: str
) -> None:
    carer = referral.child.household.filter(has_parental_responsibility=True).first()
    if carer is None:
        return
    consent.consent_record(
        actor=actor,
        child=referral.child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name=witness,
            given_on=timezone.localdate(),
            household_member=carer,
            organisations=[organisation],
        ),
    )


def load_demo_referrals(
    *,
    referrer: tuple[User, Organisation],
    keyworker: tuple[User, Organisation],
    coordinator: User,
) -> None:
    if Referral.objects.exists():
        return  # loaded before: referrals are never made twice
    easton = Locality.objects.get(slug=EASTON)
    lockleaze = Locality.objects.get(slug=LOCKLEAZE)
    school_worker, school = referrer
    youth_worker, youth_project = keyworker

    first = _refer(
        school_worker,
        school,
        _child(
            "Mohammed",
            "Ali",
            _born(10, 3, 7),
            "14 Stapleton Road",
            "BS5 0RA",
            easton,
            "Hodan Ali",
        ),
        concern="Not attending school regularly",
    )
    # The same boy, referred by the youth project after the family moved: another spelling.
    second = _refer(
        youth_worker,
        youth_project,
        _child(
            "Muhammad", "Ali", _born(10, 3, 7), "2 Seymour Road", "BS5 0UW", easton, "Hodan Ali"
        ),
        concern="Friendships or relationships that may put the child at risk",
    )
    # His mother agreed the partnership may share what it holds with the youth project, so
    # the coordinator can link the two records (linking opens the older one to the project).
    _consent_to_share(youth_worker, second, youth_project, witness="Youth project manager")
    # Twins: same birthday, address and mother; two children, never merged.
    for twin in ("Amira", "Ayan"):
        _refer(
            school_worker,
            school,
            _child(
                twin,
                "Warsame",
                _born(9, 11, 2),
                "7 Bellevue Road",
                "BS5 6DR",
                easton,
                "Sahra Warsame",
            ),
            concern="Bereavement, loss or family breakdown",
        )
    # A child already known in Lockleaze, referred again with a typing slip in the name.
    known = (
        Child.objects.filter(locality=lockleaze, merged_into__isnull=True)
        .order_by("reference")
        .first()
    )
    if known is not None:
        address = known.addresses.filter(moved_out__isnull=True).first()
        slip = known.given_name[:-2] + known.given_name[-1] + known.given_name[-2]
        again = _refer(
            youth_worker,
            youth_project,
            _child(
                slip,
                known.family_name,
                known.date_of_birth,
                "31 Romney Avenue",
                "BS7 9ST",
                lockleaze,
                address.line_1 if address else "Parent",
                sex=known.sex,
            ),
            concern="Emotional wellbeing or mental health",
        )
        _consent_to_share(youth_worker, again, youth_project, witness="Youth project manager")
    _refer(
        school_worker,
        school,
        _child(
            "Jayden",
            "Price",
            _born(11, 5, 19),
            "40 Lena Street",
            "BS5 6BA",
            easton,
            "Kerry Price",
        ),
        concern="Has had contact with the police",
        safeguarding="He told his teacher an older man asks him to carry bags across the city.",
    )
    _refer(
        school_worker,
        school,
        _child("Olivia", "Reed", _born(15, 2, 1), "9 Roman Road", "BS5 6DH", easton, "Gemma Reed"),
        concern="Emotional wellbeing or mental health",
    )

    tomorrow = timezone.localdate() + timedelta(days=1)
    for panel in Panel.objects.all():
        for days in (-28, 21):
            day = tomorrow + timedelta(days=days - 1)
            Meeting.objects.get_or_create(
                panel=panel,
                starts_at=timezone.make_aware(datetime.combine(day, time(16, 0))),
                defaults={"location": f"{panel.localities.first()} community centre"},
            )
    # Mohammed's mother agreed to the panel discussing his case: it is on the next agenda.
    mother = first.child.household.get()
    consent.consent_record(
        actor=school_worker,
        child=first.child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name="Deputy head teacher",
            given_on=timezone.localdate(),
            household_member=mother,
            scopes=[Scope.ASSESSMENT, Scope.PANEL_DISCUSSION],
        ),
    )
    next_meeting = (
        Meeting.objects.filter(panel=first.panel, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if next_meeting is not None:
        panels.agenda_add(actor=coordinator, meeting=next_meeting, referral=first)
