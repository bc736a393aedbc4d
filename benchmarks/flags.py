"""Server time of the duplication and gap flags (joinedup/tracking/flags.py) for a coordinator
whose panel has 2,000 referred children across every stage (the pipeline benchmark's data set,
benchmarks/pages.py), with overlapping support on some open plans and repeat referrals from
several agencies for others: the flags selector (`flag_board`, every flag worked out, as the
page and the dashboard ask) and the flags page's first page through the Django test client.
Each is run N times after one warm-up; reported as p50, p95 and the slowest, with the queries
each made.

Runs against a fresh SQLite database in a temporary folder, never the configured one."""

import gc
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from benchmarks.common import latency_results
from benchmarks.pages import _build, _fresh_database, _stages
from benchmarks.panel_pack import _signed_in_client

TARGET_P95_MS = 250.0
MEASURED = ("flag_board", "flags_page")


def _more_flags(coordinator: Any) -> dict[str, int]:
    """Overlapping support on every fifth open plan and, for every twentieth referred child,
    referrals from two more agencies this year: made in bulk, as the rest of the data set."""
    from django.utils import timezone

    from joinedup.organisations.models import Organisation
    from joinedup.plans.models import Intervention, InterventionStatus, Plan, PlanStatus, Purpose
    from joinedup.referrals.models import Referral

    today, now = timezone.localdate(), timezone.now()
    plans = list(Plan.objects.filter(status=PlanStatus.OPEN).order_by("pk"))
    overlapping = plans[::5]
    Intervention.objects.bulk_create(
        Intervention(
            plan=plan,
            service="Mentoring",
            purpose=Purpose.MENTORING,
            provider_name=provider,
            status=InterventionStatus.STARTED,
            starts_on=today - timedelta(days=30),
            frequency="Weekly",
        )
        for plan in overlapping
        for provider in ("Bench Mentoring Trust", "City Mentors")
    )
    police = Organisation.objects.create(name="Bench Police", slug="bench-police", kind="police")
    youth = Organisation.objects.create(
        name="Bench Youth Service", slug="bench-ys", kind="youth_service"
    )
    referrer_of = Referral.objects.order_by("pk").first()
    assert referrer_of is not None
    children = list(
        Referral.objects.filter(panel__slug="bench").values_list("child", flat=True).order_by("pk")
    )[::20]
    repeats = Referral.objects.bulk_create(
        Referral(
            child_id=child,
            referrer=referrer_of.referrer,
            referring_organisation=organisation,
            relationship_to_child="Worker",
            what_has_been_tried="Mentoring at school.",
            urgency="routine",
            family_aware="yes",
            panel_id=referrer_of.panel_id,
        )
        for child in children
        for organisation in (police, youth)
    )
    for n, referral in enumerate(repeats):
        referral.submitted_at = now - timedelta(days=40 + n % 60, minutes=n)
    Referral.objects.bulk_update(repeats, ["submitted_at"], batch_size=500)
    return {"overlapping_plans": len(overlapping), "children_referred_again": len(children)}


def _timings(call: Callable[[], Any], repeats: int) -> dict[str, list[float]]:
    """Wall-clock and CPU milliseconds per call after one warm-up call, and the queries of
    three calls counted apart (counting turns on Django's debug cursor, whose own cost is no
    part of the time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    queries = set()
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            call()
        queries.add(len(captured))
    connection.queries_log.clear()
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {"wall": sorted(wall), "cpu": sorted(cpu), "queries": sorted(queries)}


def run(quick: bool) -> dict[str, Any]:
    repeats = 10 if quick else 30
    with tempfile.TemporaryDirectory() as directory:
        _fresh_database(directory)
        from django.db import connection
        from django.urls import reverse

        started = time.perf_counter()
        coordinator, _ = _build()
        extra = _more_flags(coordinator)
        build_seconds = time.perf_counter() - started
        _stages()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        import joinedup.wsgi  # noqa: F401
        from joinedup.tracking import selectors

        client = _signed_in_client(coordinator)
        flags_url = reverse("tracking:flags")

        def page() -> Any:
            response = client.get(flags_url)
            assert response.status_code == 200, response.status_code
            return response

        calls: dict[str, Callable[[], Any]] = {
            "flag_board": lambda: selectors.flag_board(viewer=coordinator),
            "flags_page": page,
        }
        counts = selectors.flag_board(viewer=coordinator).counts
        measured = {name: _timings(call, repeats) for name, call in calls.items()}
        gc.unfreeze()
    result: dict[str, Any] = {
        "children": 2000,
        **extra,
        "flag_counts": counts,
        "build_s": round(build_seconds, 1),
        "runs": repeats,
    }
    result.update(latency_results(measured, TARGET_P95_MS))
    return result
