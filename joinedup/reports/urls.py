from django.urls import path

from joinedup.reports import builder_views, quality_views, reflection_views, story_views, views

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
    # Exports and the report builder (docs/report-exports.md).
    path("saved/", builder_views.saved_list, name="saved_list"),
    path("saved/new/", builder_views.saved_create, name="saved_create"),
    path("saved/<uuid:saved_report_id>/", builder_views.saved_detail, name="saved_detail"),
    path("saved/<uuid:saved_report_id>/change/", builder_views.saved_edit, name="saved_edit"),
    path("saved/<uuid:saved_report_id>/delete/", builder_views.saved_delete, name="saved_delete"),
    path(
        "saved/<uuid:saved_report_id>/restore/",
        builder_views.saved_restore,
        name="saved_restore",
    ),
    path(
        "saved/<uuid:saved_report_id>/copy/", builder_views.saved_duplicate, name="saved_duplicate"
    ),
    path(
        "saved/<uuid:saved_report_id>/quarterly-return.csv",
        builder_views.saved_csv,
        name="saved_csv",
    ),
    path(
        "saved/<uuid:saved_report_id>/quarterly-return.xlsx",
        builder_views.saved_xlsx,
        name="saved_xlsx",
    ),
    path(
        "saved/<uuid:saved_report_id>/steering-group-report.pdf",
        builder_views.saved_pdf,
        name="saved_pdf",
    ),
    path("quarterly-return.csv", builder_views.return_csv, name="return_csv"),
    path("quarterly-return.xlsx", builder_views.return_xlsx, name="return_xlsx"),
    path("steering-group-report.pdf", builder_views.steering_pdf, name="steering_pdf"),
    # End of exports and the report builder.
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
