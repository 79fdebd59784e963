#!/usr/bin/env bash
# Hot loops of the learners: time per step and achieved GFLOP/s as a fraction of the GEMM roofline measured in the
# same process for the loop's dominant product shape (org.cllab.runs.run.LearnerBench):
#   hnet      HNET step on Split Fashion-MNIST (runs/configs/hnet-split-fmnist.yaml, STEPS steps per task)
#   rnn-hnet  RNN hypernetwork step, same stream (runs/configs/rnn-hnet-split-fmnist.yaml)
#   dkvb-keys key-value bottleneck key search, C=256, M=4096, key dim 14, batches of 256
#   mlp       MLP baseline, one epoch of task 0 (runs/configs/split-fmnist-finetune.yaml)
# With --old-ref REF (a git commit) or --old OLD_CL_JAR (a runs/target/cl.jar with its lib/ beside it) the same
# driver also runs against the old build, alternating old and new per loop, and prints both side by side with the
# ratio new/old of the time per step (below 1: the new build is faster). The driver uses only API both builds have.
# Usage: scripts/bench-learners.sh [--old-ref REF | --old OLD_CL_JAR] [STEPS] [LOOP ...]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
OLD=""
OLD_REF=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --old) OLD="$2"; shift 2 ;;
    --old-ref) OLD_REF="$2"; shift 2 ;;
    *) break ;;
  esac
done
STEPS="${1:-100}"
shift || true
LOOPS=("$@")
[ "${#LOOPS[@]}" -gt 0 ] || LOOPS=(hnet rnn-hnet dkvb-keys mlp)
JAR=runs/target/cl.jar
if [ ! -f "$JAR" ]; then
  ./mvnw -q -B -DskipTests package
fi
TMP=$(mktemp -d)
cleanup() {
  if [ -n "$OLD_REF" ] && [ -d "$TMP/old" ]; then
    git worktree remove --force "$TMP/old" >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
if [ -n "$OLD_REF" ]; then
  echo "building $OLD_REF into $TMP/old ..." >&2
  git worktree add --detach "$TMP/old" "$OLD_REF" >/dev/null 2>&1
  (cd "$TMP/old" && ./mvnw -q -B -DskipTests package -pl runs -am >&2)
  OLD="$TMP/old/runs/target/cl.jar"
fi
if [ -n "$OLD" ] && [ ! -f "$OLD" ]; then
  echo "bench-learners.sh: --old $OLD: no such file" >&2
  exit 2
fi
# the driver classes of this build, put in front of the old build's classes
mkdir -p "$TMP/driver"
(cd "$TMP/driver" && unzip -q -o "$HERE/$JAR" 'org/cllab/runs/run/LearnerBench*' 'org/cllab/runs/run/GemmRoofline*')

run() { # run CLASSPATH LOOP -> prints the driver's output
  local cp=$1 loop=$2
  case "$loop" in
    hnet) args=(hypernet runs/configs/hnet-split-fmnist.yaml "$STEPS") ;;
    rnn-hnet) args=(hypernet runs/configs/rnn-hnet-split-fmnist.yaml "$STEPS") ;;
    dkvb-keys) args=(dkvb-keys 256 4096 14 128 8) ;;
    mlp) args=(mlp runs/configs/split-fmnist-finetune.yaml) ;;
    *) echo "bench-learners.sh: unknown loop $loop (hnet, rnn-hnet, dkvb-keys, mlp)" >&2; exit 2 ;;
  esac
  OMP_WAIT_POLICY=PASSIVE java -Xmx2g -Dcllab.home="$HERE" -cp "$cp" org.cllab.runs.run.LearnerBench "${args[@]}" \
    2>&1 | grep -v '^SLF4J' | grep -v ' INFO \| WARN '
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
summary=()
for loop in "${LOOPS[@]}"; do
  if [ -n "$OLD" ]; then
    echo "--- $loop, old build"
    old_out=$(run "$TMP/driver:$OLD" "$loop")
    echo "$old_out"
  fi
  echo "--- $loop, this build"
  new_out=$(run "$JAR" "$loop")
  echo "$new_out"
  new_line=$(echo "$new_out" | grep '^RESULT' || true)
  summary+=("new  $new_line")
  if [ -n "$OLD" ]; then
    old_line=$(echo "$old_out" | grep '^RESULT' || true)
    summary+=("old  $old_line")
    o=$(echo "$old_line" | awk '{for (i = 1; i <= NF; i++) if ($i == "ms/step") print $(i - 1)}')
    n=$(echo "$new_line" | awk '{for (i = 1; i <= NF; i++) if ($i == "ms/step") print $(i - 1)}')
    if [ -n "$o" ] && [ -n "$n" ]; then
      summary+=("     $loop: time per step new/old = $(awk -v n="$n" -v o="$o" 'BEGIN { printf "%.3f", n / o }')")
    fi
  fi
done
echo
echo "summary (load at the end: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '%s\n' "${summary[@]}"
