#!/usr/bin/env bash
# Stops the one-node cluster that scripts/start-slurm.sh started under PREFIX (default: ${TMPDIR:-/tmp}/cllab-slurm):
# cancels its jobs, then stops slurmd, slurmctld and munged by their pid files. Safe to call twice; leaves the state
# under PREFIX (job ids keep counting on the next start).
set -uo pipefail

PREFIX="${1:-${TMPDIR:-/tmp}/cllab-slurm}"
[ -d "$PREFIX" ] || exit 0
PREFIX="$(cd "$PREFIX" && pwd)"
PATH="$PATH:/usr/sbin"

pid_of() {
  local f="$PREFIX/run/$1.pid"
  [ -s "$f" ] && cat "$f"
}

stop() {
  local name="$1" pid
  pid="$(pid_of "$name")" || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "stop-slurm: $name (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$PREFIX/run/$name.pid"
}

if [ -f "$PREFIX/etc/slurm.conf" ] && [ -n "$(pid_of slurmctld)" ] && kill -0 "$(pid_of slurmctld)" 2>/dev/null; then
  # Jobs of this private cluster only: its own controller answers.
  SLURM_CONF="$PREFIX/etc/slurm.conf" timeout 10 scancel --user="$(id -un)" >/dev/null 2>&1 || true
  for _ in $(seq 50); do
    [ -z "$(SLURM_CONF="$PREFIX/etc/slurm.conf" timeout 5 squeue -h -t running,completing -o %i 2>/dev/null)" ] && break
    sleep 0.2
  done
fi
stop slurmd
stop slurmctld
stop munged
exit 0
