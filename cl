#!/usr/bin/env bash
# CL-Lab launcher: builds on first use (or when sources changed), then runs the CLI.
# Sets OMP_WAIT_POLICY=PASSIVE: on few cores ND4J's OpenMP threads otherwise spin against each other.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/runs/target/cl.jar"
stale() {
  [ ! -f "$JAR" ] && return 0
  [ -n "$(find "$HERE/pom.xml" "$HERE"/*/pom.xml "$HERE"/*/src/main "$HERE/runs/configs" -newer "$JAR" -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "cl: building CL-Lab (first use or sources changed) ..." >&2
  (cd "$HERE" && ./mvnw -q -B -DskipTests install >&2) || { echo "cl: build failed" >&2; exit 1; }
  # Maven leaves cl.jar untouched when only another module changed: mark the build as done, else every call rebuilds
  touch "$JAR"
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec java ${CL_JAVA_OPTS:-} -Dcllab.home="$HERE" -jar "$JAR" "$@"
