#!/usr/bin/env bash
# GEMM roofline of this machine through ND4J in the project's JVM: single-precision GFLOP/s for the learners'
# product shapes, once per nd4j-native build for linux-x86_64 that Maven Central offers for ND4J 1.0.0-M2.1:
#   generic      (linux-x86_64, the project's safe default dependency)
#   avx2         (linux-x86_64-avx2)
#   avx512       (linux-x86_64-avx512; only where the CPU has avx512f: elsewhere it dies with SIGILL)
#   onednn       (linux-x86_64-onednn)
#   onednn-avx2  (linux-x86_64-onednn-avx2)
# Each variant jar is fetched into the local Maven repository (MAVEN_OPTS="-Dmaven.repo.local=..." is honoured) and
# put in front of the class path; JavaCPP then loads that build's libnd4jcpu (its platform extension wins over the
# generic one). The products themselves run in OpenBLAS for every variant except where oneDNN takes them over; the
# variant also changes ND4J's own element-wise and reduction kernels.
# Usage: scripts/bench-roofline.sh [SECONDS_PER_SHAPE [VARIANT ...]]   (default 1 s, all variants this CPU runs)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
SECONDS_PER_SHAPE="${1:-1}"
shift || true
JAR=runs/target/cl.jar
if [ ! -f "$JAR" ]; then
  ./mvnw -q -B -DskipTests package
fi
VERSION=1.0.0-M2.1
REPO=$(./mvnw -q -B help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo "$HOME/.m2/repository")
if [ "$#" -gt 0 ]; then
  VARIANTS=("$@")
else
  VARIANTS=(generic avx2 onednn onednn-avx2)
  if grep -qw avx512f /proc/cpuinfo; then
    VARIANTS+=(avx512)
  fi
fi
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${VARIANTS[@]}"; do
  if [ "$v" = generic ]; then
    # the generic build is the project's own dependency; an empty extension makes JavaCPP ignore any other
    echo "== variant generic (linux-x86_64)"
    OMP_WAIT_POLICY=PASSIVE java -Dorg.bytedeco.javacpp.platform.extension= -cp "$JAR" \
      org.cllab.runs.run.GemmRoofline "$SECONDS_PER_SHAPE" 2>&1 | grep -v '^SLF4J'
    continue
  fi
  if [ "$v" = avx512 ] && ! grep -qw avx512f /proc/cpuinfo; then
    echo "== variant avx512: skipped, this CPU has no avx512f"
    continue
  fi
  classifier="linux-x86_64-$v"
  vjar="$REPO/org/nd4j/nd4j-native/$VERSION/nd4j-native-$VERSION-$classifier.jar"
  if [ ! -f "$vjar" ]; then
    ./mvnw -q -B dependency:get -Dartifact="org.nd4j:nd4j-native:$VERSION:jar:$classifier" -Dtransitive=false \
      || { echo "== variant $v: not available ($classifier)"; continue; }
  fi
  echo "== variant $v ($classifier)"
  OMP_WAIT_POLICY=PASSIVE java -cp "$vjar:$JAR" org.cllab.runs.run.GemmRoofline "$SECONDS_PER_SHAPE" 2>&1 \
    | grep -v '^SLF4J' || echo "   (variant $v failed to run on this CPU)"
done
