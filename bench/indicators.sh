#!/usr/bin/env bash
# Issue 5 benchmark, steerco and DuckDB on the same machine in the same run:
#   1. steerco imports a 10-million-dossier file into SQLite and computes every indicator for
#      every unit and month; imports the same file again; times the country scorecard page;
#   2. DuckDB loads the same file into a database file and computes the same monthly counts;
#   3. DuckDB does the same in memory.
# Usage: bash bench/indicators.sh  (N=… dossiers, DIR=… work directory; needs `pip install duckdb`)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000000}
DIR=${DIR:-/tmp/steerco-bench}
BIN=./target/release/steerco
mkdir -p "$DIR"
cargo build --release -q
if [ ! -s "$DIR/d-$N.csv" ]; then
  $BIN gen-dossiers --dossiers "$N" --out "$DIR/d-$N.csv" --feedback-out "$DIR/f-$N.csv"
fi
rm -f "$DIR"/bench.db* "$DIR"/duck.db*
$BIN --db "sqlite://$DIR/bench.db" load-units --all >/dev/null 2>&1
echo "== steerco (SQLite)"
/usr/bin/time -f "steerco: %e s wall for the whole run, peak memory %M KB" \
  $BIN --db "sqlite://$DIR/bench.db" bench-indicators --dossiers "$DIR/d-$N.csv" --runs 100 2>&1 | grep -v INFO
echo "== DuckDB, database file"
/usr/bin/time -f "duckdb (file): peak memory %M KB" python3 bench/duckdb_figures.py --db="$DIR/duck.db" "$DIR/d-$N.csv"
echo "== DuckDB, in memory"
/usr/bin/time -f "duckdb (memory): peak memory %M KB" python3 bench/duckdb_figures.py "$DIR/d-$N.csv"
rm -f "$DIR"/duck.db*
