"""Time `disclosure.protect` on tables shaped like the city's largest ones (not a test):
`python -m benchmarks.disclosure [agencies ...]`. Tables: attendance by agency (agencies x
attended / apologies / absent, most agencies at a handful of meetings) and a 100 x 3 table of
small counts. Deterministic (seeded)."""

import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")

django.setup()

from joinedup.reports.disclosure import protect  # noqa: E402
from joinedup.reports.tables import Table  # noqa: E402


def attendance(agencies: int, seed: int = 8) -> Table:
    rng = random.Random(seed)  # noqa: S311 - made-up counts
    rows = []
    for i in range(agencies):
        seats = rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 10, 25])  # meetings x seats
        attended = sum(rng.random() < 0.75 for _ in range(seats))
        apologies = sum(rng.random() < 0.6 for _ in range(seats - attended))
        rows.append((f"Agency {i}", (attended, apologies, seats - attended - apologies)))
    return Table(
        "attendance_by_agency",
        "Attendance",
        "",
        "Agency",
        ("Attended", "Sent apologies", "Absent"),
        tuple(rows),
    )


def small(rows: int, seed: int = 3) -> Table:
    rng = random.Random(seed)  # noqa: S311 - made-up counts
    return Table(
        "small",
        "Small",
        "",
        "Row",
        ("A", "B", "C"),
        tuple(
            (f"Row {i}", tuple(rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30]) for _ in range(3)))
            for i in range(rows)
        ),
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [54, 969]
    cases = [(f"attendance {n} agencies", attendance(n)) for n in sizes]
    cases.append(("100 x 3 small counts", small(100)))
    for name, table in cases:
        cells = [v for _, row in table.rows for v in row]
        start = time.perf_counter()
        published = protect(table)
        took = time.perf_counter() - start
        hidden = sum(c.value is None for _, row in published.rows for c in row)
        print(f"{name}: {sum(0 < v < 5 for v in cells)} small, {hidden} hidden, {took:.3f} s")


if __name__ == "__main__":
    main()
