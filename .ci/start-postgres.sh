#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 on 127.0.0.1:5432 with password auth for `postgres`.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql/15/main ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi
# TLS on (the suite connects with sslmode=require): Debian's snakeoil certificate, made if missing
conf=/etc/postgresql/15/main/postgresql.conf
if [ ! -s /etc/ssl/private/ssl-cert-snakeoil.key ]; then
  dpkg -s ssl-cert >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ssl-cert >/dev/null; }
  make-ssl-cert generate-default-snakeoil --force-overwrite
fi
if ! grep -q "^ssl = on" "$conf"; then
  {
    echo "ssl = on"
    echo "ssl_cert_file = '/etc/ssl/certs/ssl-cert-snakeoil.pem'"
    echo "ssl_key_file = '/etc/ssl/private/ssl-cert-snakeoil.key'"
  } >> "$conf"
  pg_ctlcluster 15 main restart 2>/dev/null || true
fi
pg_ctlcluster 15 main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432" && break
  sleep 1
done
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\""
