#!/usr/bin/env bash
# Meta-RTL (issue 13): runs the sweeps of runs/configs/sweep-meta-rtl.yaml (Meta-RTL and its same-budget baselines,
# K in {5, 10, 50}) and sweep-meta-rtl-oracle.yaml (best single source at K = 5), then writes
# docs/results/meta-rtl.md and docs/results/meta-rtl/*.svg from the finished runs.
#   scripts/meta-rtl.sh [RESULTS_DIR]        (default results/meta-rtl; WORKERS=1; REPORT_ONLY=1 skips the runs)
# Killed sweeps resume when the command is run again. Needs Fashion-MNIST at /usr/share/datasets/fashion-mnist.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-results/meta-rtl}"
cd "$HERE"
if [ "${REPORT_ONLY:-0}" != 1 ]; then
  ./cl sweep runs/configs/sweep-meta-rtl.yaml --out "$OUT/sweep" --workers "${WORKERS:-1}"
  ./cl sweep runs/configs/sweep-meta-rtl-oracle.yaml --out "$OUT/oracle" --workers "${WORKERS:-1}"
fi
python3 scripts/meta-rtl-report.py "$OUT" docs/results/meta-rtl "${NOTE:-}" > docs/results/meta-rtl.md.tmp
mv docs/results/meta-rtl.md.tmp docs/results/meta-rtl.md
echo "wrote docs/results/meta-rtl.md"
