from django.urls import path

from joinedup.reports import quality_views, reflection_views, story_views, views

app_name = "reports"

urlpatterns = [
    # The report (docs/reports.md).
    path("", views.report, name="report"),
    # Data quality (docs/data-quality.md).
    path("data-quality/", quality_views.data_quality, name="data_quality"),
    path(
        "data-quality/<slug:slug>/<str:field_key>/<int:year>/<int:month>/",
        quality_views.data_quality_records,
        name="data_quality_records",
    ),
]

# Stories (docs/stories.md).
urlpatterns += [
    path("stories/", story_views.stories_published, name="stories_published"),
    path("stories/mine/", story_views.story_mine, name="story_mine"),
    path("stories/new/", story_views.story_new, name="story_new"),
    path("stories/review/", story_views.story_review_queue, name="story_review_queue"),
    path("stories/<uuid:story_id>/", story_views.story_detail, name="story_detail"),
    path("stories/<uuid:story_id>/edit/", story_views.story_edit, name="story_edit"),
    path(
        "stories/<uuid:story_id>/anonymised/",
        story_views.story_anonymised,
        name="story_anonymised",
    ),
    path("stories/<uuid:story_id>/share/", story_views.story_share, name="story_share"),
    path("stories/<uuid:story_id>/family/", story_views.story_family, name="story_family"),
    path("stories/<uuid:story_id>/submit/", story_views.story_submit, name="story_submit"),
    path("stories/<uuid:story_id>/review/", story_views.story_review, name="story_review"),
    path("stories/<uuid:story_id>/withdraw/", story_views.story_withdraw, name="story_withdraw"),
]

# Meeting reflections (docs/reflections.md).
urlpatterns += [
    path("reflections/", reflection_views.reflections_home, name="reflections_home"),
    path(
        "reflections/panels/<slug:slug>/",
        reflection_views.reflections_panel,
        name="reflections_panel",
    ),
    path("reflections/meetings/<uuid:meeting_id>/", reflection_views.pulse_give, name="pulse_give"),
]
