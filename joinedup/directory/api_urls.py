"""The Open Referral UK API, mounted at /api/oruk/ (joinedup/urls.py). Ids are taken as text
so that a malformed one answers a JSON 404 with CORS, as an unknown one does."""

from django.urls import path

from joinedup.directory import api

app_name = "oruk"
urlpatterns = [
    path("", api.api_root, name="root"),
    path("services", api.services, name="services"),
    path("services/<str:oruk_id>", api.service_detail, name="service"),
    path("organizations", api.organizations, name="organizations"),
    path("organizations/<str:oruk_id>", api.organization_detail, name="organization"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<str:oruk_id>", api.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:oruk_id>", api.taxonomy_term_detail, name="taxonomy_term"),
    path("service_at_locations", api.service_at_locations, name="service_at_locations"),
    path(
        "service_at_locations/<str:oruk_id>",
        api.service_at_location_detail,
        name="service_at_location",
    ),
]
