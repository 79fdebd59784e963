#!/usr/bin/env bash
# Benchmark: `cl serve` on a 60-run sweep directory — time to first page and the heap it takes.
#
# The sweep directory is synthetic (no training): 60 finished runs (3 learners x 4 learning rates x 5 seeds) of
# Split-MNIST 5x2 in the runner's layout — sweep-index.json, runs/ID/config.yaml, summary.json, metrics.csv,
# accuracy_matrix_{class,task}-incremental.csv, run.log (~130 lines), provenance.json — with random accuracies.
#
# Printed:
#   start     seconds from starting the JVM to the "serving ... at URL" line (the port is bound and DIR has been
#             read once, which loads the report code: requests that come earlier wait for that read);
#   first page seconds from that line to having fetched everything the page needs for its first picture:
#             /, app.css, echarts.min.js, app.js and /api/overview (which holds every run and the comparison
#             tables), one after the other as a browser on a cold cache would;
#   overview  seconds of the next /api/overview (what every poll of the page costs);
#             Each with the CPU seconds (user + system, /proc) the server used meanwhile: on a loaded machine the
#             wall times stretch, the CPU seconds much less.
#   heap      used Java heap after a full GC once the first page is served, for the 60-run directory and for an
#             empty one; the difference is what the 60 runs cost;
#   -Xmx64m   the same first page served by a JVM whose heap is capped at 64 MB (ok / failed).
#
# Usage: scripts/bench-serve.sh [RUNS]      (default 60)
#   CL_JAR=runs/target/cl.jar scripts/bench-serve.sh   # the jar to run (built with ./mvnw -DskipTests install)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-60}"
JAR="${CL_JAR:-$HERE/runs/target/cl.jar}"
[ -f "$JAR" ] || { echo "bench-serve: $JAR not found; build with ./mvnw -DskipTests install" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench-serve: needs curl" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "bench-serve: needs jcmd (JDK)" >&2; exit 2; }
TMP="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

python3 - "$TMP/sweep" "$N" <<'PY'
import json, os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(0)
learners, lrs, seeds = ["finetune", "ewc", "si"], [0.1, 0.01, 0.001, 0.0001], range(5)
points = [(l, lr, s) for l in learners for lr in lrs for s in seeds][:n]
T = 5
index = {"sweep_hash": "%064x" % rng.getrandbits(256), "sweep_file": "/synthetic/sweep.yaml", "executor": "local",
         "runs_total": len(points), "counts": {"pending": 0, "queued": 0, "running": 0, "finished": len(points),
                                               "failed": 0}, "runs": {}}
for i, (learner, lr, seed) in enumerate(points):
    rid = "%012x" % rng.getrandbits(48)
    d = os.path.join(root, "runs", rid)
    os.makedirs(os.path.join(d, "checkpoints", "task-05"))
    with open(os.path.join(d, "config.yaml"), "w") as f:
        f.write("run:\n  seed: %d\n  progress: never\nscenario:\n  type: split\n  dataset: mnist\n  tasks: %d\n"
                "  classes_per_task: 2\n  mode: class-incremental\nlearner:\n  type: %s\n  lr: %s\n  epochs: 1\n"
                % (seed, T, learner, lr))
    evals, metrics, log = {}, ["series,after_task,eval_task,accuracy"], []
    for mode in ["class-incremental", "task-incremental"]:
        m = [[rng.uniform(0, 0.3) for _ in range(T)]]
        for k in range(1, T + 1):
            m.append([rng.uniform(0.5, 1.0) if j < k else rng.uniform(0, 0.3) for j in range(T)])
        with open(os.path.join(d, "accuracy_matrix_%s.csv" % mode), "w") as f:
            f.write("after_task," + ",".join("task_%d" % (j + 1) for j in range(T)) + "\n")
            for k, row in enumerate(m):
                f.write(str(k) + "," + ",".join(repr(v) for v in row) + "\n")
        for k, row in enumerate(m):
            metrics += ["%s,%d,%d,%r" % (mode, k, j + 1, v) for j, v in enumerate(row)]
        acc = sum(m[T]) / T
        bwt = sum(m[T][j] - m[j + 1][j] for j in range(T - 1)) / (T - 1)
        evals[mode] = {"accuracy_matrix": m, "acc": acc, "bwt": bwt, "fwt": 0.0, "forgetting": -bwt,
                       "learning_accuracy": sum(m[k + 1][k] for k in range(T)) / T,
                       "during": [m[k + 1][k] for k in range(T)], "final": m[T]}
    with open(os.path.join(d, "metrics.csv"), "w") as f:
        f.write("\n".join(metrics) + "\n")
    wall = rng.uniform(10, 30)
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump({"finished": True, "wall_seconds": wall, "train_seconds": wall / 2, "resumed_after_task": -1,
                   "config_hash": rid + "0" * 52, "evaluations": evals, "task_seconds": [wall / 10] * T}, f, indent=2)
    t = "2026-12-01T06:%02d:%02d,000 INFO  [main] " % (i % 60, 0)
    log.append(t + "RunExecutor - run %s (config %s), %d tasks, learner %s, data synthetic" % (d, rid, T, learner))
    for k in range(1, T + 1):
        log.append(t + "ProgressReporter - task %d/%d (classes %d,%d): 20 steps" % (k, T, 2 * k - 2, 2 * k - 1))
        log += [t + "progress - task %d step %d/20 (%d%%) mean loss 0.1234" % (k, s, 5 * s) for s in range(1, 21)]
        log.append(t + "ProgressReporter - checkpoint after task %d saved" % k)
    log.append(t + "RunExecutor - finished in %.1f s" % wall)
    with open(os.path.join(d, "run.log"), "w") as f:
        f.write("\n".join(log) + "\n")
    with open(os.path.join(d, "provenance.json"), "w") as f:
        json.dump({"config_hash": rid, "sessions": [{"started": "2026-12-01T06:00:00Z", "pid": 1,
                                                       "host": "synthetic"}]}, f, indent=2)
    index["runs"][rid] = {"index": i, "dir": "runs/" + rid, "learner": learner, "seed": seed,
                          "config_hash": rid + "0" * 52, "overrides": {"learner.lr": lr, "learner.type": learner},
                          "status": "finished", "info": {"device": "cpu", "exit_code": "0"}}
with open(os.path.join(root, "sweep-index.json"), "w") as f:
    json.dump(index, f, indent=2)
PY
mkdir -p "$TMP/empty"

now() { date +%s.%N; }
# serve DIR [JVM options...]: starts cl serve on a free port; sets PORT, SPID, START_S
serve() {
  local dir="$1"; shift
  local t0; t0="$(now)"
  rm -f "$TMP/serve.out" "$TMP/serve.err"   # else the wait below could read the previous server's address
  java "$@" -jar "$JAR" serve "$dir" --port 0 > "$TMP/serve.out" 2> "$TMP/serve.err" &
  SPID=$!
  PIDS+=("$SPID")
  for _ in $(seq 1 600); do
    grep -q "^serving " "$TMP/serve.out" 2>/dev/null && break
    kill -0 "$SPID" 2>/dev/null || { cat "$TMP/serve.err" >&2; echo "bench-serve: cl serve died" >&2; exit 1; }
    sleep 0.05
  done
  START_S="$(echo "$(now) - $t0" | bc)"
  PORT="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.out")"
}
# first_page: fetches what the page needs, sequentially; prints seconds
first_page() {
  local t0; t0="$(now)"
  for p in / /assets/app.css /assets/echarts.min.js /assets/app.js /api/overview; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$p" || true)"
    if [ "$code" != 200 ]; then
      echo "bench-serve: GET http://127.0.0.1:$PORT$p: HTTP $code" >&2
      cat "$TMP/serve.err" >&2
      return 1
    fi
  done
  echo "$(now) - $t0" | bc
}
# cpu_s: CPU seconds (user + system) the server process has used so far
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / t}' "/proc/$SPID/stat"; }
heap_used_mb() {
  jcmd "$SPID" GC.run >/dev/null
  jcmd "$SPID" GC.heap_info | sed -n 's/.*heap.*used \([0-9]*\)K.*/\1/p' | head -1 | awk '{printf "%.1f", $1 / 1024}'
}
stop() { kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; }

echo "bench-serve: $N runs, machine load: $(uptime | sed 's/.*load average: //')"
serve "$TMP/sweep"
CPU0="$(cpu_s)"
FIRST="$(first_page)"
CPU1="$(cpu_s)"
OVER="$(curl -s -o "$TMP/overview.json" -w '%{time_total}' "http://127.0.0.1:$PORT/api/overview")"
CPU2="$(cpu_s)"
RUNS_SHOWN="$(grep -c '"state" : "finished"' "$TMP/overview.json" || true)"
HEAP_FULL="$(heap_used_mb)"
START_FULL="$START_S"
stop
serve "$TMP/empty"
first_page >/dev/null
HEAP_EMPTY="$(heap_used_mb)"
stop
serve "$TMP/sweep" -Xmx64m
if first_page >/dev/null && curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/overview"; then
  CAPPED=ok
else
  CAPPED=failed
fi
stop

printf 'runs in the overview      %s (of %s)\n' "$RUNS_SHOWN" "$N"
printf 'start (JVM to URL)        %.2f s wall, %s s CPU\n' "$START_FULL" "$CPU0"
printf 'first page                %.3f s wall, %.2f s CPU\n' "$FIRST" "$(echo "$CPU1 - $CPU0" | bc)"
printf 'next overview (a poll)    %.3f s wall, %.2f s CPU\n' "$OVER" "$(echo "$CPU2 - $CPU1" | bc)"
printf 'heap used after GC        %s MB with %s runs, %s MB on an empty directory: %.1f MB for the runs\n' \
  "$HEAP_FULL" "$N" "$HEAP_EMPTY" "$(echo "$HEAP_FULL - $HEAP_EMPTY" | bc)"
printf 'first page with -Xmx64m   %s\n' "$CAPPED"
echo "machine load after: $(uptime | sed 's/.*load average: //')"
