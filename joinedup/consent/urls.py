from django.urls import path

from joinedup.consent import views

app_name = "consent"
urlpatterns = [
    path("children/<str:reference>/consent/", views.child_consent, name="child_consent"),
    path("children/<str:reference>/consent/record/", views.consent_record, name="consent_record"),
    path(
        "children/<str:reference>/consent/childs-view/",
        views.child_view_record,
        name="child_view_record",
    ),
    path(
        "children/<str:reference>/consent/<uuid:record_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "children/<str:reference>/consent/<uuid:record_id>/signed-form/",
        views.signed_form,
        name="signed_form",
    ),
    path("families/consent/", views.family_consent, name="family_consent"),
]
