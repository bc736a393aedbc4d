from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.children.decorators import follows_merged_references
from joinedup.children.need_to_know import sees_identity
from joinedup.consent.models import Scope
from joinedup.consent.services import consent_in_force
from joinedup.core.forms import add_domain_error
from joinedup.plans import selectors, services
from joinedup.plans.forms import (
    GoalEditForm,
    GoalForm,
    InterventionForm,
    PlanCloseForm,
    PlanEditForm,
    PlanStartForm,
    ReviewForm,
)
from joinedup.plans.models import (
    DEFAULT_REVIEW_WEEKS,
    OPEN_INTERVENTIONS,
    GoalStatus,
    Plan,
    Progress,
)


def _detail_url(plan: Plan) -> Any:
    return redirect("plans:plan_detail", reference=plan.child.reference, plan_id=plan.pk)


def _plan(request: HttpRequest, reference: str, plan_id: Any) -> Plan:
    return selectors.plan_detail(viewer=request.user, reference=reference, plan_id=plan_id)


def _check_may_edit(request: HttpRequest, plan: Plan) -> None:
    # The team around the child reads the plan; only its keyworker and the panel's
    # coordinators change it.
    if not services.may_edit(request.user, plan):
        raise PermissionDenied("Only the keyworker and the panel's coordinators change the plan")


def _read_only(request: HttpRequest, plan: Plan) -> HttpResponse:
    messages.info(
        request,
        "This plan is closed and cannot be changed. If support starts again, a coordinator "
        "starts a new plan.",
    )
    return _detail_url(plan)


def _edit_page(
    request: HttpRequest,
    plan: Plan,
    *,
    make_form: Callable[[Any], Any],
    save: Callable[[Any], Any],
    success: str,
    template: str = "plans/plan_form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """An edit page of an open plan. A save refused as stale shows what the other person saved
    and the person's own answers again, with the page now at the current revision: nothing
    typed is lost, and saving again is a deliberate choice."""
    _check_may_edit(request, plan)
    if not plan.is_open:
        return _read_only(request, plan)
    form = make_form(request.POST or None)
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except services.PlanError as error:
            if error.code == "closed":
                return _read_only(request, plan)
            if error.code == "stale":
                theirs = _plan(request, plan.child.reference, plan.pk)
                data = request.POST.copy()
                data["revision"] = str(theirs.revision)
                form = make_form(data)
                form.is_valid()
                form.add_error(None, error.message)
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, success)
            return _detail_url(plan)
    return render(
        request,
        template,
        {
            "child": plan.child,
            "plan": plan,
            "form": form,
            "theirs": theirs,
            "consent_in_force": consent_in_force(child=plan.child, scope=Scope.CONTACT),
            **(context or {}),
        },
    )


@require_GET
@follows_merged_references
def plan_list(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.plan_child(viewer=request.user, reference=reference)
    plans = selectors.plans_of(viewer=request.user, reference=reference)
    open_plan = next((p for p in plans if p.is_open), None)
    return render(
        request,
        "plans/plan_list.html",
        {
            "child": child,
            "open_plan": open_plan,
            "closed_plans": [p for p in plans if not p.is_open],
            "may_start": open_plan is None and services.may_start(request.user, child),
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def plan_start(request: HttpRequest, reference: str) -> HttpResponse:
    child = selectors.plan_child(viewer=request.user, reference=reference)
    if not services.may_start(request.user, child):
        raise PermissionDenied("Only a coordinator of the child's panel starts the plan")
    form = PlanStartForm(
        request.POST or None,
        memberships=selectors.keyworkers(),
        initial={"opened_on": timezone.localdate(), "review_interval_weeks": DEFAULT_REVIEW_WEEKS},
    )
    if request.method == "POST" and form.is_valid():
        keyworker, organisation = form.chosen_keyworker()
        try:
            plan = services.plan_open(
                actor=request.user,
                child=child,
                keyworker=keyworker,
                keyworker_organisation=organisation,
                opened_on=form.cleaned_data["opened_on"],
                contingency=form.cleaned_data["contingency"],
                review_interval_weeks=form.cleaned_data["review_interval_weeks"],
            )
        except services.PlanError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Plan started: {keyworker.display_name} is the lead keyworker"
            )
            return _detail_url(plan)
    return render(
        request,
        "plans/plan_start.html",
        {
            "child": child,
            "form": form,
            "consent_in_force": consent_in_force(child=child, scope=Scope.CONTACT),
        },
    )


@require_GET
@follows_merged_references
def plan_detail(request: HttpRequest, reference: str, plan_id: Any) -> HttpResponse:
    plan = _plan(request, reference, plan_id)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "child": plan.child,
            "plan": plan,
            "may_edit": plan.is_open and services.may_edit(request.user, plan),
            "working_goals": [g for g in plan.goals.all() if g.status == GoalStatus.WORKING],
        },
    )


@require_GET
@follows_merged_references
def young_person_copy(request: HttpRequest, reference: str, plan_id: Any) -> HttpResponse:
    plan = _plan(request, reference, plan_id)
    return render(
        request,
        "plans/young_person_copy.html",
        {
            "child": plan.child,
            "plan": plan,
            "goals": [g for g in plan.goals.all() if g.status != GoalStatus.DROPPED],
            "interventions": [
                i for i in plan.interventions.all() if i.status in OPEN_INTERVENTIONS
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def plan_edit(request: HttpRequest, reference: str, plan_id: Any) -> HttpResponse:
    plan = _plan(request, reference, plan_id)
    memberships = selectors.keyworkers()

    def make_form(data: Any) -> PlanEditForm:
        return PlanEditForm(data, memberships=memberships, plan=plan)

    def save(form: PlanEditForm) -> Any:
        return services.plan_change(
            actor=request.user,
            plan=plan,
            revision=form.cleaned_data["revision"],
            details=form.details(),
        )

    return _edit_page(
        request,
        plan,
        make_form=make_form,
        save=save,
        success="Plan saved",
        context={
            "title": "Change the keyworker and review dates",
            "button": "Save the plan",
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def goal_add(request: HttpRequest, reference: str, plan_id: Any) -> HttpResponse:
    plan = _plan(request, reference, plan_id)

    def make_form(data: Any) -> GoalForm:
        return GoalForm(data, initial={"revision": plan.revision})

    def save(form: GoalForm) -> Any:
        return services.goal_add(
            actor=request.user,
            plan=plan,
            revision=form.cleaned_data["revision"],
            in_their_words=form.cleaned_data["in_their_words"],
            said_by=form.cleaned_data["said_by"],
        )

    return _edit_page(
        request,
        plan,
        make_form=make_form,
        save=save,
        success="Goal added",
        context={
            "title": "Add a goal in their words",
            "button": "Add the goal",
            "intro": "Write the goal with the child and their family, in the words they use. "
            "It is kept and shown exactly as you type it, including on the child's own copy.",
        },
    )


def _goal(plan: Plan, goal_id: Any) -> Any:
    goal = next((g for g in plan.goals.all() if g.pk == goal_id), None)
    if goal is None:
        raise Http404("No such goal in this plan.")
    return goal


@require_http_methods(["GET", "POST"])
@follows_merged_references
def goal_edit(request: HttpRequest, reference: str, plan_id: Any, goal_id: Any) -> HttpResponse:
    plan = _plan(request, reference, plan_id)
    goal = _goal(plan, goal_id)

    def make_form(data: Any) -> GoalEditForm:
        return GoalEditForm(data, goal=goal, revision=plan.revision)

    def save(form: GoalEditForm) -> Any:
        data = form.cleaned_data
        return services.goal_change(
            actor=request.user,
            goal=goal,
            revision=data["revision"],
            in_their_words=data["in_their_words"],
            said_by=data["said_by"],
            status=data["status"],
            position=data["position"],
        )

    return _edit_page(
        request,
        plan,
        make_form=make_form,
        save=save,
        success="Goal saved",
        context={"title": f"Goal {goal.position}", "button": "Save the goal"},
    )


SEARCH_MAX = 100


def _directory_choices(request: HttpRequest, intervention: Any) -> tuple[str, list[Any], list[Any]]:
    """The directory search typed on the page (kept in the address, so it survives the
    save), its results, and the services to offer: the results, plus the one already linked
    or just chosen, so a choice made from an earlier search still counts."""
    query = " ".join((request.GET.get("q") or "").split())[:SEARCH_MAX]
    results = selectors.directory_services_matching(query) if query else []
    wanted = [request.POST.get("directory_service")]
    if intervention is not None and intervention.directory_service_id:
        wanted.append(intervention.directory_service_id)
    shown = {s.pk for s in results}
    extra = [s for s in selectors.directory_services_by_id(wanted) if s.pk not in shown]
    return query, results, [*extra, *results]


def _intervention_page(request: HttpRequest, plan: Plan, intervention: Any = None) -> HttpResponse:
    providers = selectors.providers()
    goals = [g for g in plan.goals.all() if g.status != GoalStatus.DROPPED]
    query, results, offered = _directory_choices(request, intervention)

    def make_form(data: Any) -> InterventionForm:
        return InterventionForm(
            data,
            providers=providers,
            goals=goals,
            revision=plan.revision,
            intervention=intervention,
            directory_services=offered,
        )

    def save(form: InterventionForm) -> Any:
        if intervention is None:
            return services.intervention_add(
                actor=request.user,
                plan=plan,
                revision=form.cleaned_data["revision"],
                details=form.details(),
            )
        return services.intervention_change(
            actor=request.user,
            intervention=intervention,
            revision=form.cleaned_data["revision"],
            details=form.details(),
        )

    return _edit_page(
        request,
        plan,
        make_form=make_form,
        save=save,
        success="Support saved",
        template="plans/intervention_form.html",
        context={
            "title": "Add support" if intervention is None else intervention.service,
            "button": "Save the support",
            "intro": "A service or activity that helps with the goals: who provides it, from "
            "when and how often. Find it in the directory first; if it is not there, describe "
            "it in your own words.",
            "query": query,
            "results": results,
        },
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def intervention_add(request: HttpRequest, reference: str, plan_id: Any) -> HttpResponse:
    return _intervention_page(request, _plan(request, reference, plan_id))


@require_http_methods(["GET", "POST"])
@follows_merged_references
def intervention_edit(
    request: HttpRequest, reference: str, plan_id: Any, intervention_id: Any
) -> HttpResponse:
    plan = _plan(request, reference, plan_id)
    intervention = next((i for i in plan.interventions.all() if i.pk == intervention_id), None)
    if intervention is None:
        raise Http404("No such support in this plan.")
    return _intervention_page(request, plan, intervention)


@require_http_methods(["GET", "POST"])
@follows_merged_references
def review_add(request: HttpRequest, reference: str, plan_id: Any) -> HttpResponse:
    plan = _plan(request, reference, plan_id)
    _check_may_edit(request, plan)
    goals = [g for g in plan.goals.all() if g.status == GoalStatus.WORKING]
    assessments = selectors.review_assessments(viewer=request.user, plan=plan)

    def make_form(data: Any) -> ReviewForm:
        return ReviewForm(data, goals=goals, assessments=assessments, revision=plan.revision)

    def save(form: ReviewForm) -> Any:
        data = form.cleaned_data
        return services.review_record(
            actor=request.user,
            plan=plan,
            revision=data["revision"],
            details=services.ReviewDetails(
                held_on=data["held_on"],
                child_view=data["child_view"],
                family_view=data["family_view"],
                progress=form.progress(),
                assessment=form.chosen_assessment(),
                next_review_on=data["next_review_on"],
            ),
        )

    return _edit_page(
        request,
        plan,
        make_form=make_form,
        save=save,
        success="Review recorded",
        template="plans/review_form.html",
        context={"scale": Progress.choices},
    )


@require_http_methods(["GET", "POST"])
@follows_merged_references
def plan_close(request: HttpRequest, reference: str, plan_id: Any) -> HttpResponse:
    plan = _plan(request, reference, plan_id)
    _check_may_edit(request, plan)
    if not plan.is_open:
        return _read_only(request, plan)
    form = PlanCloseForm(request.POST or None, revision=plan.revision)
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_close(
                actor=request.user,
                plan=plan,
                revision=data["revision"],
                closure=services.Closure(
                    closed_on=data["closed_on"],
                    outcome=data["outcome"],
                    outcome_reason=data["outcome_reason"],
                    what_changed=data["what_changed"],
                    child_view=data["child_view"],
                    family_view=data["family_view"],
                    support_continuing=data["support_continuing"],
                    follow_up_on=data["follow_up_on"],
                ),
            )
        except services.PlanError as error:
            if error.code == "closed":
                return _read_only(request, plan)
            if error.code == "stale":
                theirs = _plan(request, reference, plan.pk)
                posted = request.POST.copy()
                posted["revision"] = str(theirs.revision)
                form = PlanCloseForm(posted, revision=theirs.revision)
                form.is_valid()
                form.add_error(None, error.message)
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, "Plan closed. Its closure summary is kept with it")
            if sees_identity(request.user, plan.child):
                return _detail_url(plan)
            # A keyworker who led the plan leaves the team around the child when it closes.
            return redirect("plans:my_caseload")
    return render(
        request,
        "plans/plan_close.html",
        {"child": plan.child, "plan": plan, "form": form, "theirs": theirs},
    )


@require_GET
def my_caseload(request: HttpRequest) -> HttpResponse:
    plans = selectors.caseload(viewer=request.user)
    return render(
        request,
        "plans/my_caseload.html",
        {
            "plans": plans,
            "overdue": sum(1 for p in plans if p.review_overdue),
            "due_soon": sum(1 for p in plans if p.review_due_soon),
        },
    )
