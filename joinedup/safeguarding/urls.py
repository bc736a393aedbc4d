from django.urls import path

from joinedup.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("raise/", views.concern_raise, name="concern_raise"),
    path("raise/<str:reference>/", views.concern_raise_for_child, name="concern_raise_for_child"),
    path("raised/", views.concerns_raised, name="concerns_raised"),
    path("inbox/", views.inbox, name="inbox"),
    path("concerns/<uuid:concern_id>/", views.concern_detail, name="concern_detail"),
    path(
        "concerns/<uuid:concern_id>/acknowledge/",
        views.concern_acknowledge,
        name="concern_acknowledge",
    ),
    path("concerns/<uuid:concern_id>/action/", views.concern_action, name="concern_action"),
    path("concerns/<uuid:concern_id>/close/", views.concern_close, name="concern_close"),
]
