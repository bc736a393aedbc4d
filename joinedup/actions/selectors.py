from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.actions.models import Action, ActionQuerySet, ActionStatus
from joinedup.children.need_to_know import identities_seen, sees_identity
from joinedup.core import audit
from joinedup.panels.models import Meeting, Panel, PanelMember, PanelRole

# Done actions stay under "Actions for me" this long, so the owner sees what they closed.
DONE_RECENTLY_DAYS = 30
LIST_LIMIT = 200


def _listed(actions: ActionQuerySet) -> ActionQuerySet:
    return actions.select_related(
        "owner", "organisation", "child", "meeting", "meeting__panel", "panel"
    )


def _overdue_first(actions: list[Action]) -> list[Action]:
    today = timezone.localdate()
    return sorted(actions, key=lambda a: (a.due_on >= today, a.due_on, a.created_at))


@dataclass(frozen=True)
class ActionsForMe:
    open: list[Action]
    done_recently: list[Action]

    @property
    def overdue_count(self) -> int:
        return sum(1 for action in self.open if action.is_overdue)


@audit.audit_exempt(
    reason="The viewer's own actions: titles, dates, and children by pseudonym and reference "
    "only; opening one is audited."
)
def actions_for_owner(*, viewer: Any) -> ActionsForMe:
    """The viewer's open actions, overdue first, and those they finished recently."""
    since = timezone.now() - timedelta(days=DONE_RECENTLY_DAYS)
    mine = _listed(Action.objects.filter(owner=viewer))
    return ActionsForMe(
        open=_overdue_first(list(mine.open()[:LIST_LIMIT])),
        done_recently=list(
            mine.filter(status=ActionStatus.DONE, completed_at__gte=since).order_by(
                "-completed_at"
            )[:LIST_LIMIT]
        ),
    )


def _seated_panels(viewer: Any) -> Any:
    return PanelMember.objects.current().filter(user=viewer).values("panel")


def _leads_panels(viewer: Any) -> Any:
    return (
        PanelMember.objects.current()
        .filter(user=viewer, role__in=[PanelRole.COORDINATOR, PanelRole.CHAIR])
        .values("panel")
    )


@audit.audit_exempt(reason="Builds a filter of who may see an action; reads no record.")
def visible_to(viewer: Any) -> Q:
    """Who may see an action, as a filter: its owner, whoever recorded it, and the people
    sitting on its panel now. Every page and the child's timeline read actions through this
    one rule, so an action is never shown where it could not be opened."""
    return Q(owner=viewer) | Q(created_by=viewer) | Q(panel__in=_seated_panels(viewer))


@audit.audited_read(fields=["title", "detail", "owner", "outcome", "child"])
def action_for(*, viewer: Any, action_id: Any, purpose: str = "") -> Action:
    """One action, for its owner, whoever recorded it, and the people sitting on its panel;
    404 for anyone else. `child_identified` says whether the page may name the child."""
    action = (
        _listed(Action.objects.all())
        .filter(visible_to(viewer), pk=action_id)
        .select_related("agenda_item", "completed_by", "created_by")
        .prefetch_related("changes__by")
        .first()
    )
    if action is None:
        raise Http404("No action of yours or of a panel you sit on with this id.")
    action.child_identified = action.child is not None and sees_identity(  # type: ignore[attr-defined]
        viewer, action.child
    )
    seats = (
        set(
            PanelMember.objects.current()
            .filter(user=viewer, panel_id=action.panel_id)
            .values_list("role", flat=True)
        )
        if action.panel_id
        else set()
    )
    coordinates = (
        PanelRole.COORDINATOR in seats
        if action.panel_id
        else action.created_by_id == getattr(viewer, "pk", None)
    )
    leads = coordinates or PanelRole.CHAIR in seats
    is_owner = action.owner_id == viewer.pk
    action.may = {  # type: ignore[attr-defined]
        "complete": action.is_open and (is_owner or coordinates),
        "reassign": action.is_open and coordinates,
        "redate": action.is_open and (is_owner or leads),
        "cancel": action.is_open and leads,
    }
    return action


@dataclass(frozen=True)
class MeetingActions:
    agreed_here: list[Action]
    still_open_from_earlier: list[Action]
    # Whether the viewer may record actions at this meeting (its coordinator or chair).
    may_record: bool = False

    @property
    def overdue_count(self) -> int:
        return sum(1 for action in self.still_open_from_earlier if action.is_overdue)


@audit.audit_exempt(
    reason="A meeting's actions: titles, owners, dates, and children by pseudonym and reference "
    "only."
)
def actions_for_meeting(*, viewer: Any, meeting: Meeting) -> MeetingActions:
    """For a meeting's page: the actions agreed at it, and the panel's actions from earlier
    meetings still open (overdue first), to review. Three queries, however many actions."""
    seats = set(
        PanelMember.objects.current()
        .filter(user=viewer, panel_id=meeting.panel_id)
        .values_list("role", flat=True)
    )
    if not seats:
        return MeetingActions(agreed_here=[], still_open_from_earlier=[])
    agreed_here = list(_listed(Action.objects.filter(meeting=meeting)).order_by("created_at"))
    still_open = _overdue_first(
        list(
            _listed(
                Action.objects.open().filter(
                    panel_id=meeting.panel_id, meeting__starts_at__lt=meeting.starts_at
                )
            )[:LIST_LIMIT]
        )
    )
    _hide_the_childs_school(viewer, [*agreed_here, *still_open])
    return MeetingActions(
        may_record=bool(seats & {PanelRole.COORDINATOR, PanelRole.CHAIR}),
        agreed_here=agreed_here,
        still_open_from_earlier=still_open,
    )


def _hide_the_childs_school(viewer: Any, actions: list[Action]) -> None:
    """Beside a pseudonym, the name of the child's school would narrow down who the child is
    (the panel pack hides it for the same reason): members outside the team around the child
    read "The child's school" as the owner's agency. One query, however many actions."""
    about_children = [action for action in actions if action.child_id is not None]
    seen = identities_seen(viewer, {action.child_id for action in about_children})
    for action in about_children:
        child = action.child
        if (
            child is not None
            and action.child_id not in seen
            and (child.school_id is not None and child.school_id == action.organisation_id)
        ):
            action.agency_shown = "The child's school"


@audit.audit_exempt(reason="The panels the viewer leads, by name; no personal data.")
def panels_led(*, viewer: Any) -> list[Panel]:
    """The panels the viewer coordinates or chairs, for links to their action reports."""
    return list(Panel.objects.filter(pk__in=_leads_panels(viewer)).order_by("name"))


@audit.audit_exempt(reason="Which panel the viewer leads; no personal data.")
def panel_led_by(*, viewer: Any, slug: str) -> Panel:
    """A panel the viewer coordinates or chairs; 404 otherwise."""
    panel = Panel.objects.filter(slug=slug, pk__in=_leads_panels(viewer)).first()
    if panel is None:
        raise Http404("No panel you coordinate or chair with this name.")
    return panel


@dataclass(frozen=True)
class AgencyFigures:
    organisation: str
    due: int
    done: int
    done_on_time: int
    overdue: int

    @property
    def completion_rate(self) -> int | None:
        """Per cent of the actions due in the period that are done."""
        return round(100 * self.done / self.due) if self.due else None


@dataclass(frozen=True)
class ActionReport:
    panel: Panel
    start: date
    end: date
    agencies: list[AgencyFigures]
    to_review: list[Action]

    @property
    def overdue_count(self) -> int:
        return sum(1 for action in self.to_review if action.is_overdue)


@audit.audit_exempt(
    reason="Figures per agency, and open actions with children by pseudonym and reference only."
)
def panel_action_report(*, viewer: Any, panel: Panel, start: date, end: date) -> ActionReport:
    """Per agency, of the panel's actions due from `start` to `end` (cancelled ones left out):
    how many, how many done (and on time), how many overdue now; and every open action of
    the panel, overdue first, to review at the next meeting. Two queries."""
    if (
        not PanelMember.objects.current()
        .filter(
            user=viewer,
            panel=panel,
            role__in=[PanelRole.COORDINATOR, PanelRole.CHAIR],
        )
        .exists()
    ):
        raise Http404("No panel you coordinate or chair with this name.")
    today = timezone.localdate()
    rows = (
        Action.objects.filter(panel=panel, due_on__gte=start, due_on__lte=end)
        .exclude(status=ActionStatus.CANCELLED)
        .values("organisation__name")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            done_on_time=Count(
                "pk",
                filter=Q(status=ActionStatus.DONE, completed_at__date__lte=F("due_on")),
            ),
            overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_on__lt=today)),
        )
        .order_by("organisation__name")
    )
    return ActionReport(
        panel=panel,
        start=start,
        end=end,
        agencies=[
            AgencyFigures(
                organisation=row["organisation__name"],
                due=row["due"],
                done=row["done"],
                done_on_time=row["done_on_time"],
                overdue=row["overdue"],
            )
            for row in rows
        ],
        to_review=_overdue_first(
            list(_listed(Action.objects.open().filter(panel=panel))[:LIST_LIMIT])
        ),
    )


@audit.audit_exempt(reason="Who works for which organisation now, to choose an owner.")
def possible_owners() -> list[Membership]:
    """Each person and the organisation they work for now, once per pair, by name."""
    seen: set[tuple[Any, Any]] = set()
    owners = []
    for membership in (
        Membership.objects.active()
        .filter(user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email", "organisation__name")
    ):
        key = (membership.user_id, membership.organisation_id)
        if key not in seen:
            seen.add(key)
            owners.append(membership)
    return owners
