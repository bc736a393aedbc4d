from django.urls import URLPattern, URLResolver, path

app_name = "directory"

# Each part of the directory appends its pages here: search and service pages (views.py),
# imports (views_import.py), overlap and funding (views_insight.py), editing (views_edit.py).
urlpatterns: list[URLPattern | URLResolver] = []

# Search and the service page (views.py): open to everyone, families included.
from joinedup.directory import views as search_views  # noqa: E402

urlpatterns += [
    path("", search_views.search, name="search"),
    path("services/<uuid:service_id>/", search_views.service_page, name="service"),
]
