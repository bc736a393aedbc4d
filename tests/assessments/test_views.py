"""The assessment pages: who may open them, what they show, what each read and write leaves in
the audit trail, and what they cost in queries as a child's versions grow."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.assessments.models import Assessment, AssessmentStatus, DomainRating, OverToYou
from joinedup.children.models import InvolvementRole
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import PanelRole
from tests.accounts.pages import error_summary, messages_shown, summary_names_field
from tests.assessments.conftest import ONSET, completed, start
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    OverToYouFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)

TODAY = timezone.localdate()


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _url(name, child, **kwargs):
    return reverse(f"assessments:{name}", kwargs={"reference": child.reference, **kwargs})


def _pages(child, assessment, view):
    on_assessment = {"assessment_id": assessment.pk}
    return [
        _url("assessment_list", child),
        _url("assessment_start", child),
        _url("assessment_compare", child),
        _url("assessment_detail", child, **on_assessment),
        _url("assessment_rate", child, **on_assessment),
        _url("assessment_complete", child, **on_assessment),
        _url("child_over_to_you", child),
        _url("parent_over_to_you", child),
        _url("over_to_you_detail", child, response_id=view.pk),
    ]


def _outsider(kind, child):
    if kind == "panel member not on this case":
        panel = PanelFactory()
        ReferralFactory(child=child, panel=panel)
        user = make_person(Role.PANEL_MEMBER)
        PanelMemberFactory(panel=panel, user=user, role=PanelRole.MEMBER)
        return user
    if kind == "another panel's coordinator":
        user = make_person(Role.PANEL_COORDINATOR)
        PanelMemberFactory(user=user, role=PanelRole.COORDINATOR)
        return user
    if kind == "a worker who has left the team":
        user = make_person(Role.KEYWORKER)
        InvolvementFactory(
            child=child, worker=user, started_on=TODAY.replace(year=TODAY.year - 1), ended_on=TODAY
        )
        return user
    return make_person(Role(kind))


@pytest.mark.parametrize(
    "kind",
    [
        Role.KEYWORKER.value,
        Role.REFERRER.value,
        "panel member not on this case",
        "another panel's coordinator",
        "a worker who has left the team",
    ],
)
def test_someone_outside_the_team_gets_not_found_and_never_the_childs_name(
    kind, child, consent, in_team, organisation, sign_in
):
    assessment = start(in_team, child, organisation)
    view = OverToYouFactory(child=child)
    client = sign_in(_outsider(kind, child))
    before = (Assessment.objects.count(), OverToYou.objects.count(), DomainRating.objects.count())
    for url in _pages(child, assessment, view):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Amina" not in response.content and b"Yusuf" not in response.content, url
        assert client.post(url, {"revision": "1"}).status_code in (404, 405), url
    after = (Assessment.objects.count(), OverToYou.objects.count(), DomainRating.objects.count())
    assert before == after


def test_the_empty_list_says_what_to_do_first(child, consent, in_team, sign_in):
    response = sign_in(in_team).get(_url("assessment_list", child))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Amina Yusuf has not been assessed yet" in content
    assert "Start the initial assessment" in content
    assert "Nobody has filled in an Over to You yet" in content
    assert "No consent to an assessment is in force" not in content


def test_the_list_warns_when_there_is_no_consent_to_assess(child, mother, in_team, sign_in):
    response = sign_in(in_team).get(_url("assessment_list", child))
    assert b"No consent to an assessment is in force for Amina Yusuf" in response.content
    # No button that could only lead to a refusal.
    assert b"Start the initial assessment</a>" not in response.content


def test_the_child_record_links_to_the_assessments(child, in_team, sign_in):
    response = sign_in(in_team).get(
        reverse("children:child_detail", kwargs={"reference": child.reference})
    )
    assert _url("assessment_list", child).encode() in response.content


def test_starting_without_consent_is_refused_with_its_message_on_the_form(
    child, mother, in_team, organisation, sign_in
):
    response = sign_in(in_team).post(
        _url("assessment_start", child),
        {"kind": "initial", "organisation": str(organisation.pk), **_date("assessed_on", TODAY)},
    )
    assert response.status_code == 200
    summary = " ".join(text for _, text in error_summary(response))
    assert "There is no consent to an assessment of their needs" in summary
    assert not Assessment.objects.exists()


def test_a_keyworker_starts_rates_and_completes_an_assessment(
    child, consent, in_team, organisation, sign_in
):
    client = sign_in(in_team)
    response = client.post(
        _url("assessment_start", child),
        {"kind": "initial", "organisation": str(organisation.pk), **_date("assessed_on", TODAY)},
    )
    assessment = Assessment.objects.get(child=child)
    rate = _url("assessment_rate", child, assessment_id=assessment.pk)
    assert response["Location"] == rate

    page = client.get(rate)
    content = page.content.decode()
    for name in ONSET:
        assert name in content
    assert "Where and with whom the child lives" in content  # each domain's hint
    assert "Very strongly associated with the concerns" in content

    answers = {"revision": "1", "then": "check"}
    for rating in assessment.ratings.select_related("domain"):
        answers[f"rating_{rating.domain.key}"] = "1"
        answers[f"evidence_{rating.domain.key}"] = f"Seen at home ({rating.domain.key})."
    answers.update(
        protective_factors="Her grandmother; football on Saturdays.",
        serious_harm="none",
    )
    response = client.post(rate, answers)
    complete = _url("assessment_complete", child, assessment_id=assessment.pk)
    assert response["Location"] == complete

    page = client.get(complete)
    assert b"Complete the assessment" in page.content
    assert b"Her grandmother; football on Saturdays." in page.content
    response = client.post(complete, {"confirm": "on", "revision": "2"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    detail = client.get(response["Location"])
    assert "Version 1: initial assessment completed" in messages_shown(detail)
    # A completed version opens read-only: the rating page sends people back to it.
    again = client.get(rate)
    assert again.status_code == 302
    assert "cannot be changed: start a review" in messages_shown(again)[0]


def test_completing_with_areas_not_rated_lists_them_with_links(
    child, consent, in_team, organisation, sign_in
):
    assessment = start(in_team, child, organisation)
    response = sign_in(in_team).get(_url("assessment_complete", child, assessment_id=assessment.pk))
    content = response.content.decode()
    assert "Rate substance use" in content
    assert "#id_rating_substance_use_0" in content
    assert "#id_protective_factors" in content
    assert "Complete the assessment</button>" not in content


def test_a_rating_without_evidence_is_named_and_nothing_saved(
    child, consent, in_team, organisation, sign_in
):
    assessment = start(in_team, child, organisation)
    response = sign_in(in_team).post(
        _url("assessment_rate", child, assessment_id=assessment.pk),
        {"revision": "1", "rating_attitudes": "3", "evidence_attitudes": "", "then": "draft"},
    )
    assert response.status_code == 200
    assert summary_names_field(response, "id_evidence_attitudes")
    assert not DomainRating.objects.filter(rating__isnull=False).exists()


def test_a_save_from_a_page_opened_before_a_colleagues_save_is_refused(
    child, consent, in_team, organisation, sign_in, client
):
    assessment = start(in_team, child, organisation)
    colleague = make_person(Role.KEYWORKER, full_name="Yusra Youthwork")
    InvolvementFactory(child=child, worker=colleague, role=InvolvementRole.SERVICE)
    rate = _url("assessment_rate", child, assessment_id=assessment.pk)
    theirs = sign_in_client(Client(), colleague)
    mine = sign_in(in_team)
    assert b'name="revision" value="1"' in mine.get(rate).content
    theirs.post(
        rate,
        {
            "revision": "1",
            "rating_education": "3",
            "evidence_education": "Missed 12 days this term.",
            "then": "draft",
        },
    )
    response = mine.post(
        rate,
        {
            "revision": "1",
            "rating_education": "1",
            "evidence_education": "Going every day now.",
            "then": "draft",
        },
    )
    assert response.status_code == 200
    text = " ".join(message for _, message in error_summary(response))
    assert "Yusra Youthwork saved this assessment" in text
    assert "Your changes have not been saved" in text
    # What they typed is still on the page to copy; what the colleague saved is kept.
    assert b"Going every day now." in response.content
    assert b"open the latest version of the assessment" in response.content
    education = DomainRating.objects.get(assessment=assessment, domain__key="education")
    assert (education.rating, education.evidence) == (3, "Missed 12 days this term.")


def test_the_comparison_shows_change_per_domain_and_both_evidence_texts(
    child, consent, in_team, organisation, sign_in
):
    completed(in_team, child, organisation, rating=3, evidence="Before the mentoring.")
    completed(in_team, child, organisation, kind="review", rating=1, evidence="After it.")
    response = sign_in(in_team).get(_url("assessment_compare", child))
    content = response.content.decode()
    assert response.status_code == 200
    assert "3 → 1" in content
    assert content.count(">Better</strong>") == len(ONSET)
    assert "Before the mentoring." in content and "After it." in content
    reads = AuditEntry.objects.filter(
        verb=AuditVerb.READ, actor=in_team, target_type="assessments.assessment"
    )
    assert reads.exists()


def test_the_comparison_with_one_version_says_what_to_do(
    child, consent, in_team, organisation, sign_in
):
    completed(in_team, child, organisation)
    response = sign_in(in_team).get(_url("assessment_compare", child))
    assert b"There is nothing to compare yet" in response.content


def test_the_childs_over_to_you_is_filled_in_and_printable(
    child, consent, in_team, organisation, sign_in
):
    assessment = start(in_team, child, organisation)
    client = sign_in(in_team)
    page = client.get(_url("child_over_to_you", child))
    content = page.content.decode()
    assert "I like going to school" in content
    assert "over-to-you-print.css" in content and 'media="print"' in content
    assert "govuk-radios--small" not in content.split("In your own words")[0]
    response = client.post(
        _url("child_over_to_you", child),
        {
            "school_like": "disagree",
            "home_safe": "agree",
            "in_their_words": "I miss my old school.",
            "helped_by": "Kit Keyworker (youth project)",
            **_date("filled_on", TODAY),
        },
    )
    view = OverToYou.objects.get()
    assert response["Location"] == _url("over_to_you_detail", child, response_id=view.pk)
    assert view.assessment == assessment
    shown = client.get(response["Location"]).content.decode()
    assert "I miss my old school." in shown
    assert "over-to-you-print.css" in shown
    assert "Disagree" in shown and "Not answered" in shown
    assert AuditEntry.objects.filter(
        verb=AuditVerb.READ, actor=in_team, target_type="assessments.overtoyou"
    ).exists()


def test_a_parents_over_to_you_records_which_household_member(
    child, mother, consent, in_team, sign_in
):
    client = sign_in(in_team)
    page = client.get(_url("parent_over_to_you", child))
    assert b"Hodan Yusuf (mother)" in page.content
    assert b"My child and I get on well" in page.content
    response = client.post(
        _url("parent_over_to_you", child),
        {
            "household_member": str(mother.pk),
            "family_get_on": "agree",
            "helped_by": "Nobody",
            **_date("filled_on", TODAY),
        },
    )
    assert response.status_code == 302
    assert OverToYou.objects.get().household_member == mother


def test_an_empty_over_to_you_asks_for_at_least_one_answer(child, consent, in_team, sign_in):
    response = sign_in(in_team).post(
        _url("child_over_to_you", child),
        {"helped_by": "Nobody", **_date("filled_on", TODAY)},
    )
    assert response.status_code == 200
    assert summary_names_field(response, "id_home_get_on")
    assert not OverToYou.objects.exists()


def _versions(actor, child, organisation, count):
    for _ in range(count):
        kind = "review" if Assessment.objects.filter(child=child).exists() else "initial"
        completed(actor, child, organisation, kind=kind)


@pytest.mark.parametrize("page", ["assessment_list", "assessment_compare"])
def test_the_page_costs_the_same_queries_for_2_versions_as_for_8(
    page, child, consent, in_team, organisation, sign_in
):
    client = sign_in(in_team)
    _versions(in_team, child, organisation, 2)
    OverToYouFactory(child=child)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(page, child)).status_code == 200
    _versions(in_team, child, organisation, 6)
    OverToYouFactory(child=child)
    OverToYouFactory(child=child)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(page, child))
    assert response.status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_an_old_reference_leads_to_the_assessments_of_the_record_that_stands(
    child, consent, in_team, sign_in
):
    old = ChildFactory(merged_into=child)
    response = sign_in(in_team).get(_url("assessment_list", old))
    assert response.status_code == 302
    assert response["Location"] == _url("assessment_list", child)
