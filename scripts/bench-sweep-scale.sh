#!/usr/bin/env bash
# Benchmark: the sweep bookkeeping at scale, on N synthetic finished runs (default 10000).
#
# Writes a sweep of N runs (5 learners x 10 learning rates x N/50 seeds; Split-MNIST 5x2, two evaluation modes) as
# finished run directories with made-up results (`cl synth-runs`: valid config.yaml, provenance.json, metrics and a
# finished summary.json; nothing is trained), then times, each as a whole process with -Xmx1g:
#   1. the resume scan: `cl sweep` on the finished directory (validate and expand the N runs, scan every run
#      directory, rewrite the index; "directory scanned in" is the scan alone) - it finds nothing to run, then
#      writes the report of the N runs;
#   2. `cl report DIR` alone;
# and prints wall and CPU seconds (user + system) of each process and its peak Java heap (the largest heap
# occupancy before a garbage collection in -Xlog:gc; the heap cannot exceed -Xmx1g in any case).
#
# Usage: scripts/bench-sweep-scale.sh [N]      (N a multiple of 50)
#   CL_JAR=runs/target/cl.jar scripts/bench-sweep-scale.sh   # the jar to time (default: build it via ./cl)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-10000}"
[ $((N % 50)) -eq 0 ] || { echo "bench-sweep-scale: N must be a multiple of 50" >&2; exit 2; }
if [ -z "${CL_JAR:-}" ]; then
  "$HERE/cl" --version > /dev/null   # builds the jar if needed
  CL_JAR="$HERE/runs/target/cl.jar"
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/base.yaml" <<'YAML'
run: {progress: never}
scenario: {type: split, dataset: mnist, tasks: 5, classes_per_task: 2}
learner: {type: finetune, hidden: [100], epochs: 1}
evaluation: {modes: [class-incremental, task-incremental]}
YAML
{
  echo "base: base.yaml"
  echo "learners: [finetune, ewc, si, er, lwf]"
  echo "grid: {learner.lr: [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001, 0.00003, 0.00001, 0.000003]}"
  echo "seeds: [$(seq -s ', ' 0 $((N / 50 - 1)))]"
} > "$TMP/sweep.yaml"

# timed NAME CMD...: runs CMD with -Xmx1g and a GC log; prints wall, CPU and peak heap
timed() {
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$TMP/$name.time" java -Xmx1g -Xlog:gc:file="$TMP/$name.gc" -jar "$CL_JAR" "$@" \
    > "$TMP/$name.out" 2> "$TMP/$name.err" || { tail -5 "$TMP/$name.err"; exit 1; }
  t1=$(date +%s.%N)
  local peak
  peak="$(grep -o '[0-9]*M->' "$TMP/$name.gc" | tr -d 'M>-' | sort -n | tail -n 1)"
  awk -v a="$t0" -v b="$t1" -v p="${peak:-0}" -v n="$name" '{ printf "%-22s wall %7.1f s   cpu %7.1f s   peak heap %5d MB\n", n, b - a, $1 + $2, p }' "$TMP/$name.time"
}

echo "== $N synthetic finished runs (cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg))"
t0=$(date +%s)
java -jar "$CL_JAR" synth-runs "$TMP/sweep.yaml" --out "$TMP/sweep" > /dev/null
echo "written in $(( $(date +%s) - t0 )) s"
timed resume-sweep sweep "$TMP/sweep.yaml" --out "$TMP/sweep"
grep -o 'directory scanned in [0-9.]* s' "$TMP/resume-sweep.err" | sed 's/^/  of which: /'
grep -q "$N of $N runs finished ($N before this session)" "$TMP/resume-sweep.out" \
  || { echo "the rerun did not find all $N runs finished"; exit 1; }
rm -rf "$TMP/sweep/report"
timed report report "$TMP/sweep"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
