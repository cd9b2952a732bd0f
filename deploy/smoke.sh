#!/usr/bin/env bash
# Smoke test of a scaled-out deployment without Docker: two real synapse-registry processes over the test
# PostgreSQL, S3 server and Redis (scripts/services.sh), behind nginx using deploy/nginx/nginx.conf.
#   deploy/smoke.sh        (installs nginx and curl and starts the services if needed; leaves them running)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then scripts/services.sh install "${missing[@]}"; fi
scripts/services.sh up
# shellcheck disable=SC1091
source .test-services/env

work="$(mktemp -d /tmp/synapse-smoke.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }
fail() { echo "smoke: FAILED: $*" >&2; for f in "$work"/*.log; do echo "== $f" >&2; tail -n 20 "$f" >&2; done; exit 1; }

echo "==> publishing the registry"
dotnet publish src/Synapse.Registry -c Release -o "$work/app" --nologo -v q >/dev/null

database="smoke_$(date +%s)"
PGPASSWORD="${SYNAPSE_TEST_POSTGRES##*Password=}"; PGPASSWORD="${PGPASSWORD%%;*}"
pg_port="${SYNAPSE_TEST_POSTGRES##*Port=}"; pg_port="${pg_port%%;*}"
PGPASSWORD="$PGPASSWORD" psql -h 127.0.0.1 -p "$pg_port" -U synapse -d postgres -qc "CREATE DATABASE $database" >/dev/null

ports=("$(free_port)" "$(free_port)")
# One key for all instances: a session made by one must verify on the other.
jwt_key="smoke-test-signing-key-$(head -c 24 /dev/urandom | base64)"
for i in 0 1; do
  # From the app folder: that is the content root holding appsettings.json.
  (cd "$work/app" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:${ports[$i]}" \
    MALLOC_ARENA_MAX=2 \
    Synapse__Database__Provider=Postgres \
    Synapse__Database__ConnectionString="${SYNAPSE_TEST_POSTGRES/Database=synapse/Database=$database}" \
    Synapse__Storage__Provider=S3 Synapse__Storage__S3__Bucket="${database/_/-}" \
    Synapse__Storage__S3__ServiceUrl="$SYNAPSE_TEST_S3_URL" Synapse__Storage__S3__ForcePathStyle=true \
    Synapse__Storage__S3__AccessKey="$SYNAPSE_TEST_S3_ACCESS_KEY" Synapse__Storage__S3__SecretKey="$SYNAPSE_TEST_S3_SECRET_KEY" \
    Synapse__RateLimiting__Store=Redis Synapse__RateLimiting__Redis="$SYNAPSE_TEST_REDIS" \
    Synapse__RateLimiting__RedisKeyPrefix="$database" \
    Synapse__Jwt__SigningKey="$jwt_key" \
    Synapse__Proxy__KnownProxies__0=127.0.0.1 \
    dotnet synapse-registry.dll >"$work/registry-$i.log" 2>&1) &
  pids+=($!)
  # The first instance migrates the database before the second starts.
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:${ports[$i]}/api/v1/health/live" >/dev/null && break; sleep 0.3; done
  curl -fs "http://127.0.0.1:${ports[$i]}/api/v1/health" >/dev/null || fail "instance $i is not ready"
done

lb_port="$(free_port)"
sed -e "s/registry-1:8080/127.0.0.1:${ports[0]}/" -e "s/registry-2:8080/127.0.0.1:${ports[1]}/" \
    -e "s/listen 80;/listen 127.0.0.1:$lb_port;/" -e "s#/dev/stdout#$work/nginx-access.log#" -e "s#/dev/stderr#$work/nginx-error.log#" \
    deploy/nginx/nginx.conf >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" -g "daemon off; pid $work/nginx.pid;" >"$work/nginx.log" 2>&1 &
pids+=($!)
lb="http://127.0.0.1:$lb_port"
for _ in $(seq 1 50); do curl -fs "$lb/api/v1/health/live" >/dev/null && break; sleep 0.2; done

echo "==> exercising the load balancer at $lb"
grep -q '"status":"healthy"' <<<"$(curl -fs "$lb/api/v1/health")" || fail "health through nginx"
token="$(curl -fs -X POST "$lb/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"username":"smoke","email":"smoke@example.org","password":"correct horse battery"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || fail "register through nginx"
mkdir -p "$work/pkg"
printf '[package]\nname = "smoke-pkg"\nversion = "1.0.0"\ndescription = "Smoke test package"\nlicense = "MIT"\n' >"$work/pkg/synapse.toml"
echo 'fn main() {}' >"$work/pkg/lib.syn"
tar -C "$work/pkg" -czf "$work/pkg.tgz" synapse.toml lib.syn
status="$(curl -s -o "$work/publish.json" -w '%{http_code}' -X POST "$lb/api/v1/packages" -H "Authorization: Bearer $token" \
  -F "tarball=@$work/pkg.tgz;type=application/gzip")"
[ "$status" = 201 ] || fail "publish through nginx answered $status: $(cat "$work/publish.json")"
for _ in 1 2 3 4; do
  grep -q '"latest_version":"1.0.0"' <<<"$(curl -fs "$lb/api/v1/packages/smoke-pkg")" || fail "package document"
  curl -fs -o "$work/download.tgz" "$lb/api/v1/packages/smoke-pkg/1.0.0/tarball" && cmp -s "$work/download.tgz" "$work/pkg.tgz" || fail "download differs"
  grep -q '"name":"smoke-pkg"' <<<"$(curl -fs "$lb/api/v1/search?q=smoke")" || fail "search"
done
upstreams="$(grep -o 'upstream=[0-9.:]*' "$work/nginx-access.log" | sort -u | wc -l)"
[ "$upstreams" = 2 ] || fail "nginx used $upstreams instance(s), expected 2"
metrics="$(curl -fs "$lb/metrics")" || fail "metrics through nginx"
grep -q http_server_request_duration_seconds_bucket <<<"$metrics" || fail "request latencies in the metrics"
metrics="$(curl -fs "http://127.0.0.1:${ports[0]}/metrics" "http://127.0.0.1:${ports[1]}/metrics")"
grep -q '^synapse_registry_publishes_total' <<<"$metrics" || fail "publish counter"
PGPASSWORD="$PGPASSWORD" psql -h 127.0.0.1 -p "$pg_port" -U synapse -d postgres -qc "DROP DATABASE $database WITH (FORCE)" >/dev/null
echo "smoke: passed (2 instances behind nginx: register, publish, read, download, search, metrics)"
