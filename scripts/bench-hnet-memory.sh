#!/usr/bin/env bash
# Benchmark: resident memory (VmRSS, off-heap included) of a hypernetwork run at every task boundary, as logged by
# the run itself after the boundary's garbage collection. Prints RSS and Java heap per task and the ratio
# after the last task / after task 1 (issue 4 target: <= 1.2).
# Usage: scripts/bench-hnet-memory.sh [CONFIG] [--set key=value ...]   (default runs/configs/hnet-split-fmnist.yaml)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${1:-$HERE/runs/configs/hnet-split-fmnist.yaml}"
shift || true
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$HERE/cl" run "$CONFIG" --out "$TMP/run" --set run.progress=never --set run.checkpoints=true "$@" > /dev/null 2>&1
grep -o 'memory after task .*' "$TMP/run/run.log" | awk '
  { t = $4; sub(":", "", t); rss[t] = $6; heap[t] = $11; if (t > last) last = t }
  END {
    print "task  rss_MB  heap_committed_MB"
    for (t = 1; t <= last; t++) printf "%4d  %6d  %17d\n", t, rss[t], heap[t]
    printf "ratio rss after task %d / after task 1: %.3f (target <= 1.2)\n", last, rss[last] / rss[1]
  }'
