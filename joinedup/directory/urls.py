from django.urls import URLPattern, URLResolver, path

from joinedup.directory import views_import, views_insight

app_name = "directory"

urlpatterns: list[URLPattern | URLResolver] = [
    # Importing a spreadsheet or a feed (views_import.py).
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/check/", views_import.import_check, name="import_check"),
    path("import/done/", views_import.import_done, name="import_done"),
    path("import/template.csv", views_import.import_template, name="import_template"),
    # Overlap in provision and funding cliffs (views_insight.py).
    path("overlap/", views_insight.overlap, name="overlap"),
    path("funding/", views_insight.funding, name="funding"),
    path("funding.csv", views_insight.funding_csv, name="funding_csv"),
]
