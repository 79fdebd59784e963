#!/usr/bin/env bash
# Regenerates the nearest-class-mean block of docs/results/dkvb.md: Split MNIST 5x2 class-incremental, 3 seeds, on the
# frozen Fashion-MNIST encoder's features (runs/configs/ncm-split-mnist.yaml) and on raw pixels (same config,
# --set scenario.encoder=). Runs go to OUT/split-mnist/ncm*/seed-N beside the bottleneck's, so scripts/dkvb.sh's main
# table lists them too. The encoder is pre-trained first if missing.
# Usage: scripts/ncm.sh [OUT_DIR]   (default results/dkvb; finished runs are skipped, killed ones resume)
# Environment: CL (default ./cl), SEEDS (default 0 1 2)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/dkvb}"
CL="${CL:-./cl}"
SEEDS="${SEEDS:-0 1 2}"
ENCODER=results/encoders/fmnist-mlp-256-128.bin
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
start=$(date +%s)
n=0
if [ ! -f "$ENCODER" ]; then
  $CL pretrain-encoder --out "$ENCODER"
fi
for seed in $SEEDS; do
  $CL run runs/configs/ncm-split-mnist.yaml --out "$OUT/split-mnist/ncm/seed-$seed" --set run.progress=never \
    --set run.seed="$seed" > /dev/null
  $CL run runs/configs/ncm-split-mnist.yaml --out "$OUT/split-mnist/ncm-raw-pixels/seed-$seed" \
    --set run.progress=never --set run.seed="$seed" --set scenario.encoder= > /dev/null
  n=$((n + 2))
  echo "[$(( $(date +%s) - start )) s] $n runs" >&2
done
elapsed=$(( $(date +%s) - start ))
only="$(mktemp -d)"
mkdir -p "$only/split-mnist"
ln -s "$OUT/split-mnist/ncm" "$OUT/split-mnist/ncm-raw-pixels" "$only/split-mnist/"
table_file="$(mktemp)"
python3 scripts/dkvb-table.py "$only" > "$table_file"
python3 scripts/insert-table.py docs/results/dkvb.md "$table_file" "$n" "$elapsed" scripts/ncm.sh ncm
rm -rf "$only" "$table_file"
echo "ncm: $n runs in $elapsed s; table written to docs/results/dkvb.md" >&2
