#!/usr/bin/env bash
# Start a real one-node SLURM cluster on this machine, for tests/test_slurm.py.
#
# Idempotent: installs Debian's slurm-wlm and munge if missing, writes /etc/slurm/slurm.conf
# (only if that file is absent or was written by this script), starts munged, slurmctld and
# slurmd as plain daemons (no systemd needed) and waits until `sinfo` shows the node idle.
# Running it again while the cluster is up with the same configuration only re-checks it.
#
# Needs root. Everything the cluster writes (state, spool, logs, pid files) lives under
# $QIFGAP_SLURM_DIR (default /var/spool/qifgap-slurm). Stop it with stop_cluster.sh.
#
# The cluster has no accounting (AccountingStorageType=accounting_storage/none): `sacct`
# fails on it, so Snakemake must poll with squeue (profile setting slurm-status-command).
set -euo pipefail

BASE=${QIFGAP_SLURM_DIR:-/var/spool/qifgap-slurm}
CONF=/etc/slurm/slurm.conf
MARKER="# Written by qifgap tests/slurm/start_cluster.sh"
PARTITION=${QIFGAP_SLURM_PARTITION:-debug}
TIMEOUT=${QIFGAP_SLURM_TIMEOUT:-90}

log() { echo "start_cluster: $*" >&2; }
die() {
    log "ERROR: $*"
    for f in "$BASE/log/slurmctld.log" "$BASE/log/slurmd.log" /var/log/munge/munged.log; do
        if [[ -s $f ]]; then
            echo "----- last lines of $f -----" >&2
            tail -n 25 "$f" >&2
        fi
    done
    exit 1
}

if [[ $(id -u) -ne 0 ]]; then
    log "ERROR: must run as root (it installs packages and starts system daemons)"
    exit 1
fi

# --- 1. packages ---------------------------------------------------------------------------
need=()
for cmd in slurmctld slurmd sbatch squeue sinfo srun; do
    command -v "$cmd" >/dev/null || need=(slurm-wlm)
done
command -v munged >/dev/null || need+=(munge)
mkdir -p "$BASE"/{state,spool,log,run}
if ((${#need[@]})); then
    log "installing ${need[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    {
        apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge
    } >"$BASE/log/apt.log" 2>&1 || {
        tail -n 20 "$BASE/log/apt.log" >&2
        die "apt-get install slurm-wlm munge failed (log: $BASE/log/apt.log)"
    }
fi
log "$(slurmctld -V)"

# pid_alive NAME PIDFILE: the pid file names a live process called NAME (not a reused pid).
pid_alive() {
    local pid
    [[ -s $2 ]] || return 1
    pid=$(cat "$2")
    [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == "$1" ]]
}

# --- 2. munge ------------------------------------------------------------------------------
if [[ ! -s /etc/munge/munge.key ]]; then
    log "creating munge key"
    install -d -o munge -g munge -m 0700 /etc/munge
    mungekey --create --keyfile=/etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "starting munged"
    runuser -u munge -- /usr/sbin/munged --force || die "munged did not start"
    for _ in $(seq 50); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.1
    done
    munge -n | unmunge >/dev/null || die "munge credentials do not round-trip"
fi

# --- 3. slurm.conf -------------------------------------------------------------------------
host=$(hostname -s)
cluster=$(echo "$host" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9_\n' '_')
cluster=${cluster:0:40}
[[ $cluster =~ ^[a-z] ]] || cluster="c$cluster"
# CPUs, sockets, cores, threads and RealMemory exactly as slurmd detects them.
hw=$(slurmd -C | head -n 1 | sed -E 's/^NodeName=[^ ]+ //')
[[ $hw == *CPUs=* && $hw == *RealMemory=* ]] || die "unexpected 'slurmd -C' output: $hw"

new_conf=$(
    cat <<EOF
$MARKER; edits are overwritten.
# A one-node test cluster: controller and compute node on this host, loopback only.
ClusterName=$cluster
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
# No cgroups: works in containers and VMs without a delegated cgroup tree. With these two
# plugins slurmd 22.05 needs no cgroup.conf (22.05 knows no CgroupPlugin=disabled).
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
SchedulerType=sched/backfill
# No accounting daemon: sacct does not work, Snakemake polls with squeue.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# Finished jobs stay visible to squeue for an hour: squeue-based status checks need it, and
# the test reads every job's final state back.
MinJobAge=3600
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
Waittime=0
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=$PARTITION Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
)

if [[ -e $CONF ]] && ! grep -qF "$MARKER" "$CONF"; then
    die "$CONF exists and was not written by this script; refusing to overwrite a real cluster's configuration"
fi
changed=0
if [[ ! -e $CONF ]] || [[ $(cat "$CONF") != "$new_conf" ]]; then
    changed=1
    mkdir -p /etc/slurm
    printf '%s\n' "$new_conf" >"$CONF"
    log "wrote $CONF (ClusterName=$cluster, node $host: $hw)"
fi

# --- 4. daemons ----------------------------------------------------------------------------
if ((changed)) && { pid_alive slurmctld "$BASE/run/slurmctld.pid" || pid_alive slurmd "$BASE/run/slurmd.pid"; }; then
    log "configuration changed: restarting the daemons"
    "$(dirname "$0")/stop_cluster.sh" --keep-munge
fi

if ! pid_alive slurmctld "$BASE/run/slurmctld.pid"; then
    log "starting slurmctld"
    # -c: start clean (no jobs left over from an earlier run of the test cluster).
    slurmctld -c || die "slurmctld failed to start"
fi
for _ in $(seq $((TIMEOUT * 5))); do
    scontrol ping 2>/dev/null | grep -q 'is UP' && break
    sleep 0.2
done
scontrol ping 2>/dev/null | grep -q 'is UP' || die "slurmctld did not answer 'scontrol ping'"

if ! pid_alive slurmd "$BASE/run/slurmd.pid"; then
    log "starting slurmd"
    slurmd || die "slurmd failed to start"
fi

deadline=$((SECONDS + TIMEOUT))
state=""
while ((SECONDS < deadline)); do
    state=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null | head -n 1)
    case $state in
    idle | mixed | allocated | completing) break ;;
    down* | drain* | fail*)
        # e.g. "Node unexpectedly rebooted" after a machine restart: put it back in service.
        scontrol update NodeName="$host" State=RESUME 2>/dev/null || true
        ;;
    esac
    sleep 0.5
done
case $state in
idle | mixed | allocated | completing) ;;
*) die "node $host is not up after ${TIMEOUT}s (sinfo state: '${state:-none}'); $(scontrol show node "$host" 2>&1 | grep -E 'State|Reason' | tr -s ' ')" ;;
esac
log "cluster '$cluster' up: partition $PARTITION, node $host $state ($SECONDS s)"
