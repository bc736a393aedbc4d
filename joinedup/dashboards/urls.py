from django.urls import path

from joinedup.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("keyworker/", views.keyworker, name="keyworker"),
    path("coordinator/", views.coordinator, name="coordinator"),
    path("chair/", views.chair, name="chair"),
    path("steering/", views.steering, name="steering"),
]
