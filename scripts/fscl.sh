#!/usr/bin/env bash
# Regenerates docs/results/fscl.md (issue 12, few-shot continual learning with fast and slow weights) through
# ./cl reproduce fscl (runs/reproductions/fscl.yaml: fast-slow, its four ablations, Reptile, finetune, EWC and joint,
# 5 seeds each): the runs go to OUT/runs (finished runs are skipped, killed ones resume), `cl report` over them
# gives OUT/report (probe plot, per-run table), scripts/fscl-page.py writes the page from the runs' summary.json
# files, and ./cl reproduce fscl --write-docs --check fills the page's reproduction block and its rows of
# docs/REPRODUCTION.md (exit 1 naming every figure outside its tolerance).
# Usage: scripts/fscl.sh [OUT_DIR]   (default results/reproductions/fscl)
# Environment: CL (default ./cl), WORKERS (default 1), PAGE_ONLY=1 (no runs: the page from the finished runs)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/reproductions/fscl}"
CL="${CL:-./cl}"
WORKERS="${WORKERS:-1}"
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [ "${PAGE_ONLY:-0}" != 1 ]; then
  start=$(date +%s)
  $CL reproduce fscl --out "$OUT" --workers "$WORKERS" > /dev/null
  echo "fscl: runs took $(( $(date +%s) - start )) s" >&2
fi
rm -rf "$OUT/report"
$CL report "$OUT/runs" --out "$OUT/report" > /dev/null
mkdir -p docs/results/fscl
cp "$OUT"/report/plots/*probe*.png docs/results/fscl/probe.png
python3 scripts/fscl-page.py "$OUT/runs" "$OUT/report" > docs/results/fscl.md.tmp
mv docs/results/fscl.md.tmp docs/results/fscl.md
$CL reproduce fscl --out "$OUT" --no-run --write-docs --check > /dev/null
echo "fscl: docs/results/fscl.md, docs/results/fscl/probe.png and docs/REPRODUCTION.md written" >&2
