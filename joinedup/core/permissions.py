"""Who may open which page: one declared policy table, enforced by one middleware.

Every URL name in the URLconf must appear in `PAGE_POLICY` (a system check and a test fail
otherwise), so a new page is closed until someone decides who may open it. Object-level rules
(which *child* a person may see) live in the selectors of each app and call this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from joinedup.core.roles import ROLES_SEEING_CHILD_DATA, Role


@dataclass(frozen=True)
class Access:
    """`public`: anyone, signed in or not. Otherwise a signed-in person who has passed the
    two-factor check where their roles require it (`allow_unverified` lifts that, for the pages
    that perform the check) and, if `roles` is not empty, holds one of those roles."""

    public: bool = False
    roles: frozenset[str] = frozenset()
    allow_unverified: bool = False


PUBLIC = Access(public=True)
SIGNED_IN = Access()
SIGNING_IN = Access(allow_unverified=True)


def only(*roles: Role) -> Access:
    return Access(roles=frozenset(roles))


ADMINS = only(Role.SYSTEM_ADMIN)
# Whose work is with individual children. Which child's identity each may see is decided per
# record by joinedup.children.need_to_know.
CHILD_WORKERS = only(
    Role.REFERRER,
    Role.KEYWORKER,
    Role.PANEL_COORDINATOR,
    Role.PANEL_MEMBER,
    Role.PANEL_CHAIR,
    Role.SAFEGUARDING_LEAD,
)
# Which concerns each lead sees is decided by the concerns routed to them.
SAFEGUARDING_LEADS = only(Role.SAFEGUARDING_LEAD)
INFORMATION_GOVERNANCE = only(Role.IG_OFFICER)
# Which panels' referrals each coordinator sees is decided by their panel seats.
COORDINATORS = only(Role.PANEL_COORDINATOR)
# Which panels each sees is decided by their panel seats.
PANEL_SEATS = only(Role.PANEL_COORDINATOR, Role.PANEL_CHAIR, Role.PANEL_MEMBER)
# Who records a panel's actions and reads its report; which panels, by their seats.
PANEL_LEADS = only(Role.PANEL_COORDINATOR, Role.PANEL_CHAIR)
# Who asks for, answers and follows transfers between panels.
TRANSFER_PEOPLE = only(Role.PANEL_COORDINATOR, Role.KEYWORKER)
# Who plans provision across the partnership: overlap and funding cliffs in the directory.
DIRECTORY_INSIGHT = only(
    Role.PANEL_COORDINATOR, Role.PANEL_CHAIR, Role.STRATEGIC_MANAGER, Role.SYSTEM_ADMIN
)
# The partnership's funding (docs/funding.md): read by panel coordinators too, kept by system
# administrators and strategic managers. Counts of children per service only, never a child.
FUNDING_READERS = only(Role.SYSTEM_ADMIN, Role.STRATEGIC_MANAGER, Role.PANEL_COORDINATOR)
FUNDING_MANAGERS = only(Role.SYSTEM_ADMIN, Role.STRATEGIC_MANAGER)
# Who logs introductions and joint work between organisations (docs/partnerships.md):
# keyworkers and the people who run panels and steering groups.
RELATIONSHIP_LOGGERS = only(
    Role.KEYWORKER,
    Role.PANEL_COORDINATOR,
    Role.PANEL_CHAIR,
    Role.PANEL_MEMBER,
    Role.STRATEGIC_MANAGER,
    Role.SYSTEM_ADMIN,
)
# Who reads the reports (docs/reports.md): figures only, never a child. Strategic managers and
# system administrators for any panel, locality or the city; coordinators and chairs for the
# panels they lead.
REPORT_READERS = only(
    Role.STRATEGIC_MANAGER, Role.SYSTEM_ADMIN, Role.PANEL_COORDINATOR, Role.PANEL_CHAIR
)
# Who sees the data-quality grid (counts only); which panels, by their seats or their role.
DATA_QUALITY_READERS = only(Role.PANEL_COORDINATOR, Role.STRATEGIC_MANAGER, Role.SYSTEM_ADMIN)

# "namespace:url_name" -> Access. A key "namespace:*" covers every page of a namespace.
PAGE_POLICY: dict[str, Access] = {
    "core:start": PUBLIC,
    "core:healthz": PUBLIC,
    "core:audit_log": INFORMATION_GOVERNANCE,
    # Retention and the rights of data subjects (joinedup/records): information governance.
    "records:*": INFORMATION_GOVERNANCE,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:invitation_accept": PUBLIC,
    "accounts:two_factor_setup": SIGNING_IN,
    "accounts:two_factor_verify": SIGNING_IN,
    "accounts:two_factor_skip": SIGNING_IN,
    "accounts:my_account": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:user_list": ADMINS,
    "accounts:user_invite": ADMINS,
    "accounts:user_detail": ADMINS,
    "accounts:user_edit": ADMINS,
    "accounts:membership_add": ADMINS,
    "accounts:membership_end": ADMINS,
    "accounts:user_deactivate": ADMINS,
    "accounts:user_reactivate": ADMINS,
    "accounts:user_reset_two_factor": ADMINS,
    "accounts:user_resend_invitation": ADMINS,
    "organisations:organisation_list": SIGNED_IN,
    "organisations:organisation_detail": SIGNED_IN,
    "organisations:organisation_create": ADMINS,
    "organisations:organisation_edit": ADMINS,
    "organisations:locality_list": SIGNED_IN,
    "organisations:locality_detail": SIGNED_IN,
    "organisations:locality_create": ADMINS,
    "organisations:locality_edit": ADMINS,
    "children:caseload": CHILD_WORKERS,
    "children:child_detail": CHILD_WORKERS,
    # Only for the team around the child (need to know); anyone else gets 404.
    "children:household_add": CHILD_WORKERS,
    "children:household_change": CHILD_WORKERS,
    # The child's timeline: only for the team around the child (need to know); 404 otherwise.
    "children:timeline": CHILD_WORKERS,
    # Finding a child: among the children each may know about, by name only where need to know
    # lets them see the name (joinedup.children.search).
    "children:search": CHILD_WORKERS,
    "consent:child_consent": CHILD_WORKERS,
    "consent:consent_record": CHILD_WORKERS,
    "consent:consent_withdraw": CHILD_WORKERS,
    "consent:child_view_record": CHILD_WORKERS,
    "consent:signed_form": CHILD_WORKERS,
    # Assessments and "Over to You": only for the team around the child; anyone else gets 404.
    "assessments:assessment_list": CHILD_WORKERS,
    "assessments:assessment_start": CHILD_WORKERS,
    "assessments:assessment_compare": CHILD_WORKERS,
    "assessments:assessment_detail": CHILD_WORKERS,
    "assessments:assessment_rate": CHILD_WORKERS,
    "assessments:assessment_complete": CHILD_WORKERS,
    "assessments:child_over_to_you": CHILD_WORKERS,
    "assessments:parent_over_to_you": CHILD_WORKERS,
    "assessments:over_to_you_detail": CHILD_WORKERS,
    # Integrated support plans: the team around the child reads (anyone else gets 404); the
    # keyworker and the coordinators of the child's panel change them (plans.services.may_edit).
    "plans:plan_list": CHILD_WORKERS,
    "plans:plan_start": COORDINATORS,
    "plans:plan_detail": CHILD_WORKERS,
    "plans:young_person_copy": CHILD_WORKERS,
    "plans:plan_edit": CHILD_WORKERS,
    "plans:goal_add": CHILD_WORKERS,
    "plans:goal_edit": CHILD_WORKERS,
    "plans:intervention_add": CHILD_WORKERS,
    "plans:intervention_edit": CHILD_WORKERS,
    "plans:review_add": CHILD_WORKERS,
    "plans:plan_close": CHILD_WORKERS,
    # The plans a keyworker leads; only the keyworker role leads plans.
    "plans:my_caseload": only(Role.KEYWORKER),
    # What families are told about consent: no child's data, readable by anyone.
    "consent:family_consent": PUBLIC,
    "referrals:referral_list": CHILD_WORKERS,
    "referrals:referral_start": CHILD_WORKERS,
    "referrals:referral_step": CHILD_WORKERS,
    "referrals:referral_check": CHILD_WORKERS,
    "referrals:referral_done": CHILD_WORKERS,
    "panels:panel_list": PANEL_SEATS,
    "panels:panel_detail": PANEL_SEATS,
    "panels:meeting_detail": PANEL_SEATS,
    "panels:meeting_create": COORDINATORS,
    "panels:agenda_add": COORDINATORS,
    "panels:agenda_remove": COORDINATORS,
    "panels:member_add": COORDINATORS,
    "panels:member_end": COORDINATORS,
    "panels:criteria": PANEL_SEATS,
    "panels:criterion_retire": COORDINATORS,
    "panels:terms": PANEL_SEATS,
    "panels:terms_adopt": COORDINATORS,
    # The pack: current seats of the meeting's panel only (404 otherwise); names only where
    # need to know allows.
    "panels:pack": PANEL_SEATS,
    "panels:pack_pdf": PANEL_SEATS,
    # Written views: only for the team around the child (a current involvement); 404 otherwise.
    "panels:contribution_list": CHILD_WORKERS,
    "panels:contribution_edit": CHILD_WORKERS,
    "panels:contribution_withdraw": CHILD_WORKERS,
    # Actions: whose is whose is decided per action (owner, recorder, the panel's seats).
    "actions:my_actions": SIGNED_IN,
    "actions:action_create": PANEL_LEADS,
    "actions:action_detail": SIGNED_IN,
    "actions:action_complete": SIGNED_IN,
    "actions:action_reassign": COORDINATORS,
    "actions:action_due_date": SIGNED_IN,
    "actions:action_cancel": PANEL_LEADS,
    "actions:panel_report": PANEL_LEADS,
    # A person's own notices; anyone else's answer 404.
    "notifications:notification_list": SIGNED_IN,
    "notifications:notification_open": SIGNED_IN,
    "notifications:mark_read": SIGNED_IN,
    "notifications:mark_all_read": SIGNED_IN,
    "notifications:preferences": SIGNED_IN,
    # The meeting itself: which meeting and what each may do there is decided by their seat
    # (joinedup.panels.conduct: coordinator, or coordinator and chair for decisions).
    "panels:attendance_record": COORDINATORS,
    "panels:declaration_add": PANEL_SEATS,
    "panels:decision_record": PANEL_SEATS,
    "panels:minutes_detail": PANEL_SEATS,
    "panels:minutes_generate": COORDINATORS,
    "panels:minutes_edit": COORDINATORS,
    "panels:minutes_approve": COORDINATORS,
    "panels:attendance_report": PANEL_SEATS,
    "panels:quorum_rule": PANEL_SEATS,
    "panels:prioritisation_rule": PANEL_SEATS,
    "referrals:referral_inbox": COORDINATORS,
    "referrals:referral_review": COORDINATORS,
    "referrals:referral_unlink": COORDINATORS,
    # Anyone working with children can raise a concern, about any child: the page shows nothing
    # about a child they may not see. A concern's page opens only for the person who raised it
    # and the leads it was routed to (404 for anyone else).
    "safeguarding:concern_raise": CHILD_WORKERS,
    "safeguarding:concern_raise_for_child": CHILD_WORKERS,
    "safeguarding:concerns_raised": CHILD_WORKERS,
    "safeguarding:concern_detail": CHILD_WORKERS,
    "safeguarding:inbox": SAFEGUARDING_LEADS,
    "safeguarding:concern_acknowledge": SAFEGUARDING_LEADS,
    "safeguarding:concern_action": SAFEGUARDING_LEADS,
    "safeguarding:concern_close": SAFEGUARDING_LEADS,
    # The API authenticates each request by its organisation's token (accounts.api_auth).
    "api:referral_create": PUBLIC,
    "api:schema": PUBLIC,
    "admin:*": ADMINS,
    # The coordinator's pipeline: the cases of the panels they coordinate only.
    "panels:pipeline": COORDINATORS,
    # Transfers between panels: coordinators of either panel and the child's keyworker; which
    # transfers and children each may open is decided per record (404 otherwise).
    "transfers:list": TRANSFER_PEOPLE,
    "transfers:request": TRANSFER_PEOPLE,
    "transfers:detail": TRANSFER_PEOPLE,
    "transfers:accept": COORDINATORS,
    "transfers:decline": COORDINATORS,
    "transfers:withdraw": TRANSFER_PEOPLE,
    # Duplication and gaps: a coordinator's panels' cases, a keyworker's caseload. Marking a
    # flag looked at (and undoing it): coordinators of the child's panel only (404 otherwise).
    "tracking:flags": only(Role.PANEL_COORDINATOR, Role.KEYWORKER),
    "tracking:flag_look": COORDINATORS,
    "tracking:flag_look_undo": COORDINATORS,
    # The partnership's settings: any coordinator; a panel's: its coordinators (404 otherwise).
    "tracking:settings": COORDINATORS,
    "tracking:settings_edit": COORDINATORS,
    # Dashboards by level (docs/dashboards.md): "home" sends each person to their first one.
    "dashboards:home": only(
        Role.KEYWORKER, Role.PANEL_COORDINATOR, Role.PANEL_CHAIR, Role.STRATEGIC_MANAGER
    ),
    "dashboards:keyworker": only(Role.KEYWORKER),
    # The panels each coordinates or chairs are decided by their panel seats.
    "dashboards:coordinator": COORDINATORS,
    "dashboards:chair": only(Role.PANEL_CHAIR),
    # Counts only, small ones suppressed: never a child's data.
    "dashboards:steering": only(Role.STRATEGIC_MANAGER),
    # Which panels or areas each may report on: joinedup/reports/selectors.py scopes_for.
    "reports:report": REPORT_READERS,
    # Importing services into the directory from a file: system administrators and panel
    # coordinators (the directory holds no child's data).
    "directory:import_upload": only(Role.SYSTEM_ADMIN, Role.PANEL_COORDINATOR),
    "directory:import_check": only(Role.SYSTEM_ADMIN, Role.PANEL_COORDINATOR),
    "directory:import_done": only(Role.SYSTEM_ADMIN, Role.PANEL_COORDINATOR),
    "directory:import_template": only(Role.SYSTEM_ADMIN, Role.PANEL_COORDINATOR),
    # Overlap in provision and funding cliffs: directory entries and counts of children per
    # service (small ones suppressed for strategic managers), never a child.
    "directory:overlap": DIRECTORY_INSIGHT,
    "directory:funding": DIRECTORY_INSIGHT,
    "directory:funding_csv": DIRECTORY_INSIGHT,
    "funding:stream_list": FUNDING_READERS,
    "funding:stream_detail": FUNDING_READERS,
    "funding:funder_list": FUNDING_READERS,
    "funding:timeline": FUNDING_READERS,
    "funding:timeline_csv": FUNDING_READERS,
    "funding:funder_create": FUNDING_MANAGERS,
    "funding:funder_edit": FUNDING_MANAGERS,
    "funding:stream_create": FUNDING_MANAGERS,
    "funding:stream_edit": FUNDING_MANAGERS,
    "funding:stream_end": FUNDING_MANAGERS,
    "funding:service_attach": FUNDING_MANAGERS,
    "funding:service_detach": FUNDING_MANAGERS,
    "funding:post_attach": FUNDING_MANAGERS,
    "funding:post_detach": FUNDING_MANAGERS,
    # Directory editing (docs/directory-editing.md): any signed-in person opens the list of
    # their organisations' entries; each entry is changed only by people with an active
    # membership in the organisation that maintains it, or a system administrator
    # (joinedup.directory.services.may_maintain); anyone else gets 403.
    "directory:mine": SIGNED_IN,
    "directory:service_add": SIGNED_IN,
    "directory:service_edit": SIGNED_IN,
    "directory:service_review": SIGNED_IN,
    "directory:service_close": SIGNED_IN,
    "directory:provider_edit": SIGNED_IN,
    # The Open Referral UK API (/api/oruk/): the public directory, read-only, never about a
    # child (docs/directory-api.md).
    "oruk:*": PUBLIC,
    # Partnerships (docs/partnerships.md): every signed-in partner reads them; system
    # administrators and strategic managers add them; they, and a partnership's own chair, change
    # one and its members (joinedup.partnerships.services.may_manage), anyone else gets 403.
    "partnerships:partnership_list": SIGNED_IN,
    "partnerships:network": SIGNED_IN,
    "partnerships:map": SIGNED_IN,
    "partnerships:map_data": SIGNED_IN,
    "partnerships:map_table": SIGNED_IN,
    "partnerships:network_export": SIGNED_IN,
    "partnerships:partnership_detail": SIGNED_IN,
    "partnerships:partnership_create": only(Role.SYSTEM_ADMIN, Role.STRATEGIC_MANAGER),
    "partnerships:partnership_edit": SIGNED_IN,
    "partnerships:member_add": SIGNED_IN,
    "partnerships:member_end": SIGNED_IN,
    "partnerships:member_rejoin": SIGNED_IN,
    # Partnership reviews: which rounds each may see or run is decided by the partnership's
    # membership (joinedup/reviews/selectors.py); answers are shown only as totals.
    "reviews:my_rounds": SIGNED_IN,
    "reviews:partnership_rounds": SIGNED_IN,
    "reviews:round_open": SIGNED_IN,
    "reviews:round_detail": SIGNED_IN,
    "reviews:round_close": SIGNED_IN,
    "reviews:round_reopen": SIGNED_IN,
    # The people who represent organisations (work contacts): read by every signed-in partner,
    # as on each partnership's page; added and changed by whoever may keep people
    # (services.may_keep_people: system administrators, strategic managers, chairs), else 403.
    "partnerships:person_list": SIGNED_IN,
    "partnerships:person_detail": SIGNED_IN,
    "partnerships:person_create": SIGNED_IN,
    "partnerships:person_edit": SIGNED_IN,
    # The relationship log: read by every signed-in partner; logged by keyworkers and
    # partnership workers; changed or withdrawn by its author or a keeper (else 403).
    "partnerships:relationship_list": SIGNED_IN,
    "partnerships:relationship_create": RELATIONSHIP_LOGGERS,
    "partnerships:relationship_edit": RELATIONSHIP_LOGGERS,
    "partnerships:relationship_withdraw": RELATIONSHIP_LOGGERS,
    # The health check: answered by the round's partnership's members, its results seen by
    # them and its keepers (joinedup/reviews/health_selectors.py); 404 for anyone else.
    "reviews:health_answer": SIGNED_IN,
    "reviews:health_results": SIGNED_IN,
    # The relationship survey: answered by the partnership's members, its totals seen by them
    # and its keepers (joinedup/reviews/survey/selectors.py); 404 for anyone else.
    "reviews:survey_answer": SIGNED_IN,
    "reviews:survey_results": SIGNED_IN,
    # The service directory's search and service pages: families use them too, signed out.
    "directory:search": PUBLIC,
    "directory:service": PUBLIC,
    # Data quality (docs/data-quality.md): the grid (counts) for coordinators (their panels),
    # strategic managers and system administrators (every panel); the records to fix for the
    # coordinators of the record's panel only (joinedup/reports/quality_selectors.py), else 404.
    "reports:data_quality": DATA_QUALITY_READERS,
    "reports:data_quality_records": COORDINATORS,
}


def policy_for(view_name: str) -> Access | None:
    if view_name in PAGE_POLICY:
        return PAGE_POLICY[view_name]
    namespace = view_name.rpartition(":")[0]
    return PAGE_POLICY.get(f"{namespace}:*") if namespace else None


def roles_of(user: Any) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_joinedup_roles", None)
    if cached is None:
        cached = frozenset(user.active_roles())
        user._joinedup_roles = cached
    return cached


def has_role(user: Any, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def requires_two_factor(user: Any) -> bool:
    return bool(roles_of(user) & ROLES_SEEING_CHILD_DATA)


def may_open(user: Any, access: Access) -> bool:
    """Whether a signed-in, verified user passes the role part of `access`."""
    if access.public or not access.roles:
        return True
    return bool(roles_of(user) & access.roles)
