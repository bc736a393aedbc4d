from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from joinedup.core import audit
from joinedup.organisations.models import Locality, Organisation


@audit.audit_exempt(reason="Organisations are not people: no personal data.")
def organisation_search(
    *, viewer: Any, q: str = "", kind: str = "", locality: Locality | None = None
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True)
    if q:
        organisations = organisations.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if kind:
        organisations = organisations.filter(kind=kind)
    if locality is not None:
        # City-wide organisations (no locality) work in every locality too.
        organisations = organisations.filter(
            Q(localities=locality) | Q(localities__isnull=True)
        ).distinct()
    return organisations.prefetch_related("localities").order_by("name")


@audit.audit_exempt(reason="Organisations are not people: no personal data.")
def organisation_detail(*, viewer: Any, slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.prefetch_related("localities"), slug=slug)


@audit.audit_exempt(reason="Localities are places: no personal data.")
def locality_list(*, viewer: Any) -> QuerySet[Locality]:
    return Locality.objects.annotate(
        organisation_count=Count("organisations", filter=Q(organisations__is_active=True))
    ).order_by("name")


@audit.audit_exempt(reason="Localities are places: no personal data.")
def locality_detail(*, viewer: Any, slug: str) -> Locality:
    return get_object_or_404(
        Locality.objects.prefetch_related(
            Prefetch(
                "organisations",
                queryset=Organisation.objects.filter(is_active=True).order_by("name"),
                to_attr="active_organisations",
            )
        ),
        slug=slug,
    )


@audit.audit_exempt(reason="Organisations are not people: no personal data.")
def city_wide_organisations(*, viewer: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True, localities__isnull=True).order_by("name")
