"""Actions agreed at the Easton panel's last meeting, for several agencies: some done (one of
them late), some open, some overdue, so "Actions for me", the chase and the chair's report per
agency have something to show. Loaded once: nothing is added once that meeting has actions.
Titles name no child; every person is made up."""

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.actions import services
from joinedup.actions.models import Action
from joinedup.core.roles import Role
from joinedup.demo.catalogue import EASTON
from joinedup.panels.models import AgendaItem, Meeting, Panel
from joinedup.referrals.models import Referral

DEMO_EMAIL_DOMAIN = "demo.joinedup.test"

# (who, their hat, what, about the case?, due in days from today, done days after due or None)
DEMO_ACTIONS: tuple[tuple[str, Role, str, bool, int, int | None], ...] = (
    (
        "panel.member",
        Role.PANEL_MEMBER,
        "Share the neighbourhood team's concerns with the keyworker",
        True,
        -14,
        -2,
    ),
    (
        "panel.member",
        Role.PANEL_MEMBER,
        "Check for police contact with the family since the referral",
        True,
        -6,
        None,
    ),
    ("referrer", Role.REFERRER, "Send the autumn term's attendance figures", True, -12, None),
    ("referrer", Role.REFERRER, "Invite the family to the parents' coffee morning", False, -20, 4),
    (
        "panel.chair",
        Role.PANEL_CHAIR,
        "Confirm whether early help has an assessment open",
        True,
        -10,
        -1,
    ),
    ("keyworker", Role.KEYWORKER, "Arrange a first home visit with the family", True, 0, None),
    ("keyworker", Role.PANEL_MEMBER, "Offer a place at the Thursday youth session", True, 5, None),
)


def load_demo_actions(*, coordinator: Any) -> None:
    panel = Panel.objects.filter(slug=EASTON).first()
    meeting = (
        Meeting.objects.filter(panel=panel, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
        if panel
        else None
    )
    if meeting is None or Action.objects.filter(meeting=meeting).exists():
        return
    referral = (
        Referral.objects.filter(panel=panel, child__given_name="Mohammed")
        .select_related("child")
        .first()
    )
    item = None
    if referral is not None:
        item = (
            AgendaItem.objects.filter(
                meeting=meeting, child=referral.child, removed_at=None
            ).first()
            # The case was discussed at that meeting (its agenda was set before it happened).
            or AgendaItem.objects.create(
                meeting=meeting, child=referral.child, referral=referral, added_by=coordinator
            )
        )
    today = timezone.localdate()
    for email_name, role, title, about_case, due_in, done_after in DEMO_ACTIONS:
        hat = (
            Membership.objects.active()
            .filter(Q(user__email=f"{email_name}@{DEMO_EMAIL_DOMAIN}"), role=role)
            .select_related("user", "organisation")
            .first()
        )
        if hat is None:
            continue
        action = services.action_create(
            actor=coordinator,
            new=services.NewAction(
                title=title,
                owner=hat.user,
                organisation=hat.organisation,
                due_on=today,
                meeting=meeting,
                agenda_item=item if about_case else None,
            ),
        )
        # Agreed a month ago: dates set as they would have been, not as the rules allow today.
        Action.objects.filter(pk=action.pk).update(due_on=today + timedelta(days=due_in))
        action.refresh_from_db()
        if done_after is not None:
            services.action_complete(
                actor=hat.user,
                action=action,
                revision=action.revision,
                outcome="Done, and told the coordinator at the time.",
            )
            completed = timezone.now() - timedelta(days=-(due_in + done_after))
            Action.objects.filter(pk=action.pk).update(completed_at=completed)
