from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

from joinedup.referrals.api import ReferralCreateView

app_name = "api"
urlpatterns = [
    path("referrals", ReferralCreateView.as_view(), name="referral_create"),
    # The schema is public, so partners can build against it before they have a token.
    path(
        "openapi.json",
        SpectacularJSONAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
]
