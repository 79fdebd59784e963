#!/usr/bin/env bash
# D2NWG (issue 14): builds the model zoo, runs the offline generator experiment and the continual runs, and writes
# docs/results/d2nwg.md from what they measured (scripts/d2nwg-table.py).
#   zoo:        runs/configs/zoos/d2nwg.yaml  -> OUT/zoo (resumable), OUT/zoo.log
#   experiment: one `cl zoo evaluate` per generator seed -> OUT/experiment-seed-N.json
#   continual:  runs/configs/d2nwg-split-mnist.yaml with and without generative replay -> OUT/continual/replay-*/seed-N
#   zoo size:   runs/configs/zoos/d2nwg-600.yaml -> OUT/zoo-600, and the generator trained on its first N seen tasks
#               -> OUT/size-N-seed-0.json (zero-shot on the same 24 held-out tasks)
# Usage: scripts/d2nwg.sh [OUT_DIR]   (default results/d2nwg; finished parts are kept: the zoo resumes, finished runs
#        are reported, not redone; an existing experiment JSON is kept)
# Environment: CL (default ./cl), SEEDS (generator seeds, default 0 1 2), RUN_SEEDS (continual seeds, default 0),
#              SIZES (zoo-size sweep, seen tasks N, default 24 576; empty: skipped), TABLE_ONLY=1 (only regenerate the
#              page from OUT)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/d2nwg}"
CL="${CL:-./cl}"
SEEDS="${SEEDS:-0 1 2}"
RUN_SEEDS="${RUN_SEEDS:-0}"
SIZES="${SIZES-24 576}"
ENCODER=results/encoders/fmnist-mlp-256-128.bin
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
if [ "${TABLE_ONLY:-0}" != 1 ]; then
  [ -f "$ENCODER" ] || $CL pretrain-encoder --out "$ENCODER"
  mkdir -p "$OUT"
  $CL zoo build runs/configs/zoos/d2nwg.yaml --out "$OUT/zoo" | tee -a "$OUT/zoo.log"
  for seed in $SEEDS; do
    [ -f "$OUT/experiment-seed-$seed.json" ] && continue
    $CL zoo evaluate runs/configs/zoos/d2nwg.yaml --zoo "$OUT/zoo" --out "$OUT/experiment-seed-$seed.json" \
      --set "experiment.seeds=[$seed]" | tee "$OUT/experiment-seed-$seed.log"
  done
  for seed in $RUN_SEEDS; do
    for replay in true false; do
      $CL run runs/configs/d2nwg-split-mnist.yaml --out "$OUT/continual/replay-$replay/seed-$seed" \
        --set run.seed="$seed" --set learner.d2nwg.replay="$replay" --set run.progress=never > /dev/null
    done
  done
  if [ -n "$SIZES" ]; then
    $CL zoo build runs/configs/zoos/d2nwg-600.yaml --out "$OUT/zoo-600" | tail -1 | tee -a "$OUT/zoo-600.log"
    for n in $SIZES; do
      [ -f "$OUT/size-$n-seed-0.json" ] && continue
      $CL zoo evaluate runs/configs/zoos/d2nwg-600.yaml --zoo "$OUT/zoo-600" --out "$OUT/size-$n-seed-0.json" \
        --set "experiment.seeds=[0]" --set experiment.train_tasks="$n" | tee "$OUT/size-$n-seed-0.log"
    done
  fi
fi
python3 scripts/d2nwg-table.py "$OUT" > docs/results/d2nwg.md
echo "wrote docs/results/d2nwg.md" >&2
