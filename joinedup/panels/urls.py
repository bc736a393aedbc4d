from django.urls import path

from joinedup.panels import pack_urls, views

app_name = "panels"
urlpatterns = [
    path("", views.panel_list, name="panel_list"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("agenda/<uuid:item_id>/remove/", views.agenda_remove, name="agenda_remove"),
    path("referrals/<uuid:referral_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("seats/<uuid:seat_id>/end/", views.member_end, name="member_end"),
    path("criteria/<uuid:criterion_id>/retire/", views.criterion_retire, name="criterion_retire"),
    path("<slug:slug>/", views.panel_detail, name="panel_detail"),
    path("<slug:slug>/members/new/", views.member_add, name="member_add"),
    path("<slug:slug>/criteria/", views.criteria, name="criteria"),
    path("<slug:slug>/terms/", views.terms, name="terms"),
    path("<slug:slug>/terms/new/", views.terms_adopt, name="terms_adopt"),
    path("<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
]
urlpatterns = pack_urls.urlpatterns + urlpatterns
