"""Mohammed Ali's integrated support plan: the panel agreed one, his mother agreed to services
contacting the family and to sharing with the keyworker's group, and the demo keyworker leads
it. Two goals in his words and one in his mother's, three pieces of support and one review
held two weeks ago. Loaded once: nothing is added once he has a plan. Every person is made up."""

from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.children.models import Child
from joinedup.consent import services as consent
from joinedup.consent.models import Method, Scope
from joinedup.organisations.models import Organisation
from joinedup.plans import services
from joinedup.plans.models import InterventionStatus, Plan, Progress, Purpose, SaidBy

GOALS = (
    ("I want to go back to football on Saturdays", SaidBy.CHILD),
    ("Not get sent out of lessons as much, especially maths", SaidBy.CHILD),
    ("For Mohammed to be home by 9 on school nights so we are not worrying", SaidBy.FAMILY),
)


def load_demo_plans(*, keyworker: tuple[User, Organisation], coordinator: User) -> None:
    child = Child.objects.filter(
        given_name="Mohammed", family_name="Ali", merged_into__isnull=True
    ).first()
    if child is None or Plan.objects.filter(child=child).exists():
        return
    referral = child.referrals.filter(panel__isnull=False).select_related("panel").first()
    mother = child.household.filter(has_parental_responsibility=True).first()
    if referral is None or mother is None:
        return
    user, organisation = keyworker
    today = timezone.localdate()
    opened = today - timedelta(weeks=10)
    consent.consent_record(
        actor=None,
        child=child,
        given=consent.ConsentGiven(
            method=Method.VERBAL,
            witness_name="Youth project worker",
            given_on=today,
            household_member=mother,
            scopes=[Scope.CONTACT],
            organisations=[organisation],
        ),
    )
    plan = services.plan_open(
        actor=coordinator,
        child=child,
        keyworker=user,
        keyworker_organisation=organisation,
        panel=referral.panel,
        opened_on=opened,
        contingency=(
            "If Mohammed is not home by 10, his mother rings him, then the keyworker's work "
            "phone. If she is worried he is in danger she rings 999. If school excludes him, "
            "the keyworker arranges a meeting with school and his mother within a week."
        ),
    )
    goals = []
    for words, said_by in GOALS:
        goals.append(
            services.goal_add(
                actor=user,
                plan=plan,
                revision=plan.revision,
                in_their_words=words,
                said_by=said_by,
            )
        )
    support = (
        (
            "Saturday football club",
            Purpose.ACTIVITIES,
            "Easton Leisure Centre juniors",
            "Saturdays 10 to 12",
            [0],
        ),
        ("Weekly mentoring", Purpose.MENTORING, "", "Tuesdays after school, one hour", [1, 2]),
        (
            "Family support sessions at home",
            Purpose.FAMILY,
            "",
            "Every other Thursday evening",
            [2],
        ),
    )
    for service, purpose, provider_name, frequency, goal_numbers in support:
        services.intervention_add(
            actor=user,
            plan=plan,
            revision=plan.revision,
            details=services.InterventionDetails(
                service=service,
                purpose=purpose,
                provider_organisation=None if provider_name else organisation,
                provider_name=provider_name,
                starts_on=opened + timedelta(days=7),
                frequency=frequency,
                status=InterventionStatus.STARTED,
                goals=[goals[n] for n in goal_numbers],
            ),
        )
    services.review_record(
        actor=user,
        plan=plan,
        revision=plan.revision,
        details=services.ReviewDetails(
            held_on=today - timedelta(weeks=2),
            child_view="Football is the best bit. Maths is still boring but I stay in more.",
            family_view="He is home on time most nights now. I still worry at weekends.",
            progress={
                goals[0].pk: services.ProgressGiven(Progress.ACHIEVED, "Back in the team"),
                goals[1].pk: services.ProgressGiven(Progress.SOME, "Sent out twice this month"),
                goals[2].pk: services.ProgressGiven(Progress.GOOD, "Late once in three weeks"),
            },
        ),
    )
