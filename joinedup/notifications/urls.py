from django.urls import path

from joinedup.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("preferences/", views.preferences, name="preferences"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("<uuid:notification_id>/", views.notification_open, name="notification_open"),
    path("<uuid:notification_id>/read/", views.mark_read, name="mark_read"),
]
