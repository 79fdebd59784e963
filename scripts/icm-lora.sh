#!/usr/bin/env bash
# Runs ICM-LoRA (issue 15) on Rotated MNIST for 3 seeds and regenerates docs/results/icm-lora.md.
# Variants of runs/configs/icm-lora-rotated-mnist.yaml (one run directory each, OUT/VARIANT/seed-N):
#   generative  the config as committed: generator updated task by task with weight-space generative replay
#   none        learner.icm_lora.replay=none (no replay)
#   trained     answer with the trained adapters (reference; the generator is not trained)
#   base        answer with the frozen base alone
#   random      answer with a random adapter (N(mean, std) per tensor)
#   stored      learner.icm_lora.replay=stored (every real checkpoint kept: non-continual upper bound)
#   wrong-task  answer with the generator conditioned on another seen task's vector
#   ablation-kl-0.1  (not in the default list) learner.icm_lora.kl_weight=0.1
#   ablation-epochs-10  (not in the default list) learner.icm_lora.epochs=10 (kept checkpoints from an unconverged
#                    adapter training)
#   ablation-generator-100  (not in the default list) 100 generator steps of lr 0.003 per update
#   ablation-previous  (not in the default list) both of the above: the config as first committed
#   ablation-tv-base  (not in the default list) learner.icm_lora.task_vector=base (every task vector from the frozen
#                    base, as an unseen task's is)
# Usage: scripts/icm-lora.sh [OUT_DIR]   (default results/icm-lora; finished runs are skipped, killed ones resume)
# Environment: CL (default ./cl), SEEDS (default "0 1 2"), VARIANTS (default: all of the above, in that order)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/icm-lora}"
CL="${CL:-./cl}"
SEEDS="${SEEDS:-0 1 2}"
VARIANTS="${VARIANTS:-generative none trained base random stored wrong-task}"
CONFIG=runs/configs/icm-lora-rotated-mnist.yaml
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
start=$(date +%s)
n=0
for seed in $SEEDS; do
  for v in $VARIANTS; do
    case "$v" in
      generative) sets=() ;;
      none) sets=(--set learner.icm_lora.replay=none) ;;
      stored) sets=(--set learner.icm_lora.replay=stored) ;;
      trained|base|random|wrong-task) sets=(--set "learner.icm_lora.answer=$v") ;;
      ablation-kl-0.1) sets=(--set learner.icm_lora.kl_weight=0.1) ;;
      ablation-epochs-10) sets=(--set learner.icm_lora.epochs=10) ;;
      ablation-generator-100) sets=(--set learner.icm_lora.generator_steps=100 --set learner.icm_lora.generator_lr=0.003) ;;
      ablation-tv-base) sets=(--set learner.icm_lora.task_vector=base) ;;
      ablation-previous) sets=(--set learner.icm_lora.epochs=10 --set learner.icm_lora.generator_steps=100
        --set learner.icm_lora.generator_lr=0.003) ;;
      *) echo "icm-lora.sh: unknown variant $v" >&2; exit 2 ;;
    esac
    $CL run "$CONFIG" --out "$OUT/$v/seed-$seed" --set run.progress=never --set run.seed="$seed" "${sets[@]}" \
      > /dev/null
    n=$((n + 1))
    echo "[$(( $(date +%s) - start )) s] $n runs ($v seed $seed)" >&2
  done
done
python3 scripts/icm-lora-report.py "$OUT" "$CONFIG" > docs/results/icm-lora.md
echo "icm-lora: $n runs in $(( $(date +%s) - start )) s; docs/results/icm-lora.md written" >&2
