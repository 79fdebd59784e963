#!/usr/bin/env bash
# Runs ConTraCon (issue 11) and its baselines and ablations on one backbone and stream, then writes
# docs/results/contracon.md from the finished runs' summary.json files (scripts/contracon-table.py).
# Usage: scripts/contracon.sh [OUT_DIR]   (default results/contracon; finished runs are skipped, killed ones resume)
# Environment: CL (default ./cl), SEEDS (default 0), CONFIG (default runs/configs/contracon-split-mnist.yaml),
#              JOBS (runs at once, default 1), RUNS (names of the runs to do, default all; see below)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/contracon}"
CL="${CL:-./cl}"
SEEDS="${SEEDS:-0}"
CONFIG="${CONFIG:-runs/configs/contracon-split-mnist.yaml}"
JOBS="${JOBS:-1}"
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
# name | extra settings (V = views per test image; the V = 1 runs identify the task from the original alone)
V1="--set learner.contracon.views=1 --set learner.contracon.copies=1"
declare -A SETS=(
  [contracon]=""
  [contracon-v1]="$V1"
  [finetune]="--set learner.contracon.variant=finetune $V1"
  [independent]="--set learner.contracon.variant=independent $V1"
  [kernel-1]="--set learner.contracon.kernel=1 $V1"
  [kernel-5]="--set learner.contracon.kernel=5 $V1"
  [no-gate]="--set learner.contracon.skip=plain $V1"
)
RUNS="${RUNS:-contracon contracon-v1 finetune independent kernel-1 kernel-5 no-gate}"
start=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
jobs_file="$(mktemp)"
for seed in $SEEDS; do
  for name in $RUNS; do
    echo "$CL run $CONFIG --out $OUT/$name/seed-$seed --set run.progress=never --set run.seed=$seed ${SETS[$name]}" \
      >> "$jobs_file"
  done
done
# a run that fails or is stopped leaves its directory (rerun to resume); the page lists it as not finished
xargs -P "$JOBS" -I{} sh -c '{} > /dev/null && echo "done: {}" >&2' < "$jobs_file" || true
rm -f "$jobs_file"
elapsed=$(( $(date +%s) - start ))
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 scripts/contracon-table.py "$OUT" "$CONFIG" "$elapsed" "$JOBS" "$load_start / $load_end" \
  > docs/results/contracon.md
echo "contracon: runs in $OUT, $elapsed s; docs/results/contracon.md written" >&2
