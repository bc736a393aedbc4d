from django.urls import path

from joinedup.reports import quality_views, views

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
