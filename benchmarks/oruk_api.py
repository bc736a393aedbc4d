"""Server time of the Open Referral UK API (joinedup/directory/api.py) over a directory of
20,000 services (joinedup.directory.synthetic): `/api/oruk/services?per_page=50`, its first page
and a page filtered by need, age and day, fully nested, through the Django test client
(middleware and all). Each is requested N times after one warm-up; reported as p50, p95 and the
slowest, with the queries each request made (constant whatever the page size).

Runs against a fresh SQLite database in a temporary folder, never the configured one."""

import gc
import tempfile
import time
from typing import Any

from benchmarks.common import latency_results
from benchmarks.flags import _timings
from benchmarks.pages import _fresh_database

TARGET_P95_MS = 50.0
SERVICES = 20_000
QUICK_SERVICES = 5_000
MEASURED = ("services_first_page", "services_filtered")


def run(quick: bool) -> dict[str, Any]:
    repeats = 10 if quick else 30
    size = QUICK_SERVICES if quick else SERVICES
    with tempfile.TemporaryDirectory() as directory:
        _fresh_database(directory)
        from django.db import connection
        from django.test import Client

        from joinedup.directory.models import TaxonomyTerm
        from joinedup.directory.synthetic import generate_directory

        started = time.perf_counter()
        generate_directory(size)
        build_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        import joinedup.wsgi  # noqa: F401

        term = TaxonomyTerm.objects.get(name="Mentoring")
        client = Client()
        filtered = {"per_page": 50, "taxonomy_term_id": str(term.id), "age": 12, "day": "WE"}
        sizes: dict[str, int] = {}

        def get(name: str, params: dict[str, Any]) -> Any:
            response = client.get("/api/oruk/services", params)
            assert response.status_code == 200, response.status_code
            return response

        # Read once apart from the timings: parsing the answer is the client's work.
        sizes.update(
            services_first_page=get("", {"per_page": 50}).json()["total_items"],
            services_filtered=get("", filtered).json()["total_items"],
        )

        measured = {
            "services_first_page": _timings(
                lambda: get("services_first_page", {"per_page": 50}), repeats
            ),
            "services_filtered": _timings(lambda: get("services_filtered", filtered), repeats),
        }
        gc.unfreeze()
    result: dict[str, Any] = {
        "services": size,
        "build_s": round(build_seconds, 1),
        "runs": repeats,
        "matching": sizes,
    }
    result.update(latency_results(measured, TARGET_P95_MS))
    return result
