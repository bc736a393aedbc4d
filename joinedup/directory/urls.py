from django.urls import URLPattern, URLResolver

app_name = "directory"

# Each part of the directory appends its pages here: search and service pages (views.py),
# imports (views_import.py), overlap and funding (views_insight.py), editing (views_edit.py).
urlpatterns: list[URLPattern | URLResolver] = []

# Overlap in provision and funding cliffs (views_insight.py).
from django.urls import path  # noqa: E402

from joinedup.directory import views_insight  # noqa: E402

urlpatterns += [
    path("overlap/", views_insight.overlap, name="overlap"),
    path("funding/", views_insight.funding, name="funding"),
    path("funding.csv", views_insight.funding_csv, name="funding_csv"),
]
