#!/usr/bin/env bash
# D2NWG (issue 14): ./cl reproduce d2nwg (runs/reproductions/d2nwg.yaml) makes what is missing - its `requires`: the
# frozen encoder, the zoo of runs/configs/zoos/d2nwg.yaml (resumable), one `cl zoo evaluate` per generator seed 0-2
# (experiment-seed-N.json), the 600-task zoo of runs/configs/zoos/d2nwg-600.yaml and the generator trained on its
# first 24 and 576 seen tasks (size-N-seed-0.json); its runs: runs/configs/d2nwg-split-mnist.yaml with and without
# generative replay, seeds 0-2 (finished runs are skipped, killed ones resume) - into results/reproductions/d2nwg,
# logging to OUT/reproduce.log and sampling the load average every 30 s into OUT/load.log; then
# scripts/d2nwg-table.py writes docs/results/d2nwg.md from those files and ./cl reproduce d2nwg --write-docs --check
# fills the page's reproduction block and its rows of docs/REPRODUCTION.md (exit 1 naming every figure outside its
# tolerance).
# Usage: scripts/d2nwg.sh   (the reproduction file fixes OUT = results/reproductions/d2nwg, where its requires go)
# Environment: CL (default ./cl), WORKERS (default 1), TABLE_ONLY=1 (only regenerate the page from OUT)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=results/reproductions/d2nwg
CL="${CL:-./cl}"
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
if [ "${TABLE_ONLY:-0}" != 1 ]; then
  mkdir -p "$OUT"
  (while true; do echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.log"; sleep 30; done) &
  sampler=$!
  trap 'kill $sampler 2>/dev/null || true' EXIT
  start=$(date +%s)
  $CL reproduce d2nwg --out "$OUT" --workers "${WORKERS:-1}" 2>&1 | tee -a "$OUT/reproduce.log" > /dev/null
  echo "d2nwg: reproduce took $(( $(date +%s) - start )) s" | tee -a "$OUT/reproduce.log" >&2
  kill $sampler 2>/dev/null || true
fi
python3 scripts/d2nwg-table.py "$OUT" > docs/results/d2nwg.md.tmp
mv docs/results/d2nwg.md.tmp docs/results/d2nwg.md
$CL reproduce d2nwg --out "$OUT" --no-run --write-docs --check > /dev/null
echo "d2nwg: docs/results/d2nwg.md and docs/REPRODUCTION.md written" >&2
