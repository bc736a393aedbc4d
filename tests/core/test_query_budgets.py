"""Query budgets (issue 9): every list and dashboard page about the work with children asks the
database the same number of questions however many children, referrals, plans and meetings
there are. A page that grows a query per row (an N+1) fails here, naming the page and the two
counts.

Each page is opened by someone who sees records on it, in a world made by the synthetic data
generator (joinedup.demo.generate) twice, from the same seed: once small and once four times
larger. The people come from the generated world (its panel seats and keyworkers), with the
hats the pages ask for added."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import Membership, User
from joinedup.core.roles import Role
from joinedup.demo import generate as gen
from joinedup.notifications.services import notify
from joinedup.panels.models import AgendaItem, Meeting, PanelMember, PanelRole
from joinedup.plans.models import Plan, PlanStatus
from joinedup.records.models import SubjectAccessRequest
from joinedup.referrals.models import Referral
from joinedup.reports.models import SavedReport
from tests.conftest import make_person, sign_in_client
from tests.factories import (
    ChildFactory,
    FundingFactory,
    FundingStreamFactory,
    LocalityFactory,
    LoggedRelationshipFactory,
    OrganisationFactory,
    PartnershipMemberFactory,
    ProviderFactory,
    ReviewRoundFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TOTPDeviceFactory,
)

SMALL, LARGE = 80, 320  # children in the two worlds
SEED = 9


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # a key of the personas a world gives
    url: Callable[[dict[str, Any]], str]

    def __str__(self) -> str:
        return f"{self.name} as {self.persona}"


def _plain(name: str, query: str = "") -> Callable[[dict[str, Any]], str]:
    return lambda world: reverse(name) + query


def _list(name: str, persona: str) -> Page:
    return Page(name, persona, _plain(name))


def _panel(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda world: reverse(name, kwargs={"slug": world["panel_slug"]})


def _meeting(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda world: reverse(name, kwargs={"meeting_id": world["meeting_id"]})


PAGES = [
    # The panel's coordinator: the pipeline, the panel and its meetings, the work to follow up.
    _list("dashboards:coordinator", "coordinator"),
    _list("panels:pipeline", "coordinator"),
    _list("panels:panel_list", "coordinator"),
    Page("panels:panel_detail", "coordinator", _panel("panels:panel_detail")),
    Page("panels:attendance_report", "coordinator", _panel("panels:attendance_report")),
    Page("actions:panel_report", "coordinator", _panel("actions:panel_report")),
    Page("panels:meeting_detail", "coordinator", _meeting("panels:meeting_detail")),
    Page("panels:pack", "coordinator", _meeting("panels:pack")),
    _list("referrals:referral_inbox", "coordinator"),
    _list("tracking:flags", "coordinator"),
    _list("transfers:list", "coordinator"),
    _list("reports:data_quality", "coordinator"),
    _list("reports:report", "coordinator"),
    _list("reports:reflections_home", "coordinator"),
    _list("panels:contribution_list", "member"),
    _list("dashboards:chair", "chair"),
    # A keyworker (their caseload and actions) and a referrer (their referrals).
    _list("dashboards:keyworker", "keyworker"),
    _list("plans:my_caseload", "keyworker"),
    _list("children:caseload", "keyworker"),
    _list("actions:my_actions", "keyworker"),
    _list("referrals:referral_list", "referrer"),
    Page("children:search", "keyworker", _plain("children:search", "?q=a")),
    # The partnership's view: the steering dashboard and the city's report.
    _list("dashboards:steering", "strategic"),
    _list("reports:report", "strategic"),
    # Administration, and the audit trail for information governance.
    _list("core:audit_log", "ig"),
]


def _hat(user: Any, role: Role) -> Any:
    membership = Membership.objects.filter(user=user).order_by("started_on", "pk").first()
    assert membership is not None, f"{user} has no organisation in the generated world"
    Membership.objects.get_or_create(
        user=user,
        organisation=membership.organisation,
        role=role,
        defaults={"job_title": "Worker", "started_on": membership.started_on},
    )
    TOTPDeviceFactory(user=user)
    return user


def _generated_world(children: int) -> dict[str, Any]:
    """The generated world of `children` children, the people who open the pages, and the
    panel and meeting the pages are about. Each person is the busiest of their kind, so that
    their pages list records in the small world as in the large one: a page that shows no
    records asks fewer questions (nothing to name, nothing to audit) without being wrong."""
    gen.generate(children, seed=SEED, progress=False)
    # The panel with the most cases on its agendas, and its busiest meeting so far.
    busiest = (
        AgendaItem.objects.filter(meeting__starts_at__lt=timezone.now())
        .values("meeting_id", "meeting__panel_id")
        .annotate(items=Count("pk"))
        .order_by("-items", "meeting_id")
        .first()
    )
    assert busiest is not None, "the generated world has no past agenda"
    meeting = Meeting.objects.select_related("panel").get(pk=busiest["meeting_id"])
    seats = PanelMember.objects.filter(panel=meeting.panel).select_related("user")
    keyworking = (
        Plan.objects.filter(status=PlanStatus.OPEN)
        .values("keyworker_id")
        .annotate(plans=Count("pk"))
        .order_by("-plans", "keyworker_id")
        .first()
    )
    assert keyworking is not None, "the generated world has no open plan"
    keyworker = _hat(User.objects.get(pk=keyworking["keyworker_id"]), Role.KEYWORKER)
    referring = (
        Referral.objects.values("referrer_id")
        .annotate(referrals=Count("pk"))
        .order_by("-referrals", "referrer_id")
        .first()
    )
    assert referring is not None, "the generated world has no referral"
    referrer = _hat(User.objects.get(pk=referring["referrer_id"]), Role.REFERRER)
    return {
        "panel_slug": meeting.panel.slug,
        "meeting_id": meeting.pk,
        "coordinator": _hat(seats.get(role=PanelRole.COORDINATOR).user, Role.PANEL_COORDINATOR),
        "chair": _hat(seats.get(role=PanelRole.CHAIR).user, Role.PANEL_CHAIR),
        "member": _hat(
            seats.filter(role=PanelRole.MEMBER).order_by("pk").first().user, Role.PANEL_MEMBER
        ),
        "keyworker": keyworker,
        "referrer": referrer,
        "strategic": make_person(Role.STRATEGIC_MANAGER),
        "admin": make_person(Role.SYSTEM_ADMIN),
        "ig": make_person(Role.IG_OFFICER),
    }


def _queries_per_page(
    build: Callable[[int], dict[str, Any]], size: int, pages: list[Page]
) -> dict[str, int | str]:
    """How many queries each page asks in the world `build(size)` makes, undone after."""
    found: dict[str, int | str] = {}
    with transaction.atomic():
        world = build(size)
        for page in pages:
            client = sign_in_client(Client(), world[page.persona])
            url = page.url(world)
            # The first visit fills what is cached for a while (the session, the content
            # types): the second is the one every later visit is like.
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                found[str(page)] = f"answered {response.status_code}"
            else:
                found[str(page)] = len(queries.captured_queries)
        transaction.set_rollback(True)
    return found


# The partnership's side: the directory, funding, partnerships, people and paperwork, grown with
# the factories from GROWN_SMALL to GROWN_LARGE of each kind of record.
GROWN_SMALL, GROWN_LARGE = 3, 12

GROWN_PAGES = [
    _list("directory:search", "maintainer"),
    _list("directory:mine", "maintainer"),
    _list("directory:overlap", "strategic"),
    _list("directory:funding", "strategic"),
    _list("oruk:services", "maintainer"),
    _list("oruk:service_at_locations", "maintainer"),
    _list("oruk:organizations", "maintainer"),
    _list("oruk:taxonomy_terms", "maintainer"),
    _list("funding:stream_list", "strategic"),
    _list("funding:funder_list", "strategic"),
    _list("funding:timeline", "strategic"),
    _list("partnerships:partnership_list", "strategic"),
    _list("partnerships:person_list", "strategic"),
    _list("partnerships:relationship_list", "strategic"),
    _list("partnerships:network", "strategic"),
    _list("partnerships:map_table", "strategic"),
    _list("partnerships:map_data", "strategic"),
    _list("reviews:my_rounds", "maintainer"),
    _list("organisations:organisation_list", "admin"),
    _list("organisations:locality_list", "admin"),
    _list("accounts:user_list", "admin"),
    Page(
        "notifications:notification_list", "maintainer", _plain("notifications:notification_list")
    ),
    _list("reports:saved_list", "strategic"),
    _list("records:sar_list", "ig"),
]


def _grown_world(size: int) -> dict[str, Any]:
    """`size` records of each kind the partnership's pages list, each visible to its reader."""
    maintainer = make_person(Role.KEYWORKER)
    organisation = Membership.objects.get(user=maintainer).organisation
    strategic = make_person(Role.STRATEGIC_MANAGER)
    for n in range(size):
        place = LocalityFactory()
        partner = OrganisationFactory()
        partner.localities.add(place)
        service = ServiceFactory(provider=ProviderFactory(maintained_by=organisation))
        ServiceAtLocationFactory(service=service)
        ServiceTermFactory(service=service)
        FundingFactory(service=service)
        FundingStreamFactory()
        seat = PartnershipMemberFactory(organisation=organisation)
        PartnershipMemberFactory(partnership=seat.partnership, organisation=partner)
        ReviewRoundFactory(partnership=seat.partnership)
        LoggedRelationshipFactory(from_organisation=organisation, to_organisation=partner)
        make_person(Role.REFERRER)
        notify(
            recipient=maintainer,
            text=f"Notice {n}",
            url="/",
            kind="test",
            dedupe_key=f"budget-{n}",
        )
        SavedReport.objects.create(
            name=f"Report {n}",
            owner=strategic,
            scope_kind="city",
            period_rule="last_quarter",
            figures=["referrals_by_month"],
        )
        SubjectAccessRequest.objects.create(
            child=ChildFactory(),
            requester_name=f"Parent {n}",
            requester="parent",
            received_on=timezone.localdate(),
            due_on=timezone.localdate(),
        )
    return {
        "maintainer": maintainer,
        "strategic": strategic,
        "admin": make_person(Role.SYSTEM_ADMIN),
        "ig": make_person(Role.IG_OFFICER),
    }


def _same_count_on_every_page(
    subtests: Any, build: Callable[[int], dict[str, Any]], sizes: tuple[int, int], pages: list[Page]
) -> None:
    small, large = (_queries_per_page(build, size, pages) for size in sizes)
    for page in pages:
        with subtests.test(str(page)):
            assert isinstance(small[str(page)], int), f"{page}: {small[str(page)]} (small world)"
            assert isinstance(large[str(page)], int), f"{page}: {large[str(page)]} (large world)"
            assert small[str(page)] == large[str(page)], (
                f"{page}: {small[str(page)]} queries with {sizes[0]} of each record, "
                f"{large[str(page)]} with {sizes[1]}"
            )


def test_the_pages_about_the_work_with_children_ask_as_many_queries_whatever_the_data(db, subtests):
    _same_count_on_every_page(subtests, _generated_world, (SMALL, LARGE), PAGES)


def test_the_pages_about_the_partnership_ask_as_many_queries_whatever_the_data(db, subtests):
    _same_count_on_every_page(subtests, _grown_world, (GROWN_SMALL, GROWN_LARGE), GROWN_PAGES)
