#!/usr/bin/env bash
# Regenerates docs/results/baselines.md: 8 learners (the 7 baselines and EWC + replay composed from hooks,
# config name ewc-er) x {Split Fashion-MNIST 5x2 class- and task-incremental, Permuted MNIST 5 tasks
# domain-incremental} x 3 seeds, each run with ./cl run from the committed configs (runs/configs/split-fmnist-*.yaml,
# runs/configs/permuted-mnist-*.yaml), then ./cl report into the page's main table block.
# Usage: scripts/baselines.sh [OUT_DIR]   (default results/baselines; finished runs are skipped, killed ones resume)
# A subset into a named table block of the page: SEEDS, LEARNERS (config names), MODES (Split-FMNIST modes),
# PERMUTED (yes/no) and BLOCK, e.g. the composition block:
#   SEEDS=0 LEARNERS="ewc er ewc-er" MODES=class-incremental PERMUTED=no BLOCK=composition \
#     scripts/baselines.sh results/composition
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/baselines}"
SEEDS="${SEEDS:-0 1 2}"
LEARNERS="${LEARNERS:-finetune joint ewc online-ewc si er ewc-er lwf}"
MODES="${MODES:-class-incremental task-incremental}"
PERMUTED="${PERMUTED:-yes}"
BLOCK="${BLOCK:-}"
cd "$HERE"
./cl --version >/dev/null   # builds on first use
start=$(date +%s)
n=0
for seed in $SEEDS; do
  for learner in $LEARNERS; do
    for mode in $MODES; do
      ./cl run "runs/configs/split-fmnist-$learner.yaml" --out "$OUT/split-fmnist/$mode/$learner/seed-$seed" \
        --set run.seed="$seed" --set scenario.mode="$mode" --set "evaluation.modes=[$mode]" \
        --set run.progress=never > /dev/null
      n=$((n + 1))
      echo "[$(( $(date +%s) - start )) s] $n runs: split-fmnist $mode $learner seed $seed" >&2
    done
    if [ "$PERMUTED" = yes ]; then
      ./cl run "runs/configs/permuted-mnist-$learner.yaml" --out "$OUT/permuted-mnist/$learner/seed-$seed" \
        --set run.seed="$seed" --set run.progress=never > /dev/null
      n=$((n + 1))
      echo "[$(( $(date +%s) - start )) s] $n runs: permuted-mnist domain-incremental $learner seed $seed" >&2
    fi
  done
done
elapsed=$(( $(date +%s) - start ))
table_file="$(mktemp)"
./cl report "$OUT" --out "$table_file"
doc="docs/results/baselines.md"
gen=scripts/baselines.sh
if [ -n "$BLOCK" ]; then
  gen="SEEDS=\"$SEEDS\" LEARNERS=\"$LEARNERS\" MODES=\"$MODES\" PERMUTED=$PERMUTED BLOCK=$BLOCK scripts/baselines.sh"
fi
python3 "$HERE/scripts/insert-table.py" "$doc" "$table_file" "$n" "$elapsed" "$gen" $BLOCK
rm -f "$table_file"
echo "baselines: $n runs in $elapsed s; table written to $doc" >&2
