"""The stories' pages (docs/stories.md): thin, each reads through story_selectors and writes
through story_services."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.core.forms import add_domain_error
from joinedup.reports import story_selectors, story_services
from joinedup.reports.catalogue import FIGURE_TITLES, FIGURES
from joinedup.reports.models_stories import Story, StoryStatus
from joinedup.reports.story_forms import (
    AnonymisedForm,
    FamilyResponseForm,
    ReviewForm,
    StoryForm,
    WithdrawForm,
)

WRITING = "Writing a story about a child they work with"


@require_GET
def story_mine(request: HttpRequest) -> HttpResponse:
    stories = story_selectors.my_stories(viewer=request.user)
    return render(request, "reports/story_mine.html", {"stories": stories})


def _story_form(request: HttpRequest, story: Story | None) -> HttpResponse:
    children = story_selectors.children_to_write_about(viewer=request.user, purpose=WRITING)
    if story is not None and story.child is not None and story.child not in children:
        children.append(story.child)
    initial: dict[str, Any] = {"scope": "city"}
    if story is not None:
        initial = {
            "child": story.child.reference if story.child else "",
            "figure": story.figure,
            "scope": story.scope,
            "locality": story.locality_id,
            "panel": story.panel_id,
            "title": story.title,
            "text": story.text,
            "own_words": story.own_words,
            "consent_given_by": story.consent_given_by,
            "consent_given_on": story.consent_given_on,
            "consent_how": story.consent_how,
        }
    form = StoryForm(
        request.POST if request.method == "POST" else None, initial=initial, children=children
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = story_services.story_save(
                actor=request.user,
                story=story,
                child=form.child_chosen(),
                figure=data["figure"],
                scope=data["scope"],
                locality=data["locality"],
                panel=data["panel"],
                title=data["title"],
                text=data["text"],
                own_words=data["own_words"],
                consent_given_by=data["consent_given_by"],
                consent_given_on=data["consent_given_on"],
                consent_how=data["consent_how"],
            )
        except story_services.StoryError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                "Your story is saved. Check the anonymised version: everyone else reads that.",
            )
            return redirect("reports:story_anonymised", story_id=saved.pk)
    return render(
        request,
        "reports/story_form.html",
        {"form": form, "story": story, "has_children": bool(children)},
    )


@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    return _story_form(request, None)


def _own(request: HttpRequest, story_id: Any, purpose: str) -> Story:
    return story_selectors.story_for_author(viewer=request.user, story_id=story_id, purpose=purpose)


@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, story_id: Any) -> HttpResponse:
    story = _own(request, story_id, "Changing their story")
    if not story.editable:
        raise Http404("This story can no longer be changed")
    return _story_form(request, story)


@require_GET
def story_detail(request: HttpRequest, story_id: Any) -> HttpResponse:
    story = _own(request, story_id, "Reading their story")
    return render(
        request,
        "reports/story_detail.html",
        {
            "story": story,
            "figure_title": FIGURE_TITLES.get(story.figure, ""),
            "family_reviews": list(story.family_reviews.all()),
            "statuses": StoryStatus,
        },
    )


@require_http_methods(["GET", "POST"])
def story_anonymised(request: HttpRequest, story_id: Any) -> HttpResponse:
    """The story as written beside the story as readers will see it; the author edits the
    second."""
    story = _own(request, story_id, "Checking their story's anonymised text")
    initial = {
        "anonymised_title": story.anonymised_title,
        "anonymised_text": story.anonymised_text,
        "anonymised_own_words": story.anonymised_own_words,
    }
    form = AnonymisedForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not story.editable:
            raise Http404("This story can no longer be changed")
        if form.is_valid():
            try:
                story_services.story_anonymised_edit(
                    actor=request.user, story=story, **form.cleaned_data
                )
            except story_services.StoryError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "The anonymised story is saved.")
                return redirect("reports:story_detail", story_id=story.pk)
    return render(
        request,
        "reports/story_anonymised.html",
        {"story": story, "form": form, "replaced": story_selectors.replacement_summary(story)},
    )


@require_POST
def story_share(request: HttpRequest, story_id: Any) -> HttpResponse:
    story = _own(request, story_id, "Sharing their story with the family")
    try:
        story_services.story_share(actor=request.user, story=story)
    except story_services.StoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Marked as shared with the family. Show them the anonymised story, then record "
            "what they say.",
        )
    return redirect("reports:story_detail", story_id=story.pk)


@require_http_methods(["GET", "POST"])
def story_family(request: HttpRequest, story_id: Any) -> HttpResponse:
    story = _own(request, story_id, "Recording the family's response to their story")
    if story.status != StoryStatus.WITH_FAMILY:
        raise Http404("This story is not with the family")
    form = FamilyResponseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            story = story_services.story_family_response(
                actor=request.user, story=story, **form.cleaned_data
            )
        except story_services.StoryError as error:
            add_domain_error(form, error)
        else:
            if story.status == StoryStatus.WITHDRAWN:
                messages.success(request, "The story is withdrawn and its words are erased.")
                return redirect("reports:story_mine")
            messages.success(request, "The family's response is recorded.")
            return redirect("reports:story_detail", story_id=story.pk)
    return render(request, "reports/story_family.html", {"story": story, "form": form})


@require_POST
def story_submit(request: HttpRequest, story_id: Any) -> HttpResponse:
    story = _own(request, story_id, "Submitting their story for review")
    try:
        story_services.story_submit(actor=request.user, story=story)
    except story_services.StoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Submitted. A reviewer will publish it or return it to you.")
    return redirect("reports:story_detail", story_id=story.pk)


@require_GET
def story_review_queue(request: HttpRequest) -> HttpResponse:
    stories = story_selectors.review_queue(viewer=request.user)
    return render(request, "reports/story_review_queue.html", {"stories": stories})


@require_http_methods(["GET", "POST"])
def story_review(request: HttpRequest, story_id: Any) -> HttpResponse:
    story = story_selectors.story_for_review(
        viewer=request.user, story_id=story_id, purpose="Reviewing a story before publication"
    )
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            story = story_services.story_review(
                actor=request.user, story=story, **form.cleaned_data
            )
        except story_services.StoryError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                "Published."
                if story.status == StoryStatus.PUBLISHED
                else "Returned to the author.",
            )
            return redirect("reports:story_review_queue")
    return render(
        request,
        "reports/story_review.html",
        {
            "story": story,
            "form": form,
            "figure_title": FIGURE_TITLES.get(story.figure, ""),
            "sees_original": story_selectors.reviewer_sees_original(request.user, story),
            "replaced": story_selectors.replacement_summary(story),
        },
    )


@require_http_methods(["GET", "POST"])
def story_withdraw(request: HttpRequest, story_id: Any) -> HttpResponse:
    story = _own(request, story_id, "Withdrawing their story")
    if story.status == StoryStatus.WITHDRAWN:
        raise Http404("This story has already been withdrawn")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            story_services.story_withdraw(actor=request.user, story=story, **form.cleaned_data)
        except story_services.StoryError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The story is withdrawn and its words are erased.")
            return redirect("reports:story_mine")
    return render(request, "reports/story_withdraw.html", {"story": story, "form": form})


@require_GET
def stories_published(request: HttpRequest) -> HttpResponse:
    figure = request.GET.get("figure", "")
    if figure not in FIGURE_TITLES:
        figure = ""
    stories = story_selectors.published_list(figure=figure)
    return render(
        request,
        "reports/stories_published.html",
        {"stories": stories, "figures": FIGURES, "figure": figure},
    )
