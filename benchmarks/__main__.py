"""Run every benchmark, write benchmarks/results/<name>.json and print a table."""

import argparse
import importlib
import time

from benchmarks.common import write_result

BENCHMARKS = (
    "matching_febrl",
    "matching_uk_synthetic",
    "intake_latency",
    "panel_pack",
    "pages",
    "flags",
    "oruk_api",
    "directory_search",
    "partnership_map",
    "reports",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (under 5 minutes)")
    parser.add_argument("names", nargs="*", default=list(BENCHMARKS))
    arguments = parser.parse_args()
    rows = []
    for name in arguments.names:
        started = time.perf_counter()
        result = importlib.import_module(f"benchmarks.{name}").run(arguments.quick)
        result["wall_s"] = round(time.perf_counter() - started, 1)
        result["quick"] = arguments.quick
        write_result(name, result)
        for target, met in result["met"].items():
            rows.append((name, target, "met" if met else "not met"))
        print(f"{name}: {result}")
    print(f"\n{'benchmark':<24}{'target':<32}result")
    for name, target, outcome in rows:
        print(f"{name:<24}{target:<32}{outcome}")


if __name__ == "__main__":
    main()
