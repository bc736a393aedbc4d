from django.urls import path

from joinedup.children import views

app_name = "children"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    # Before the child's own pages: "search" is not a reference.
    path("search/", views.search, name="search"),
    path("<str:reference>/", views.child_detail, name="child_detail"),
    path("<str:reference>/timeline/", views.timeline, name="timeline"),
    path("<str:reference>/household/add/", views.household_add, name="household_add"),
    path(
        "<str:reference>/household/<uuid:member_id>/change/",
        views.household_change,
        name="household_change",
    ),
]
