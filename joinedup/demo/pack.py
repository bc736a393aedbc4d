"""Written views for the next Easton panel meeting, so its panel pack is worth opening in the
demo: the school's learning mentor and the youth project's keyworker both write about Mohammed
Ali (naming him and his mother, as people do: members outside the team read the pack with the
names taken out), and a second Easton child goes on the same agenda with the family's consent.
Loaded once. Every person is made up."""

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.children.models import Child, Involvement, InvolvementRole
from joinedup.consent import services as consent
from joinedup.consent.models import Method, Scope
from joinedup.organisations.models import Organisation
from joinedup.panels import pack_services
from joinedup.panels import services as panels
from joinedup.panels.models import AgendaItem, Contribution
from joinedup.referrals.models import IdentityStatus, Referral, ReferralStatus

MENTORS_VIEW = (
    "I have met Mohammed every week since September. He is at his best in design and "
    "technology and with younger pupils; he walks out when a lesson feels too hard. Hodan, his "
    "mother, rings me when he has not come home, and we agree she needs support in the evenings "
    "more than Mohammed needs another sanction. A place at the youth project's football "
    "sessions, and a mentor outside school, would help most."
)
KEYWORKERS_VIEW = (
    "Mohammed came to two football sessions in October and asked to come back. He told me he "
    "worries about his mum and his sisters. Mrs Ali would welcome a family support worker. I "
    "cannot be at the meeting: we can offer him a Tuesday place from next month."
)
AMIRAS_VIEW = (
    "Amira has been quiet since her grandmother died in the summer and has missed several "
    "Fridays. Sahra Warsame asked the school for bereavement support for both girls."
)


def load_demo_pack(
    *,
    referrer: tuple[User, Organisation],
    keyworker: tuple[User, Organisation],
    coordinator: User,
) -> None:
    if Contribution.objects.exists():
        return
    mohammeds = AgendaItem.objects.filter(
        child__given_name="Mohammed",
        child__family_name="Ali",
        removed_at__isnull=True,
        meeting__starts_at__gt=timezone.now(),
    ).select_related("meeting", "meeting__panel", "child")
    item = mohammeds.first()
    if item is None:
        return
    mentor, _ = referrer
    youth_worker, youth_project = keyworker
    if not Involvement.objects.filter(child=item.child, worker=youth_worker).exists():
        Involvement.objects.create(
            child=item.child,
            organisation=youth_project,
            worker=youth_worker,
            role=InvolvementRole.SERVICE,
        )
    for author, view, attends in (
        (mentor, MENTORS_VIEW, True),
        (youth_worker, KEYWORKERS_VIEW, False),
    ):
        pack_services.contribution_submit(
            actor=author,
            item=item,
            given=pack_services.ContributionGiven(view=view, will_attend=attends),
        )
    second = _second_case(item, coordinator=coordinator, mentor=mentor)
    if second is not None:
        pack_services.contribution_submit(
            actor=mentor,
            item=second,
            given=pack_services.ContributionGiven(view=AMIRAS_VIEW, will_attend=True),
        )


def _second_case(item: AgendaItem, *, coordinator: User, mentor: User) -> AgendaItem | None:
    """Amira Warsame on the same agenda, once her mother has agreed to the panel discussing
    her case; none if her referral cannot go on an agenda yet."""
    child = Child.objects.filter(
        given_name="Amira", family_name="Warsame", merged_into__isnull=True
    ).first()
    referral = (
        Referral.objects.filter(child=child, panel=item.meeting.panel)
        .exclude(identity_status__in=[IdentityStatus.TO_CHECK, IdentityStatus.DEFERRED])
        .exclude(status=ReferralStatus.NOT_ELIGIBLE)
        .first()
        if child
        else None
    )
    mother = child.household.filter(has_parental_responsibility=True).first() if child else None
    if child is None or referral is None or mother is None:
        return None
    consent.consent_record(
        actor=mentor,
        child=child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name="Deputy head teacher",
            given_on=timezone.localdate(),
            household_member=mother,
            scopes=[Scope.PANEL_DISCUSSION],
        ),
    )
    try:
        return panels.agenda_add(actor=coordinator, meeting=item.meeting, referral=referral)
    except panels.PanelError:
        return None
