#!/usr/bin/env bash
# Runs a command with TEST_DATABASE_URL pointing at a PostgreSQL 15 server.
#
#   bash scripts/with-postgres.sh npm run test:jest
#
# If TEST_DATABASE_URL is already set, the command just runs against that server. Otherwise a
# throwaway cluster is created in a temporary directory, started on a free port of 127.0.0.1
# (trust authentication, durability off: it holds test data only), and stopped and deleted when
# the command ends, however it ends.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  exec "$@"
fi

export PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

bash "$(dirname "$0")/prerequisites.sh" postgres   # installs PostgreSQL 15 from Debian, or says how

# initdb refuses to run as root: the cluster then belongs to the postgres OS user.
if [[ $EUID -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  as_cluster_owner() { runuser -u postgres -- "$@"; }
else
  as_cluster_owner() { "$@"; }
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/connector-pg.XXXXXX")"
[[ $EUID -eq 0 ]] && chown postgres "$workdir"
data="$workdir/data"
started=""

cleanup() {
  if [[ -n "$started" ]]; then
    as_cluster_owner "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    # A refused connection means nobody listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free TCP port found on 127.0.0.1" >&2
  return 1
}

as_cluster_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >"$workdir/initdb.log" 2>&1 || {
  cat "$workdir/initdb.log" >&2
  echo "initdb failed (log above)." >&2
  exit 1
}

port="$(free_port)"
started=1
if ! as_cluster_owner "$PG_BIN/pg_ctl" -D "$data" -l "$workdir/server.log" -w -t 30 \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null; then
  cat "$workdir/server.log" >&2 || true
  echo "PostgreSQL did not start (server log above)." >&2
  exit 1
fi

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL 15 running for the tests at $TEST_DATABASE_URL" >&2

status=0
"$@" || status=$?
exit "$status"
