"""The rules of an assessment, tested through its services: consent first, the team around the
child only, every domain rated with evidence before completing, completed versions frozen, one
version after another, a panel's own domains, and two people saving the same draft."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.assessments import services
from joinedup.assessments.comparison import domain_changes
from joinedup.assessments.models import (
    Assessment,
    AssessmentStatus,
    Domain,
    DomainRating,
    OverToYou,
    Respondent,
)
from joinedup.consent import services as consent_services
from joinedup.consent.models import HowTold, Scope
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from tests.accounts.pages import audit_trail_text
from tests.assessments.conftest import ONSET, completed, default_domains, every_domain_rated, start
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    DomainFactory,
    InvolvementFactory,
    PanelFactory,
    ParentFactory,
    ReferralFactory,
)

TODAY = timezone.localdate()


def test_the_default_domains_are_onsets_eleven_in_order(db):
    assert default_domains() == ONSET


def test_the_defaults_are_the_migrations_and_come_back_when_missing(db):
    migration = importlib.import_module("joinedup.assessments.migrations.0002_default_domains")
    assert tuple(tuple(domain) for domain in migration.ONSET_DOMAINS) == services.ONSET_DOMAINS
    Domain.objects.filter(panel__isnull=True, key="attitudes").delete()
    services.domains_ensure_defaults()
    services.domains_ensure_defaults()
    assert default_domains() == ONSET


def test_starting_an_assessment_needs_consent_to_an_assessment(
    child, mother, in_team, organisation
):
    # Consent to discuss the case at the panel is not consent to assess.
    ConsentRecordFactory(child=child, household_member=mother, scope=Scope.PANEL_DISCUSSION)
    with pytest.raises(services.AssessmentError) as refused:
        start(in_team, child, organisation)
    assert refused.value.code == "consent_missing"
    assert "no consent to an assessment of their needs" in refused.value.message
    assert not Assessment.objects.exists()


def test_the_first_version_is_an_initial_assessment_of_every_default_domain(
    child, consent, in_team, organisation
):
    assessment = start(in_team, child, organisation)
    assert (assessment.version, assessment.kind, assessment.status) == (1, "initial", "draft")
    assert assessment.assessed_by == in_team
    assert assessment.organisation == organisation
    assert [r.domain.name for r in assessment.ratings.select_related("domain")] == ONSET
    assert all(r.rating is None for r in assessment.ratings.all())
    entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(child.pk))
    assert entry.actor == in_team
    assert entry.fields == ["assessment"]
    assert entry.detail["version"] == 1


def test_the_first_assessment_cannot_be_a_review(child, consent, in_team, organisation):
    with pytest.raises(services.AssessmentError) as refused:
        start(in_team, child, organisation, kind="review")
    assert refused.value.field == "kind"


def test_only_the_team_around_the_child_can_assess(child, consent):
    outsider = make_person(Role.KEYWORKER)
    organisation = outsider.active_memberships().get().organisation
    with pytest.raises(services.AssessmentError) as refused:
        start(outsider, child, organisation)
    assert refused.value.code == "not_in_team"
    assert not Assessment.objects.exists()


def test_the_assessor_assesses_for_one_of_their_own_organisations(child, consent, in_team):
    other = make_person(Role.KEYWORKER).active_memberships().get().organisation
    with pytest.raises(services.AssessmentError) as refused:
        start(in_team, child, other)
    assert refused.value.field == "organisation"


def test_an_assessment_date_in_the_future_is_refused(child, consent, in_team, organisation):
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_start(
            actor=in_team,
            child=child,
            kind="initial",
            organisation=organisation,
            assessed_on=TODAY + timedelta(days=30),
        )
    assert refused.value.field == "assessed_on"


def test_a_rating_of_one_or_more_needs_its_evidence_and_nothing_is_saved(
    child, consent, in_team, organisation
):
    assessment = start(in_team, child, organisation)
    answers = every_domain_rated(assessment)
    ratings = dict(answers.ratings)
    ratings["substance_use"] = services.DomainAnswer(rating=1, evidence="  ")
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_save(
            actor=in_team,
            assessment=assessment,
            revision=assessment.revision,
            answers=services.AssessmentAnswers(ratings=ratings, protective_factors="Football"),
        )
    assert refused.value.field == "evidence_substance_use"
    assert not DomainRating.objects.filter(rating__isnull=False).exists()
    assessment.refresh_from_db()
    assert (assessment.revision, assessment.protective_factors) == (1, "")


def test_a_rating_of_0_needs_no_evidence(child, consent, in_team, organisation):
    assessment = start(in_team, child, organisation)
    services.assessment_save(
        actor=in_team,
        assessment=assessment,
        revision=1,
        answers=services.AssessmentAnswers(
            ratings={"physical_health": services.DomainAnswer(rating=0)}
        ),
    )
    assert DomainRating.objects.get(domain__key="physical_health").rating == 0


def test_a_rating_outside_0_to_4_is_refused(child, consent, in_team, organisation):
    assessment = start(in_team, child, organisation)
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_save(
            actor=in_team,
            assessment=assessment,
            revision=1,
            answers=services.AssessmentAnswers(
                ratings={"attitudes": services.DomainAnswer(rating=5, evidence="x")}
            ),
        )
    assert refused.value.field == "rating_attitudes"


@pytest.mark.parametrize("screening", ["some", "significant"])
def test_a_concern_about_serious_harm_to_others_needs_its_evidence(
    child, consent, in_team, organisation, screening
):
    assessment = start(in_team, child, organisation)
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_save(
            actor=in_team,
            assessment=assessment,
            revision=1,
            answers=services.AssessmentAnswers(serious_harm=screening),
        )
    assert refused.value.field == "serious_harm_evidence"


def test_completing_needs_every_domain_rated_strengths_and_the_screening(
    child, consent, in_team, organisation
):
    assessment = start(in_team, child, organisation)
    full = every_domain_rated(assessment)
    ratings = {key: answer for key, answer in full.ratings.items() if key != "motivation"}
    services.assessment_save(
        actor=in_team,
        assessment=assessment,
        revision=1,
        answers=services.AssessmentAnswers(ratings=ratings),
    )
    assessment.refresh_from_db()
    problems = services.completion_problems(assessment)
    assert [p.field for p in problems] == [
        "rating_motivation",
        "protective_factors",
        "serious_harm",
    ]
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_complete(actor=in_team, assessment=assessment, revision=2)
    assert refused.value.code == "incomplete"
    assert "rate motivation to change" in refused.value.message
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT

    services.assessment_save(actor=in_team, assessment=assessment, revision=2, answers=full)
    assessment.refresh_from_db()
    services.assessment_complete(actor=in_team, assessment=assessment, revision=3)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.completed_by == in_team
    assert AuditEntry.objects.filter(
        verb=AuditVerb.UPDATE, target_id=str(child.pk), detail__completed=True
    ).exists()


def test_a_completed_assessment_cannot_be_changed(child, consent, in_team, organisation):
    assessment = completed(in_team, child, organisation)
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_save(
            actor=in_team,
            assessment=assessment,
            revision=assessment.revision,
            answers=every_domain_rated(assessment, rating=0),
        )
    assert refused.value.code == "completed"
    assert "Start a review" in refused.value.message
    assert set(DomainRating.objects.values_list("rating", flat=True)) == {2}


def test_versions_count_up_and_each_later_one_is_a_review(child, consent, in_team, organisation):
    completed(in_team, child, organisation)
    with pytest.raises(services.AssessmentError) as refused:
        start(in_team, child, organisation, kind="initial")
    assert refused.value.field == "kind"
    review = start(in_team, child, organisation, kind="review")
    assert review.version == 2
    # One draft at a time: the next version waits until this one is completed.
    with pytest.raises(services.AssessmentError) as refused:
        start(in_team, child, organisation, kind="final")
    assert refused.value.code == "draft_exists"
    services.assessment_save(
        actor=in_team,
        assessment=review,
        revision=review.revision,
        answers=every_domain_rated(review, rating=1),
    )
    review.refresh_from_db()
    services.assessment_complete(actor=in_team, assessment=review, revision=review.revision)
    final = start(in_team, child, organisation, kind="final")
    assert final.version == 3
    assert list(Assessment.objects.filter(child=child).values_list("version", flat=True)) == [
        3,
        2,
        1,
    ]


def test_another_childs_versions_count_on_their_own(child, consent, in_team, organisation):
    completed(in_team, child, organisation)
    other = ChildFactory()
    ConsentRecordFactory(
        child=other, household_member=ParentFactory(child=other), scope=Scope.ASSESSMENT
    )
    assert start(None, other, organisation).version == 1


def test_a_panel_with_its_own_domains_rates_those_instead_of_the_default(
    child, consent, in_team, organisation
):
    panel = PanelFactory()
    ReferralFactory(child=child, panel=panel)
    DomainFactory(panel=panel, key="school_life", name="School life", order=2)
    DomainFactory(panel=panel, key="family_life", name="Family life", order=1)
    DomainFactory(panel=panel, key="retired", name="Retired area", is_active=False)
    DomainFactory(panel=PanelFactory(), key="other_panels", name="Another panel's area")

    assessment = start(in_team, child, organisation)

    assert assessment.panel == panel
    names = [r.domain.name for r in assessment.ratings.select_related("domain")]
    assert names == ["Family life", "School life"]


def test_a_panel_whose_own_domains_are_all_retired_uses_the_default_list(
    child, consent, in_team, organisation
):
    panel = PanelFactory()
    ReferralFactory(child=child, panel=panel)
    DomainFactory(panel=panel, is_active=False)
    assessment = start(in_team, child, organisation)
    assert assessment.ratings.count() == len(ONSET)


def test_the_second_of_two_saves_of_the_same_draft_is_refused_and_the_first_kept(
    child, consent, in_team, organisation
):
    colleague = make_person(Role.KEYWORKER, full_name="Yusra Youthwork")
    InvolvementFactory(child=child, worker=colleague)
    assessment = start(in_team, child, organisation)
    # Both opened the page at revision 1.
    first = Assessment.objects.get(pk=assessment.pk)
    second = Assessment.objects.get(pk=assessment.pk)
    services.assessment_save(
        actor=colleague,
        assessment=first,
        revision=1,
        answers=services.AssessmentAnswers(
            ratings={"education": services.DomainAnswer(3, "Missed 12 days this term.")},
            protective_factors="Her aunt takes her to school.",
        ),
    )
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_save(
            actor=in_team,
            assessment=second,
            revision=1,
            answers=services.AssessmentAnswers(
                ratings={"education": services.DomainAnswer(1, "Better lately.")},
                protective_factors="",
            ),
        )
    assert refused.value.code == "stale"
    assert refused.value.field == "revision"
    assert "Yusra Youthwork saved this assessment" in refused.value.message
    assert "Your changes have not been saved" in refused.value.message
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.revision == 2
    assert saved.protective_factors == "Her aunt takes her to school."
    education = DomainRating.objects.get(assessment=saved, domain__key="education")
    assert (education.rating, education.evidence) == (3, "Missed 12 days this term.")


def test_completing_from_a_page_opened_before_a_colleagues_save_is_refused(
    child, consent, in_team, organisation
):
    assessment = start(in_team, child, organisation)
    opened_at = assessment.revision
    services.assessment_save(
        actor=in_team,
        assessment=assessment,
        revision=opened_at,
        answers=every_domain_rated(assessment),
    )
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_complete(actor=in_team, assessment=assessment, revision=opened_at)
    assert refused.value.code == "stale"
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT


def test_withdrawing_consent_stops_work_on_a_draft_at_once(child, consent, in_team, organisation):
    assessment = start(in_team, child, organisation)
    consent_services.consent_withdraw(
        actor=in_team, record=consent, reason="No reason given", told_us=HowTold.TELEPHONE
    )
    with pytest.raises(services.AssessmentError) as refused:
        services.assessment_save(
            actor=in_team,
            assessment=assessment,
            revision=1,
            answers=every_domain_rated(assessment),
        )
    assert refused.value.code == "consent_withdrawn"
    assert not DomainRating.objects.filter(rating__isnull=False).exists()


def test_the_audit_trail_holds_no_names_or_free_text(child, consent, in_team, organisation):
    assessment = completed(
        in_team, child, organisation, evidence="Hodan says Amina sleeps badly since the move."
    )
    services.over_to_you_record(
        actor=in_team,
        child=child,
        given=services.OverToYouGiven(
            respondent=Respondent.CHILD,
            answers={"school_like": "agree"},
            in_their_words="I miss my old street.",
            helped_by="Kit from the youth project",
            filled_on=TODAY,
        ),
    )
    trail = audit_trail_text(target_id=str(child.pk))
    assert str(assessment.pk) in trail
    for text in ("Amina", "Yusuf", "Hodan", "sleeps badly", "old street", "grandmother", "Kit"):
        assert text not in trail, text


def test_the_childs_over_to_you_is_kept_with_the_draft_assessment(
    child, consent, in_team, organisation
):
    assessment = start(in_team, child, organisation)
    view = services.over_to_you_record(
        actor=in_team,
        child=child,
        given=services.OverToYouGiven(
            respondent=Respondent.CHILD,
            answers={"school_like": "disagree", "home_safe": "agree", "me_help": ""},
            in_their_words="I want to go back to my old school.",
            helped_by="Kit Keyworker",
            filled_on=TODAY,
        ),
    )
    assert view.assessment == assessment
    assert view.answers == {"school_like": "disagree", "home_safe": "agree"}
    assert view.recorded_by == in_team
    entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, fields=["over_to_you"])
    assert entry.detail == {
        "over_to_you": str(view.pk),
        "respondent": "child",
        "answered": 2,
        "assessment": str(assessment.pk),
    }


def test_a_parents_over_to_you_names_a_member_of_this_childs_household(
    child, mother, consent, in_team
):
    stranger = ParentFactory()
    given = services.OverToYouGiven(
        respondent=Respondent.PARENT,
        answers={"family_get_on": "agree"},
        in_their_words="",
        helped_by="Nobody",
        filled_on=TODAY,
        household_member=stranger,
    )
    with pytest.raises(services.AssessmentError) as refused:
        services.over_to_you_record(actor=in_team, child=child, given=given)
    assert refused.value.field == "household_member"
    view = services.over_to_you_record(
        actor=in_team,
        child=child,
        given=services.OverToYouGiven(**{**given.__dict__, "household_member": mother}),
    )
    assert view.respondent_label == "Hodan Yusuf (mother)"
    assert view.assessment is None


@pytest.mark.parametrize(
    ("answers", "words", "field"),
    [
        ({"school_like": "maybe"}, "", "school_like"),
        ({}, "  ", "home_get_on"),
        ({"family_get_on": "agree"}, "", None),  # a parent's statement on the child's form
    ],
)
def test_over_to_you_answers_must_be_from_the_form(child, consent, in_team, answers, words, field):
    with pytest.raises(services.AssessmentError) as refused:
        services.over_to_you_record(
            actor=in_team,
            child=child,
            given=services.OverToYouGiven(
                respondent=Respondent.CHILD,
                answers=answers,
                in_their_words=words,
                helped_by="Nobody",
                filled_on=TODAY,
            ),
        )
    assert refused.value.field == field
    assert not OverToYou.objects.exists()


def test_over_to_you_needs_consent_to_an_assessment(child, mother, in_team):
    with pytest.raises(services.AssessmentError) as refused:
        services.over_to_you_record(
            actor=in_team,
            child=child,
            given=services.OverToYouGiven(
                respondent=Respondent.CHILD,
                answers={"school_like": "agree"},
                in_their_words="",
                helped_by="Nobody",
                filled_on=TODAY,
            ),
        )
    assert refused.value.code == "consent_missing"


def test_change_per_domain_between_versions(child, consent, in_team, organisation):
    first = completed(in_team, child, organisation, rating=2, evidence="Before.")
    review = start(in_team, child, organisation, kind="review")
    answers = every_domain_rated(review, rating=2, evidence="After.")
    ratings = dict(answers.ratings)
    ratings["education"] = services.DomainAnswer(0)
    ratings["substance_use"] = services.DomainAnswer(4, "Now smoking daily.")
    services.assessment_save(
        actor=in_team,
        assessment=review,
        revision=1,
        answers=services.AssessmentAnswers(
            ratings=ratings, protective_factors="x", serious_harm="none"
        ),
    )
    changes = {
        c.domain.key: c
        for c in domain_changes(
            Assessment.objects.prefetch_related("ratings__domain").get(pk=first.pk),
            Assessment.objects.prefetch_related("ratings__domain").get(pk=review.pk),
        )
    }
    assert changes["education"].direction == "better"
    assert changes["substance_use"].direction == "worse"
    assert changes["attitudes"].direction == "same"
    assert changes["substance_use"].before.evidence == "Before."
    assert changes["substance_use"].after.evidence == "Now smoking daily."
    assert len(changes) == len(ONSET)


def test_a_view_given_after_completing_is_kept_with_the_latest_version(
    child, consent, in_team, organisation
):
    first = completed(in_team, child, organisation)
    given = services.OverToYouGiven(
        respondent=Respondent.CHILD,
        answers={"school_like": "agree"},
        in_their_words="",
        helped_by="Nobody",
        filled_on=TODAY,
    )
    assert services.over_to_you_record(actor=in_team, child=child, given=given).assessment == first
    review = start(in_team, child, organisation, kind="review")
    assert services.over_to_you_record(actor=in_team, child=child, given=given).assessment == review
