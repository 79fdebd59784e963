#!/usr/bin/env bash
# Meta-RTL (issue 13): ./cl reproduce meta-rtl (runs/reproductions/meta-rtl.yaml: Meta-RTL and its same-budget
# baselines for K in {5, 10, 50}, seeds 1-5, and the single-source runs at K = 5, seeds 1-3, the run configurations
# of runs/configs/sweep-meta-rtl.yaml and sweep-meta-rtl-oracle.yaml) runs what is missing into OUT/runs (finished runs
# are skipped, killed ones resume); then docs/results/meta-rtl.md and docs/results/meta-rtl/*.svg are written from the
# finished runs and ./cl reproduce meta-rtl --write-docs --check fills the page's reproduction block and its rows of
# docs/REPRODUCTION.md (exit 1 naming every figure outside its tolerance).
#   scripts/meta-rtl.sh [OUT_DIR]   (default results/reproductions/meta-rtl; WORKERS=1; REPORT_ONLY=1 skips the runs;
#                                    NOTE="..." adds a paragraph on how the runs were made)
# Needs Fashion-MNIST at /usr/share/datasets/fashion-mnist.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-results/reproductions/meta-rtl}"
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
if [ "${REPORT_ONLY:-0}" != 1 ]; then
  ./cl reproduce meta-rtl --out "$OUT" --workers "${WORKERS:-1}" > /dev/null
fi
python3 scripts/meta-rtl-report.py "$OUT/runs" docs/results/meta-rtl "${NOTE:-}" > docs/results/meta-rtl.md.tmp
mv docs/results/meta-rtl.md.tmp docs/results/meta-rtl.md
./cl reproduce meta-rtl --out "$OUT" --no-run --write-docs --check > /dev/null
echo "wrote docs/results/meta-rtl.md, docs/results/meta-rtl/*.svg and docs/REPRODUCTION.md"
