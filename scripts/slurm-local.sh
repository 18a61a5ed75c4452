#!/usr/bin/env bash
# A throwaway single-node Slurm cluster on this machine, to try scripts/slurm-suite.sh without a real cluster
# (SlurmSuiteIT uses it). Needs root and Debian's slurm-wlm and munge packages (slurmctld, slurmd, munged).
#
#   scripts/slurm-local.sh start DIR   # config, key, state and logs under DIR; prints "export SLURM_CONF=DIR/slurm.conf"
#   scripts/slurm-local.sh stop DIR    # stops the daemons that start left running
#
# The cluster: one node (this host as 127.0.0.1, with the CPUs and memory `slurmd -C` reports), one partition,
# cgroup-free (proctrack/linuxproc, task/none), consumable CPUs and memory (select/cons_tres), no accounting, its own
# munged socket and free ports, jobs run as root. Nothing outside DIR is written. Exit status: 0 started/stopped,
# 1 a daemon did not come up (log tails on stderr), 2 usage, 3 this machine cannot run it (not root, no slurm).
set -euo pipefail
usage() { sed -n '2,11p' "$0" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
cmd="$1"
mkdir -p "$2"
dir="$(cd "$2" && pwd)"

stop() {
  local f pid
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [[ -f "$f" ]] || continue
    pid="$(cat "$f")"
    if [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

# a TCP port nothing listens on (connecting is refused)
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

case "$cmd" in
start)
  for b in munged slurmctld slurmd sinfo sbatch; do
    command -v "$b" >/dev/null || { echo "slurm-local.sh: $b not found (apt-get install slurm-wlm munge)" >&2; exit 3; }
  done
  [[ "$(id -u)" == 0 ]] || { echo "slurm-local.sh: slurmd must run as root" >&2; exit 3; }
  stop
  host="$(hostname -s)"
  node="$(slurmd -C | sed -n 1p)"
  [[ "$node" == NodeName=* ]] || { echo "slurm-local.sh: 'slurmd -C' printed no node line: $node" >&2; exit 1; }
  node="NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host ${node#NodeName=* }"
  ctld_port="$(free_port)"
  slurmd_port="$(free_port)"
  while [[ "$slurmd_port" == "$ctld_port" ]]; do slurmd_port="$(free_port)"; done
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chmod 700 "$dir/munge"
  head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  cat > "$dir/slurm.conf" <<EOF
ClusterName=mipeaks-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
MinJobAge=600
$node State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  fail_start() {
    echo "slurm-local.sh: $1" >&2
    for f in "$dir"/log/*.log; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
    stop
    exit 1
  }
  munged --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" --force || fail_start "munged did not start"
  slurmctld -f "$dir/slurm.conf" || fail_start "slurmctld did not start"
  slurmd -f "$dir/slurm.conf" -N "$host" || fail_start "slurmd did not start"
  for _ in $(seq 150); do
    if [[ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" == idle* ]]; then
      echo "export SLURM_CONF=$dir/slurm.conf"
      exit 0
    fi
    sleep 0.2
  done
  fail_start "node $host did not become idle within 30 s: $(sinfo -h -N -o '%N %T %E' 2>&1 || true)"
  ;;
stop)
  stop
  ;;
*)
  usage
  ;;
esac
