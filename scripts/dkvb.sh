#!/usr/bin/env bash
# Regenerates docs/results/dkvb.md: the discrete key-value bottleneck against its baselines.
#  - 2-D Gaussian toy, 5 seeds: bottleneck 1x400 identity split (runs/configs/dkvb-toy.yaml), bottleneck 20x20
#    random projections (same config with --set), MLP 2-32-8 (dkvb-toy-mlp.yaml), linear probe (dkvb-toy-linear.yaml)
#  - Split MNIST 5x2 class-incremental on frozen Fashion-MNIST encoder features, 3 seeds: bottleneck
#    (dkvb-split-mnist.yaml), linear probe (dkvb-split-mnist-linear.yaml), MLP-128 (dkvb-split-mnist-mlp.yaml),
#    nearest class mean on the features and on raw pixels (ncm-split-mnist.yaml; scripts/ncm.sh runs only these)
# The encoder is pre-trained first if results/encoders/fmnist-mlp-256-128.bin is missing.
# Usage: scripts/dkvb.sh [OUT_DIR]   (default results/dkvb; finished runs are skipped, killed ones resume)
# Environment: CL (default ./cl), TOY_SEEDS (default 0 1 2 3 4), MNIST_SEEDS (default 0 1 2)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/dkvb}"
CL="${CL:-./cl}"
TOY_SEEDS="${TOY_SEEDS:-0 1 2 3 4}"
MNIST_SEEDS="${MNIST_SEEDS:-0 1 2}"
ENCODER=results/encoders/fmnist-mlp-256-128.bin
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
start=$(date +%s)
n=0
run() { # NAME CONFIG OUTDIR [--set ...]
  local name="$1" cfg="$2" dir="$3"
  shift 3
  $CL run "$cfg" --out "$dir" --set run.progress=never "$@" > /dev/null
  n=$((n + 1))
  echo "[$(( $(date +%s) - start )) s] $n runs: $name" >&2
}
if [ ! -f "$ENCODER" ]; then
  $CL pretrain-encoder --out "$ENCODER"
fi
for seed in $TOY_SEEDS; do
  run "toy bottleneck 1x400 seed $seed" runs/configs/dkvb-toy.yaml "$OUT/toy/dkvb-1x400-identity/seed-$seed" \
    --set run.seed="$seed"
  run "toy bottleneck 20x20 seed $seed" runs/configs/dkvb-toy.yaml "$OUT/toy/dkvb-20x20-random-projection/seed-$seed" \
    --set run.seed="$seed" --set learner.dkvb.codebooks=20 --set learner.dkvb.pairs=20 \
    --set learner.dkvb.split=random-projection
  run "toy MLP seed $seed" runs/configs/dkvb-toy-mlp.yaml "$OUT/toy/mlp-2-32-8/seed-$seed" --set run.seed="$seed"
  run "toy linear seed $seed" runs/configs/dkvb-toy-linear.yaml "$OUT/toy/linear-probe/seed-$seed" --set run.seed="$seed"
done
for seed in $MNIST_SEEDS; do
  run "mnist linear seed $seed" runs/configs/dkvb-split-mnist-linear.yaml "$OUT/split-mnist/linear-probe/seed-$seed" \
    --set run.seed="$seed"
  run "mnist MLP-128 seed $seed" runs/configs/dkvb-split-mnist-mlp.yaml "$OUT/split-mnist/mlp-128/seed-$seed" \
    --set run.seed="$seed"
  run "mnist bottleneck seed $seed" runs/configs/dkvb-split-mnist.yaml "$OUT/split-mnist/dkvb/seed-$seed" \
    --set run.seed="$seed"
  run "mnist nearest class mean seed $seed" runs/configs/ncm-split-mnist.yaml "$OUT/split-mnist/ncm/seed-$seed" \
    --set run.seed="$seed"
  run "mnist nearest class mean, raw pixels, seed $seed" runs/configs/ncm-split-mnist.yaml \
    "$OUT/split-mnist/ncm-raw-pixels/seed-$seed" --set run.seed="$seed" --set scenario.encoder=
done
elapsed=$(( $(date +%s) - start ))
table_file="$(mktemp)"
python3 scripts/dkvb-table.py "$OUT" > "$table_file"
python3 scripts/insert-table.py docs/results/dkvb.md "$table_file" "$n" "$elapsed" scripts/dkvb.sh
rm -f "$table_file"
echo "dkvb: $n runs in $elapsed s; table written to docs/results/dkvb.md" >&2
