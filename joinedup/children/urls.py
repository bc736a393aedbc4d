from django.urls import path

from joinedup.children import views

app_name = "children"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<str:reference>/", views.child_detail, name="child_detail"),
    path("<str:reference>/household/add/", views.household_add, name="household_add"),
    path(
        "<str:reference>/household/<uuid:member_id>/change/",
        views.household_change,
        name="household_change",
    ),
]
