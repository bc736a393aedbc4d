import pytest
from django.utils import timezone

from joinedup.assessments import services
from joinedup.assessments.models import Domain
from joinedup.children.models import InvolvementRole
from joinedup.consent.models import Scope
from tests.factories import ChildFactory, ConsentRecordFactory, InvolvementFactory, ParentFactory


@pytest.fixture
def child(db):
    return ChildFactory(given_name="Amina", family_name="Yusuf")


@pytest.fixture
def mother(child):
    return ParentFactory(child=child, full_name="Hodan Yusuf")


@pytest.fixture
def consent(child, mother):
    """Her mother agreed to an assessment of Amina's needs."""
    return ConsentRecordFactory(child=child, household_member=mother, scope=Scope.ASSESSMENT)


@pytest.fixture
def in_team(child, keyworker):
    """The keyworker, working with Amina."""
    InvolvementFactory(child=child, worker=keyworker, role=InvolvementRole.KEYWORKER)
    return keyworker


@pytest.fixture
def organisation(keyworker):
    return keyworker.active_memberships().get().organisation


def start(actor, child, organisation, kind="initial"):
    return services.assessment_start(
        actor=actor,
        child=child,
        kind=kind,
        organisation=organisation,
        assessed_on=timezone.localdate(),
    )


def every_domain_rated(assessment, rating=2, evidence="Seen at school every week."):
    """Answers that complete the assessment: every domain rated, strengths, no concerns."""
    return services.AssessmentAnswers(
        ratings={
            r.domain.key: services.DomainAnswer(rating=rating, evidence=evidence)
            for r in assessment.ratings.select_related("domain")
        },
        protective_factors="Her grandmother; she loves football.",
        serious_harm="none",
    )


def completed(actor, child, organisation, kind="initial", rating=2, evidence="Seen weekly."):
    assessment = start(actor, child, organisation, kind)
    services.assessment_save(
        actor=actor,
        assessment=assessment,
        revision=assessment.revision,
        answers=every_domain_rated(assessment, rating, evidence),
    )
    assessment.refresh_from_db()
    return services.assessment_complete(
        actor=actor, assessment=assessment, revision=assessment.revision
    )


ONSET = [
    "Living arrangements and family relationships",
    "Education, training and attendance",
    "Neighbourhood",
    "Lifestyle and friendships",
    "Substance use",
    "Physical health",
    "Emotional and mental health",
    "Perception of self and others",
    "Thinking and behaviour",
    "Attitudes",
    "Motivation to change",
]


def default_domains():
    return list(Domain.objects.filter(panel__isnull=True).values_list("name", flat=True))
