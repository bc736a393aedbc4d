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
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("relationships/", views.relationship_list, name="relationship_list"),
    path("relationships/new/", views.relationship_create, name="relationship_create"),
    path(
        "relationships/<uuid:relationship_id>/edit/",
        views.relationship_edit,
        name="relationship_edit",
    ),
    path(
        "relationships/<uuid:relationship_id>/withdraw/",
        views.relationship_withdraw,
        name="relationship_withdraw",
    ),
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
