from django.urls import path

from joinedup.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.stream_list, name="stream_list"),
    path("ending/", views.timeline, name="timeline"),
    path("ending/funding-ending.csv", views.timeline_csv, name="timeline_csv"),
    path("funders/", views.funder_list, name="funder_list"),
    path("funders/new/", views.funder_create, name="funder_create"),
    path("funders/<uuid:funder_id>/", views.funder_edit, name="funder_edit"),
    path("streams/new/", views.stream_create, name="stream_create"),
    path("streams/<uuid:stream_id>/", views.stream_detail, name="stream_detail"),
    path("streams/<uuid:stream_id>/change/", views.stream_edit, name="stream_edit"),
    path("streams/<uuid:stream_id>/end/", views.stream_end, name="stream_end"),
    path("streams/<uuid:stream_id>/services/add/", views.service_attach, name="service_attach"),
    path(
        "streams/<uuid:stream_id>/services/<uuid:service_id>/remove/",
        views.service_detach,
        name="service_detach",
    ),
    path("streams/<uuid:stream_id>/posts/add/", views.post_attach, name="post_attach"),
    path(
        "streams/<uuid:stream_id>/posts/<uuid:post_id>/remove/",
        views.post_detach,
        name="post_detach",
    ),
]
