#!/usr/bin/env bash
# tools/postgres/pg.sh — a throw-away PostgreSQL server for Tickler's integration tests and
# benchmarks, from the machine's own server binaries (Debian: apt-get install postgresql; the
# cluster that package creates is not used). Everything about one server — data, socket, log,
# port, URLs — lives in the <state-dir> the caller chooses, so tests can run several side by side.
# It listens on 127.0.0.1 only, on a free port picked at the first start, with trust
# authentication and durability switched off (fsync, synchronous_commit, full_page_writes): fast,
# and fine for data that dies with the test. A crash test that needs real durability must not use
# these settings.
#
# Usage:
#   pg.sh start <state-dir> [db...]   first time: initdb + pick a port; then start the server, wait
#                                     until it accepts connections, create the role and the
#                                     databases (default: tickler), write the URL files, print
#                                     the port. Again on a stopped state dir: same data and port.
#   pg.sh stop  <state-dir>           pg_ctl stop -m fast (then immediate); idempotent
#   pg.sh restart <state-dir>         stop + start on the same port and data
#   pg.sh url   <state-dir> [db]      print postgresql://<role>@127.0.0.1:<port>/<db> (default: the
#                                     first db given to start)
#   pg.sh status <state-dir>          exit 0 if the server is running
#   pg.sh psql  <state-dir> [db] [-- psql args...]   psql as the role (db "admin": superuser)
#
# How tests use it:  S=$(mktemp -d); tools/postgres/pg.sh start "$S" tickler tickler_audit;
# TICKLER_DATABASE_URL=$(tools/postgres/pg.sh url "$S" tickler) ...; tools/postgres/pg.sh stop "$S"
# in the teardown (always).
#
# Environment:
#   PG_BINDIR   server binaries (default: newest /usr/lib/postgresql/*/bin, else pg_config --bindir)
#   PG_ROLE     login role that owns the databases (default: tickler; CREATEDB, pg_signal_backend)
#   PG_RUN_AS   OS user that runs the server when this script runs as root (PostgreSQL refuses
#               root); default: postgres if that user exists, else a system user tickler-pg is made
#   PG_PORT     port for the first start (default: a free one)
#
# Files in <state-dir>: data/ (PGDATA), postgres.log, port, url (first db), url.<db> per db,
# admin-url (superuser "postgres", db postgres), the unix socket .s.PGSQL.<port> (when the path is
# short enough), run-as (the OS user). When run as root, the state dir is given to that user and
# every directory above it that others cannot enter gets o+x (enter, not list), so it can reach it.
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }
note() { echo "pg.sh: $*" >&2; }

usage() {
  sed -n '/^# Usage:/,/^# How tests/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

find_bindir() {
  local d
  if [[ -n ${PG_BINDIR:-} ]]; then
    [[ -x $PG_BINDIR/postgres ]] || die "PG_BINDIR=$PG_BINDIR has no postgres"
    echo "$PG_BINDIR"
    return
  fi
  d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  if [[ -n $d && -x $d/postgres ]]; then echo "$d"; return; fi
  if command -v pg_config >/dev/null; then
    d=$(pg_config --bindir)
    if [[ -x $d/postgres ]]; then echo "$d"; return; fi
  fi
  d=$(dirname "$(command -v postgres 2>/dev/null || echo /nonexistent/postgres)")
  [[ -x $d/postgres && -x $d/initdb ]] && { echo "$d"; return; }
  die "no PostgreSQL server binaries (apt-get install postgresql, or set PG_BINDIR)"
}

# --- who runs the server ---------------------------------------------------------------------

run_as_user() {   # the OS user for initdb/postgres/pg_ctl; empty when not root
  local state=$1 u
  [[ $(id -u) == 0 ]] || return 0
  if [[ -f $state/run-as ]]; then cat "$state/run-as"; return; fi
  u=${PG_RUN_AS:-}
  if [[ -z $u ]]; then
    if id postgres >/dev/null 2>&1; then u=postgres; else u=tickler-pg; fi
  fi
  if ! id "$u" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$u" \
      || die "cannot create the user $u to run PostgreSQL as (it refuses to run as root)"
  fi
  echo "$u"
}

as_pg() {   # run a command as the server's user (or as ourselves when not root)
  local user=$1
  shift
  if [[ -n $user ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# Root only: let $user reach and write the state dir. Directories above it that others cannot
# enter (pytest's /tmp/pytest-of-root is 0700) get o+x: enter, not list.
grant_access() {
  local user=$1 state=$2 d up=()
  [[ -n $user ]] || return 0
  chown "$user" "$state"
  [[ ! -e $state/data ]] || chown -R "$user" "$state/data"
  d=$state
  while [[ $d != / ]]; do
    d=$(dirname "$d")
    up=("$d" "${up[@]}")
  done
  for d in "${up[@]}"; do   # from / down
    if ! runuser -u "$user" -- test -x "$d"; then
      note "chmod o+x $d (so that $user can reach $state)"
      chmod o+x "$d"
    fi
  done
  runuser -u "$user" -- test -w "$state" || die "$user cannot write $state"
}

# --- ports -----------------------------------------------------------------------------------

# A free loopback TCP port below the kernel's ephemeral range (ip_local_port_range), so that no
# outgoing connection can be holding it when the server binds it again on `restart`.
free_port() {
  local lo=20000 hi range p
  range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo "32768 60999")
  hi=${range%%[[:space:]]*}
  ((hi - lo >= 1000)) || lo=1024
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$lo" "$hi" <<'PY' && return 0
import random, socket, sys
lo, hi = map(int, sys.argv[1:3])
while True:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randrange(lo, hi)))
        print(s.getsockname()[1])
        break
    except OSError:
        s.close()
PY
  fi
  while :; do
    p=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

# --- commands --------------------------------------------------------------------------------

valid_name() { [[ $1 =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; }

init_cluster() {   # initdb + our settings appended to postgresql.conf
  local bindir=$1 user=$2 state=$3 port sockdir
  port=${PG_PORT:-$(free_port)}
  # A unix socket path must fit in 107 bytes; beyond that, TCP only.
  sockdir=$state
  if ((${#state} + 20 > 100)); then sockdir=''; fi
  rm -rf "$state/data.tmp"
  mkdir "$state/data.tmp"
  [[ -z $user ]] || chown "$user" "$state/data.tmp"
  if ! (cd "$state" && as_pg "$user" "$bindir/initdb" -D "$state/data.tmp" -U postgres \
      --encoding=UTF8 --no-locale --auth-local=trust --auth-host=trust --no-sync \
      --no-instructions >"$state/initdb.log" 2>&1); then
    cat "$state/initdb.log" >&2
    die "initdb failed"
  fi
  cat >>"$state/data.tmp/postgresql.conf" <<EOF

# ---- tools/postgres/pg.sh (test server: loopback only, no durability) ----
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 64MB
EOF
  mv "$state/data.tmp" "$state/data"
  echo "$port" >"$state/port"
}

cmd_start() {
  [[ $# -ge 1 ]] || usage
  mkdir -p "$1"
  local state bindir user port role dbs db url sql
  state=$(cd "$1" && pwd)
  shift
  dbs=("$@")
  ((${#dbs[@]})) || dbs=(tickler)
  role=${PG_ROLE:-tickler}
  valid_name "$role" || die "bad role name: $role"
  for db in "${dbs[@]}"; do valid_name "$db" || die "bad database name: $db"; done
  bindir=$(find_bindir)
  user=$(run_as_user "$state")
  [[ -z $user ]] || echo "$user" >"$state/run-as"
  grant_access "$user" "$state"

  [[ -f $state/data/PG_VERSION ]] || init_cluster "$bindir" "$user" "$state"
  port=$(cat "$state/port")

  if ! as_pg "$user" "$bindir/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
    if ! (cd "$state" && as_pg "$user" "$bindir/pg_ctl" -D "$state/data" -l "$state/postgres.log" \
        -w -t "${PG_START_TIMEOUT:-60}" start >/dev/null); then
      echo "----- tail of $state/postgres.log -----" >&2
      tail -n 30 "$state/postgres.log" >&2 || true
      die "PostgreSQL did not start (state dir $state, port $port)"
    fi
  fi
  local i
  for ((i = 0; i < 100; i++)); do
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres && break
    sleep 0.1
  done
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    || die "PostgreSQL on port $port does not accept connections (log: $state/postgres.log)"

  # Role and databases, idempotently (restart, or more databases on a later start).
  sql="SELECT format('CREATE ROLE %I LOGIN CREATEDB IN ROLE pg_signal_backend', :'role')
         WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \\gexec"
  for db in "${dbs[@]}"; do
    sql+=$'\n'"SELECT format('CREATE DATABASE %I OWNER %I', '$db', :'role')
         WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \\gexec"
  done
  if ! "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -v role="$role" \
      "postgresql://postgres@127.0.0.1:$port/postgres" -f - >/dev/null <<<"$sql"; then
    die "could not create role $role / databases ${dbs[*]}"
  fi

  echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state/admin-url"
  for db in "${dbs[@]}"; do
    url="postgresql://$role@127.0.0.1:$port/$db"
    echo "$url" >"$state/url.$db"
  done
  [[ -f $state/url ]] || echo "postgresql://$role@127.0.0.1:$port/${dbs[0]}" >"$state/url"
  echo "$port"
}

cmd_stop() {
  [[ $# == 1 ]] || usage
  local state=$1 bindir user
  [[ -f $state/data/PG_VERSION ]] || return 0
  state=$(cd "$state" && pwd)
  bindir=$(find_bindir)
  user=$(run_as_user "$state")
  as_pg "$user" "$bindir/pg_ctl" -D "$state/data" status >/dev/null 2>&1 || return 0
  if ! (cd "$state" && as_pg "$user" "$bindir/pg_ctl" -D "$state/data" -m fast -w -t 30 stop \
      >/dev/null 2>&1); then
    note "fast shutdown timed out: immediate"
    (cd "$state" && as_pg "$user" "$bindir/pg_ctl" -D "$state/data" -m immediate -w -t 30 stop \
      >/dev/null) || die "could not stop PostgreSQL in $state"
  fi
}

cmd_url() {
  [[ $# == 1 || $# == 2 ]] || usage
  local f=$1/url
  [[ $# == 2 ]] && f=$1/url.$2
  [[ $# == 2 && $2 == admin ]] && f=$1/admin-url
  [[ -f $f ]] || die "no $f (was 'pg.sh start $1 ${2:-}' run?)"
  cat "$f"
}

cmd_status() {
  [[ $# == 1 ]] || usage
  local state bindir user
  [[ -f $1/data/PG_VERSION ]] || return 1
  state=$(cd "$1" && pwd)
  bindir=$(find_bindir)
  user=$(run_as_user "$state")
  as_pg "$user" "$bindir/pg_ctl" -D "$state/data" status >/dev/null 2>&1
}

cmd_psql() {
  [[ $# -ge 1 ]] || usage
  local state=$1 db='' url
  shift
  if [[ $# -ge 1 && $1 != -- ]]; then db=$1; shift; fi
  [[ ${1:-} != -- ]] || shift
  url=$(cmd_url "$state" ${db:+"$db"})
  exec "$(find_bindir)/psql" -X "$url" "$@"
}

case ${1:-} in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  restart) shift; [[ $# -ge 1 ]] || usage; cmd_stop "$1"; cmd_start "$@" ;;
  url) shift; cmd_url "$@" ;;
  status) shift; cmd_status "$@" ;;
  psql) shift; cmd_psql "$@" ;;
  *) usage ;;
esac
