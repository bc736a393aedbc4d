from django.urls import URLPattern, URLResolver

app_name = "directory"

# Each part of the directory appends its pages here: search and service pages (views.py),
# imports (views_import.py), overlap and funding (views_insight.py), editing (views_edit.py).
urlpatterns: list[URLPattern | URLResolver] = []

# Imports (views_import.py): upload a file, check the report, import, done.
from django.urls import path  # noqa: E402

from joinedup.directory import views_import  # noqa: E402

urlpatterns += [
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/check/", views_import.import_check, name="import_check"),
    path("import/done/", views_import.import_done, name="import_done"),
    path("import/template.csv", views_import.import_template, name="import_template"),
]
