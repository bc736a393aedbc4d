"""The roles a person can hold in a partner organisation, and what each may see.

A role is always held *in* an organisation (a "hat"): the same person can be a keyworker for a
voluntary group and a panel member for the council at the same time.
"""

from django.db import models


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    KEYWORKER = "keyworker", "Keyworker"
    PANEL_COORDINATOR = "panel_coordinator", "Panel coordinator"
    PANEL_MEMBER = "panel_member", "Panel member"
    PANEL_CHAIR = "panel_chair", "Panel chair"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead"
    STRATEGIC_MANAGER = "strategic_manager", "Strategic manager"
    IG_OFFICER = "ig_officer", "Information governance officer"
    SYSTEM_ADMIN = "system_admin", "System administrator"


ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.REFERRER: (
        "You work for a partner agency or group and refer children who might benefit from "
        "support, then follow what happens to your referral."
    ),
    Role.KEYWORKER: (
        "You are the lead professional for the children on your caseload: their support plan, "
        "their reviews and their own views."
    ),
    Role.PANEL_COORDINATOR: (
        "You run the panel: take referrals in, record consent, schedule meetings, build panel "
        "packs, write the minutes and chase the actions."
    ),
    Role.PANEL_MEMBER: (
        "You represent your agency on a panel: you read the packs, help decide on support and "
        "take on actions for your agency."
    ),
    Role.PANEL_CHAIR: (
        "You chair a panel: you make sure it is quorate, that every decision has its reasons "
        "recorded and that every action has an owner and a date."
    ),
    Role.SAFEGUARDING_LEAD: (
        "You are your organisation's designated safeguarding lead: child-protection concerns "
        "raised by your colleagues, or about children your organisation works with, come to "
        "you at once. You acknowledge each one, decide what to do (for example a referral to "
        "children's social care) and record the outcome."
    ),
    Role.STRATEGIC_MANAGER: (
        "You sit on a steering group: you see figures for the locality or the city (never an "
        "identifiable child), the partnership's health and its funding."
    ),
    Role.IG_OFFICER: (
        "You look after information governance: who read or changed personal data and why, "
        "consent, retention and subject access requests."
    ),
    Role.SYSTEM_ADMIN: (
        "You run JoinedUp for the partnership: you invite people, give them their roles in "
        "their organisations and keep the list of organisations and localities up to date."
    ),
}

# Roles whose work means reading identifiable child records. Holding any of them requires
# two-factor sign-in; a strategic manager sees aggregate figures only.
ROLES_SEEING_CHILD_DATA: frozenset[str] = frozenset(Role) - {Role.STRATEGIC_MANAGER}
