from django.urls import path

from joinedup.assessments import views

app_name = "assessments"
urlpatterns = [
    path(
        "children/<str:reference>/assessments/",
        views.assessment_list,
        name="assessment_list",
    ),
    path(
        "children/<str:reference>/assessments/start/",
        views.assessment_start,
        name="assessment_start",
    ),
    path(
        "children/<str:reference>/assessments/compare/",
        views.assessment_compare,
        name="assessment_compare",
    ),
    path(
        "children/<str:reference>/assessments/<uuid:assessment_id>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "children/<str:reference>/assessments/<uuid:assessment_id>/ratings/",
        views.assessment_rate,
        name="assessment_rate",
    ),
    path(
        "children/<str:reference>/assessments/<uuid:assessment_id>/complete/",
        views.assessment_complete,
        name="assessment_complete",
    ),
    path(
        "children/<str:reference>/over-to-you/child/",
        views.child_over_to_you,
        name="child_over_to_you",
    ),
    path(
        "children/<str:reference>/over-to-you/parent/",
        views.parent_over_to_you,
        name="parent_over_to_you",
    ),
    path(
        "children/<str:reference>/over-to-you/<uuid:response_id>/",
        views.over_to_you_detail,
        name="over_to_you_detail",
    ),
]
