#!/usr/bin/env bash
# Stop the one-node test cluster that start_cluster.sh started: cancel its jobs, then stop
# slurmd, slurmctld and munged, each by the pid in its pid file. Idempotent: a daemon that is
# not running is skipped. Options:
#   --keep-munge   leave munged running (used by start_cluster.sh when it restarts SLURM)
#   --purge        also remove the cluster's state/log directory and the slurm.conf
#                  that start_cluster.sh wrote
set -euo pipefail

BASE=${QIFGAP_SLURM_DIR:-/var/spool/qifgap-slurm}
MARKER="# Written by qifgap tests/slurm/start_cluster.sh"
keep_munge=0
purge=0
for arg in "$@"; do
    case $arg in
    --keep-munge) keep_munge=1 ;;
    --purge) purge=1 ;;
    *)
        echo "usage: $0 [--keep-munge] [--purge]" >&2
        exit 2
        ;;
    esac
done

log() { echo "stop_cluster: $*" >&2; }

[[ $(id -u) -eq 0 ]] || {
    log "ERROR: must run as root"
    exit 1
}

# stop_pidfile NAME PIDFILE: TERM, wait up to 20 s, then KILL; only if the pid file names a
# live process called NAME (a stale pid file's pid may belong to another process by now).
stop_pidfile() {
    local name=$1 pidfile=$2 pid
    if [[ ! -s $pidfile ]]; then
        log "$name: no pid file, not running"
        return 0
    fi
    pid=$(cat "$pidfile")
    if ! [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == "$name" ]]; then
        log "$name: not running (stale pid file)"
        rm -f "$pidfile"
        return 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) ignored SIGTERM for 20 s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    log "$name (pid $pid) stopped"
}

if scontrol ping 2>/dev/null | grep -q 'is UP'; then
    scancel --full --quiet --user=root 2>/dev/null || true
fi
stop_pidfile slurmd "$BASE/run/slurmd.pid"
stop_pidfile slurmctld "$BASE/run/slurmctld.pid"
if ((!keep_munge)); then
    stop_pidfile munged /run/munge/munged.pid
fi

if ((purge)); then
    rm -rf "$BASE"
    if [[ -e /etc/slurm/slurm.conf ]] && grep -qF "$MARKER" /etc/slurm/slurm.conf; then
        rm -f /etc/slurm/slurm.conf
    fi
    log "removed $BASE and the slurm.conf start_cluster.sh wrote"
fi
