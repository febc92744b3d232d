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
bin="${CARGO_TARGET_DIR:-$root/target}/debug/steerco"
work="$(mktemp -d)"
port=18090
"$bin" --db "sqlite://$work/demo.db" serve --demo --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
up=""
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && { up=1; break; }
  sleep 0.5
done
if [ -z "$up" ]; then
  echo "the demo server did not start:"; cat "$work/server.log"; exit 1
fi
cd "$root"
STEERCO_URL="http://127.0.0.1:$port" SCREENSHOTS="$root/artifacts/screenshots" node "$here/flows.mjs"
