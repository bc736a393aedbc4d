"""Server time of directory search over 20,000 synthetic services
(joinedup.directory.synthetic.generate_directory): typical searches through the search function
(need + age + locality; within 2 miles of a postcode; words; open now) and the search page,
signed out as a family would be, through the Django test client. Each is run N times after one
warm-up; reported as p50, p95 and the slowest, with the queries each made.

Searches run over the directory's index held in memory, built again after any change to the
directory (joinedup/directory/search_index.py): the time to build it over 20,000 services,
which the first search after a change pays, and the memory it holds are reported beside them.

Runs against a fresh SQLite database in a temporary folder, never the configured one."""

import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.common import latency_results
from benchmarks.flags import _timings
from benchmarks.pages import _fresh_database

TARGET_P95_MS = 50.0
SERVICES = 20_000
# A Tuesday at 4pm, when many synthetic services are open.
TUESDAY_4PM = datetime(2026, 3, 3, 16, 0, tzinfo=ZoneInfo("Europe/London"))


def _build(services: int) -> dict[str, Any]:
    from joinedup.directory.synthetic import generate_directory
    from joinedup.organisations.models import Locality

    for slug, name, districts in (
        ("easton", "Easton and Lawrence Hill", ["BS5"]),
        ("lockleaze", "Lockleaze and Upper Horfield", ["BS7"]),
        ("knowle-west", "Knowle West", ["BS4", "BS13"]),
    ):
        Locality.objects.get_or_create(
            slug=slug, defaults={"name": name, "postcode_districts": districts}
        )
    made = generate_directory(services)
    return {"services": made.services, "providers": made.providers, "terms": made.terms}


def _index_cost(repeats: int) -> dict[str, Any]:
    """Milliseconds to build the search index from the database (the slowest of `repeats`),
    and the memory the built index holds."""
    import tracemalloc

    from joinedup.directory.search_index import build_index, current_token

    token = current_token()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        build_index(token)
        timings.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = build_index(token)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del index
    return {
        "index_build_ms_slowest": round(max(timings), 1),
        "index_memory_mb": round(held / 2**20, 1),
    }


def run(quick: bool) -> dict[str, Any]:
    repeats = 15 if quick else 50
    with tempfile.TemporaryDirectory() as directory:
        _fresh_database(directory)
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        started = time.perf_counter()
        built = _build(SERVICES)
        build_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
        import joinedup.wsgi  # noqa: F401
        from joinedup.directory.models import TaxonomyTerm
        from joinedup.directory.search import SearchCriteria, service_search
        from joinedup.organisations.models import Locality

        mentoring = TaxonomyTerm.objects.get(name="Mentoring")
        easton = Locality.objects.get(slug="easton")
        searches: dict[str, SearchCriteria] = {
            "need_age_locality": SearchCriteria(need=mentoring.pk, age=12, locality=easton.pk),
            "postcode_2_miles": SearchCriteria(postcode="BS5 0HE", distance=2),
            "words": SearchCriteria(words="youth club"),
            "open_now": SearchCriteria(open_now=True),
        }
        client = Client()
        url = reverse("directory:search")
        pages = {
            "page_need_age_locality": {
                "need": str(mentoring.pk),
                "age": "12",
                "locality": "easton",
            },
            "page_postcode_2_miles": {"postcode": "BS5 0HE", "distance": "2"},
        }

        def search(criteria: SearchCriteria) -> Callable[[], Any]:
            return lambda: service_search(criteria, now=TUESDAY_4PM)

        def page(query: dict[str, str]) -> Callable[[], Any]:
            def call() -> Any:
                response = client.get(url, query)
                assert response.status_code == 200, response.status_code
                return response

            return call

        calls: dict[str, Callable[[], Any]] = {
            **{name: search(criteria) for name, criteria in searches.items()},
            **{name: page(query) for name, query in pages.items()},
        }
        found = {
            name: service_search(criteria, now=TUESDAY_4PM).count
            for name, criteria in searches.items()
        }
        measured = {name: _timings(call, repeats) for name, call in calls.items()}
        index = _index_cost(repeats=3 if quick else 5)
    result: dict[str, Any] = {
        **built,
        "found": found,
        "build_s": round(build_seconds, 1),
        "runs": repeats,
        **index,
    }
    result.update(latency_results(measured, TARGET_P95_MS))
    return result
