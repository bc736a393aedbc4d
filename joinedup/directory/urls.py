from django.urls import URLPattern, URLResolver

app_name = "directory"

# Each part of the directory appends its pages here: search and service pages (views.py),
# imports (views_import.py), overlap and funding (views_insight.py), editing (views_edit.py).
urlpatterns: list[URLPattern | URLResolver] = []
