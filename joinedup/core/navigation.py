"""The service navigation and each role's start-page tasks, both filtered by the access policy.

A link appears only if the person may open the page, so navigation never leads to a 403.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from joinedup.core.permissions import may_open, policy_for
from joinedup.core.roles import Role


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    description: str = ""
    # Other pages the menu item stands for, marked as the current item while one is open.
    also_current: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAVIGATION: tuple[Link, ...] = (
    Link("Home", "core:start"),
    Link(
        "Dashboard",
        "dashboards:home",
        also_current=(
            "dashboards:keyworker",
            "dashboards:coordinator",
            "dashboards:chair",
            "dashboards:steering",
        ),
    ),
    Link("Reports", "reports:report"),
    Link("Children", "children:caseload"),
    Link("Find a child", "children:search"),
    Link("My caseload", "plans:my_caseload"),
    Link("Referrals", "referrals:referral_list"),
    Link("Panel referrals", "referrals:referral_inbox"),
    Link("Panels", "panels:panel_list"),
    Link("Pipeline", "panels:pipeline"),
    Link("Transfers", "transfers:list"),
    Link("Duplication and gaps", "tracking:flags"),
    Link("Actions for me", "actions:my_actions"),
    Link("Safeguarding inbox", "safeguarding:inbox"),
    Link("Raise a safeguarding concern", "safeguarding:concern_raise"),
    Link("Organisations", "organisations:organisation_list"),
    Link(
        "Partnerships",
        "partnerships:partnership_list",
        also_current=(
            "partnerships:partnership_detail",
            "partnerships:partnership_create",
            "partnerships:partnership_edit",
            "partnerships:member_add",
            "partnerships:member_end",
            "reviews:my_rounds",
            "reviews:partnership_rounds",
            "reviews:round_open",
            "reviews:round_detail",
            "partnerships:person_list",
            "partnerships:person_detail",
            "partnerships:person_create",
            "partnerships:person_edit",
            "partnerships:relationship_list",
            "partnerships:relationship_create",
            "partnerships:relationship_edit",
            "reviews:health_answer",
            "reviews:health_results",
            "reviews:survey_answer",
            "reviews:survey_results",
            "partnerships:network",
            "partnerships:map",
            "partnerships:map_table",
        ),
    ),
    Link("Localities", "organisations:locality_list"),
    Link("People and roles", "accounts:user_list"),
    Link("Audit trail", "core:audit_log"),
    Link("Subject access", "records:sar_list"),
    Link("Retention", "records:retention"),
    Link("Your account", "accounts:my_account"),
    # One menu item for the whole directory; its search page links to the rest (DIRECTORY).
    Link(
        "Service directory",
        "directory:search",
        also_current=(
            "directory:service",
            "directory:mine",
            "directory:service_add",
            "directory:service_edit",
            "directory:service_close",
            "directory:provider_edit",
            "directory:import_upload",
            "directory:import_check",
            "directory:import_done",
            "directory:overlap",
            "directory:funding",
        ),
    ),
    Link(
        "Funding",
        "funding:stream_list",
        also_current=(
            "funding:stream_detail",
            "funding:stream_create",
            "funding:stream_edit",
            "funding:stream_end",
            "funding:service_attach",
            "funding:post_attach",
            "funding:funder_list",
            "funding:funder_create",
            "funding:funder_edit",
            "funding:timeline",
        ),
    ),
)

_ORGANISATIONS = Link(
    "Find a partner organisation",
    "organisations:organisation_list",
    "Who works in each locality, what they do and who holds which role there.",
)
_LOCALITIES = Link(
    "See the localities",
    "organisations:locality_list",
    "The neighbourhoods the partnership serves and the organisations in each.",
)
_ACCOUNT = Link(
    "Check your account",
    "accounts:my_account",
    "Your roles in each organisation, your password and your two-factor sign-in.",
)

_CASELOAD = Link(
    "See the children you work with",
    "children:caseload",
    "Their records, and which other organisations are working with each of them.",
)

_SEARCH = Link(
    "Find a child",
    "children:search",
    "By name (even misspelt), JoinedUp reference, date of birth, school or postcode.",
)

_PLANS = Link(
    "See the plans you lead",
    "plans:my_caseload",
    "Your caseload: each child's integrated support plan, the next review and what is overdue.",
)

_INBOX = Link(
    "Check new referrals",
    "referrals:referral_inbox",
    "Referrals to your panels: settle who each child is, then prepare the panel.",
)

_PIPELINE = Link(
    "Follow every case",
    "panels:pipeline",
    "Your panels' cases from referral to closure: where each stands and for how long.",
)

_FLAGS = Link(
    "Check duplication and gaps",
    "tracking:flags",
    "Children with the same kind of support from several organisations, with no support or "
    "contact for weeks, or referred by several organisations.",
)

_KEYWORKER_DASHBOARD = Link(
    "Open your keyworker dashboard",
    "dashboards:keyworker",
    "Your caseload, the reviews coming up and the actions you owe, on one page.",
)

_COORDINATOR_DASHBOARD = Link(
    "Open your coordinator dashboard",
    "dashboards:coordinator",
    "Cases at each stage, consents to renew, packs to build and referrals waiting.",
)

_CHAIR_DASHBOARD = Link(
    "Open your chair's dashboard",
    "dashboards:chair",
    "Actions overdue and attendance by agency, and meetings that were not quorate.",
)

_STEERING_DASHBOARD = Link(
    "See the figures for your area",
    "dashboards:steering",
    "Referrals, cases, plans and actions for a locality or the whole city: counts only.",
)

_REFER = Link(
    "Refer a child",
    "referrals:referral_start",
    "One referral route for every partner, including voluntary and community groups.",
)

_TRANSFERS = Link(
    "Answer transfers",
    "transfers:list",
    "Children moving between localities: take a case on from another panel, or hand one over.",
)

_OVERLAP = Link(
    "See where services overlap",
    "directory:overlap",
    "Services in the directory for the same need, ages and area: duplicated provision or "
    "high demand.",
)

_FUNDING = Link(
    "See funding ending soon",
    "directory:funding",
    "Services whose funding ends in the next 3, 6 or 12 months, and how many children in open "
    "plans use them.",
)

ROLE_TASKS: dict[str, tuple[Link, ...]] = {
    Role.SYSTEM_ADMIN: (
        Link(
            "Invite someone",
            "accounts:user_invite",
            "Send a partner's worker an invitation and give them their role.",
        ),
        Link(
            "Manage people and roles",
            "accounts:user_list",
            "Add or end roles, reset a lost two-factor device, deactivate leavers.",
        ),
        Link(
            "Add an organisation",
            "organisations:organisation_create",
            "Statutory agencies, schools and voluntary, community and faith groups.",
        ),
        _LOCALITIES,
        _FUNDING,
        _OVERLAP,
    ),
    Role.IG_OFFICER: (
        Link(
            "Search the audit trail",
            "core:audit_log",
            "Who created, read, changed or removed personal data, when, from where and why.",
        ),
        Link(
            "Record a subject access request",
            "records:sar_list",
            "Produce everything held about a child, as a PDF and a JSON file, by its due date.",
        ),
        Link(
            "Correct or restrict a child's record",
            "records:rights_find",
            "Record a rectification, or restrict processing while a question is settled.",
        ),
        Link(
            "Set retention periods",
            "records:retention",
            "How long each kind of record is kept after a case closes, and each run's report.",
        ),
        _ORGANISATIONS,
    ),
    Role.SAFEGUARDING_LEAD: (
        Link(
            "Check your safeguarding inbox",
            "safeguarding:inbox",
            "Concerns sent to you: acknowledge each, record what you do and the outcome.",
        ),
        Link(
            "Raise a safeguarding concern",
            "safeguarding:concern_raise",
            "About any child, whether or not they are in JoinedUp.",
        ),
        _CASELOAD,
    ),
    Role.STRATEGIC_MANAGER: (
        _STEERING_DASHBOARD,
        _FUNDING,
        _OVERLAP,
        _ORGANISATIONS,
        _LOCALITIES,
    ),
    Role.PANEL_CHAIR: (
        _CHAIR_DASHBOARD,
        _CASELOAD,
        _FUNDING,
        _OVERLAP,
        _ORGANISATIONS,
        _LOCALITIES,
    ),
    Role.PANEL_COORDINATOR: (
        _COORDINATOR_DASHBOARD,
        _INBOX,
        _PIPELINE,
        _TRANSFERS,
        _FLAGS,
        _SEARCH,
        _CASELOAD,
        _FUNDING,
        _OVERLAP,
        _ORGANISATIONS,
        _LOCALITIES,
    ),
    Role.PANEL_MEMBER: (_CASELOAD, _REFER, _ORGANISATIONS),
    Role.KEYWORKER: (_KEYWORKER_DASHBOARD, _PLANS, _CASELOAD, _REFER, _ORGANISATIONS),
    Role.REFERRER: (_REFER, _CASELOAD, _ORGANISATIONS),
}


def _may_follow(user: Any, link: Link) -> bool:
    access = policy_for(link.url_name)
    if access is None:
        return False
    try:
        reverse(link.url_name)
    except NoReverseMatch:
        return False
    if access.public:
        return True
    return bool(user.is_authenticated) and may_open(user, access)


def navigation_for(user: Any) -> list[Link]:
    if not user.is_authenticated:
        return []
    return [link for link in NAVIGATION if _may_follow(user, link)]


# The directory's pages for people who keep it or plan provision, listed on its search page.
DIRECTORY: tuple[Link, ...] = (
    Link("Your directory entries", "directory:mine", "Keep your organisation's services right."),
    Link("Import services", "directory:import_upload", "From a spreadsheet or an ORUK feed."),
    Link(
        "Overlapping services",
        "directory:overlap",
        "The same need, ages and area: duplicated provision or high demand.",
    ),
    Link(
        "Funding ending",
        "directory:funding",
        "Services whose funding ends soon, and the children in open plans who use them.",
    ),
)


def directory_links_for(user: Any) -> list[Link]:
    if not user.is_authenticated:
        return []
    return [link for link in DIRECTORY if _may_follow(user, link)]


def tasks_for(user: Any, role: str) -> list[Link]:
    tasks = [link for link in ROLE_TASKS.get(role, ()) if _may_follow(user, link)]
    return [*tasks, _ACCOUNT]
