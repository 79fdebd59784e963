#!/usr/bin/env bash
# Throughput and memory of the discrete key-value bottleneck at the paper's default size (256 codebooks x 4096
# pairs, key dim 14, top-1, batch 256, 128-d features): key init, key-index computation, training on cached
# indices (samples/second), evaluation, resident memory. Usage: scripts/bench-dkvb.sh [C M KEY_DIM FEATURE_DIM]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
JAR=runs/target/cl.jar
if [ ! -f "$JAR" ]; then
  ./mvnw -q -B -DskipTests package
fi
OMP_WAIT_POLICY=PASSIVE exec java -Xmx2g -cp "$JAR" org.cllab.runs.run.DkvbBenchmark "$@"
