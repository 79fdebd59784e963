#!/usr/bin/env bash
# Starts a one-node SLURM cluster on 127.0.0.1 as plain daemons (munged, slurmctld, slurmd; no systemd), with every
# key, config, state, pid and log file under PREFIX (default: ${TMPDIR:-/tmp}/cllab-slurm). Idempotent: daemons that
# already run from PREFIX are kept. Waits (deadline CLLAB_SLURM_WAIT seconds, default 60) until the node is idle, then
# prints the line to eval:
#
#   eval "$(scripts/start-slurm.sh)"      # -> export SLURM_CONF=PREFIX/etc/slurm.conf
#
# Needs the Debian packages munge slurmctld slurmd slurm-client and root (the daemons run as root; jobs run as the
# submitting user). Ports (loopback only): CLLAB_SLURMCTLD_PORT and CLLAB_SLURMD_PORT when set; otherwise the ports of
# PREFIX's existing slurm.conf, or the first free pair from 6817/6818 up (so a second cluster can run next to one).
# CLLAB_SLURM_MAX_ARRAY_SIZE sets the cluster's MaxArraySize (default 10001; the SLURM tier lowers it to 20 on a
# second private cluster to test sweeps split into several arrays). Stop with scripts/stop-slurm.sh [PREFIX]. On failure: a one-line reason plus the tail of the daemon logs, exit 1.
set -euo pipefail

PREFIX="${1:-${TMPDIR:-/tmp}/cllab-slurm}"
WAIT="${CLLAB_SLURM_WAIT:-60}"

die() {
  echo "start-slurm: $*" >&2
  for log in "$PREFIX/log/munged.log" "$PREFIX/log/slurmctld.log" "$PREFIX/log/slurmd.log"; do
    if [ -s "$log" ]; then
      echo "---- tail of $log" >&2
      tail -n 15 "$log" >&2
    fi
  done
  exit 1
}

for bin in munged slurmctld slurmd sinfo sbatch; do
  command -v "$bin" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
  command -v "$bin" >/dev/null 2>&1 || die "$bin not found; install the Debian packages: apt-get install -y munge slurmctld slurmd slurm-client"
done
[ "$(id -u)" = 0 ] || die "must run as root (slurmd runs jobs as the submitting user)"

mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
ETC="$PREFIX/etc"
CONF="$ETC/slurm.conf"
MUNGE_DIR="$PREFIX/munge"            # key and seed: root only
SOCKET_DIR="$PREFIX/munge-socket"     # munged wants the socket directory traversable by all
SOCKET="$SOCKET_DIR/munge.socket.2"
mkdir -p "$ETC" "$PREFIX/state/ctld" "$PREFIX/state/slurmd" "$PREFIX/log" "$PREFIX/run" "$MUNGE_DIR" "$SOCKET_DIR"
chmod 755 "$PREFIX" "$SOCKET_DIR"
chmod 700 "$MUNGE_DIR"

# alive NAME: the daemon whose pid file is PREFIX/run/NAME.pid is running.
alive() {
  local f="$PREFIX/run/$1.pid"
  [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# wait_alive NAME: daemons fork and write their pid file a moment later; give them 10 s.
wait_alive() {
  for _ in $(seq 100); do alive "$1" && return 0; sleep 0.1; done
  die "$1 did not come up (no live pid in $PREFIX/run/$1.pid)"
}

port_busy() {
  # ss lists listening TCP sockets; 127.0.0.1:PORT or *:PORT
  ss -ltnH 2>/dev/null | awk '{print $4}' | grep -Eq "(^|:)$1\$"
}

# ---- ports
conf_port() { sed -n "s/^$1=//p" "$CONF" 2>/dev/null | head -n 1; }
if [ -n "${CLLAB_SLURMCTLD_PORT:-}" ] || [ -n "${CLLAB_SLURMD_PORT:-}" ]; then
  CTLD_PORT="${CLLAB_SLURMCTLD_PORT:-6817}"
  SLURMD_PORT="${CLLAB_SLURMD_PORT:-$((CTLD_PORT + 1))}"
elif [ -n "$(conf_port SlurmctldPort)" ] && [ -n "$(conf_port SlurmdPort)" ] \
    && { alive slurmctld || ! port_busy "$(conf_port SlurmctldPort)"; } \
    && { alive slurmd || ! port_busy "$(conf_port SlurmdPort)"; }; then
  CTLD_PORT="$(conf_port SlurmctldPort)"
  SLURMD_PORT="$(conf_port SlurmdPort)"
else
  CTLD_PORT=6817
  while port_busy "$CTLD_PORT" || port_busy "$((CTLD_PORT + 1))"; do
    CTLD_PORT=$((CTLD_PORT + 2))
    [ "$CTLD_PORT" -lt 6917 ] || die "no free port pair in 6817..6916"
  done
  SLURMD_PORT=$((CTLD_PORT + 1))
fi

# ---- munge: a private key and socket
if [ ! -s "$MUNGE_DIR/munge.key" ]; then
  dd if=/dev/urandom of="$MUNGE_DIR/munge.key.tmp" bs=1024 count=1 status=none
  chmod 400 "$MUNGE_DIR/munge.key.tmp"
  mv "$MUNGE_DIR/munge.key.tmp" "$MUNGE_DIR/munge.key"
fi
if ! alive munged; then
  rm -f "$SOCKET" "$SOCKET.lock"
  munged --socket="$SOCKET" --key-file="$MUNGE_DIR/munge.key" --pid-file="$PREFIX/run/munged.pid" \
    --log-file="$PREFIX/log/munged.log" --seed-file="$MUNGE_DIR/munged.seed" \
    || die "munged did not start"
  wait_alive munged
fi
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || die "munged socket $SOCKET did not appear"

# ---- slurm.conf (rewritten only when its content changes, so a running cluster keeps its config)
NODE_LINE="$(slurmd -C | head -n 1)" || die "slurmd -C failed"
NODE_HW="$(echo "$NODE_LINE" | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore|RealMemory)=' | tr '\n' ' ')"
echo "$NODE_HW" | grep -q 'CPUs=' || die "could not read CPUs from 'slurmd -C': $NODE_LINE"
cat > "$CONF.tmp" <<EOF
# Written by scripts/start-slurm.sh: one-node test cluster, all state under $PREFIX.
ClusterName=cllab
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$PREFIX/state/ctld
SlurmdSpoolDir=$PREFIX/state/slurmd
SlurmctldPidFile=$PREFIX/run/slurmctld.pid
SlurmdPidFile=$PREFIX/run/slurmd.pid
SlurmctldLogFile=$PREFIX/log/slurmctld.log
SlurmdLogFile=$PREFIX/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$PREFIX/log/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MinJobAge=300
ReturnToService=2
MaxArraySize=${CLLAB_SLURM_MAX_ARRAY_SIZE:-10001}
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 ${NODE_HW}State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
if [ -f "$CONF" ] && cmp -s "$CONF" "$CONF.tmp"; then
  rm -f "$CONF.tmp"
else
  if alive slurmctld || alive slurmd; then
    rm -f "$CONF.tmp"
    die "slurm.conf under $PREFIX would change while daemons run; stop them first: scripts/stop-slurm.sh $PREFIX"
  fi
  mv "$CONF.tmp" "$CONF"
fi
export SLURM_CONF="$CONF"

# ---- slurmctld and slurmd
if ! alive slurmctld; then
  port_busy "$CTLD_PORT" && die "port $CTLD_PORT is in use by another process (another cluster?); set CLLAB_SLURMCTLD_PORT"
  slurmctld -f "$CONF" || die "slurmctld did not start"
  wait_alive slurmctld
fi
if ! alive slurmd; then
  port_busy "$SLURMD_PORT" && die "port $SLURMD_PORT is in use by another process (another cluster?); set CLLAB_SLURMD_PORT"
  slurmd -f "$CONF" -N localhost || die "slurmd did not start"
  wait_alive slurmd
fi

# ---- wait until the node is idle (or already running jobs: mixed/allocated)
deadline=$((SECONDS + WAIT))
state=""
while [ $SECONDS -lt $deadline ]; do
  alive slurmctld || die "slurmctld exited"
  alive slurmd || die "slurmd exited"
  state="$(timeout 5 sinfo -h -n localhost -o %t 2>/dev/null | head -n 1 || true)"
  case "$state" in
    idle|mix|alloc) break ;;
    down*|drain*|fail*) timeout 5 scontrol update NodeName=localhost State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
case "$state" in
  idle|mix|alloc) ;;
  *) die "node 'localhost' not ready after ${WAIT}s (state '${state:-no answer}')" ;;
esac
echo "export SLURM_CONF=$CONF"
