"""Reads of the duplication and gap flags. Every flag is worked out for the children the viewer
may see (flags.children_in_view); names only where need to know allows."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404

from joinedup.children.models import Child
from joinedup.core import audit
from joinedup.panels.models import Panel, PanelMember
from joinedup.tracking import flags as flag_rules
from joinedup.tracking.models import FlagKind

ALL = "all"
# Children on one page of flags (GOV.UK pagination below the list).
PER_PAGE = 50
KIND_FILTERS: dict[str, str] = {ALL: "All flags", **dict(FlagKind.choices)}


class FlagBoard(list[Child]):
    """The children shown on one page (a list, so each is audited), with their flags in `rows`
    (needing a look) and `quiet` (looked at, nothing new since), Django's `page` for the pager
    (children needing a look first, then those looked at), the number of flags needing a look
    of each kind over every page (`counts`, keyed by KIND_FILTERS) and the panels the flags
    are about."""

    def __init__(
        self,
        rows: list[flag_rules.FlaggedChild],
        quiet: list[flag_rules.FlaggedChild],
        counts: dict[str, int],
        panels: list[Panel],
        page: Page[Any],
    ) -> None:
        shown = {row.child.pk: row.child for row in [*rows, *quiet]}
        super().__init__(shown.values())
        self.rows = rows
        self.quiet = quiet
        self.counts = counts
        self.panels = panels
        self.page = page


def _split(rows: list[flag_rules.FlaggedChild], *, quiet: bool) -> list[flag_rules.FlaggedChild]:
    kept = []
    for row in rows:
        chosen = [flag for flag in row.flags if flag.quiet == quiet]
        if chosen:
            kept.append(flag_rules.FlaggedChild(row.child, chosen, row.may_look))
    return kept


@audit.audited_read(fields=("given_name", "family_name", "preferred_name", "flags"))
def flag_board(
    *, viewer: Any, kind: str = ALL, panel: str = "", page: int | str = 1, per_page: int = PER_PAGE
) -> FlagBoard:
    """One page of the flags on the children the viewer may see, of one kind (or all) and
    about one panel (a slug, or every panel). A fixed number of queries, however many
    children: every flag is worked out for the counts, and the page is cut from them."""
    everything = flag_rules.flagged_children(viewer)
    panel_ids = {flag.panel_id for row in everything for flag in row.flags if flag.panel_id}
    panels = list(Panel.objects.filter(pk__in=panel_ids).order_by("name"))
    counts = flag_rules.count_by_kind(everything)
    counts[ALL] = sum(counts.values())
    chosen_panel = next((p for p in panels if p.slug == panel), None)
    rows = []
    for row in everything:
        wanted = [
            flag
            for flag in row.flags
            if kind in (ALL, flag.kind)
            and (chosen_panel is None or flag.panel_id == chosen_panel.pk)
        ]
        if wanted:
            rows.append(flag_rules.FlaggedChild(row.child, wanted, row.may_look))
    # A child with flags of both sorts is shown under each heading, so each is one entry.
    entries = [(row, False) for row in _split(rows, quiet=False)]
    entries += [(row, True) for row in _split(rows, quiet=True)]
    current = Paginator(entries, per_page).get_page(page)
    return FlagBoard(
        [row for row, quiet in current.object_list if not quiet],
        [row for row, quiet in current.object_list if quiet],
        counts,
        panels,
        current,
    )


@audit.audit_exempt(reason="Counts of flags only: no child's record or name is returned.")
def flag_counts(*, viewer: Any) -> dict[str, int]:
    """How many flags need a look, of each kind and in all ("all"): for a dashboard's summary
    (tracking/includes/flag_summary.html)."""
    counts = flag_rules.count_by_kind(flag_rules.flagged_children(viewer))
    counts[ALL] = sum(counts.values())
    return counts


@audit.audited_read(fields=("given_name", "family_name", "preferred_name", "flags"))
def flag_to_look_at(*, viewer: Any, reference: str, kind: str) -> tuple[Child, flag_rules.Flag]:
    """One flag of a child, for a coordinator of the child's panel to mark as looked at (or
    undo); 404 when there is no such flag the viewer may mark."""
    if kind not in FlagKind.values:
        raise Http404("No such kind of flag.")
    rows = flag_rules.flagged_children(
        viewer, children=Child.objects.filter(reference=reference.upper())
    )
    for row in rows:
        for flag in row.flags:
            if flag.kind == kind and row.may_look:
                return row.child, flag
    raise Http404("No such flag on a child of a panel you coordinate.")


@audit.audit_exempt(reason="Settings of panels: no personal data.")
def settings_for(*, viewer: Any) -> list[tuple[Panel | None, flag_rules.Thresholds, bool]]:
    """The partnership's settings and those of each panel the viewer coordinates: (panel or
    None for the partnership, thresholds in force, whether the panel has its own)."""
    partnership, per_panel = flag_rules.current_settings()
    panels = Panel.objects.filter(
        pk__in=PanelMember.objects.panels_coordinated_by(viewer)
    ).order_by("name")
    return [
        (None, partnership, True),
        *[(p, per_panel.get(p.pk, partnership), p.pk in per_panel) for p in panels],
    ]


@audit.audit_exempt(reason="Settings of a panel: no personal data.")
def settings_to_change(*, viewer: Any, panel: str) -> tuple[Panel | None, flag_rules.Thresholds]:
    """The settings a coordinator may change: the partnership's (panel ""), or those of a
    panel they coordinate; 404 for any other panel."""
    partnership, per_panel = flag_rules.current_settings()
    if not panel:
        return None, partnership
    found = Panel.objects.filter(
        slug=panel, pk__in=PanelMember.objects.panels_coordinated_by(viewer)
    ).first()
    if found is None:
        raise Http404("No panel you coordinate has this name.")
    return found, per_panel.get(found.pk, partnership)


@audit.audited_read(fields=("reference",))
def case_child(*, viewer: Any, reference: str) -> Child:
    """A child of a panel the viewer coordinates, to undo a look at one of their flags (the
    flag itself may have gone); 404 for any other child."""
    panels = flag_rules.coordinated_panels(viewer)
    child = (
        flag_rules.children_in_view(viewer)
        .filter(reference=reference.upper())
        .filter(Q(referrals__panel__in=panels) | Q(plans__panel__in=panels))
        .distinct()
        .first()
    )
    if child is None:
        raise Http404("No child of a panel you coordinate has this reference.")
    return child
