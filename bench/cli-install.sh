#!/usr/bin/env bash
# Cold and warm `synapse pkg install` of a 100-package graph from a local registry, timed with hyperfine.
# Usage: bench/cli-install.sh [--write-docs]   (needs hyperfine: apt-get install hyperfine; CLI_BIN=<synapse> to time another build)
# Cold = empty cache, no lock, no synapse_packages. Warm = second install with nothing changed (no network).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
command -v hyperfine >/dev/null || { echo "error: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Synapse.Registry -c Release -nologo -clp:ErrorsOnly >/dev/null
# the native executable, as docs/CLI.md tells users to publish it (CLI_BIN=<synapse> skips the few-minute publish)
if [ -n "${CLI_BIN:-}" ]; then
  cli=$CLI_BIN
else
  case $(uname -m) in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) echo "error: no runtime identifier for $(uname -m); pass CLI_BIN" >&2; exit 1 ;; esac
  echo "publishing the native CLI ($rid)..."
  dotnet publish src/Synapse.Cli -c Release -r "$rid" -o "$work/cli" -nologo -clp:ErrorsOnly >/dev/null
  cli="$work/cli/synapse"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export SYNAPSE_REGISTRY="http://127.0.0.1:$port"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$HOME" "$work/registry"
(
  cd "$work/registry"
  ASPNETCORE_ENVIRONMENT=Testing \
  Synapse__Database__ConnectionString="Data Source=$work/registry/registry.db" \
  Synapse__Storage__Path="$work/registry/packages" \
  Synapse__Jwt__SigningKey="benchmark-signing-key-that-is-long-enough-0123456789" \
  Synapse__RateLimiting__Enabled=false \
  exec dotnet "$root/artifacts/bin/Synapse.Registry/release/synapse-registry.dll" --urls "$SYNAPSE_REGISTRY"
) >"$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "$SYNAPSE_REGISTRY/api/v1/health" >/dev/null && break; sleep 0.2; done

curl -fs -X POST "$SYNAPSE_REGISTRY/api/v1/auth/register" -H 'content-type: application/json' \
  -d '{"username":"bench","email":"bench@example.org","password":"benchmark-password"}' >/dev/null
echo benchmark-password | $cli pkg login --username bench --password-stdin --quiet

# p000..p099: each depends on up to three lower-numbered packages, so installing p090..p099 pulls all 100.
echo "publishing 100 packages..."
for i in $(seq 0 99); do
  name=$(printf 'p%03d' "$i")
  dir="$work/src/$name"; mkdir -p "$dir"
  {
    printf '[package]\nname = "%s"\nversion = "1.0.0"\nlicense = "MIT"\ndescription = "benchmark package %s"\n\n[dependencies]\n' "$name" "$i"
    for d in 1 7 13; do
      if [ "$i" -ge "$d" ]; then printf 'p%03d = "^1.0.0"\n' $((i - d)); fi
    done
  } >"$dir/synapse.toml"
  head -c 20000 /dev/urandom | base64 >"$dir/data.txt"
  (cd "$dir" && $cli pkg publish --quiet)
done

app="$work/app"; mkdir -p "$app"
{
  printf '[package]\nname = "app"\nversion = "1.0.0"\n\n[dependencies]\n'
  for i in $(seq 90 99); do printf 'p%03d = "^1.0.0"\n' "$i"; done
} >"$app/synapse.toml"

cd "$app"
hyperfine --warmup 1 --runs 10 --export-markdown "$work/cold.md" \
  --prepare "rm -rf '$app/synapse_packages' '$app/synapse.lock' '$XDG_CACHE_HOME/synapse'" \
  -n "synapse pkg install (cold)" "$cli pkg install --quiet"
$cli pkg install --quiet
hyperfine --warmup 2 --runs 20 --export-markdown "$work/warm.md" -n "synapse pkg install (warm)" "$cli pkg install --quiet"
test "$(ls "$app/synapse_packages" | wc -l)" = 100

if [ "${1:-}" = "--write-docs" ]; then
  doc="$root/docs/BENCHMARKS.md"
  [ -f "$doc" ] || printf '# Benchmarks\n' >"$doc"
  python3 - "$doc" "$work/cold.md" "$work/warm.md" <<'PY'
import re, sys, datetime, platform, os
doc, cold, warm = sys.argv[1:]
text = open(doc).read()
section = ("## CLI install\n\n"
  f"`bench/cli-install.sh` on {platform.machine()} with {os.cpu_count()} cores, {datetime.date.today()}: "
  "`synapse pkg install` (native executable) of a 100-package graph (10 direct dependencies, each package ~27 KB) from a local "
  "registry (SQLite + file storage, Release builds). Cold: empty cache, no lock file, nothing installed. "
  "Warm: the same command again with nothing changed (no network work).\n\n"
  "Cold:\n\n" + open(cold).read().strip() + "\n\nWarm:\n\n" + open(warm).read().strip() + "\n")
# only the section's opening part: its dated ### subsections are notes by hand and stay
pattern = re.compile(r"## CLI install\n.*?(?=\n##|\Z)", re.S)
text = pattern.sub(section.rstrip("\n"), text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(doc, "w").write(text)
PY
  echo "wrote $doc"
fi
