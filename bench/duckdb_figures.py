#!/usr/bin/env python3
"""The DuckDB side of the issue 5 comparison: load a dossier file in the exchange format and
compute the same monthly counts as `steerco dossier-figures` with SQL; optionally check them
against steerco's output, count by count.

    pip install duckdb
    steerco gen-dossiers --dossiers 10000000 --out d.csv --feedback-out f.csv
    python3 bench/duckdb_figures.py [--db=FILE] d.csv [steerco-figures.csv]
"""
import csv
import resource
import sys
import time

import duckdb

COLS = ['received', 'received_online', 'full_online', 'finished', 'finished_on_time', 'in_progress',
        'in_progress_overdue', 'digitized', 'e_result', 'reused_data', 'fee_required', 'paid_online',
        'rated', 'satisfied', 'finished_well']

args = [a for a in sys.argv[1:] if not a.startswith('--')]
# --db FILE: load into a database file (persistent, as steerco's import is); default: memory.
db_file = next((a.split('=', 1)[1] for a in sys.argv[1:] if a.startswith('--db=')), None)
path = args[0]
t0 = time.time()
con = duckdb.connect(db_file) if db_file else duckdb.connect()
con.execute(f"""CREATE TABLE d AS SELECT * FROM read_csv('{path}', header=true, timestampformat='%Y-%m-%d %H:%M:%S',
 columns={{'dossier_code':'VARCHAR','unit_code':'VARCHAR','procedure_code':'VARCHAR','fee_required':'INT','channel':'VARCHAR',
 'online_mode':'VARCHAR','received_at':'TIMESTAMP','due_at':'TIMESTAMP','finished_at':'TIMESTAMP','status':'VARCHAR',
 'supplement_requests':'INT','supplement_days':'DOUBLE','digitized':'INT','e_result':'INT','reused_data':'INT',
 'paid_online':'INT','rating':'VARCHAR'}})""")
t1 = time.time()
# The national on-time rule: end of processing (or the end of the month of receipt while in
# progress) less the days waiting for the citizen, no later than the due date; more than one
# supplement request is late. Times are Vietnam's local time, as the file writes them.
rows = con.execute("""
WITH x AS (SELECT *, strftime(received_at, '%Y-%m') AS month,
  CASE WHEN status <> 'in_progress' THEN finished_at
       ELSE date_trunc('month', received_at) + INTERVAL 1 MONTH - INTERVAL 1 SECOND END AS end_at FROM d),
y AS (SELECT *, (supplement_requests <= 1 AND (due_at IS NULL
      OR end_at - to_seconds(CAST(round(supplement_days * 86400) AS BIGINT)) <= due_at)) AS on_time FROM x)
SELECT unit_code, month, count(*), sum((channel = 'online')::INT), sum((online_mode = 'full')::INT),
 sum((status <> 'in_progress')::INT), sum((status <> 'in_progress' AND on_time)::INT),
 sum((status = 'in_progress')::INT), sum((status = 'in_progress' AND NOT on_time)::INT),
 sum(digitized), sum(e_result), sum(reused_data), sum(fee_required),
 sum((fee_required = 1 AND paid_online = 1)::INT), sum((coalesce(rating, '') <> '')::INT), sum((rating = 'satisfied')::INT),
 sum((status <> 'in_progress' AND on_time AND coalesce(rating, '') <> 'unsatisfied')::INT)
FROM y GROUP BY ALL ORDER BY 1, 2""").fetchall()
t2 = time.time()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"duckdb: load {t1 - t0:.1f} s, aggregate {t2 - t1:.1f} s, total {t2 - t0:.1f} s, "
      f"{len(rows)} unit-months, peak memory {peak:.0f} MB")
if len(args) > 1:
    mine = {}
    with open(args[1]) as f:
        # dossier rows only: the export's feedback section follows a blank line
        for r in csv.DictReader(f.read().split('\n\n')[0].splitlines()):
            if r.get('unit_code'):
                mine[(r['unit_code'], r['month'])] = r
    differing = [r for r in rows
                 if (r[0], r[1]) not in mine or any(int(mine[(r[0], r[1])][c]) != int(r[2 + i]) for i, c in enumerate(COLS))]
    print(f"checked against {args[1]}: {len(mine)} unit-months, {len(differing)} differ")
    sys.exit(1 if differing or len(mine) != len(rows) else 0)
