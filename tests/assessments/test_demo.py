"""The demo partnership shows a completed assessment: Mohammed Ali's, with his own view."""

from joinedup.assessments.models import Assessment, AssessmentStatus, OverToYou, Respondent
from joinedup.demo.loader import load_demo_data


def test_mohammed_has_a_completed_initial_assessment_and_his_own_view_once(db):
    load_demo_data()
    load_demo_data()
    assessment = Assessment.objects.get(child__given_name="Mohammed", child__family_name="Ali")
    assert (assessment.version, assessment.kind) == (1, "initial")
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.ratings.filter(rating__isnull=True).count() == 0
    assert assessment.assessed_by.email == "referrer@demo.joinedup.test"
    view = OverToYou.objects.get(child=assessment.child)
    assert view.respondent == Respondent.CHILD
    assert view.assessment == assessment
