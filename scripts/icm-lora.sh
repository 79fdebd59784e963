#!/usr/bin/env bash
# ICM-LoRA (issue 15): ./cl reproduce icm-lora (runs/reproductions/icm-lora.yaml: runs/configs/icm-lora-rotated-mnist.yaml
# and its variants, seeds 0-2) and then ./cl reproduce icm-lora-ablations (icm-lora-ablations.yaml) run what is
# missing into OUT/runs (finished runs are skipped, killed ones resume); then docs/results/icm-lora.md is written from
# the finished runs by scripts/icm-lora-report.py and ./cl reproduce icm-lora{,-ablations} --write-docs --check fill
# the page's two reproduction blocks and their rows of docs/REPRODUCTION.md (exit 1 naming every figure outside its
# tolerance; the script exits non-zero if either check fails, after both have run).
# Run groups (variants) of the reproduction files:
#   generative  the config as committed: generator updated task by task with weight-space generative replay
#   none        learner.icm_lora.replay=none (no replay)
#   trained     answer with the trained adapters (reference; the generator is not trained)
#   base        answer with the frozen base alone
#   random      answer with a random adapter (N(mean, std) per tensor)
#   stored      learner.icm_lora.replay=stored (every real checkpoint kept: non-continual upper bound)
#   wrong-task  answer with the generator conditioned on another seen task's vector
#   ablation-epochs-10, ablation-generator-100, ablation-previous (seeds 0-2), ablation-kl-0.1, ablation-tv-base
#               (seed 0): the settings that the page's diagnosis compares (see the reproduction file)
# Usage: scripts/icm-lora.sh [OUT_DIR]   (default results/reproductions/icm-lora)
# Environment: CL (default ./cl), WORKERS (default 1), REPORT_ONLY=1 (no runs: the page from the finished runs),
#              NO_ABLATIONS=1 (do not run icm-lora-ablations; the page then says which ablation runs are missing)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/reproductions/icm-lora}"
CL="${CL:-./cl}"
CONFIG=runs/configs/icm-lora-rotated-mnist.yaml
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [ "${REPORT_ONLY:-0}" != 1 ]; then
  start=$(date +%s)
  $CL reproduce icm-lora --out "$OUT" --workers "${WORKERS:-1}" > /dev/null
  if [ "${NO_ABLATIONS:-0}" != 1 ]; then
    $CL reproduce icm-lora-ablations --out "$OUT" --workers "${WORKERS:-1}" > /dev/null
  fi
  echo "icm-lora: runs took $(( $(date +%s) - start )) s" >&2
fi
python3 scripts/icm-lora-report.py "$OUT/runs" "$CONFIG" > docs/results/icm-lora.md.tmp
mv docs/results/icm-lora.md.tmp docs/results/icm-lora.md
rc=0
$CL reproduce icm-lora --out "$OUT" --no-run --write-docs --check > /dev/null || rc=$?
$CL reproduce icm-lora-ablations --out "$OUT" --no-run --write-docs --check > /dev/null || rc=$?
echo "icm-lora: docs/results/icm-lora.md and docs/REPRODUCTION.md written (exit $rc)" >&2
exit $rc
