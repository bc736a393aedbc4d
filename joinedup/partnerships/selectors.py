"""Reads of partnerships and their members. Partnerships are bodies, not people; the people
who represent organisations are work contacts, so reads that show them are audited."""

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse

from joinedup.core import audit
from joinedup.organisations.models import SECTOR_OF_KIND, Locality, Organisation, Sector
from joinedup.partnerships.map import (
    LOCALITY_SEPARATOR,
    MapFilters,
    MapTable,
    filter_network,
    map_elements,
)
from joinedup.partnerships.map import map_table as build_map_table
from joinedup.partnerships.models import (
    LoggedRelationship,
    Partnership,
    PartnershipMember,
    Person,
)
from joinedup.partnerships.network import Membership, NetworkData, Node, Relationship

_PERSON_FIELDS = ("person.name", "person.role_title", "person.email")


def _current_members() -> QuerySet[PartnershipMember]:
    return (
        PartnershipMember.objects.current()
        .select_related("organisation", "person", "person__organisation")
        .order_by("role", "organisation__name", "person__name")
    )


@audit.audit_exempt(reason="Partnerships are bodies, not people: no personal data.")
def partnership_list(
    *,
    viewer: Any,
    q: str = "",
    kind: str = "",
    level: str = "",
    locality: Locality | None = None,
    city_wide: bool = False,
) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.filter(is_active=True)
    if q:
        partnerships = partnerships.filter(name__icontains=q)
    if kind:
        partnerships = partnerships.filter(kind=kind)
    if level:
        partnerships = partnerships.filter(level=level)
    if locality is not None:
        partnerships = partnerships.filter(locality=locality)
    elif city_wide:
        partnerships = partnerships.filter(locality__isnull=True)
    return (
        partnerships.select_related("locality", "parent")
        .annotate(
            member_count=Count(
                "members__organisation",
                filter=Q(members__left_on__isnull=True),
                distinct=True,
            )
        )
        .order_by("name")
    )


@audit.audited_read(fields=("members", *_PERSON_FIELDS))
def partnership_detail(*, viewer: Any, slug: str) -> Partnership:
    """One partnership with its current members (`current_members`) and active sub-groups
    (`sub_groups`)."""
    return get_object_or_404(
        Partnership.objects.select_related("locality", "parent", "panel").prefetch_related(
            Prefetch("members", queryset=_current_members(), to_attr="current_members"),
            Prefetch(
                "children",
                queryset=Partnership.objects.filter(is_active=True).order_by("name"),
                to_attr="sub_groups",
            ),
        ),
        slug=slug,
    )


@audit.audit_exempt(reason="Looks a partnership up by its address for a form; shows no one.")
def partnership_for_change(*, viewer: Any, slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.select_related("locality", "parent"), slug=slug)


@audit.audit_exempt(reason="Looks one membership up for a form; the page shows it via detail.")
def member_for_change(
    *, viewer: Any, partnership: Partnership, member_id: Any
) -> PartnershipMember:
    return get_object_or_404(
        PartnershipMember.objects.select_related("organisation", "person", "partnership"),
        pk=member_id,
        partnership=partnership,
    )


@audit.audit_exempt(reason="The membership just ended, offered back as an undo; shown by detail.")
def ended_member(
    *, viewer: Any, partnership: Partnership, member_id: Any
) -> PartnershipMember | None:
    return (
        PartnershipMember.objects.filter(
            partnership=partnership, pk=member_id, left_on__isnull=False
        )
        .select_related("organisation", "person")
        .first()
    )


@audit.audited_read(fields=("partnership", "role", "delegated_authority", *_PERSON_FIELDS))
def person_memberships(*, viewer: Any, person: Person) -> list[PartnershipMember]:
    """The hats one person wears: every partnership they sit on now, for whichever
    organisation."""
    return list(
        PartnershipMember.objects.current()
        .filter(person=person)
        .select_related("partnership", "partnership__locality", "organisation", "person")
        .order_by("partnership__name")
    )


@audit.audited_read(fields=("partnership", "role", "delegated_authority", *_PERSON_FIELDS))
def organisation_memberships(*, viewer: Any, organisation: Organisation) -> list[PartnershipMember]:
    """Every partnership an organisation sits on now, and who represents it on each."""
    return list(
        PartnershipMember.objects.current()
        .filter(organisation=organisation)
        .select_related("partnership", "partnership__locality", "organisation", "person")
        .order_by("partnership__name", "person__name")
    )


@audit.audited_read(fields=("name", "role_title", "email", "organisation"))
def person_detail(*, viewer: Any, person_id: Any) -> Person:
    return get_object_or_404(Person.objects.select_related("organisation", "user"), pk=person_id)


@audit.audit_exempt(reason="The choices of a form's list of people; names only, not recorded.")
def people_for_choice(*, viewer: Any) -> QuerySet[Person]:
    return Person.objects.select_related("organisation").order_by("name")


@audit.audit_exempt(
    reason="The partnership map: organisations, partnerships and the work contacts who sit "
    "on them, as every signed-in partner sees on each partnership's page; no child data. One "
    "entry per name on a map of thousands would bury the trail."
)
def network_data(*, viewer: Any) -> NetworkData:
    """The active partnerships, their current members and the organisations and people in
    them, and the relationships logged between organisations, as the network measures and
    exports take them. Six queries.

    Ids are read as the database's text for them: making a uuid.UUID of each of the 20,000 or
    so ids of a city's network was a third of the time to build the map's data."""
    partnerships = list(
        Partnership.objects.filter(is_active=True)
        .order_by("name")
        .values_list(_text("pk"), "name", "kind", "level", "purpose", "locality__name")
    )
    seats = list(
        PartnershipMember.objects.current()
        .filter(partnership__is_active=True)
        .order_by()
        .values_list(
            _text("partnership_id"),
            _text("organisation_id"),
            _text("person_id"),
            "role",
            "delegated_authority",
        )
    )
    logged = list(
        LoggedRelationship.objects.standing()
        .order_by()
        .values_list(
            _text("from_organisation_id"), _text("to_organisation_id"), "kind", "happened_on"
        )
    )
    wanted = {seat[1] for seat in seats} | {o for r in logged for o in r[:2]}
    organisations = [
        row
        for row in Organisation.objects.order_by("name").values_list(_text("pk"), "name", "kind")
        if row[0] in wanted
    ]
    sitting = {seat[2] for seat in seats if seat[2]}
    people = [
        row
        for row in Person.objects.order_by("name").values_list(_text("pk"), "name", "role_title")
        if row[0] in sitting
    ]
    # An organisation may work in several localities (none means city-wide): the map filters
    # on them, and the exports carry them.
    localities: dict[str, list[str]] = defaultdict(list)
    for org_id, locality_name in Organisation.localities.through.objects.order_by(
        "locality__name"
    ).values_list(_text("organisation_id"), "locality__name"):
        localities[org_id].append(locality_name)
    sectors = {kind: str(Sector(sector).label) for kind, sector in SECTOR_OF_KIND.items()}
    statutory = str(Sector.STATUTORY.label)
    return NetworkData(
        organisations=[
            Node(
                id=_dashed(pk),
                name=name,
                sector=sectors.get(kind, statutory),
                kind=kind,
                locality=LOCALITY_SEPARATOR.join(localities.get(pk, ())),
            )
            for pk, name, kind in organisations
        ],
        people=[
            Node(id=_dashed(pk), name=name, kind=role_title) for pk, name, role_title in people
        ],
        partnerships=[
            Node(
                id=_dashed(pk),
                name=name,
                kind=kind,
                level=level,
                locality=locality or "",
                purpose=purpose,
            )
            for pk, name, kind, level, purpose, locality in partnerships
        ],
        memberships=[
            Membership(
                partnership_id=_dashed(partnership),
                organisation_id=_dashed(organisation),
                person_id=_dashed(person) if person else None,
                role=role,
                delegated_authority=delegated,
            )
            for partnership, organisation, person, role, delegated in seats
        ],
        relationships=[
            Relationship(from_org=_dashed(a), to_org=_dashed(b), kind=kind, date=happened_on)
            for a, b, kind, happened_on in logged
        ],
    )


def _text(column: str) -> Cast:
    return Cast(column, output_field=CharField())


def _dashed(text: str) -> str:
    """A UUID's text as str(uuid.UUID) gives it: SQLite keeps 32 hex digits, PostgreSQL
    already has the dashes."""
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}".lower()
    return text.lower()


@audit.audit_exempt(reason="Returns an unevaluated queryset; the page audits the rows it shows.")
def person_search(
    *, viewer: Any, q: str = "", organisation: Organisation | None = None
) -> QuerySet[Person]:
    people = Person.objects.all()
    if q:
        people = people.filter(Q(name__icontains=q) | Q(role_title__icontains=q))
    if organisation is not None:
        people = people.filter(organisation=organisation)
    return (
        people.select_related("organisation")
        .annotate(seat_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("name", "pk")
    )


@audit.audited_read(fields=("name", "role_title", "organisation"))
def person_page_rows(*, viewer: Any, people: list[Person]) -> list[Person]:
    """The people shown on one page of the list, recorded as read."""
    return people


@audit.audited_read(fields=("partnership", "role", "delegated_authority", "joined_on", "left_on"))
def person_seats(*, viewer: Any, person: Person) -> list[PartnershipMember]:
    """Every seat one person has held, current ones first: the hats they wear now and wore."""
    return list(
        PartnershipMember.objects.filter(person=person)
        .select_related("partnership", "partnership__locality", "organisation")
        .order_by(F("left_on").desc(nulls_first=True), "partnership__name")
    )


@audit.audit_exempt(reason="Looks a person up for the form that changes them; not shown.")
def person_for_change(*, viewer: Any, person_id: Any) -> Person:
    return get_object_or_404(Person.objects.select_related("organisation"), pk=person_id)


@audit.audit_exempt(
    reason="The relationship log is about organisations, not people; the worker who logged "
    "each entry is named as the author of any record is. Its description must not name "
    "children or families (help text and docs)."
)
def relationship_list(
    *,
    viewer: Any,
    organisation: Organisation | None = None,
    kind: str = "",
    partnership: Partnership | None = None,
) -> QuerySet[LoggedRelationship]:
    logged = LoggedRelationship.objects.standing()
    if organisation is not None:
        logged = logged.filter(Q(from_organisation=organisation) | Q(to_organisation=organisation))
    if kind:
        logged = logged.filter(kind=kind)
    if partnership is not None:
        logged = logged.filter(partnership=partnership)
    return logged.select_related(
        "from_organisation", "to_organisation", "partnership", "logged_by"
    ).order_by("-happened_on", "-created_at")


@audit.audit_exempt(reason="Looks one logged relationship up for its form; about organisations.")
def relationship_for_change(*, viewer: Any, relationship_id: Any) -> LoggedRelationship:
    return get_object_or_404(
        LoggedRelationship.objects.standing().select_related(
            "from_organisation", "to_organisation", "partnership", "logged_by"
        ),
        pk=relationship_id,
    )


@audit.audit_exempt(reason="Chooses a person already shown on the page before; not recorded.")
def person_chosen(*, viewer: Any, person_id: Any) -> Person | None:
    if not person_id:
        return None
    try:
        return Person.objects.filter(pk=person_id).first()
    except ValidationError:
        return None


@audit.audit_exempt(reason="Partnerships are bodies, not people: no personal data.")
def partnership_or_none(*, viewer: Any, slug: str) -> Partnership | None:
    return Partnership.objects.filter(slug=slug).only("pk", "slug", "name").first()


def _partnership_urls() -> dict[str, str]:
    # One reverse() for them all: a slug is only letters, digits and dashes, as reverse() takes it.
    pattern = reverse("partnerships:partnership_detail", kwargs={"slug": "slug"})
    prefix, suffix = pattern.rsplit("/slug/", 1)
    return {
        _dashed(pk): f"{prefix}/{slug}/{suffix}"
        for pk, slug in Partnership.objects.filter(is_active=True).values_list(_text("pk"), "slug")
    }


@audit.audit_exempt(
    reason="The partnership map's drawing: the same organisations, partnerships and work "
    "contacts as network_data, which is not recorded either; no child data."
)
def map_data(*, viewer: Any, filters: MapFilters | None = None) -> dict[str, Any]:
    """The map's nodes and edges (joinedup.partnerships.map.map_elements) for the filters,
    placed where they sit in the drawing of the whole network. Six queries."""
    data = network_data(viewer=viewer)
    shown = filter_network(data, filters) if filters is not None and filters.any else data
    return map_elements(data, shown, urls=_partnership_urls())


@audit.audit_exempt(
    reason="The table standing in for the partnership map: the same data as map_data, which "
    "is not recorded either; no child data."
)
def map_table(*, viewer: Any, filters: MapFilters | None = None) -> MapTable:
    """The map's data as table rows: organisations with their partnerships and
    representatives, and the relationships between them. Six queries."""
    filters = filters or MapFilters()
    data = network_data(viewer=viewer)
    shown = filter_network(data, filters) if filters.any else data
    return build_map_table(shown, urls=_partnership_urls(), q=filters.q)
