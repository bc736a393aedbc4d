from django.urls import path

from joinedup.children import views

app_name = "children"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<str:reference>/", views.child_detail, name="child_detail"),
]
