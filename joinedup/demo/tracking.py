"""Children who show each duplication and gap flag on purpose (joinedup/tracking/flags.py), for
the demo coordinator, who coordinates every panel:

- in Easton, a child whose youth project mentor and school learning mentor both give weekly
  mentoring (the same kind of support from two organisations);
- in Knowle West, a child referred nine weeks ago by the education welfare service with nothing
  recorded since (no support or contact for weeks);
- in Lockleaze, a child referred three times in nine months by the school, the police and the
  youth service, with no panel decision yet.

The rows are written directly, not through the services, because the story needs dates in the
past that the services would set to today. Loaded once: nothing is added once these referrals
exist. Every person is made up."""

from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.children.models import Child, Involvement, InvolvementRole
from joinedup.demo.catalogue import EASTON, KNOWLE_WEST, LOCKLEAZE
from joinedup.organisations.models import Organisation
from joinedup.panels.models import Panel
from joinedup.plans.models import Intervention, InterventionStatus, Plan, Purpose
from joinedup.referrals.models import FamilyAware, Referral, Urgency

# Every referral made here says this, which is also how a second load knows they exist.
TRIED = (
    "A place at the after-school club for two terms and a meeting with the family at school; "
    "things have not improved."
)
SCHOOL = "City Academy"
POLICE = "Avon and Somerset Constabulary"
YOUTH_SERVICE = "Youth Service"
WELFARE = "Education Welfare Service (EWS)"


def _refer(child: Child, panel: Panel, organisation: Organisation, user: User, days: int) -> None:
    referral = Referral.objects.create(
        child=child,
        referrer=user,
        referring_organisation=organisation,
        relationship_to_child="Worker who knows the child",
        what_has_been_tried=TRIED,
        urgency=Urgency.ROUTINE,
        family_aware=FamilyAware.YES,
        panel=panel,
    )
    Referral.objects.filter(pk=referral.pk).update(
        submitted_at=timezone.now() - timedelta(days=days)
    )


def _free_child(panel: Panel, taken: set[object]) -> Child | None:
    """The first demo child (by reference) living in the panel's area with nothing recorded
    but their details."""
    child = (
        Child.objects.filter(
            merged_into__isnull=True,
            referrals__isnull=True,
            # Nobody working with them yet: their story starts with these referrals.
            involvements__isnull=True,
            consent_records__isnull=True,
            assessments__isnull=True,
            over_to_you__isnull=True,
            views__isnull=True,
            locality__in=panel.localities.all(),
        )
        .exclude(pk__in=taken)
        .order_by("reference")
        .first()
    )
    if child is not None:
        taken.add(child.pk)
    return child


def load_demo_tracking(*, keyworker: tuple[User, Organisation], coordinator: User) -> None:
    if Referral.objects.filter(what_has_been_tried=TRIED).exists():
        return
    panels = {panel.slug: panel for panel in Panel.objects.all()}
    names = (SCHOOL, POLICE, YOUTH_SERVICE, WELFARE)
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    if len(organisations) < len(names) or not {EASTON, LOCKLEAZE, KNOWLE_WEST} <= set(panels):
        return
    user, youth_project = keyworker
    today = timezone.localdate()
    taken: set[object] = set()

    # The same kind of support from two organisations.
    child = _free_child(panels[EASTON], taken)
    if child is not None:
        _refer(child, panels[EASTON], organisations[SCHOOL], coordinator, days=70)
        opened = today - timedelta(days=50)
        plan = Plan.objects.create(
            child=child,
            keyworker=user,
            keyworker_organisation=youth_project,
            panel=panels[EASTON],
            opened_on=opened,
            opened_by=coordinator,
            next_review_on=opened + timedelta(weeks=12),
        )
        Involvement.objects.create(
            child=child,
            organisation=youth_project,
            worker=user,
            role=InvolvementRole.KEYWORKER,
            started_on=opened,
        )
        for service, purpose, organisation, name, days in (
            ("Weekly mentoring", Purpose.MENTORING, youth_project, "", 45),
            ("Learning mentor sessions", Purpose.MENTORING, organisations[SCHOOL], "", 30),
            ("Boxing club", Purpose.ACTIVITIES, None, "Easton Boxing Club", 40),
        ):
            Intervention.objects.create(
                plan=plan,
                service=service,
                purpose=purpose,
                provider_organisation=organisation,
                provider_name=name,
                starts_on=today - timedelta(days=days),
                frequency="Once a week",
                status=InterventionStatus.STARTED,
            )

    # Referred nine weeks ago, with nothing recorded since.
    child = _free_child(panels[KNOWLE_WEST], taken)
    if child is not None:
        _refer(child, panels[KNOWLE_WEST], organisations[WELFARE], coordinator, days=63)

    # Referred three times in nine months by three organisations.
    child = _free_child(panels[LOCKLEAZE], taken)
    if child is not None:
        for name, days in ((SCHOOL, 270), (POLICE, 120), (YOUTH_SERVICE, 5)):
            _refer(child, panels[LOCKLEAZE], organisations[name], coordinator, days=days)
