#!/usr/bin/env bash
# Makes sure the system programs the tests and benchmarks need are here, installing Debian's
# packages when they are missing (as root, or with sudo that needs no password), and otherwise
# stops with one sentence saying what to install or which variable to set, before anything runs.
#
#   bash scripts/prerequisites.sh postgres chromium
#
#   postgres  PostgreSQL 15's initdb/pg_ctl (PG_BIN, default /usr/lib/postgresql/15/bin), unless
#             TEST_DATABASE_URL names a server to use instead
#   chromium  a Chromium for the admin page's browser tests: CHROMIUM_PATH when set, otherwise
#             Debian's /usr/bin/chromium (never a downloaded browser build)
set -euo pipefail

stop() { echo "$*" >&2; exit 1; }

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

can_install() { command -v apt-get >/dev/null && as_root true; }

apt_updated=""
install_debian_package() {
  echo "Installing Debian's $1 package (needed by the tests)..." >&2
  if [[ -z "$apt_updated" ]]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}

need_postgres() {
  [[ -n "${TEST_DATABASE_URL:-}" ]] && return 0
  local bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
  [[ -x "$bin/initdb" ]] && return 0
  local how="install PostgreSQL 15 (on Debian or Ubuntu: sudo apt-get install postgresql-15), set PG_BIN to its bin directory, or set TEST_DATABASE_URL to an existing server's admin URL (postgres://user@host:port/postgres), then run this again."
  can_install || stop "The tests need PostgreSQL 15 ($bin/initdb is missing) and this user cannot install it: $how"
  install_debian_package postgresql-15 && [[ -x "$bin/initdb" ]] || stop "Installing postgresql-15 did not give $bin/initdb: $how"
}

need_chromium() {
  local how="install Debian's Chromium (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary, then run this again; browsers are never downloaded."
  if [[ -n "${CHROMIUM_PATH:-}" ]]; then
    [[ -x "$CHROMIUM_PATH" ]] || stop "CHROMIUM_PATH is $CHROMIUM_PATH, which is not an executable file: point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium."
    return 0
  fi
  [[ -x /usr/bin/chromium ]] && return 0
  can_install || stop "The admin page's browser tests need Chromium (/usr/bin/chromium is missing) and this user cannot install it: $how"
  install_debian_package chromium && [[ -x /usr/bin/chromium ]] || stop "Installing chromium did not give /usr/bin/chromium: $how"
}

for need in "$@"; do
  case "$need" in
    postgres) need_postgres ;;
    chromium) need_chromium ;;
    *) stop "scripts/prerequisites.sh: unknown prerequisite \"$need\" (known: postgres, chromium)" ;;
  esac
done
