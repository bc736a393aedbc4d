from django.urls import path

from joinedup.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("new/", views.referral_start, name="referral_start"),
    path("new/check/", views.referral_check, name="referral_check"),
    path("new/<slug:step>/", views.referral_step, name="referral_step"),
    path("<uuid:referral_id>/", views.referral_done, name="referral_done"),
]
