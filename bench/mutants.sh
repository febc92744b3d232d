#!/usr/bin/env bash
# Mutation testing of the rule files: does `cargo test --lib` notice when a rule breaks?
# Too slow for CI (about 75 minutes on 2 cores for the five files): run it before a structural change and report
# the score per file. cargo-mutants 27 (installed here if missing).
#
#   bash bench/mutants.sh                    # the five rule files
#   bash bench/mutants.sh src/text.rs        # some of them
#
# It works in a scratch copy of the tree made with its build directory (WORK=…, default a new
# temporary directory), so the working tree stays free to edit and nothing is rebuilt from
# scratch; results land in target/mutants/<file>/ (OUT=…).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version 2>/dev/null | grep -q '^cargo-mutants 27'; then
  cargo install --locked cargo-mutants@27.1.0
fi

FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
  FILES=(src/deadline.rs src/dossiers/rules.rs src/tracking/status.rs src/reporting/calendar.rs src/text.rs)
fi
OUT=${OUT:-$PWD/target/mutants}
WORK=${WORK:-$(mktemp -d)/steerco}
mkdir -p "$OUT" "$WORK"
echo "== copying the tree (with target/) to $WORK"
tar --exclude=./.git --exclude=./target/mutants -cf - . | tar -xf - -C "$WORK"

for f in "${FILES[@]}"; do
  name=$(echo "$f" | sed 's|^src/||; s|\.rs$||; s|/|_|g')
  echo "== $f"
  (cd "$WORK" && cargo mutants --in-place --no-shuffle -C --lib -f "$f" -o "$OUT/$name") >"$OUT/$name.log" 2>&1 || true
done

echo
printf '%-28s %7s %7s %7s %9s %7s\n' file caught missed timeout unviable score
for f in "${FILES[@]}"; do
  name=$(echo "$f" | sed 's|^src/||; s|\.rs$||; s|/|_|g')
  d="$OUT/$name/mutants.out"
  c=$(grep -c . "$d/caught.txt" || true); m=$(grep -c . "$d/missed.txt" || true)
  t=$(grep -c . "$d/timeout.txt" || true); u=$(grep -c . "$d/unviable.txt" || true)
  viable=$((c + m + t))
  score=$(awk -v k=$((c + t)) -v v=$viable 'BEGIN { if (v) printf "%.1f %%", 100 * k / v; else print "-" }')
  printf '%-28s %7s %7s %7s %9s %7s\n' "$f" "$c" "$m" "$t" "$u" "$score"
done
echo
echo "missed mutants: $OUT/*/mutants.out/missed.txt (a timeout counts as caught: the tests hang)"
