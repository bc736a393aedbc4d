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
export JOINEDUP_SECOND_DATABASE_RUN=1
"$(dirname "$1")/python" -m tests.database_template postgres || exit

# -n 0: its own database (test_joinedup), apart from the workers' (test_joinedup_gw0, ...).
# If the run is still going long after it should have finished (about 6 minutes; a stop's CI
# once stalled here until CI gave up, saying nothing), say what every connection to the server
# is doing and what the server logged, so that the next person can see the hang. Each test has
# its own limit besides (pytest-timeout, pyproject.toml).
report_after="${JOINEDUP_HANG_REPORT_AFTER:-1200}"
report_hang() {
  # Stopped early (the run finished): say nothing.
  sleep "$report_after" </dev/null >/dev/null 2>&1 || exit 0
  echo "--- PostgreSQL: the run has taken over ${report_after}s; every connection and each lock waited for ---" >&2
  psql "$DATABASE_URL" -X -P pager=off -c "
    SELECT pid, datname, application_name, state, wait_event_type, wait_event,
           now() - query_start AS running_for, left(query, 160) AS query
    FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
    ORDER BY query_start" -c "
    SELECT locktype, relation::regclass, mode, pid, pg_blocking_pids(pid) AS blocked_by
    FROM pg_locks WHERE NOT granted" >&2 || true
  echo "--- the server's log, last 60 lines ---" >&2
  tail -n 60 "${JOINEDUP_POSTGRES_LOG:-/dev/null}" >&2 || true
}
report_hang &
watchdog=$!
disown "$watchdog"
# The watchdog first, so that it exits as soon as its sleep is ended, rather than going on to
# report.
stop_watchdog() { kill "$watchdog" 2>/dev/null; pkill -P "$watchdog" 2>/dev/null; }
trap 'stop_watchdog; rm -f "$journeys_log"' EXIT

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
