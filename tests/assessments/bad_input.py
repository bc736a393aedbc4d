"""The assessment pages' rows of the bad-input table (tests/accounts/test_bad_input.py): the
records each form needs, made only when a row asks for them. `world` is that module's World."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.assessments import services
from joinedup.assessments.models import Assessment, DomainRating, OverToYou
from joinedup.consent.models import Scope
from tests.factories import ChildFactory, ConsentRecordFactory, InvolvementFactory, ParentFactory


def _child(world: Any, page: str) -> Any:
    """A child in the keyworker's team whose mother agreed to an assessment: one per page, as
    one world can serve every page of the table."""
    children = world.__dict__.setdefault("assessed_children", {})
    if page not in children:
        child = ChildFactory(given_name="Amina", family_name="Yusuf")
        mother = ParentFactory(child=child, full_name="Hodan Yusuf")
        ConsentRecordFactory(child=child, household_member=mother, scope=Scope.ASSESSMENT)
        InvolvementFactory(child=child, worker=world.keyworker)
        child.mother = mother
        children[page] = child
    return children[page]


def _organisation(world: Any) -> Any:
    return world.keyworker.active_memberships().get().organisation


def _draft(world: Any, *, rated: bool = False) -> Assessment:
    attribute = "rated_draft" if rated else "draft"
    if not hasattr(world, attribute):
        draft = services.assessment_start(
            actor=None,
            child=_child(world, attribute),
            kind="initial",
            organisation=_organisation(world),
            assessed_on=timezone.localdate(),
        )
        if rated:
            services.assessment_save(
                actor=None,
                assessment=draft,
                revision=draft.revision,
                answers=_every_domain_rated(draft),
            )
            draft.refresh_from_db()
        setattr(world, attribute, draft)
    return getattr(world, attribute)


def _every_domain_rated(assessment: Assessment) -> services.AssessmentAnswers:
    return services.AssessmentAnswers(
        ratings={
            r.domain.key: services.DomainAnswer(2, "Seen at school.")
            for r in assessment.ratings.select_related("domain")
        },
        protective_factors="Her grandmother.",
        serious_harm="none",
    )


def _versions(world: Any) -> list[Assessment]:
    if not hasattr(world, "versions"):
        versions = []
        for kind in ("initial", "review"):
            draft = services.assessment_start(
                actor=None,
                child=_child(world, "compare"),
                kind=kind,
                organisation=_organisation(world),
                assessed_on=timezone.localdate(),
            )
            services.assessment_save(
                actor=None, assessment=draft, revision=1, answers=_every_domain_rated(draft)
            )
            versions.append(services.assessment_complete(actor=None, assessment=draft, revision=2))
        world.versions = versions
    return world.versions


def _page(world: Any, url_name: str, child: Any, **kwargs: Any) -> str:
    url = reverse(url_name, kwargs={"reference": child.reference, **kwargs})
    return str(world.as_persona("keyworker", url))


def start_page(world: Any) -> str:
    return _page(world, "assessments:assessment_start", _child(world, "start"))


def start_answers(world: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "kind": "initial",
        "organisation": str(_organisation(world).pk),
        "assessed_on_day": today.day,
        "assessed_on_month": today.month,
        "assessed_on_year": today.year,
    }


def ratings_page(world: Any) -> str:
    draft = _draft(world)
    return _page(world, "assessments:assessment_rate", draft.child, assessment_id=draft.pk)


def ratings_answers(world: Any) -> dict[str, Any]:
    return {
        "revision": str(_draft(world).revision),
        "rating_education": "2",
        "evidence_education": "Missed 12 days this term.",
        "protective_factors": "Her grandmother.",
        "serious_harm": "some",
        "serious_harm_evidence": "Pushed a younger child off a wall in May.",
        "then": "draft",
    }


def draft_as_saved(world: Any) -> tuple[Any, ...]:
    draft = Assessment.objects.get(pk=_draft(world).pk)
    ratings = list(DomainRating.objects.filter(assessment=draft).values_list("rating", "evidence"))
    return draft.revision, draft.status, draft.protective_factors, draft.serious_harm, ratings


def rated_draft_as_saved(world: Any) -> tuple[Any, ...]:
    return tuple(
        Assessment.objects.values_list("status", "revision").get(pk=_draft(world, rated=True).pk)
    )


def assessment_count(world: Any) -> int:
    return Assessment.objects.count()


def complete_page(world: Any) -> str:
    draft = _draft(world, rated=True)
    return _page(world, "assessments:assessment_complete", draft.child, assessment_id=draft.pk)


def complete_answers(world: Any) -> dict[str, Any]:
    return {"confirm": "on", "revision": str(_draft(world, rated=True).revision)}


def compare_page(world: Any) -> str:
    _versions(world)
    return _page(world, "assessments:assessment_compare", _child(world, "compare"))


def compare_answers(world: Any) -> dict[str, Any]:
    earlier, later = _versions(world)
    return {"earlier": str(earlier.pk), "later": str(later.pk)}


def over_to_you_page(world: Any, url_name: str) -> str:
    return _page(world, url_name, _child(world, "over_to_you"))


def over_to_you_answers(world: Any, *, parent: bool = False) -> dict[str, Any]:
    today = timezone.localdate()
    answers: dict[str, Any] = {
        "in_their_words": "I like football.",
        "helped_by": "Kit Keyworker, youth project",
        "filled_on_day": today.day,
        "filled_on_month": today.month,
        "filled_on_year": today.year,
    }
    if parent:
        mother = _child(world, "over_to_you").mother
        answers.update(household_member=str(mother.pk), family_get_on="agree")
    else:
        answers["school_like"] = "agree"
    return answers


def over_to_you_count(world: Any) -> int:
    return OverToYou.objects.count()
