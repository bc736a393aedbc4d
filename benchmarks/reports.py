"""Report build times (issue 8, docs/performance.md), on data made by joinedup.demo.generate:

- city_quarter: the whole city's report for the last complete quarter, every figure
  (joinedup.reports.selectors.build_report, disclosure control included), over the national
  data set (1,000,000 children, about 2,500,000 referrals), target p95 under 5 s;
- panel_month: one panel's report for the last complete month, over the city data set
  (50,000 children, about 120,000 referrals), target p95 under 500 ms. The panel is the one
  with the most referrals in that month. The full run also times it over the national data.

Each figure is also timed alone (build_report with keys=[one key]), so a slow figure shows.

With --quick one data set of 20,000 children serves both, so that `make bench-quick` stays
under 5 minutes: its panels have as many children as the city's (the generator gives each
panel about 4,000 at every scale), so panel_month is close to the stated target, and
city_quarter is a lower bound for the national one.

Every measurement runs in a forked process with a time limit (TIME_LIMIT_S, per figure
FIGURE_TIME_LIMIT_S): a figure that takes far too long is reported as timed out (and its
target as not met) instead of holding up `make bench`.

Each data set is generated into a fresh SQLite database in a temporary folder, never the
configured one. JOINEDUP_BENCH_REPORTS_NATIONAL and JOINEDUP_BENCH_REPORTS_CITY may name a
database already generated (python -m joinedup.demo.generate), used as it is (a strategic
manager is added to it the first time). JOINEDUP_BENCH_REPORTS_NATIONAL may also be a PostgreSQL
address (postgres://...) of a database generated with DATABASE_URL set: the national figures are
then measured there, in a process of their own (`python -m benchmarks.reports --national-here`),
and the rest on SQLite as before."""

import math
import os
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import migrated_database, p95, peak_memory_mb

TARGETS_MS = {"city_quarter": 5000.0, "panel_month": 500.0}
FULL = {"national": 1_000_000, "city": 50_000}
QUICK = {"national": 20_000}
TIME_LIMIT_S = {"city_quarter": 300.0, "panel_month": 60.0}
FIGURE_TIME_LIMIT_S = 60.0
QUICK_LIMIT_S = {"whole": 45.0, "figure": 20.0}
SEED = 2026


def _summary(milliseconds: list[float]) -> dict[str, float]:
    ordered = sorted(milliseconds)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95(ordered), 1),
        "max_ms": round(ordered[-1], 1),
    }


def _use_database(path: Path) -> None:
    """Django on the SQLite database at `path` (set up on first use, and switched over when a
    benchmark before this one set Django up)."""
    from django.apps import apps

    if not apps.ready:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(path)
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
        import django
        from django.test.utils import setup_test_environment

        django.setup()
        setup_test_environment()
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)


def _is_postgresql(address: str) -> bool:
    return address.startswith(("postgres://", "postgresql://"))


def _prepare(directory: str, name: str, children: int) -> tuple[Path, float | None]:
    """A database with `children` generated children: the one named by the environment, or
    a fresh one generated now. Returns its path and the seconds generating took."""
    given = os.environ.get(f"JOINEDUP_BENCH_REPORTS_{name.upper()}")
    if given and not _is_postgresql(given):
        _use_database(Path(given))
        return Path(given), None
    path = migrated_database(Path(directory) / f"{name}.sqlite3")
    _use_database(path)
    from joinedup.demo.generate import generate

    started = time.perf_counter()
    generate(children, seed=SEED, progress=True)
    return path, time.perf_counter() - started


def _viewer() -> Any:
    from benchmarks.panel_pack import _person
    from joinedup.accounts.models import Membership, User
    from joinedup.core.roles import Role
    from joinedup.organisations.models import Organisation

    existing = User.objects.filter(email="stella.strategic@bench.test").first()
    if existing is not None and Membership.objects.filter(user=existing).exists():
        return existing
    organisation = Organisation.objects.get(slug="bristol-city-council")
    return _person("Stella Strategic", Role.STRATEGIC_MANAGER, organisation)


def _last_complete_quarter(today: date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3  # the current quarter's number, less one
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def _last_complete_month(today: date) -> tuple[int, int]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.year, last.month


def _timings(call: Any, repeats: int) -> list[float]:
    """Milliseconds per call, after a first call (made by the caller) has brought the
    database's pages into the cache, as on a server in use."""
    measured = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        measured.append((time.perf_counter() - started) * 1000)
    return measured


def _limited(action: Any, limit_s: float) -> Any:
    """action() in a forked process, which opens its own database connection: its answer, or
    {"timed_out_s": limit_s} when it took longer (the process is then ended)."""
    import multiprocessing

    from django.db import connection

    connection.close()
    context = multiprocessing.get_context("fork")
    answers = context.Queue()

    def child() -> None:
        answers.put(action())

    process = context.Process(target=child, daemon=True)
    process.start()
    try:
        return answers.get(timeout=limit_s)
    except Exception:  # queue.Empty: too slow
        return {"timed_out_s": limit_s}
    finally:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()


def _time_report(
    scope: Any,
    period: Any,
    repeats: int,
    figure_repeats: int,
    limit_s: float,
    figure_limit_s: float,
) -> dict[str, Any]:
    """The whole report's timings and then each figure's, every one in a forked process with
    a time limit."""
    whole = _limited(lambda: _time_whole(scope, period, repeats), limit_s)
    from joinedup.reports.catalogue import FIGURES
    from joinedup.reports.figures import COUNTERS

    per_figure = {}
    for key in [spec.key for spec in FIGURES if spec.key in COUNTERS]:
        per_figure[key] = _limited(
            lambda key=key: _time_whole(scope, period, figure_repeats, keys=[key]),
            figure_limit_s,
        )
    whole["per_figure"] = dict(
        sorted(
            per_figure.items(),
            key=lambda item: item[1].get("p50_ms", 1000 * item[1].get("timed_out_s", 0)),
            reverse=True,
        )
    )
    return whole


def _time_whole(
    scope: Any, period: Any, repeats: int, keys: list[str] | None = None
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from joinedup.reports.selectors import build_report

    viewer = _viewer()

    def report() -> Any:
        return build_report(viewer=viewer, scope=scope, period=period, keys=keys)

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        built = report()
    queries = len(captured)
    connection.queries_log.clear()
    return {
        **_summary(_timings(report, repeats)),
        "runs": repeats,
        "queries": queries,
        "figures": len(built.tables),
        "period": period.label,
        "scope": scope.label,
    }


def _busiest_panel(period: Any) -> Any:
    from django.db.models import Count

    from joinedup.panels.models import Panel
    from joinedup.reports.figures import referrals
    from joinedup.reports.tables import Scope

    busiest = (
        referrals(Scope("city"), period)
        .values("panel")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return Panel.objects.get(pk=busiest["panel"]) if busiest else Panel.objects.first()


def _sizes() -> dict[str, int]:
    from joinedup.children.models import Child
    from joinedup.referrals.models import Referral

    return {"children": Child.objects.count(), "referrals": Referral.objects.count()}


def _limits(quick: bool, name: str) -> tuple[float, float]:
    if quick:
        return QUICK_LIMIT_S["whole"], QUICK_LIMIT_S["figure"]
    return TIME_LIMIT_S[name], FIGURE_TIME_LIMIT_S


def _repeats(quick: bool) -> tuple[int, int]:
    """(runs of the whole report, runs of each figure alone)"""
    return (2, 1) if quick else (7, 3)


def _panel_month(quick: bool) -> dict[str, Any]:
    from django.utils import timezone

    from joinedup.reports.tables import Period, Scope

    repeats, figure_repeats = _repeats(quick)
    _viewer()
    month = Period.month(*_last_complete_month(timezone.localdate()))
    scope = Scope("panel", panel=_busiest_panel(month))
    return _time_report(
        scope, month, repeats * 3, figure_repeats * 3, *_limits(quick, "panel_month")
    )


def _national(quick: bool, generated_s: float | None, with_panel: bool) -> dict[str, Any]:
    """city_quarter (and, `with_panel`, panel_month_national) on the database Django is on."""
    from django.db import connection
    from django.utils import timezone

    from joinedup.reports.tables import Period, Scope

    repeats, figure_repeats = _repeats(quick)
    quarter = Period.quarter(*_last_complete_quarter(timezone.localdate()))
    result: dict[str, Any] = {
        "national": {
            **_sizes(),
            "database": connection.vendor,
            "generate_s": round(generated_s, 1) if generated_s is not None else None,
        }
    }
    _viewer()  # made once, before the measuring processes
    result["city_quarter"] = _time_report(
        Scope("city"), quarter, repeats, figure_repeats, *_limits(quick, "city_quarter")
    )
    if with_panel:
        result["panel_month_national"] = _panel_month(quick)
    return result


def _national_on_postgresql(url: str, quick: bool) -> dict[str, Any]:
    """The national measurements in a process of its own, whose Django is on the PostgreSQL
    database at `url` (this process's is on SQLite, and cannot change database engine)."""
    import json
    import subprocess
    import sys

    environment = {**os.environ, "DATABASE_URL": url}
    environment.pop("JOINEDUP_BENCH_REPORTS_NATIONAL", None)
    command = [sys.executable, "-m", "benchmarks.reports", "--national-here"]
    completed = subprocess.run(  # noqa: S603 - this interpreter, this module
        command + (["--quick"] if quick else []),
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    answer: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return answer


def run(quick: bool) -> dict[str, Any]:
    sizes = QUICK if quick else FULL
    result: dict[str, Any] = {}
    directory = tempfile.mkdtemp(prefix="joinedup-bench-reports-")
    try:
        given = os.environ.get("JOINEDUP_BENCH_REPORTS_NATIONAL", "")
        if _is_postgresql(given):
            result.update(_national_on_postgresql(given, quick))
        else:
            _, seconds = _prepare(directory, "national", sizes["national"])
            result.update(_national(quick, seconds, with_panel="city" in sizes))
        if "city" in sizes:
            _, seconds = _prepare(directory, "city", sizes["city"])
            result["city"] = {
                **_sizes(),
                "generate_s": round(seconds, 1) if seconds is not None else None,
            }
        elif _is_postgresql(given):
            # --quick with national data elsewhere: the panel's month needs data here too.
            _prepare(directory, "national", sizes["national"])
        result["panel_month"] = _panel_month(quick)
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(directory, ignore_errors=True)
    result.update(
        peak_memory_mb=round(peak_memory_mb(), 1),
        load_average_1min=round(os.getloadavg()[0], 2),
        cpus=os.cpu_count(),
        targets={f"{name}_p95_ms": target for name, target in TARGETS_MS.items()},
        met={
            f"{name}_p95_ms": result[name].get("p95_ms", math.inf) < target
            for name, target in TARGETS_MS.items()
        },
    )
    return result


def _main() -> None:
    """`python -m benchmarks.reports --national-here [--quick]`: the national measurements on
    the configured database (DATABASE_URL), printed as one line of JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m benchmarks.reports")
    parser.add_argument("--national-here", action="store_true", required=True)
    parser.add_argument("--quick", action="store_true")
    arguments = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    print(json.dumps(_national(arguments.quick, None, with_panel=not arguments.quick)))


if __name__ == "__main__":
    _main()
