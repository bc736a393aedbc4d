from django.urls import path

from joinedup.plans import views

app_name = "plans"
_PLAN = "children/<str:reference>/plans/<uuid:plan_id>"
urlpatterns = [
    path("plans/my-caseload/", views.my_caseload, name="my_caseload"),
    path("children/<str:reference>/plans/", views.plan_list, name="plan_list"),
    path("children/<str:reference>/plans/start/", views.plan_start, name="plan_start"),
    path(f"{_PLAN}/", views.plan_detail, name="plan_detail"),
    path(f"{_PLAN}/for-the-young-person/", views.young_person_copy, name="young_person_copy"),
    path(f"{_PLAN}/change/", views.plan_edit, name="plan_edit"),
    path(f"{_PLAN}/goals/add/", views.goal_add, name="goal_add"),
    path(f"{_PLAN}/goals/<uuid:goal_id>/", views.goal_edit, name="goal_edit"),
    path(f"{_PLAN}/support/add/", views.intervention_add, name="intervention_add"),
    path(
        f"{_PLAN}/support/<uuid:intervention_id>/",
        views.intervention_edit,
        name="intervention_edit",
    ),
    path(f"{_PLAN}/reviews/add/", views.review_add, name="review_add"),
    path(f"{_PLAN}/close/", views.plan_close, name="plan_close"),
]
