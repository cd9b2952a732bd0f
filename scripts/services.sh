#!/usr/bin/env bash
# Real backing services for the integration tests, on loopback, in a throwaway folder .test-services/.
#
#   scripts/services.sh up                 install what is missing, start PostgreSQL, Redis and an S3 server
#   scripts/services.sh down               stop all of them and delete .test-services/
#   scripts/services.sh stop  <service>    stop one (postgres | redis | s3), keeping its data and port
#   scripts/services.sh start <service>    start it again on the same port
#   scripts/services.sh status             say which are running
#   scripts/services.sh install <package>  install Debian packages as `up` does (root, no daemon started)
#
# `up` writes .test-services/env; `source` it to get SYNAPSE_TEST_POSTGRES, SYNAPSE_TEST_REDIS and
# SYNAPSE_TEST_S3_* for the tests. Works as root (PostgreSQL then runs as the system user synapse-test)
# or as a normal user, non-interactively (CI=true, no stdin).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.test-services"
s3rver_dir="$root/scripts/s3rver"
pg_user=synapse
pg_password=synapse-test-password
pg_database=synapse
s3_access_key=S3RVER
s3_secret_key=S3RVER
s3_bucket=synapse-test
os_user=synapse-test
apt_updated=0
policy_rc=/usr/sbin/policy-rc.d

log() { echo "services: $*" >&2; }
die() { echo "services: error: $*" >&2; exit 1; }

apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* here: no apt-get; install it by hand and run again"
  [ "$(id -u)" = 0 ] || die "cannot install $*: run as root once, or install it by hand"
  local apt_log
  apt_log="$(mktemp)"
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >"$apt_log" 2>&1 \
      || { cat "$apt_log" >&2; rm -f "$apt_log"; die "apt-get update failed"; }
    apt_updated=1
  fi
  log "installing $*"
  # postgresql, redis-server and nginx start a system-wide daemon on a fixed port when installed (unless the
  # machine already forbids it); the tests start their own, so forbid it for the length of the install.
  local added_policy=0 status=0
  if [ ! -e "$policy_rc" ]; then
    trap 'rm -f "$policy_rc"' EXIT
    printf '#!/bin/sh\nexit 101\n' >"$policy_rc"
    chmod 755 "$policy_rc"
    added_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >"$apt_log" 2>&1 \
    || status=$?
  if [ "$added_policy" = 1 ]; then rm -f "$policy_rc"; trap - EXIT; fi
  [ "$status" = 0 ] || { cat "$apt_log" >&2; rm -f "$apt_log"; die "apt-get install $* failed (exit $status)"; }
  rm -f "$apt_log"
}

pg_bindir() {
  local candidate
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then echo "$candidate"; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  return 1
}

ensure_installed() {
  local missing=()
  pg_bindir >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v node >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  command -v npm >/dev/null || apt_install npm
  if [ ! -f "$s3rver_dir/node_modules/s3rver/package.json" ]; then
    log "installing s3rver (npm ci)"
    (cd "$s3rver_dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null >/dev/null)
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# Ports are chosen once per `up` and kept, so a service stopped for an outage test comes back where clients expect it.
port_of() {
  local file="$dir/$1.port"
  if [ ! -s "$file" ]; then free_port >"$file"; fi
  cat "$file"
}

pid_alive() { [ -s "$1" ] && kill -0 "$(head -n 1 "$1")" 2>/dev/null; }

as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$os_user" -- "$@"; else "$@"; fi
}

# PostgreSQL refuses to run as root; its data folder must be reachable by the user it runs as.
pg_data_dir() {
  if [ -s "$dir/postgres.datadir" ]; then cat "$dir/postgres.datadir"; return; fi
  local data="$dir/postgres"
  if [ "$(id -u)" = 0 ] && ! runuser -u "$os_user" -- test -x "$dir"; then
    data="$(mktemp -d /tmp/synapse-test-postgres.XXXXXX)/data"
  fi
  echo "$data" >"$dir/postgres.datadir"
  echo "$data"
}

start_postgres() {
  local bin port data
  bin="$(pg_bindir)" || die "PostgreSQL is not installed"
  port="$(port_of postgres)"
  if [ "$(id -u)" = 0 ] && ! id "$os_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"
  fi
  data="$(pg_data_dir)"
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown -R "$os_user" "$(dirname "$data")" "$data"
    chmod 700 "$data"
    local pwfile="$data.pw"
    echo "$pg_password" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown "$os_user" "$pwfile"
    as_pg_user "$bin/initdb" -D "$data" -U "$pg_user" --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/postgres-initdb.log" 2>&1 \
      || { cat "$dir/postgres-initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  if as_pg_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then return; fi
  local logfile="$data/../postgres.log"
  [ "$(id -u)" = 0 ] && { touch "$logfile"; chown "$os_user" "$logfile"; }
  as_pg_user "$bin/pg_ctl" -D "$data" -l "$logfile" -o "-p $port" -w -t 60 start >/dev/null \
    || { tail -n 20 "$logfile" >&2; die "PostgreSQL did not start (log: $logfile)"; }
  PGPASSWORD="$pg_password" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$pg_user" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$pg_database'" | grep -q 1 \
    || PGPASSWORD="$pg_password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" "$pg_database"
}

stop_postgres() {
  local bin data
  bin="$(pg_bindir)" || return 0
  [ -s "$dir/postgres.datadir" ] || return 0
  data="$(cat "$dir/postgres.datadir")"
  [ -f "$data/PG_VERSION" ] || return 0
  as_pg_user "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
}

start_redis() {
  local port
  port="$(port_of redis)"
  pid_alive "$dir/redis.pid" && return
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" >/dev/null
  local i
  for i in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && return
    sleep 0.1
  done
  die "Redis did not answer on port $port (log: $dir/redis.log)"
}

stop_redis() {
  if pid_alive "$dir/redis.pid"; then
    local pid
    pid="$(head -n 1 "$dir/redis.pid")"
    kill "$pid" 2>/dev/null || true
    wait_gone "$pid"
  fi
  rm -f "$dir/redis.pid"
}

wait_gone() {
  local i
  for i in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

start_s3() {
  local port
  port="$(port_of s3)"
  pid_alive "$dir/s3.pid" && return
  mkdir -p "$dir/s3"
  # Node 17+ with OpenSSL 3: without the legacy provider s3rver answers 500 to multi-page listings.
  nohup node --openssl-legacy-provider "$s3rver_dir/node_modules/s3rver/bin/s3rver.js" \
    -d "$dir/s3" -a 127.0.0.1 -p "$port" --silent --configure-bucket "$s3_bucket" \
    </dev/null >"$dir/s3.log" 2>&1 &
  echo $! >"$dir/s3.pid"
  local i
  for i in $(seq 1 150); do
    if node -e 'require("http").get(process.argv[1],r=>process.exit(r.statusCode<500?0:1)).on("error",()=>process.exit(1));' \
      "http://127.0.0.1:$port/" 2>/dev/null; then return; fi
    pid_alive "$dir/s3.pid" || { cat "$dir/s3.log" >&2; die "the S3 server exited"; }
    sleep 0.2
  done
  die "the S3 server did not answer on port $port (log: $dir/s3.log)"
}

stop_s3() {
  if pid_alive "$dir/s3.pid"; then
    local pid
    pid="$(head -n 1 "$dir/s3.pid")"
    kill "$pid" 2>/dev/null || true
    wait_gone "$pid"
  fi
  rm -f "$dir/s3.pid"
}

write_env() {
  cat >"$dir/env" <<EOF
export SYNAPSE_TEST_POSTGRES="Host=127.0.0.1;Port=$(port_of postgres);Username=$pg_user;Password=$pg_password;Database=$pg_database"
export SYNAPSE_TEST_REDIS="127.0.0.1:$(port_of redis)"
export SYNAPSE_TEST_S3_URL="http://127.0.0.1:$(port_of s3)"
export SYNAPSE_TEST_S3_ACCESS_KEY="$s3_access_key"
export SYNAPSE_TEST_S3_SECRET_KEY="$s3_secret_key"
export SYNAPSE_TEST_S3_BUCKET="$s3_bucket"
export SYNAPSE_TEST_SERVICES_SCRIPT="$root/scripts/services.sh"
EOF
}

service_fn() {
  case "$1" in
    postgres | redis | s3) echo "$1" ;;
    *) die "unknown service '$1': use postgres, redis or s3" ;;
  esac
}

case "${1:-}" in
  up)
    mkdir -p "$dir"
    ensure_installed
    start_postgres
    start_redis
    start_s3
    write_env
    log "ready; run: source .test-services/env"
    ;;
  down)
    stop_s3
    stop_redis
    stop_postgres
    if [ -s "$dir/postgres.datadir" ]; then
      data="$(cat "$dir/postgres.datadir")"
      case "$data" in /tmp/synapse-test-postgres.*) rm -rf "$(dirname "$data")" ;; esac
    fi
    rm -rf "$dir"
    ;;
  start)
    [ -f "$dir/env" ] || die "the services are not set up: run 'scripts/services.sh up' first"
    "start_$(service_fn "${2:-}")"
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    "stop_$(service_fn "${2:-}")"
    ;;
  install)
    shift
    [ $# -gt 0 ] || die "name the Debian packages to install, e.g. 'scripts/services.sh install nginx-light'"
    apt_install "$@"
    ;;
  status)
    bin="$(pg_bindir || true)"
    if [ -n "$bin" ] && [ -s "$dir/postgres.datadir" ] && as_pg_user "$bin/pg_ctl" -D "$(cat "$dir/postgres.datadir")" status >/dev/null 2>&1; then
      echo "postgres: running on $(port_of postgres)"; else echo "postgres: stopped"; fi
    if pid_alive "$dir/redis.pid"; then echo "redis: running on $(port_of redis)"; else echo "redis: stopped"; fi
    if pid_alive "$dir/s3.pid"; then echo "s3: running on $(port_of s3)"; else echo "s3: stopped"; fi
    ;;
  *)
    echo "usage: scripts/services.sh up | down | start <service> | stop <service> | status | install <package>...   (service: postgres, redis, s3)" >&2
    exit 2
    ;;
esac
