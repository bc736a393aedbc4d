#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#   scripts/with-postgres.sh bash -c 'psql "$DATABASE_URL" -c "select version()"'
#
# Uses the newest /usr/lib/postgresql/*/bin (Debian's `postgresql` package), starts a
# server in a temporary directory on a free port on 127.0.0.1, creates database
# `joinedup`, exports DATABASE_URL=postgres://postgres@127.0.0.1:PORT/joinedup and runs
# CMD. The server is always stopped and the directory removed on exit; the exit status
# is CMD's. Durability is switched off (fsync etc.): for tests only.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
pgbin="${initdb%/initdb}"
if [[ -z "$pgbin" ]]; then
  echo "with-postgres: no /usr/lib/postgresql/*/bin/initdb; install PostgreSQL (apt-get install postgresql)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: run the server as the `postgres` system user.
as_pg=()
if [[ "$(id -u)" -eq 0 ]]; then
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
      --shell /usr/sbin/nologin postgres
  fi
  as_pg=(runuser -u postgres --)
fi

python=python3
command -v "$python" >/dev/null 2>&1 || python=python
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

tmpdir="$(mktemp -d)"
chmod 755 "$tmpdir"
datadir="$tmpdir/data"
logfile="$tmpdir/server.log"
started=0

cleanup() {
  local status=$?
  if [[ "$started" -eq 1 ]]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmpdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${#as_pg[@]}" -gt 0 ]]; then
  chown postgres: "$tmpdir"
fi

"${as_pg[@]}" "$pgbin/initdb" -D "$datadir" -A trust -U postgres --encoding=UTF8 \
  --locale=C.UTF-8 >"$tmpdir/initdb.log" 2>&1 || {
  cat "$tmpdir/initdb.log" >&2
  exit 1
}

started=1
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 start \
  -o "-h 127.0.0.1 -p $port -k $tmpdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c log_lock_waits=on" \
  >/dev/null || {
  echo "with-postgres: server did not start; log follows" >&2
  cat "$logfile" >&2 || true
  exit 1
}

"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres joinedup

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/joinedup"
export PATH="$pgbin:$PATH"
# For a command that wants to show what the server said (scripts/pytest-postgres.sh does, when
# a run hangs).
export JOINEDUP_POSTGRES_LOG="$logfile"
echo "with-postgres: PostgreSQL $(basename "$(dirname "$pgbin")") on 127.0.0.1:$port, DATABASE_URL=$DATABASE_URL" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
