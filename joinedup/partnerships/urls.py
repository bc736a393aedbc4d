from django.urls import path

from joinedup.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="partnership_list"),
    path("new/", views.partnership_create, name="partnership_create"),
    path("map/", views.partnership_map, name="map"),
    path("map/data.json", views.map_data, name="map_data"),
    path("map/table/", views.map_table, name="map_table"),
    path("network/", views.network, name="network"),
    path("network/<str:export_format>/", views.network_export, name="network_export"),
    path("<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path("<slug:slug>/edit/", views.partnership_edit, name="partnership_edit"),
    path("<slug:slug>/members/add/", views.member_add, name="member_add"),
    path(
        "<slug:slug>/members/<uuid:partnership_member_id>/end/",
        views.member_end,
        name="member_end",
    ),
    path(
        "<slug:slug>/members/<uuid:partnership_member_id>/rejoin/",
        views.member_rejoin,
        name="member_rejoin",
    ),
]
