#!/usr/bin/env bash
# Load test of synapse-registry on its embedded default (SQLite + disk): seeds N packages (default 10,000)
# through the publish API, then measures metadata, versions, search and tarball GETs with wrk.
# Usage: bench/registry/run.sh [packages] [seconds-per-wrk-run]
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-10000}
duration=${2:-15}
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
dotnet build src/Synapse.Registry -c Release -nologo -clp:ErrorsOnly >/dev/null
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
(
  cd artifacts/bin/Synapse.Registry/release
  ASPNETCORE_ENVIRONMENT=Testing Logging__LogLevel__Default=Warning \
  Synapse__Database__ConnectionString="Data Source=$data/registry.db" Synapse__Storage__Path="$data/packages" \
  Synapse__Jwt__SigningKey="bench-signing-key-bench-signing-key-0123456789" Synapse__RateLimiting__Enabled=false \
  exec dotnet synapse-registry.dll --urls "$url"
) >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "$url/api/v1/health" >/dev/null && break; sleep 0.2; done

rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$(pgrep -P $server -f synapse-registry.dll || echo $server)/status" 2>/dev/null || echo "?"; }
echo "== seeding $count packages (publish, 4 concurrent clients)"
python3 bench/registry/seed.py "$url" "$count" 4
echo "RSS after seeding: $(rss)"
sha=$(curl -fs "$url/api/v1/packages/pkg-00042/1.0.0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])')
for target in \
  "package document|/api/v1/packages/pkg-00042" \
  "versions document|/api/v1/packages/pkg-00042/versions" \
  "search|/api/v1/search?q=json%20parse&per_page=20" \
  "tarball|/api/v1/packages/pkg-00042/1.0.0/tarball"; do
  name=${target%%|*}; path=${target#*|}
  echo "== $name: GET $path"
  wrk -t2 -c32 -d"${duration}s" --latency "$url$path" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
done
echo "RSS at the end: $(rss)"
echo "tarball sha256 of pkg-00042: $sha"
