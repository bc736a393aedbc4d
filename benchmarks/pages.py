"""Server time of two list pages, through the Django test client (middleware, sessions, audit
trail and all): the coordinator's pipeline with 2,000 open cases across every stage (its first
page and a page filtered to one stage), and a keyworker's caseload of 40 open plans. Each is
requested N times after one warm-up request; reported as p50, p95 and the slowest, with the
queries each request made.

Runs against a fresh SQLite database in a temporary folder, never the configured one."""

import gc
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import latency_results, migrated_database
from benchmarks.panel_pack import _person, _setup_django, _signed_in_client
from joinedup.children.identifiers import CROCKFORD

TARGET_P95_MS = 100.0
CASES = 2000
CASELOAD = 40
# How the cases spread across the stages, as a coordinator's panel might after a few years.
SPREAD = {"referred": 500, "agenda": 350, "decided": 250, "plan": 650, "closed": 250}
PAGES = ("pipeline_first_page", "pipeline_filtered", "caseload")


def _code(number: int) -> str:
    """A distinct pseudonym code per child: random ones could collide across 2,000."""
    digits = []
    for _ in range(5):
        number, remainder = divmod(number, len(CROCKFORD))
        digits.append(CROCKFORD[remainder])
    return "".join(reversed(digits))


def _build() -> tuple[Any, Any]:
    """A coordinator whose panel has CASES open cases and a keyworker leading CASELOAD of the
    open plans, each row made in bulk."""
    from django.utils import timezone

    from joinedup.children.models import Child, HouseholdMember, Involvement
    from joinedup.consent.models import ConsentRecord, GivenBy, Method, Scope
    from joinedup.core.roles import Role
    from joinedup.organisations.models import Locality, Organisation
    from joinedup.panels.models import (
        AgendaItem,
        Decision,
        DecisionOutcome,
        Meeting,
        Panel,
        PanelMember,
        PanelRole,
    )
    from joinedup.plans.models import Outcome, Plan, PlanStatus
    from joinedup.referrals.models import IdentityStatus, Referral

    now, today = timezone.now(), timezone.localdate()
    locality = Locality.objects.create(name="Easton", slug="easton", postcode_districts=["BS5"])
    school = Organisation.objects.create(name="Bench Primary", slug="bench-primary", kind="school")
    project = Organisation.objects.create(name="Bench Youth", slug="bench-youth", kind="voluntary")
    panel = Panel.objects.create(name="Bench panel", slug="bench")
    panel.localities.add(locality)
    other_panel = Panel.objects.create(name="Other panel", slug="other")
    coordinator = _person("Cory Coordinator", Role.PANEL_COORDINATOR, project)
    PanelMember.objects.create(
        panel=panel, user=coordinator, organisation=project, role=PanelRole.COORDINATOR
    )
    referrer = _person("Rita Referrer", Role.REFERRER, school)
    keyworker = _person("Kay Worker", Role.KEYWORKER, project)
    others = [_person(f"Worker {n}", Role.KEYWORKER, project) for n in range(10)]
    meetings = Meeting.objects.bulk_create(
        Meeting(panel=panel, starts_at=now + timedelta(days=28 * (n - 11))) for n in range(14)
    )
    past, future = meetings[:11], meetings[11:]

    children = Child.objects.bulk_create(
        Child(
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            date_of_birth=today - timedelta(days=365 * 10 + n % 1000),
            locality=locality,
            school=school,
            pseudonym_code=_code(n),
        )
        for n in range(CASES + 200)
    )
    stages = [stage for stage, count in SPREAD.items() for _ in range(count)]
    referrals = Referral.objects.bulk_create(
        Referral(
            child=child,
            referrer=referrer,
            referring_organisation=school,
            relationship_to_child="Learning mentor",
            what_has_been_tried="Mentoring at school.",
            urgency="routine",
            family_aware="yes",
            panel=panel if n < CASES else other_panel,
            identity_status=IdentityStatus.TO_CHECK if n % 7 == 0 else IdentityStatus.NEW,
        )
        for n, child in enumerate(children)
    )
    # Each case was referred on a different day over the last three years; every tenth child
    # had an earlier referral too, which the pipeline must not count twice.
    for n, referral in enumerate(referrals):
        referral.submitted_at = now - timedelta(days=n % 1000 + 30, minutes=n)
    Referral.objects.bulk_update(referrals, ["submitted_at"], batch_size=500)
    earlier = Referral.objects.bulk_create(
        Referral(
            child=referral.child,
            referrer=referrer,
            referring_organisation=school,
            relationship_to_child="Learning mentor",
            what_has_been_tried="Mentoring at school.",
            urgency="routine",
            family_aware="yes",
            panel=panel,
        )
        for referral in referrals[:CASES:10]
    )
    for referral in earlier:
        referral.submitted_at = now - timedelta(days=1500)
    Referral.objects.bulk_update(earlier, ["submitted_at"], batch_size=500)

    parents = HouseholdMember.objects.bulk_create(
        HouseholdMember(
            child=child,
            full_name=f"Parent {n}",
            relationship="mother",
            has_parental_responsibility=True,
        )
        for n, child in enumerate(children[:CASES:2])
    )
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            child=parent.child,
            given_by=GivenBy.PARENT,
            household_member=parent,
            scope=Scope.PANEL_DISCUSSION,
            method=Method.VERBAL,
            witness_name="Wendy Witness",
            given_on=today - timedelta(days=20),
        )
        for parent in parents
    )

    items: list[Any] = []
    decisions: list[Any] = []
    plans: list[Any] = []
    caseload: list[Any] = []
    for n, (child, stage) in enumerate(zip(children, stages, strict=False)):
        if stage == "referred":
            continue
        meeting = future[n % 2] if stage == "agenda" else past[n % len(past)]
        items.append(AgendaItem(meeting=meeting, child=child, referral=referrals[n]))
    AgendaItem.objects.bulk_create(items)
    by_child = {item.child_id: item for item in items}
    for n, (child, stage) in enumerate(zip(children, stages, strict=False)):
        if stage in ("referred", "agenda"):
            continue
        outcome = (
            DecisionOutcome.SUPPORT_PLAN
            if stage in ("plan", "closed") or n % 3 == 0
            else DecisionOutcome.DEFER
            if n % 3 == 1
            else DecisionOutcome.SIGNPOST
        )
        decisions.append(
            Decision(
                item=by_child[child.pk],
                outcome=outcome,
                rationale="Two agencies and the parents are concerned.",
                decided_by=coordinator,
            )
        )
        if stage not in ("plan", "closed"):
            continue
        leads = keyworker if stage == "plan" and len(caseload) < CASELOAD else others[n % 10]
        plan = Plan(
            child=child,
            keyworker=leads,
            keyworker_organisation=project,
            panel=panel,
            opened_on=today - timedelta(days=n % 300 + 1),
            opened_by=coordinator,
            next_review_on=today + timedelta(days=n % 120 - 30),
        )
        if stage == "closed":
            plan.status = PlanStatus.CLOSED
            plan.closed_on = today - timedelta(days=n % 80)
            plan.outcome = Outcome.GOALS_MET
            plan.outcome_reason = "The goals were met."
        elif leads == keyworker:
            caseload.append(plan)
        plans.append(plan)
    Decision.objects.bulk_create(decisions)
    Plan.objects.bulk_create(plans)
    Involvement.objects.bulk_create(
        Involvement(child=plan.child, organisation=project, worker=keyworker, role="keyworker")
        for plan in caseload
    )
    # Rows made in bulk bypass the services that keep each case's stage: work them all out
    # once, as the upgrade that brought the stored stages does (timed apart from the build).
    return coordinator, keyworker


def _stages() -> float:
    from joinedup.panels.pipeline import cases_rebuild

    started = time.perf_counter()
    cases_rebuild()
    return time.perf_counter() - started


def _timings(request: Callable[[], Any], repeats: int) -> dict[str, list[float]]:
    """Wall-clock and CPU milliseconds per request, after one warm-up request, and the
    queries of three requests counted apart: counting turns on Django's debug cursor, whose
    own cost is no part of the server's time. Both times are kept: on a machine shared with
    other work the wall clock mostly measures the queue for the processor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request()
    queries = set()
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            request()
        queries.add(len(captured))
    connection.queries_log.clear()
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = request()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return {"wall": sorted(wall), "cpu": sorted(cpu), "queries": sorted(queries)}


def _fresh_database(directory: str) -> None:
    """A new SQLite database in `directory`, also when another benchmark of the same run
    (`make bench` runs them in one process) already set Django up on its own."""
    from django.apps import apps

    if not apps.ready:
        _setup_django(directory)
        return
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(migrated_database(Path(directory) / "pages.sqlite3"))


def run(quick: bool) -> dict[str, Any]:
    repeats = 15 if quick else 50
    with tempfile.TemporaryDirectory() as directory:
        _fresh_database(directory)
        from django.urls import reverse

        started = time.perf_counter()
        coordinator, keyworker = _build()
        build_seconds = time.perf_counter() - started
        stages_seconds = _stages()
        # The rows made in bulk sit in SQLite's write-ahead log until a checkpoint, and reads
        # look them up there: a database in use has long been checkpointed.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # Start the application as the server does (joinedup/wsgi.py), garbage collector
        # settings included.
        import joinedup.wsgi  # noqa: F401

        pipeline = reverse("panels:pipeline")
        coordinating, keyworking = _signed_in_client(coordinator), _signed_in_client(keyworker)
        requests = {
            "pipeline_first_page": lambda: coordinating.get(pipeline),
            "pipeline_filtered": lambda: coordinating.get(pipeline, {"stage": "plan", "page": 3}),
            "caseload": lambda: keyworking.get(reverse("plans:my_caseload")),
        }
        first = coordinating.get(pipeline).context["counts"]
        measured = {name: _timings(request, repeats) for name, request in requests.items()}
        # Thawed again, so that what the benchmark made is freed at exit like anything else
        # (frozen, some libraries report it as leaked).
        gc.unfreeze()
    result: dict[str, Any] = {
        "cases": CASES,
        "caseload_plans": CASELOAD,
        "pipeline_counts": first,
        "build_s": round(build_seconds, 1),
        # Working out and storing the stage of every case at once (pipeline_rebuild).
        "stages_rebuild_s": round(stages_seconds, 2),
        "runs": repeats,
    }
    result.update(latency_results(measured, TARGET_P95_MS))
    return result
