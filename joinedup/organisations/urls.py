from django.urls import path

from joinedup.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("localities/", views.locality_list, name="locality_list"),
    path("localities/new/", views.locality_create, name="locality_create"),
    path("localities/<slug:slug>/", views.locality_detail, name="locality_detail"),
    path("localities/<slug:slug>/edit/", views.locality_edit, name="locality_edit"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
]
