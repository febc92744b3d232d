#!/usr/bin/env bash
# Runs the browser tests against a fresh demo server. Needs Debian's chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null
fi
(cd "$here" && npm ci --no-audit --no-fund --silent)
cargo build -q --manifest-path "$root/Cargo.toml"
work="$(mktemp -d)"
port=18090
"$root/target/debug/steerco" --db "sqlite://$work/demo.db" serve --demo --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.5
done
cd "$root"
STEERCO_URL="http://127.0.0.1:$port" SCREENSHOTS="$root/artifacts/screenshots" node "$here/flows.mjs"
