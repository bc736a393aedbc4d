from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "JoinedUp administration"
admin.site.site_title = "JoinedUp"

urlpatterns = [
    path("", include("joinedup.core.urls")),
    path("accounts/", include("joinedup.accounts.urls")),
    path("organisations/", include("joinedup.organisations.urls")),
    path("children/", include("joinedup.children.urls")),
    path("referrals/", include("joinedup.referrals.urls")),
    path("panels/", include("joinedup.panels.urls")),
    path("actions/", include("joinedup.actions.urls")),
    path("notifications/", include("joinedup.notifications.urls")),
    path("", include("joinedup.consent.urls")),
    path("", include("joinedup.assessments.urls")),
    path("safeguarding/", include("joinedup.safeguarding.urls")),
    path("", include("joinedup.plans.urls")),
    path("transfers/", include("joinedup.transfers.urls")),
    path("tracking/", include("joinedup.tracking.urls")),
    path("records/", include("joinedup.records.urls")),
    path("dashboard/", include("joinedup.dashboards.urls")),
    path("directory/", include("joinedup.directory.urls")),
    path("funding/", include("joinedup.funding.urls")),
    path("reviews/", include("joinedup.reviews.urls")),
    path("partnerships/", include("joinedup.partnerships.urls")),
    path("reports/", include("joinedup.reports.urls")),
    path("api/v1/", include("joinedup.api_urls")),
    path("api/oruk/", include("joinedup.directory.api_urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "joinedup.core.views.error_403"
handler404 = "joinedup.core.views.error_404"
handler500 = "joinedup.core.views.error_500"
