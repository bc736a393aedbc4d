from django.urls import path

from joinedup.tracking import views

app_name = "tracking"
urlpatterns = [
    path("flags/", views.flags, name="flags"),
    path("flags/<str:reference>/looked-at/", views.flag_look, name="flag_look"),
    path("flags/<str:reference>/looked-at/undo/", views.flag_look_undo, name="flag_look_undo"),
    path("settings/", views.settings_list, name="settings"),
    path("settings/change/", views.settings_edit, name="settings_edit"),
]
