from django.urls import path

from joinedup.panels import meeting_views, pack_urls, views

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
    # The meeting itself (panels/meeting_views.py).
    path(
        "meetings/<uuid:meeting_id>/attendance/",
        meeting_views.attendance_record,
        name="attendance_record",
    ),
    path(
        "meetings/<uuid:meeting_id>/declarations/new/",
        meeting_views.declaration_add,
        name="declaration_add",
    ),
    path("agenda/<uuid:item_id>/decision/", meeting_views.decision_record, name="decision_record"),
    path(
        "meetings/<uuid:meeting_id>/minutes/", meeting_views.minutes_detail, name="minutes_detail"
    ),
    path(
        "meetings/<uuid:meeting_id>/minutes/generate/",
        meeting_views.minutes_generate,
        name="minutes_generate",
    ),
    path(
        "meetings/<uuid:meeting_id>/minutes/edit/", meeting_views.minutes_edit, name="minutes_edit"
    ),
    path(
        "meetings/<uuid:meeting_id>/approve-minutes/",
        meeting_views.minutes_approve,
        name="minutes_approve",
    ),
    path("<slug:slug>/attendance/", meeting_views.attendance_report, name="attendance_report"),
    path("<slug:slug>/quorum/", meeting_views.quorum_rule, name="quorum_rule"),
    path(
        "<slug:slug>/prioritisation/",
        meeting_views.prioritisation_rule,
        name="prioritisation_rule",
    ),
]
# Before "<slug:slug>/", which would take "pipeline" for a panel's name.
urlpatterns = [path("pipeline/", views.pipeline, name="pipeline"), *urlpatterns]
urlpatterns = pack_urls.urlpatterns + urlpatterns
