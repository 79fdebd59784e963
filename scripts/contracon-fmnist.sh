#!/usr/bin/env bash
# Regenerates docs/results/contracon-fmnist.md (issue 11, ConTraCon on Split Fashion-MNIST 5x2) through
# ./cl reproduce contracon-fmnist (runs/reproductions/contracon-fmnist.yaml: ConTraCon, trained on augmented images,
# the V = 1, k = 1 / 5 and no-gate ablations, finetune and one backbone per task on the same CCT, HNET and EWC; 3 seeds):
# the runs go to OUT/runs (finished runs are skipped, killed ones resume), a NAME/seed-N view of them in OUT/view feeds
# scripts/contracon-table.py (the page), and ./cl reproduce contracon-fmnist --no-run --write-docs --check fills the
# page's reproduction block and its rows of docs/REPRODUCTION.md (exit 1 naming every figure outside its tolerance).
# Only one ConTraCon run fits in memory next to other jobs (7-11 GB resident): WORKERS stays 1 unless you know better.
# Usage: scripts/contracon-fmnist.sh [OUT_DIR]   (default results/reproductions/contracon-fmnist)
# Environment: CL (default ./cl), WORKERS (default 1), PAGE_ONLY=1 (no runs: the page from the finished runs)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/reproductions/contracon-fmnist}"
CL="${CL:-./cl}"
WORKERS="${WORKERS:-1}"
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
start=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${PAGE_ONLY:-0}" != 1 ]; then
  $CL reproduce contracon-fmnist --out "$OUT" --workers "$WORKERS" > /dev/null || true
fi
elapsed=$(( $(date +%s) - start ))
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
# OUT/view/NAME/seed-N -> the run directory (group directories are NAME-HASH8, runs carry their seed in config.yaml)
rm -rf "$OUT/view"
mkdir -p "$OUT/view"
for group in "$OUT"/runs/*/; do
  name="$(basename "$group" | sed 's/-[0-9a-f]\{8\}$//')"
  for run in "$group"runs/*/; do
    [ -f "$run/config.yaml" ] || continue
    seed="$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["run"]["seed"])' "$run/config.yaml")"
    mkdir -p "$OUT/view/$name"
    ln -sfn "${run%/}" "$OUT/view/$name/seed-$seed"
  done
done
python3 scripts/contracon-table.py "$OUT/view" runs/configs/contracon-split-fmnist.yaml "$elapsed" "$WORKERS" \
  "$load_start / $load_end" contracon-fmnist > docs/results/contracon-fmnist.md.tmp
mv docs/results/contracon-fmnist.md.tmp docs/results/contracon-fmnist.md
$CL reproduce contracon-fmnist --out "$OUT" --no-run --write-docs --check > /dev/null
echo "contracon-fmnist: docs/results/contracon-fmnist.md and docs/REPRODUCTION.md written" >&2
