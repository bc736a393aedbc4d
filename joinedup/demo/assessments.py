"""A completed initial assessment of Mohammed Ali, the demo child whose mother agreed to an
assessment, with his own Over to You, so the assessment pages have something to show. Made by
the school's learning mentor who referred him. Loaded once: nothing is added once he has an
assessment. Every person is made up."""

from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.assessments import services
from joinedup.assessments.models import Answer, Assessment, AssessmentKind, Respondent, SeriousHarm
from joinedup.children.models import Child
from joinedup.organisations.models import Organisation

# Domain key -> (rating, evidence): school and friendships are where the worry is.
MOHAMMEDS_RATINGS: dict[str, tuple[int, str]] = {
    "living_arrangements": (
        1,
        "Lives with his mother and two younger sisters; moved flat in the spring. His mother "
        "says evenings are harder since the move.",
    ),
    "education": (
        3,
        "Attendance 81% this term, mostly Mondays and Fridays. Two fixed-term exclusions last "
        "year. Enjoys design and technology and does well in it.",
    ),
    "neighbourhood": (1, "Says he feels safe on his street but avoids the park after dark."),
    "lifestyle": (
        3,
        "Spends most evenings out with older boys from outside school; his mother does not "
        "know some of them. Used to go to football club and stopped in January.",
    ),
    "substance_use": (0, ""),
    "physical_health": (0, ""),
    "emotional_health": (
        2,
        "Teachers describe him as quiet and tired in the mornings. He says he worries about "
        "his mother.",
    ),
    "perception": (1, "Says he is 'no good at school' but proud of what he makes in DT."),
    "thinking_behaviour": (
        2,
        "Walks out of lessons when frustrated; calms down with the learning mentor.",
    ),
    "attitudes": (1, "Understands that missing school worries his mother."),
    "motivation": (1, "Wants to go back to football; agreed to meet the youth project."),
}

MOHAMMEDS_ANSWERS = {
    "home_get_on": Answer.AGREE,
    "home_safe": Answer.AGREE,
    "home_talk": Answer.NOT_SURE,
    "school_like": Answer.DISAGREE,
    "school_adult": Answer.AGREE,
    "friends_trust": Answer.NOT_SURE,
    "friends_enjoy": Answer.AGREE,
    "friends_pressure": Answer.AGREE,
    "area_safe": Answer.AGREE,
    "health_sleep": Answer.DISAGREE,
    "health_happy": Answer.NOT_SURE,
    "me_good_at": Answer.AGREE,
    "me_better": Answer.AGREE,
    "me_help": Answer.AGREE,
}


def load_demo_assessments(*, assessor: tuple[User, Organisation]) -> None:
    child = Child.objects.filter(
        given_name="Mohammed", family_name="Ali", merged_into__isnull=True
    ).first()
    if child is None or Assessment.objects.filter(child=child).exists():
        return
    user, organisation = assessor
    day = timezone.localdate() - timedelta(days=1)
    draft = services.assessment_start(
        actor=user,
        child=child,
        kind=AssessmentKind.INITIAL,
        organisation=organisation,
        assessed_on=day,
    )
    services.over_to_you_record(
        actor=user,
        child=child,
        given=services.OverToYouGiven(
            respondent=Respondent.CHILD,
            answers=MOHAMMEDS_ANSWERS,
            in_their_words="I want to go back to football. School is boring except DT.",
            helped_by="His learning mentor at school",
            filled_on=day,
        ),
    )
    services.assessment_save(
        actor=user,
        assessment=draft,
        revision=draft.revision,
        answers=services.AssessmentAnswers(
            # A panel may rate its own list: areas not written here are rated 0.
            ratings={
                rating.domain.key: services.DomainAnswer(
                    *MOHAMMEDS_RATINGS.get(rating.domain.key, (0, ""))
                )
                for rating in draft.ratings.select_related("domain")
            },
            protective_factors=(
                "A close relationship with his mother, who wants help; good at design and "
                "technology; gets on with the learning mentor; wants to go back to football."
            ),
            serious_harm=SeriousHarm.NONE,
        ),
    )
    draft.refresh_from_db()
    services.assessment_complete(actor=user, assessment=draft, revision=draft.revision)
