from django.urls import path

from joinedup.records import views

app_name = "records"
urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("retention/<str:record_type>/", views.retention_edit, name="retention_edit"),
    path("runs/", views.runs, name="runs"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run_detail"),
    path("subject-access/", views.sar_list, name="sar_list"),
    path("subject-access/new/", views.sar_create, name="sar_create"),
    path("subject-access/<uuid:sar_id>/", views.sar_detail, name="sar_detail"),
    path("subject-access/<uuid:sar_id>/pdf/", views.sar_pdf, name="sar_pdf"),
    path("subject-access/<uuid:sar_id>/json/", views.sar_json, name="sar_json"),
    path("subject-access/<uuid:sar_id>/released/", views.sar_release, name="sar_release"),
    path("subject-access/<uuid:sar_id>/closed/", views.sar_close, name="sar_close"),
    path("children/", views.rights_find, name="rights_find"),
    path("children/<str:reference>/", views.child_rights, name="child_rights"),
    path("children/<str:reference>/rectify/", views.rectification_add, name="rectification_add"),
    path(
        "children/<str:reference>/household/rectify/",
        views.member_rectification_add,
        name="member_rectification_add",
    ),
    path("children/<str:reference>/restrict/", views.restriction_add, name="restriction_add"),
    path("children/<str:reference>/lift/", views.restriction_lift, name="restriction_lift"),
]
