#!/usr/bin/env bash
# The PostgreSQL run of `make test`, inside scripts/with-postgres.sh. The journeys marked
# both_databases (the panel's acceptance journey, over a minute) run in a process of their own
# beside the rest of the suite: run last on one of the two workers, as pytest-django's order
# puts them, the other worker sat idle for most of that minute. Tests that use no database, and
# the few that check only what the browser is sent, are left out (JOINEDUP_SECOND_DATABASE_RUN,
# tests/conftest.py): they have run on SQLite, and run the same code.
# Every process's test database is a copy of one migrated template (tests/database_template.py),
# built first.
# Usage: scripts/pytest-postgres.sh PYTEST [ARGS...]   (PYTEST is the xdist command line)
set -uo pipefail
journeys_log="$(mktemp)"
trap 'rm -f "$journeys_log"' EXIT
export JOINEDUP_SECOND_DATABASE_RUN=1
"$(dirname "$1")/python" -m tests.database_template postgres || exit

# -n 0: its own database (test_joinedup), apart from the workers' (test_joinedup_gw0, ...).
"$1" -n 0 -q -m "browser and both_databases" >"$journeys_log" 2>&1 &
journeys=$!
"$@" -m "not browser"
suite=$?
wait "$journeys"
journeys_status=$?
echo "--- PostgreSQL: the journeys marked both_databases ---"
cat "$journeys_log"
if [[ "$suite" -ne 0 ]]; then exit "$suite"; fi
exit "$journeys_status"
