from django.urls import path

from joinedup.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("<str:reference>/request/", views.transfer_request, name="request"),
    path("<uuid:transfer_id>/", views.transfer_detail, name="detail"),
    path("<uuid:transfer_id>/accept/", views.transfer_accept, name="accept"),
    path("<uuid:transfer_id>/decline/", views.transfer_decline, name="decline"),
    path("<uuid:transfer_id>/withdraw/", views.transfer_withdraw, name="withdraw"),
]
