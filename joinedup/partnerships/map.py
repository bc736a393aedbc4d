"""The partnership map (issue 7, point 2): the network as nodes and edges for the browser's
drawing, and the same data as rows for the table that stands in for it.

Like network.py, everything here takes plain `NetworkData`, so the filters, the edges and the
drawing positions can be checked on hand-built data; selectors.py feeds it from the database.

Positions are worked out here rather than by a force-directed layout in the browser: at city
scale (thousands of nodes) a physics layout takes tens of seconds in the page, while this one
is a single pass over the memberships. Partnerships are grouped by locality, each group on a
ring; an organisation sits at the centre of the partnerships it belongs to (so an organisation
on partnerships in two localities lands between them, where a bridge should be), and people sit
around the organisation they represent. The same data always gives the same picture, and
filtering hides nodes without moving the rest, so a reader does not lose their place."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from joinedup.organisations.models import OrganisationKind
from joinedup.partnerships.models import MemberRole, PartnershipKind, PartnershipLevel
from joinedup.partnerships.network import (
    ORGANISATION,
    PARTNERSHIP,
    PERSON,
    Membership,
    NetworkData,
    Node,
    Relationship,
    node_key,
)

# network_data joins an organisation's localities into Node.locality with this.
LOCALITY_SEPARATOR = "; "
CITY_WIDE = "City-wide"

MEMBERSHIP = "membership"
REPRESENTATION = "representation"
RELATIONSHIP = "relationship"

# Drawing units (cytoscape's model coordinates, about a pixel at zoom 1).
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SPIRAL_START = 26.0
_SPIRAL_STEP = 15.0
_PERSON_RING = 12.0
_GROUP_GAP = 160.0


@dataclass(frozen=True)
class MapFilters:
    """What the reader chose. Locality and sector are names as NetworkData holds them (a
    locality's name, a sector's label); level is a PartnershipLevel value; partnership an id.
    `q` narrows the table by name; on the map it only highlights."""

    locality: str = ""
    sector: str = ""
    level: str = ""
    partnership: str = ""
    q: str = ""

    @property
    def any(self) -> bool:
        return bool(self.locality or self.sector or self.level or self.partnership or self.q)


def localities_of(organisation: Node) -> list[str]:
    return [name for name in organisation.locality.split(LOCALITY_SEPARATOR) if name]


# ---------------------------------------------------------------------------------------------
# Filtering


def filter_network(data: NetworkData, filters: MapFilters) -> NetworkData:
    """The part of the network the filters choose (the name search `q` aside):

    - partnerships of the chosen locality, level and partnership;
    - organisations of the chosen sector that sit on them, and, unless a level or a
      partnership was chosen, also organisations of that sector (and locality) that sit on none
      of them, such as those known only from the relationship log;
    - with a sector chosen, only the partnerships where such an organisation sits;
    - the people representing the organisations shown on the partnerships shown;
    - relationships between two organisations shown."""
    partnerships = [
        p
        for p in data.partnerships
        if (not filters.locality or p.locality == filters.locality)
        and (not filters.level or p.level == filters.level)
        and (not filters.partnership or p.id == filters.partnership)
    ]
    kept_partnerships = {p.id for p in partnerships}
    chosen_sector = {o.id for o in data.organisations if o.sector == filters.sector}

    def sector_ok(org_id: str) -> bool:
        return not filters.sector or org_id in chosen_sector

    seats = [
        m
        for m in data.memberships
        if m.partnership_id in kept_partnerships and sector_ok(m.organisation_id)
    ]
    organisation_ids = {m.organisation_id for m in seats}
    if not (filters.level or filters.partnership):
        organisation_ids.update(
            o.id
            for o in data.organisations
            if sector_ok(o.id) and (not filters.locality or filters.locality in localities_of(o))
        )
    if filters.sector:
        seated = {m.partnership_id for m in seats}
        partnerships = [p for p in partnerships if p.id in seated]
    people_ids = {m.person_id for m in seats if m.person_id is not None}
    return NetworkData(
        organisations=[o for o in data.organisations if o.id in organisation_ids],
        people=[p for p in data.people if p.id in people_ids],
        partnerships=partnerships,
        memberships=seats,
        relationships=[
            r
            for r in data.relationships
            if r.from_org in organisation_ids and r.to_org in organisation_ids
        ],
    )


# ---------------------------------------------------------------------------------------------
# Positions


@dataclass
class _Group:
    name: str
    partnerships: list[Node] = field(default_factory=list)
    radius: float = 0.0


def _spiral(index: int) -> tuple[float, float]:
    """The index-th point of a sunflower spiral: evenly spread, never on top of each other."""
    radius = _SPIRAL_START + _SPIRAL_STEP * math.sqrt(index)
    angle = index * _GOLDEN_ANGLE
    return radius * math.cos(angle), radius * math.sin(angle)


def positions(data: NetworkData) -> dict[str, tuple[float, float]]:
    """A position for every node, keyed by node_key. One pass over the data; see the module's
    docstring for the picture it makes."""
    seats_of: dict[str, list[Membership]] = defaultdict(list)
    orgs_of_partnership: dict[str, set[str]] = defaultdict(set)
    for m in data.memberships:
        seats_of[m.organisation_id].append(m)
        orgs_of_partnership[m.partnership_id].add(m.organisation_id)

    # A partnership's footprint: room for the spiral of its own members around it.
    def footprint(p: Node) -> float:
        return _SPIRAL_START + _SPIRAL_STEP * math.sqrt(len(orgs_of_partnership[p.id]) + 1) + 20

    groups: dict[str, _Group] = {}
    for p in sorted(data.partnerships, key=lambda p: (p.locality or "~", p.level, p.name, p.id)):
        name = p.locality or CITY_WIDE
        groups.setdefault(name, _Group(name)).partnerships.append(p)

    placed: dict[str, tuple[float, float]] = {}
    # Groups in rows, left to right, as wide as about the square root of the total area.
    total_area = 0.0
    for group in groups.values():
        feet = [footprint(p) for p in group.partnerships]
        ring = sum(2 * f for f in feet) / (2 * math.pi) if len(feet) > 1 else 0.0
        group.radius = ring + max(feet)
        total_area += (2 * group.radius + _GROUP_GAP) ** 2
    row_width = math.sqrt(total_area) if total_area else 0.0
    x = y = row_height = 0.0
    for group in groups.values():
        size = 2 * group.radius + _GROUP_GAP
        if x and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + size / 2, y + size / 2
        x += size
        row_height = max(row_height, size)
        feet = [footprint(p) for p in group.partnerships]
        ring = group.radius - max(feet)
        total = sum(feet)
        along = 0.0
        for p, foot in zip(group.partnerships, feet, strict=True):
            # Each partnership takes an arc of the ring in proportion to its footprint.
            angle = 2 * math.pi * (along + foot / 2) / total if total else 0.0
            along += foot
            placed[node_key(PARTNERSHIP, p.id)] = (
                cx + ring * math.cos(angle),
                cy + ring * math.sin(angle),
            )

    # Organisations at the centre of their partnerships, spread on a spiral around that point.
    crowd: dict[tuple[int, int], int] = defaultdict(int)
    loose: list[Node] = []
    for org in data.organisations:
        points = [placed[node_key(PARTNERSHIP, m.partnership_id)] for m in seats_of[org.id]]
        if not points:
            loose.append(org)
            continue
        px = sum(p[0] for p in points) / len(points)
        py = sum(p[1] for p in points) / len(points)
        spot = (round(px), round(py))
        dx, dy = _spiral(crowd[spot])
        crowd[spot] += 1
        placed[node_key(ORGANISATION, org.id)] = (px + dx, py + dy)

    # Organisations on no partnership: beside an organisation they have worked with if there is
    # one, otherwise in a block of their own below the rest, where the left-out are easy to see.
    partners: dict[str, list[str]] = defaultdict(list)
    for r in data.relationships:
        partners[r.from_org].append(r.to_org)
        partners[r.to_org].append(r.from_org)
    below = y + row_height + _GROUP_GAP
    columns = max(1, int(row_width // 60)) if row_width else 20
    apart = 0
    for org in loose:
        anchor = next(
            (
                placed[node_key(ORGANISATION, o)]
                for o in partners[org.id]
                if o != org.id and node_key(ORGANISATION, o) in placed
            ),
            None,
        )
        if anchor is not None:
            spot = (round(anchor[0]), round(anchor[1]))
            dx, dy = _spiral(crowd[spot])
            crowd[spot] += 1
            placed[node_key(ORGANISATION, org.id)] = (anchor[0] + dx, anchor[1] + dy)
        else:
            placed[node_key(ORGANISATION, org.id)] = (
                (apart % columns) * 60.0,
                below + (apart // columns) * 60.0,
            )
            apart += 1

    # People in a small ring around the first organisation they sit for.
    home: dict[str, str] = {}
    for m in data.memberships:
        if m.person_id is not None:
            home.setdefault(m.person_id, m.organisation_id)
    around: dict[str, int] = defaultdict(int)
    for index, person in enumerate(data.people):
        org_id = home.get(person.id, "")
        centre = placed.get(node_key(ORGANISATION, org_id)) if org_id else None
        if centre is None:
            placed[node_key(PERSON, person.id)] = (index * 40.0, below - _GROUP_GAP / 2)
            continue
        n = around[org_id]
        around[org_id] += 1
        angle = n * _GOLDEN_ANGLE + 0.5
        reach = _PERSON_RING + 4 * math.sqrt(n)
        placed[node_key(PERSON, person.id)] = (
            centre[0] + reach * math.cos(angle),
            centre[1] + reach * math.sin(angle),
        )
    return placed


# ---------------------------------------------------------------------------------------------
# Nodes and edges for the drawing


_ROLE_LABELS = {str(value): str(label) for value, label in MemberRole.choices}
_ORGANISATION_KINDS = {str(value): str(label) for value, label in OrganisationKind.choices}
_PARTNERSHIP_KINDS = {str(value): str(label) for value, label in PartnershipKind.choices}
_LEVELS = {str(value): str(label) for value, label in PartnershipLevel.choices}
_SHORT = {ORGANISATION: "o", PERSON: "r", PARTNERSHIP: "p"}


def _roles(held: Iterable[Membership]) -> list[str]:
    return sorted({_ROLE_LABELS.get(m.role, m.role) for m in held if m.role})


def short_ids(data: NetworkData) -> dict[str, str]:
    """Short ids for the drawing ("o12" for the 13th organisation, "r" for people, "p" for
    partnerships), from each node's place in the whole network: a city's map is a third the
    size with them than with database ids, and they are the same in every filtered part."""
    ids: dict[str, str] = {}
    for node_type, nodes in (
        (ORGANISATION, data.organisations),
        (PERSON, data.people),
        (PARTNERSHIP, data.partnerships),
    ):
        prefix = _SHORT[node_type]
        for index, node in enumerate(nodes):
            ids[node_key(node_type, node.id)] = f"{prefix}{index}"
    return ids


def _version(data: NetworkData) -> str:
    # Short ids stand for other nodes once the network changes; the browser starts again then.
    digest = hashlib.blake2b(digest_size=8)
    for nodes in (data.organisations, data.people, data.partnerships):
        digest.update("\n".join(node.id for node in nodes).encode())
        digest.update(b"|")
    return digest.hexdigest()


def map_elements(
    data: NetworkData,
    shown: NetworkData | None = None,
    *,
    urls: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The nodes and edges of `shown` (a filtered part of `data`; all of it when None), placed
    where they sit in the drawing of the whole of `data`, as the map's JSON.

    Nodes: ``id`` (short_ids), ``type`` (organisation, person, partnership), ``name``,
    ``x``/``y``, and what applies of ``sector``, ``localities``, ``kind`` (readable),
    ``level``/``level_label``, ``locality`` and ``url`` (a partnership's page).

    Edges (``source`` and ``target`` are node ids): ``membership`` (organisation to
    partnership: its ``roles``, ``delegated_authority`` and the ids of the ``people`` filling
    the seat), ``representation`` (person to organisation) and ``relationship`` (organisation
    to organisation, from the relationship log: how many were logged, their ``kinds``, the
    ``latest`` date and each one in ``logged``).

    ``version`` changes whenever the whole network's nodes do, so that the browser knows when
    the ids it holds stand for other nodes."""
    shown = data if shown is None else shown
    urls = urls or {}
    at = positions(data)
    ids = short_ids(data)

    def node(node_type: str, node_id: str) -> dict[str, Any]:
        key = node_key(node_type, node_id)
        x, y = at.get(key, (0.0, 0.0))
        return {"id": ids[key], "type": node_type, "x": round(x, 1), "y": round(y, 1)}

    nodes: list[dict[str, Any]] = []
    for o in shown.organisations:
        nodes.append(
            {
                **node(ORGANISATION, o.id),
                "name": o.name,
                "sector": o.sector,
                "localities": localities_of(o),
                "kind": _ORGANISATION_KINDS.get(o.kind, o.kind),
            }
        )
    for p in shown.people:
        nodes.append({**node(PERSON, p.id), "name": p.name, "kind": p.kind})
    for p in shown.partnerships:
        nodes.append(
            {
                **node(PARTNERSHIP, p.id),
                "name": p.name,
                "kind": _PARTNERSHIP_KINDS.get(p.kind, p.kind),
                "level": p.level,
                "level_label": _LEVELS.get(p.level, p.level),
                "locality": p.locality or CITY_WIDE,
                "url": urls.get(p.id, ""),
            }
        )

    organisation = {o.id: ids[node_key(ORGANISATION, o.id)] for o in data.organisations}
    person = {p.id: ids[node_key(PERSON, p.id)] for p in data.people}
    partnership = {p.id: ids[node_key(PARTNERSHIP, p.id)] for p in data.partnerships}
    edges: list[dict[str, Any]] = []
    seats: dict[tuple[str, str], list[Membership]] = defaultdict(list)
    represents: dict[tuple[str, str], None] = {}
    for m in shown.memberships:
        seats[(m.organisation_id, m.partnership_id)].append(m)
        if m.person_id is not None:
            represents[(m.person_id, m.organisation_id)] = None
    for (org, group), held in seats.items():
        edges.append(
            {
                "type": MEMBERSHIP,
                "source": organisation[org],
                "target": partnership[group],
                "roles": _roles(held),
                "delegated_authority": any(m.delegated_authority for m in held),
                "people": sorted({person[m.person_id] for m in held if m.person_id}),
            }
        )
    for someone, org in represents:
        edges.append(
            {"type": REPRESENTATION, "source": person[someone], "target": organisation[org]}
        )
    for (a, b), logged in _relationship_pairs(shown.relationships).items():
        dates = [r.date for r in logged if r.date is not None]
        edges.append(
            {
                "type": RELATIONSHIP,
                "source": organisation[a],
                "target": organisation[b],
                "count": len(logged),
                "kinds": sorted({r.kind for r in logged if r.kind}),
                "latest": max(dates).isoformat() if dates else "",
                "logged": [
                    {"kind": r.kind, "date": r.date.isoformat() if r.date else ""}
                    for r in sorted(logged, key=lambda r: r.date or date.min, reverse=True)
                ],
            }
        )
    return {
        "version": _version(data),
        "nodes": nodes,
        "edges": edges,
        "counts": {
            "organisations": len(shown.organisations),
            "people": len(shown.people),
            "partnerships": len(shown.partnerships),
            "edges": len(edges),
        },
    }


def _relationship_pairs(
    relationships: Iterable[Relationship],
) -> dict[tuple[str, str], list[Relationship]]:
    """Relationships logged between the same two organisations, either way round, make one
    edge; one logged by an organisation with itself makes none."""
    pairs: dict[tuple[str, str], list[Relationship]] = defaultdict(list)
    for r in relationships:
        if r.from_org != r.to_org:
            pairs[(min(r.from_org, r.to_org), max(r.from_org, r.to_org))].append(r)
    return pairs


# ---------------------------------------------------------------------------------------------
# Rows for the table


@dataclass(frozen=True)
class Seat:
    partnership: str
    url: str
    roles: list[str]
    delegated_authority: bool
    people: list[str]


@dataclass(frozen=True)
class OrganisationRow:
    id: str
    name: str
    sector: str
    kind: str
    localities: list[str]
    seats: list[Seat]
    representatives: list[str]


@dataclass(frozen=True)
class RelationshipRow:
    first: str
    second: str
    kind: str
    date: date | None


@dataclass(frozen=True)
class MapTable:
    organisations: list[OrganisationRow]
    relationships: list[RelationshipRow]
    partnerships: int
    people: int


def _matches(q: str, *texts: str) -> bool:
    return any(q in text.casefold() for text in texts)


def map_table(shown: NetworkData, *, urls: dict[str, str] | None = None, q: str = "") -> MapTable:
    """The organisations of `shown` (already filtered) by name, each with its partnerships and
    representatives, and the relationships between them, newest first. `q` keeps the
    organisations whose name, or whose partnerships' or representatives' names, contain it."""
    urls = urls or {}
    partnerships = {p.id: p for p in shown.partnerships}
    people = {p.id: p.name for p in shown.people}
    names = {o.id: o.name for o in shown.organisations}
    held: dict[str, dict[str, list[Membership]]] = defaultdict(lambda: defaultdict(list))
    for m in shown.memberships:
        held[m.organisation_id][m.partnership_id].append(m)
    query = q.strip().casefold()
    rows = []
    for o in shown.organisations:
        seats = sorted(
            (
                Seat(
                    partnership=partnerships[pid].name,
                    url=urls.get(pid, ""),
                    roles=_roles(ms),
                    delegated_authority=any(m.delegated_authority for m in ms),
                    people=sorted({people[m.person_id] for m in ms if m.person_id in people}),
                )
                for pid, ms in held[o.id].items()
            ),
            key=lambda s: s.partnership.casefold(),
        )
        representatives = sorted({name for seat in seats for name in seat.people})
        if query and not _matches(query, o.name, *(s.partnership for s in seats), *representatives):
            continue
        rows.append(
            OrganisationRow(
                id=o.id,
                name=o.name,
                sector=o.sector,
                kind=_ORGANISATION_KINDS.get(o.kind, o.kind),
                localities=localities_of(o),
                seats=seats,
                representatives=representatives,
            )
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.id))
    listed = {r.id for r in rows}
    relationships = [
        RelationshipRow(first=names[r.from_org], second=names[r.to_org], kind=r.kind, date=r.date)
        for r in shown.relationships
        if r.from_org != r.to_org and (r.from_org in listed or r.to_org in listed)
    ]
    relationships.sort(key=lambda r: (r.date or date.min, r.first, r.second), reverse=True)
    return MapTable(
        organisations=rows,
        relationships=relationships,
        partnerships=len(shown.partnerships),
        people=len(shown.people),
    )
