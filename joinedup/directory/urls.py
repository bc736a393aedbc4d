from django.urls import URLPattern, URLResolver

app_name = "directory"

# Each part of the directory appends its pages here: search and service pages (views.py),
# imports (views_import.py), overlap and funding (views_insight.py), editing (views_edit.py).
urlpatterns: list[URLPattern | URLResolver] = []

# Editing with ownership (views_edit.py).
from django.urls import path  # noqa: E402

from joinedup.directory import views_edit  # noqa: E402

urlpatterns += [
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
