"""Written contributions to the panel pack: a practitioner in the team around a child sends the
panel their view of the child's case, and whether they will be there, when they cannot be sure
to attend. They can amend or withdraw it until the meeting starts; after that it is part of
what the panel read."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.children.models import Involvement
from joinedup.children.need_to_know import current_involvements
from joinedup.core import audit
from joinedup.core.models import AuditVerb
from joinedup.panels.models import AgendaItem, Contribution
from joinedup.panels.services import PanelError


@dataclass(frozen=True)
class ContributionGiven:
    view: str
    will_attend: bool


def _open_for_views(item: AgendaItem) -> None:
    if item.removed_at is not None:
        raise PanelError(
            "This case has come off the agenda: there is no view to send", field="view"
        )
    if item.meeting.starts_at <= timezone.now():
        raise PanelError(
            "The meeting has started: views can be sent, changed or withdrawn only before it",
            field="view",
        )


def _involvement_of(actor: Any, item: AgendaItem) -> Involvement:
    involvement = (
        current_involvements()
        .filter(worker=actor, child_id=item.child_id)
        .select_related("organisation")
        .order_by("started_on")
        .first()
    )
    if involvement is None:
        raise PanelError(
            "Only someone working with the child now can send the panel a view of their case",
            field="view",
        )
    return involvement


def _checked_view(given: ContributionGiven) -> str:
    view = given.view.strip()
    if not view:
        raise PanelError("Enter your view of the case for the panel", field="view")
    if len(view) > Contribution.MAX_LENGTH:
        raise PanelError(
            f"Your view must be {Contribution.MAX_LENGTH} characters or fewer", field="view"
        )
    return view


def _role_of(actor: Any, involvement: Involvement) -> str:
    """The author's job title in the organisation they work with the child for, or else what
    they do for the child."""
    membership = (
        Membership.objects.active()
        .filter(user=actor, organisation_id=involvement.organisation_id)
        .exclude(job_title="")
        .first()
    )
    return membership.job_title if membership else involvement.get_role_display()


def contribution_submit(*, actor: Any, item: AgendaItem, given: ContributionGiven) -> Contribution:
    view = _checked_view(given)
    _open_for_views(item)
    involvement = _involvement_of(actor, item)
    try:
        with transaction.atomic():
            contribution = Contribution.objects.create(
                agenda_item=item,
                author=actor,
                organisation=involvement.organisation,
                role=_role_of(actor, involvement),
                view=view,
                will_attend=given.will_attend,
            )
            audit.record(
                actor=actor,
                verb=AuditVerb.CREATE,
                target=contribution,
                fields=["view", "will_attend"],
                detail={"agenda_item": str(item.pk), "child": item.child.reference},
            )
    except IntegrityError as error:
        raise PanelError(
            "You have already sent a view of this case: change that one instead", field="view"
        ) from error
    return contribution


def _locked_own(actor: Any, contribution: Contribution) -> Contribution:
    locked = (
        Contribution.objects.select_for_update()
        .select_related("agenda_item__meeting", "agenda_item__child")
        .get(pk=contribution.pk)
    )
    if locked.author_id != actor.pk:
        raise PanelError("Only the person who wrote a view can change it", field="view")
    if locked.withdrawn_at is not None:
        raise PanelError("This view was withdrawn: send a new one instead", field="view")
    _open_for_views(locked.agenda_item)
    return locked


def contribution_amend(
    *, actor: Any, contribution: Contribution, given: ContributionGiven
) -> Contribution:
    view = _checked_view(given)
    with transaction.atomic():
        locked = _locked_own(actor, contribution)
        _involvement_of(actor, locked.agenda_item)
        changed = [
            name
            for name, value in (("view", view), ("will_attend", given.will_attend))
            if getattr(locked, name) != value
        ]
        locked.view = view
        locked.will_attend = given.will_attend
        locked.save(update_fields=["view", "will_attend", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=changed,
            detail={"child": locked.agenda_item.child.reference},
        )
    return locked


def contribution_withdraw(*, actor: Any, contribution: Contribution) -> Contribution:
    with transaction.atomic():
        locked = _locked_own(actor, contribution)
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.DELETE,
            target=locked,
            fields=["view"],
            detail={"child": locked.agenda_item.child.reference},
        )
    return locked
