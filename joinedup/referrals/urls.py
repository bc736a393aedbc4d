from django.urls import path

from joinedup.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("new/", views.referral_start, name="referral_start"),
    path("new/check/", views.referral_check, name="referral_check"),
    path("new/<slug:step>/", views.referral_step, name="referral_step"),
    path("<uuid:referral_id>/", views.referral_done, name="referral_done"),
    path("inbox/", views.referral_inbox, name="referral_inbox"),
    path("inbox/<uuid:referral_id>/", views.referral_review, name="referral_review"),
    path("inbox/<uuid:referral_id>/unlink/", views.referral_unlink, name="referral_unlink"),
]
