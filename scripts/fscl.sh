#!/usr/bin/env bash
# Regenerates docs/results/fscl.md (issue 12, few-shot continual learning with fast and slow weights): runs the sweep
# runs/configs/sweep-fscl.yaml (fast-slow, its four ablations, Reptile, finetune, EWC, joint) for the seeds in SEEDS
# into OUT/s<seeds>/, writes the report of every finished run under OUT (cl report) and the page from it
# (scripts/fscl-page.py), with the probe plot copied to docs/results/fscl/. Calling it again with other seeds adds
# them: the page covers every finished run under OUT. Finished runs are skipped, killed ones resume.
# Usage: scripts/fscl.sh [OUT_DIR]   (default results/fscl)
# Environment: CL (default ./cl), SEEDS (default "0 1 2 3 4"), WORKERS (default 2), PAGE_ONLY=1 (no runs)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/fscl}"
CL="${CL:-./cl}"
SEEDS="${SEEDS:-0 1 2 3 4}"
WORKERS="${WORKERS:-2}"
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [ "${PAGE_ONLY:-0}" != 1 ]; then
  tag="s$(echo "$SEEDS" | tr -d ' ')"
  list="$(echo "$SEEDS" | sed 's/ \+/, /g')"
  sed "s|^base: fscl-fast-slow.yaml|base: $HERE/runs/configs/fscl-fast-slow.yaml|; s|^seeds: .*|seeds: [$list]|" \
    runs/configs/sweep-fscl.yaml > "$OUT/sweep-$tag.yaml"
  start=$(date +%s)
  $CL sweep "$OUT/sweep-$tag.yaml" --out "$OUT/$tag" --workers "$WORKERS" >&2
  echo "fscl: sweep $tag took $(( $(date +%s) - start )) s" >&2
fi
rm -rf "$OUT/report"
$CL report "$OUT" --out "$OUT/report" > /dev/null
mkdir -p docs/results/fscl
cp "$OUT"/report/plots/*probe*.png docs/results/fscl/probe.png
python3 scripts/fscl-page.py "$OUT" > docs/results/fscl.md
echo "fscl: docs/results/fscl.md and docs/results/fscl/probe.png written" >&2
