#!/usr/bin/env bash
# Generated requests against the OpenAPI document (schemathesis), bounded: the demo province
# (so that generated ids meet real directives, tasks, meetings…), the server as it runs in
# production, every operation of /api/v1 called with generated input as the secretariat
# (`thuky`). Fails on any 5xx, and on any answer that does not match the document (status,
# content type, schema).
#
#   bash tests/schemathesis/run.sh                         # SQLite
#   DB=postgres://…/steerco_st bash tests/schemathesis/run.sh   # an empty PostgreSQL database
#   MAX_EXAMPLES=…  (default 25 per operation)   BIN=…  (default target/debug/steerco)
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV="${VENV:-$PWD/target/schemathesis-venv}"
VERSION=4.32.5
dpkg -s curl >/dev/null 2>&1 \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  # Debian's python3 makes virtual environments only with python3-venv
  dpkg -s python3-venv >/dev/null 2>&1 || python3 -c 'import ensurepip' 2>/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$VERSION"
fi

if [ -z "${BIN:-}" ]; then
  cargo build -q
  BIN=target/debug/steerco
fi
WORK="$(mktemp -d)"
DB="${DB:-sqlite://$WORK/st.db}"
PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"

STEERCO_DEMO_DOSSIERS="${STEERCO_DEMO_DOSSIERS:-3000}" STEERCO_NOTIFY_EVERY_SECS=3600 \
  "$BIN" --db "$DB" serve --demo --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
# the demo is seeded before the server listens
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done
TOKEN="$("$BIN" --db "$DB" create-token --user thuky --name schemathesis 2>/dev/null | tail -1)"

set +e
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${MAX_EXAMPLES:-25}" \
  --seed "${SEED:-2026}" \
  --workers 2 \
  --request-timeout 30 \
  --suppress-health-check all
status=$?
set -e
if [ $status -ne 0 ]; then
  echo "== server log (last lines)"
  tail -n 40 "$WORK/server.log"
fi
exit $status
