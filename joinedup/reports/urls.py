from django.urls import path

from joinedup.reports import builder_views, quality_views, views

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
