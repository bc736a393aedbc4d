from django.urls import URLPattern, URLResolver, path

from joinedup.directory import views, views_edit, views_import, views_insight

app_name = "directory"

urlpatterns: list[URLPattern | URLResolver] = [
    # Search and the service page (views.py): open to everyone, families included.
    path("", views.search, name="search"),
    path("services/<uuid:service_id>/", views.service_page, name="service"),
    # Importing a spreadsheet or a feed (views_import.py).
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/check/", views_import.import_check, name="import_check"),
    path("import/done/", views_import.import_done, name="import_done"),
    path("import/template.csv", views_import.import_template, name="import_template"),
    # Overlap in provision and funding cliffs (views_insight.py).
    path("overlap/", views_insight.overlap, name="overlap"),
    path("funding/", views_insight.funding, name="funding"),
    path("funding.csv", views_insight.funding_csv, name="funding_csv"),
    # Editing with ownership (views_edit.py).
    path("mine/", views_edit.mine, name="mine"),
    path(
        "providers/<uuid:provider_id>/services/add/",
        views_edit.service_add,
        name="service_add",
    ),
    path("providers/<uuid:provider_id>/edit/", views_edit.provider_edit, name="provider_edit"),
    path("services/<uuid:service_id>/edit/", views_edit.service_edit, name="service_edit"),
    path(
        "services/<uuid:service_id>/still-correct/",
        views_edit.service_review,
        name="service_review",
    ),
    path("services/<uuid:service_id>/close/", views_edit.service_close, name="service_close"),
]
