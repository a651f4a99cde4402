#!/usr/bin/env bash
# A local etcd cluster on loopback for tests and the bench, built from Debian's etcd-server.
#
#   scripts/etcd-cluster.sh start  DIR [BASE_PORT]   three members (static --initial-cluster bootstrap)
#   scripts/etcd-cluster.sh start1 DIR [BASE_PORT]   one member
#   scripts/etcd-cluster.sh stop   DIR               stop every member started in DIR
#   scripts/etcd-cluster.sh status DIR               which members run, and etcd's endpoint status
#   scripts/etcd-cluster.sh stop-member  DIR N       stop member N (0-based), keeping its data
#   scripts/etcd-cluster.sh start-member DIR N       start member N again and wait for it
#
# Member N listens for clients on 127.0.0.1:BASE_PORT+2N and for peers on 127.0.0.1:BASE_PORT+2N+1
# (BASE_PORT defaults to 23790). Data lives in DIR/mN, logs in DIR/mN.log, process ids in DIR/mN.pid.
# fsync stays on (no --unsafe-no-fsync): the cluster is durable, as a real one. `start` on a DIR that
# already holds data restarts the same cluster (etcd ignores the bootstrap flags then).
# On success `start`/`start1` print one line on stdout, the store URL: etcd://127.0.0.1:P0,...
set -euo pipefail

usage() {
  sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
ETCD=${ETCD_BIN:-etcd}
ETCDCTL=${ETCDCTL_BIN:-etcdctl}
export ETCDCTL_API=3

log() { echo "etcd-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

client_port() { echo $((base + 2 * $1)); }
peer_port() { echo $((base + 2 * $1 + 1)); }

endpoints() {
  local eps=() i
  for ((i = 0; i < members; i++)); do eps+=("127.0.0.1:$(client_port "$i")"); done
  local IFS=,
  echo "${eps[*]}"
}

initial_cluster() {
  local parts=() i
  for ((i = 0; i < members; i++)); do parts+=("m$i=http://127.0.0.1:$(peer_port "$i")"); done
  local IFS=,
  echo "${parts[*]}"
}

load_env() {
  [ -f "$dir/cluster.env" ] || die "$dir holds no cluster (no cluster.env); start one first"
  # cluster.env is written by this script and holds only two integers.
  members=$(sed -n 's/^MEMBERS=\([0-9]\{1,\}\)$/\1/p' "$dir/cluster.env")
  base=$(sed -n 's/^BASE_PORT=\([0-9]\{1,\}\)$/\1/p' "$dir/cluster.env")
  [ -n "$members" ] && [ -n "$base" ] || die "$dir/cluster.env is malformed"
}

# The pid of member N if it is alive and really is our etcd for this data dir, else nothing.
member_pid() {
  local pidfile="$dir/m$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  [ -r "/proc/$pid/cmdline" ] || return 0
  if tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "--data-dir=$dir/m$1"; then echo "$pid"; fi
}

start_member() {
  local i=$1 pid
  pid=$(member_pid "$i")
  if [ -n "$pid" ]; then
    log "member m$i already runs (pid $pid)"
    return 0
  fi
  mkdir -p "$dir/m$i"
  chmod 700 "$dir/m$i"
  local cp pp
  cp=$(client_port "$i")
  pp=$(peer_port "$i")
  # setsid: the member outlives this script and is not killed by the caller's terminal signals.
  setsid "$ETCD" \
    "--name=m$i" \
    "--data-dir=$dir/m$i" \
    "--listen-client-urls=http://127.0.0.1:$cp" \
    "--advertise-client-urls=http://127.0.0.1:$cp" \
    "--listen-peer-urls=http://127.0.0.1:$pp" \
    "--initial-advertise-peer-urls=http://127.0.0.1:$pp" \
    "--initial-cluster=$(initial_cluster)" \
    "--initial-cluster-token=cistern-$base" \
    "--initial-cluster-state=new" \
    >>"$dir/m$i.log" 2>&1 </dev/null &
  echo $! >"$dir/m$i.pid"
  log "started member m$i (pid $!, client 127.0.0.1:$cp, peer 127.0.0.1:$pp)"
}

wait_healthy() {
  local eps=$1 deadline=$((SECONDS + ${ETCD_CLUSTER_WAIT:-60}))
  until "$ETCDCTL" --endpoints="$eps" --command-timeout=2s endpoint health >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      "$ETCDCTL" --endpoints="$eps" --command-timeout=2s endpoint health >&2 || true
      die "cluster at $eps did not become healthy; logs in $dir/m*.log"
    fi
    sleep 0.2
  done
}

stop_member() {
  local i=$1 pid n
  pid=$(member_pid "$i")
  [ -n "$pid" ] || { rm -f "$dir/m$i.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((n = 0; n < 100; n++)); do
    [ -n "$(member_pid "$i")" ] || break
    sleep 0.1
  done
  if [ -n "$(member_pid "$i")" ]; then
    log "member m$i (pid $pid) ignored SIGTERM for 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/m$i.pid"
  log "stopped member m$i"
}

case "$cmd" in
  start | start1)
    command -v "$ETCD" >/dev/null || die "etcd not found: apt-get install etcd-server etcd-client"
    [ "$cmd" = start ] && members=3 || members=1
    base=${3:-23790}
    [[ "$base" =~ ^[0-9]+$ ]] && [ "$base" -ge 1024 ] && [ "$base" -le 65000 ] || die "BASE_PORT must be 1024..65000"
    mkdir -p "$dir"
    chmod 700 "$dir"
    dir=$(cd "$dir" && pwd -P)
    if [ -f "$dir/cluster.env" ]; then
      prev_members=$(sed -n 's/^MEMBERS=//p' "$dir/cluster.env")
      [ "$prev_members" = "$members" ] || die "$dir already holds a $prev_members-member cluster"
      base=$(sed -n 's/^BASE_PORT=\([0-9]\{1,\}\)$/\1/p' "$dir/cluster.env")
    else
      printf 'MEMBERS=%s\nBASE_PORT=%s\n' "$members" "$base" >"$dir/cluster.env"
    fi
    for ((i = 0; i < members; i++)); do start_member "$i"; done
    wait_healthy "$(endpoints)"
    log "healthy: $(endpoints)"
    echo "etcd://$(endpoints)"
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd -P)
    [ -f "$dir/cluster.env" ] || exit 0
    load_env
    for ((i = 0; i < members; i++)); do stop_member "$i"; done
    ;;
  stop-member | start-member)
    [ $# -ge 3 ] && [[ "$3" =~ ^[0-9]+$ ]] || usage
    dir=$(cd "$dir" && pwd -P)
    load_env
    [ "$3" -lt "$members" ] || die "no member $3 in a $members-member cluster"
    if [ "$cmd" = stop-member ]; then
      stop_member "$3"
    else
      start_member "$3"
      wait_healthy "127.0.0.1:$(client_port "$3")"
    fi
    ;;
  status)
    dir=$(cd "$dir" && pwd -P)
    load_env
    running=()
    for ((i = 0; i < members; i++)); do
      pid=$(member_pid "$i")
      if [ -n "$pid" ]; then
        echo "m$i 127.0.0.1:$(client_port "$i") running (pid $pid)"
        running+=("127.0.0.1:$(client_port "$i")")
      else
        echo "m$i 127.0.0.1:$(client_port "$i") stopped"
      fi
    done
    if [ ${#running[@]} -gt 0 ]; then
      eps=$(IFS=,; echo "${running[*]}")
      "$ETCDCTL" --endpoints="$eps" --command-timeout=2s endpoint status -w table || true
    fi
    ;;
  *)
    usage
    ;;
esac
