from django.urls import path

from joinedup.panels import views

app_name = "panels"
urlpatterns = [
    path("", views.panel_list, name="panel_list"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("agenda/<uuid:item_id>/remove/", views.agenda_remove, name="agenda_remove"),
    path("referrals/<uuid:referral_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("<slug:slug>/", views.panel_detail, name="panel_detail"),
    path("<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
]
