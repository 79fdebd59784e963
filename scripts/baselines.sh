#!/usr/bin/env bash
# Regenerates docs/results/baselines.md: 7 learners x {Split Fashion-MNIST 5x2 class- and task-incremental,
# Permuted MNIST 5 tasks domain-incremental} x 3 seeds, each run with ./cl run from the committed configs
# (runs/configs/split-fmnist-*.yaml, runs/configs/permuted-mnist-*.yaml), then ./cl report.
# Usage: scripts/baselines.sh [OUT_DIR]   (default results/baselines; finished runs are skipped, killed ones resume)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/baselines}"
SEEDS="${SEEDS:-0 1 2}"
LEARNERS="finetune joint ewc online-ewc si er lwf"
cd "$HERE"
./cl --version >/dev/null   # builds on first use
start=$(date +%s)
n=0
for seed in $SEEDS; do
  for learner in $LEARNERS; do
    for mode in class-incremental task-incremental; do
      ./cl run "runs/configs/split-fmnist-$learner.yaml" --out "$OUT/split-fmnist/$mode/$learner/seed-$seed" \
        --set run.seed="$seed" --set scenario.mode="$mode" --set "evaluation.modes=[$mode]" \
        --set run.progress=never > /dev/null
      n=$((n + 1))
      echo "[$(( $(date +%s) - start )) s] $n runs: split-fmnist $mode $learner seed $seed" >&2
    done
    ./cl run "runs/configs/permuted-mnist-$learner.yaml" --out "$OUT/permuted-mnist/$learner/seed-$seed" \
      --set run.seed="$seed" --set run.progress=never > /dev/null
    n=$((n + 1))
    echo "[$(( $(date +%s) - start )) s] $n runs: permuted-mnist domain-incremental $learner seed $seed" >&2
  done
done
elapsed=$(( $(date +%s) - start ))
table_file="$(mktemp)"
./cl report "$OUT" --out "$table_file"
doc="docs/results/baselines.md"
python3 "$HERE/scripts/insert-table.py" "$doc" "$table_file" "$n" "$elapsed" scripts/baselines.sh
rm -f "$table_file"
echo "baselines: $n runs in $elapsed s; table written to $doc" >&2
