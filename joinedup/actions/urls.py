from django.urls import path

from joinedup.actions import views

app_name = "actions"
urlpatterns = [
    path("", views.my_actions, name="my_actions"),
    path("new/", views.action_create, name="action_create"),
    path("<uuid:action_id>/", views.action_detail, name="action_detail"),
    path("<uuid:action_id>/done/", views.action_complete, name="action_complete"),
    path("<uuid:action_id>/owner/", views.action_reassign, name="action_reassign"),
    path("<uuid:action_id>/due-date/", views.action_due_date, name="action_due_date"),
    path("<uuid:action_id>/cancel/", views.action_cancel, name="action_cancel"),
    path("panels/<slug:slug>/", views.panel_report, name="panel_report"),
]
