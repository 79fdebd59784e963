#!/usr/bin/env bash
# Benchmark: dispatch overhead of a sweep of N trivial runs (default 100) with --workers W (default 2).
#
# A trivial run is a real `cl run` in its own JVM that does almost no training: Split-MNIST with 1 task of 2 classes,
# 10 training samples, a linear classifier, 1 epoch, no checkpoints. What it measures is therefore what every run of
# a sweep pays besides its own work: starting a JVM, loading ND4J and the bundled data, validating the config, and
# the sweep's own bookkeeping (index, progress, report).
#
# Printed: total wall time; wall per run (total / N); mean in-run time (the runs' own `wall_seconds` from
# summary.json, measured inside the worker from the start of the run to its summary); the per-run overhead
# = total x W / N - mean in-run time (worker-seconds per run spent outside the run itself); and, for comparison, a
# single `cl run` of the same trivial config started by hand.
#
# Workers are long-lived: a worker JVM runs up to RUNS_PER_JVM runs one after the other (the local executor's
# --runs-per-jvm, default: the executor's default; 1 = a JVM per run, as before issue 21); the SLURM half packs
# RUNS_PER_TASK runs into one array task (slurm.runs_per_task, default N / W: one task per concurrent slot).
#
# Usage: scripts/bench-sweep-dispatch.sh [N] [W]
#   CL="java -jar runs/target/cl.jar" scripts/bench-sweep-dispatch.sh   # use an already built jar
#   RUNS_PER_JVM=1 RUNS_PER_TASK=1 scripts/bench-sweep-dispatch.sh      # a JVM per run (the old behaviour)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-100}"
W="${2:-2}"
CL="${CL:-$HERE/cl}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
TMP="$(mktemp -d)"
chmod 755 "$TMP"   # munged refuses a socket below a directory others cannot search (SLURM half)
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/trivial.yaml" <<'YAML'
run: {progress: never, checkpoints: false}
scenario: {type: split, dataset: mnist, tasks: 1, classes_per_task: 2, train_limit: 10}
learner: {type: finetune, hidden: [], epochs: 1, batch_size: 10}
YAML
{
  echo "base: trivial.yaml"
  printf "seeds: ["
  for ((i = 0; i < N; i++)); do printf "%s%d" "$([ "$i" -gt 0 ] && echo ", ")" "$i"; done
  echo "]"
} > "$TMP/sweep.yaml"

now() { date +%s.%N; }

# in-run seconds of every summary.json under $1: "count sum"
in_run() {
  find "$1" -name summary.json -exec grep -h '"wall_seconds"' {} + |
    awk -F: '{ gsub(/[ ,]/, "", $2); s += $2; n++ } END { printf "%d %.3f\n", n, s }'
}

echo "== single cl run of the trivial config (JVM start + run)"
t0=$(now)
$CL run "$TMP/trivial.yaml" --out "$TMP/single" > /dev/null 2>&1
t1=$(now)
read -r _ single_in <<< "$(in_run "$TMP/single")"
awk -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" -v r="$single_in" \
  'BEGIN { printf "wall %.2f s, in-run %.2f s, outside the run %.2f s\n", w, r, w - r }'

echo "== local: $N trivial runs, --workers $W${RUNS_PER_JVM:+, --runs-per-jvm $RUNS_PER_JVM} (cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg))"
t0=$(now)
$CL sweep "$TMP/sweep.yaml" --out "$TMP/local" --workers "$W" ${RUNS_PER_JVM:+--runs-per-jvm "$RUNS_PER_JVM"} > "$TMP/local.out" 2> "$TMP/local.err" || {
  tail -5 "$TMP/local.err"; exit 1; }
t1=$(now)
read -r n sum <<< "$(in_run "$TMP/local/runs")"
awk -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" -v n="$n" -v s="$sum" -v N="$N" -v W="$W" 'BEGIN {
  if (n != N) { printf "only %d of %d runs finished\n", n, N; exit 1 }
  printf "total wall        %8.1f s\n", w
  printf "wall per run      %8.2f s  (total / %d runs)\n", w / n, n
  printf "mean in-run time  %8.2f s  (summary.json wall_seconds)\n", s / n
  printf "per-run overhead  %8.2f s  (total x %d workers / %d runs - in-run time)\n", w * W / n - s / n, W, n
}'

# SLURM half: the same N trivial runs as one job array (--executor slurm, max_concurrent W, 1 CPU per task) on the
# cluster SLURM_CONF points at; without SLURM_CONF, on a private one-node cluster started under $TMP by
# scripts/start-slurm.sh (needs root and the Debian packages munge slurmctld slurmd slurm-client) and stopped at exit.
# Same figures as the local half; the overhead then also holds sbatch, scheduling, slurmd's task launch and the
# executor's polling (every 0.25-5 s).
RPT="${RUNS_PER_TASK:-$(( (N + W - 1) / W ))}"
echo "== slurm: $N trivial runs, max_concurrent $W, runs_per_task $RPT (load: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ -z "${SLURM_CONF:-}" ]; then
  if ! start_out="$("$HERE/scripts/start-slurm.sh" "$TMP/slurm" 2>&1)"; then
    echo "SLURM half skipped: no SLURM_CONF and no private cluster could be started:"
    echo "$start_out" | head -n 5
    exit 0
  fi
  trap '"$HERE/scripts/stop-slurm.sh" "$TMP/slurm"; rm -rf "$TMP"' EXIT
  eval "$(echo "$start_out" | grep '^export SLURM_CONF=')"
  echo "(private cluster: $SLURM_CONF)"
fi
{
  cat "$TMP/sweep.yaml"
  echo "slurm: {max_concurrent: $W, cpus_per_task: 1, mem: 2G, time: \"00:30:00\", max_retries: 0, runs_per_task: $RPT}"
} > "$TMP/sweep-slurm.yaml"
t0=$(now)
$CL sweep "$TMP/sweep-slurm.yaml" --out "$TMP/slurm-sweep" --executor slurm > "$TMP/slurm.out" 2> "$TMP/slurm.err" || {
  tail -5 "$TMP/slurm.err"; exit 1; }
t1=$(now)
read -r n sum <<< "$(in_run "$TMP/slurm-sweep/runs")"
awk -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" -v n="$n" -v s="$sum" -v N="$N" -v W="$W" 'BEGIN {
  if (n != N) { printf "only %d of %d runs finished\n", n, N; exit 1 }
  printf "total wall        %8.1f s\n", w
  printf "wall per run      %8.2f s  (total / %d runs)\n", w / n, n
  printf "mean in-run time  %8.2f s  (summary.json wall_seconds)\n", s / n
  printf "per-run overhead  %8.2f s  (total x %d concurrent / %d runs - in-run time)\n", w * W / n - s / n, W, n
}'
