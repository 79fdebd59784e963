#!/usr/bin/env bash
# Regenerates the table of docs/results/hypernets.md: HNET and the RNN hypernetwork (parameter counts within 5 %, runs/configs/*hnet*.yaml)
# next to finetune, EWC, SI and joint with the same 784-100-100 multi-head target network, on Split Fashion-MNIST
# 5x2 and Permuted MNIST 10 tasks (bundled digits), task-incremental training, 3 seeds; then ./cl report.
# Usage: [STREAMS=..] [LEARNERS=..] [SEEDS=..] [NO_REPORT=1|REPORT_ONLY=1] scripts/hypernets.sh [OUT_DIR]
#   (default results/hypernets; finished runs are skipped; NO_REPORT=1 leaves the table for a later invocation,
#   REPORT_ONLY=1 only rebuilds the table from the finished runs under OUT_DIR)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$HERE/results/hypernets}"
SEEDS="${SEEDS:-0 1 2}"
STREAMS="${STREAMS:-split-fmnist permuted-mnist-10}"   # a subset runs only those streams
LEARNERS="${LEARNERS:-hnet rnn-hnet finetune ewc si joint}"  # a subset runs only those learners
has() { [[ " $STREAMS " == *" $1 "* ]]; }
wants() { [[ " $LEARNERS " == *" $1 "* ]]; }
cd "$HERE"
./cl --version >/dev/null
start=$(date +%s)
n=0
run() { # config out-subdir extra-sets...
  local cfg="$1" dir="$2"
  shift 2
  wants "$(basename "$(dirname "$dir")")" || return 0
  [ -n "${REPORT_ONLY:-}" ] && return 0
  ./cl run "$cfg" --out "$OUT/$dir" --set run.progress=never "$@" > /dev/null
  n=$((n + 1))
  echo "[$(( $(date +%s) - start )) s] $n runs: $dir" >&2
}
PM="--set scenario.tasks=10 --set scenario.mode=task-incremental --set evaluation.modes=[task-incremental]"
FM="--set scenario.mode=task-incremental --set evaluation.modes=[task-incremental]"
for seed in $SEEDS; do
  if has split-fmnist; then
    run runs/configs/hnet-split-fmnist.yaml "split-fmnist/hnet/seed-$seed" --set run.seed="$seed"
    run runs/configs/rnn-hnet-split-fmnist.yaml "split-fmnist/rnn-hnet/seed-$seed" --set run.seed="$seed"
    for learner in finetune ewc si joint; do
      # shellcheck disable=SC2086
      run "runs/configs/split-fmnist-$learner.yaml" "split-fmnist/$learner/seed-$seed" --set run.seed="$seed" \
        --set "learner.hidden=[100,100]" $FM
    done
  fi
  if has permuted-mnist-10; then
    run runs/configs/hnet-permuted-mnist.yaml "permuted-mnist-10/hnet/seed-$seed" --set run.seed="$seed"
    run runs/configs/rnn-hnet-permuted-mnist.yaml "permuted-mnist-10/rnn-hnet/seed-$seed" --set run.seed="$seed"
    for learner in finetune ewc si joint; do
      # shellcheck disable=SC2086
      run "runs/configs/permuted-mnist-$learner.yaml" "permuted-mnist-10/$learner/seed-$seed" --set run.seed="$seed" \
        --set "learner.hidden=[100,100]" $PM
    done
  fi
done
elapsed=$(( $(date +%s) - start ))
echo "hypernets: $n runs started in $elapsed s" >&2
[ -n "${NO_REPORT:-}" ] && exit 0   # several invocations may run side by side; one report at the end
table_file="$(mktemp)"
./cl report "$OUT" --out "$table_file"
# the time shown is the sum of the runs' own wall_seconds (summary.json), which stays right when the script was
# run in parts or two at a time
read -r total wall < <(python3 - "$OUT" <<'PY'
import json, pathlib, sys
s = [json.loads(p.read_text()) for p in pathlib.Path(sys.argv[1]).rglob("summary.json")]
s = [x for x in s if x.get("finished")]
print(len(s), round(sum(x["wall_seconds"] for x in s)))
PY
)
doc="docs/results/hypernets.md"
python3 "$HERE/scripts/insert-table.py" "$doc" "$table_file" "$total" "$wall" scripts/hypernets.sh
rm -f "$table_file"
echo "hypernets: table of $total runs ($wall s of run wall time) written to $doc" >&2
