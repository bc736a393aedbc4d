from django.urls import path

from joinedup.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit_log"),
]
