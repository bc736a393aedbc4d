from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from joinedup.core import audit
from joinedup.organisations.models import Locality, Organisation
from joinedup.panels.models import (
    AgendaItem,
    Meeting,
    MembershipCriterion,
    Panel,
    PanelMember,
    TermsOfReference,
)


@audit.audit_exempt(reason="Reads a panel's public settings; no personal data.")
def panel_serving(locality: Locality | None) -> Panel | None:
    """The active panel that takes referrals for children living in a locality."""
    if locality is None:
        return None
    return Panel.objects.filter(localities=locality, is_active=True).order_by("name").first()


@audit.audit_exempt(reason="Answers yes or no for the viewer; reads no record's contents.")
def coordinates(*, viewer: Any, panel_id: Any) -> bool:
    return PanelMember.objects.panels_coordinated_by(viewer).filter(panel_id=panel_id).exists()


def _seated(viewer: Any) -> Any:
    return PanelMember.objects.current().filter(user=viewer).values("panel")


@audit.audit_exempt(reason="Panels and meeting dates; no personal data.")
def panels_for(*, viewer: Any) -> list[Panel]:
    """The panels the viewer sits on, each with its upcoming meetings."""
    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    return list(
        Panel.objects.filter(pk__in=_seated(viewer))
        .prefetch_related("localities", Prefetch("meetings", upcoming, to_attr="upcoming"))
        .order_by("name")
    )


@audit.audit_exempt(reason="A panel, its seats and meeting dates; no child's data.")
def panel_for(*, viewer: Any, slug: str) -> Panel:
    panel = (
        Panel.objects.filter(pk__in=_seated(viewer), slug=slug)
        .prefetch_related(
            "localities",
            Prefetch(
                "members",
                PanelMember.objects.current().select_related(
                    "user", "organisation", "deputy_for__user"
                ),
                to_attr="current_members",
            ),
            Prefetch("meetings", Meeting.objects.order_by("-starts_at"), to_attr="all_meetings"),
            Prefetch(
                "criteria",
                MembershipCriterion.objects.filter(retired_on__isnull=True),
                to_attr="adopted_criteria",
            ),
            Prefetch("terms", TermsOfReference.objects.order_by("-version"), to_attr="all_terms"),
        )
        .first()
    )
    if panel is None:
        raise Http404("No panel you sit on with this name.")
    return panel


@audit.audit_exempt(
    reason="An agenda lists children by pseudonym and reference only; opening a child's "
    "record is audited there."
)
def meeting_for(*, viewer: Any, meeting_id: Any) -> Meeting:
    meeting = (
        Meeting.objects.filter(panel__in=_seated(viewer), pk=meeting_id)
        .select_related("panel")
        .prefetch_related(
            Prefetch(
                "items",
                AgendaItem.objects.select_related("child", "child__locality", "removed_by"),
            )
        )
        .first()
    )
    if meeting is None:
        raise Http404("No meeting of a panel you sit on with this id.")
    return meeting


@audit.audit_exempt(reason="Meeting dates of one panel; no personal data.")
def future_meetings(*, panel_id: Any) -> list[Meeting]:
    return list(
        Meeting.objects.filter(panel_id=panel_id, starts_at__gt=timezone.now()).order_by(
            "starts_at"
        )
    )


@audit.audit_exempt(reason="One agenda line: a pseudonym and reference; no identifying data.")
def agenda_item_for(*, viewer: Any, item_id: Any) -> AgendaItem:
    item = (
        AgendaItem.objects.filter(meeting__panel__in=_seated(viewer), pk=item_id)
        .select_related("meeting", "meeting__panel", "child", "child__locality")
        .first()
    )
    if item is None:
        raise Http404("No agenda item of a panel you sit on with this id.")
    return item


@audit.audit_exempt(reason="A panel seat: who sits for which organisation; no child's data.")
def seat_for(*, viewer: Any, seat_id: Any) -> PanelMember:
    seat = (
        PanelMember.objects.filter(panel__in=_seated(viewer), pk=seat_id)
        .select_related("panel", "user", "organisation")
        .first()
    )
    if seat is None:
        raise Http404("No seat on a panel you sit on with this id.")
    return seat


@audit.audit_exempt(reason="A panel's membership criteria; no personal data.")
def criterion_for(*, viewer: Any, criterion_id: Any) -> MembershipCriterion:
    criterion = (
        MembershipCriterion.objects.filter(panel__in=_seated(viewer), pk=criterion_id)
        .select_related("panel")
        .first()
    )
    if criterion is None:
        raise Http404("No criterion of a panel you sit on with this id.")
    return criterion


@audit.audit_exempt(reason="The partnership's organisations, by name; no personal data.")
def organisations_to_represent() -> list[Organisation]:
    return list(Organisation.objects.filter(is_active=True).order_by("name"))


@audit.audit_exempt(
    reason="Finds a worker's account and organisations to seat them; no child's data."
)
def person_to_seat(*, email: str) -> tuple[Any, list[Organisation]] | None:
    """The account with this email address and the organisations it works for now."""
    from joinedup.accounts.models import Membership, User

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return None
    organisations = [
        membership.organisation
        for membership in Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    return user, organisations
