# Shared by scripts/test and scripts/bench-engine: find a Docker Engine or start a private one,
# build the busybox test image, check Java. Source it; set LOG_PREFIX first.
# shellcheck shell=bash

readonly IMAGE=stackwire-test-busybox:latest
readonly APPLETS="sh sleep nslookup ping wget nc httpd cat echo ls hostname ip ifconfig netstat
  route grep sed awk head tail wc env printf true false test kill ps mkdir rm touch date id"
readonly POOL=10.213.0.0/17     # the private daemon's default address pool
readonly TEST_NET=10.213.0.0/16 # pool plus the tests' explicit subnets (10.213.128.0/17)
readonly PRIVATE_BRIDGE_ADDR=10.213.127.1 # the private daemon's bridge; swarm tests advertise it

private_dir=""
private_pid=""
private_bridge=""
private_iptables=false
private_ifaces=()
forward_rule=()
policy_rc_d_added=""

log() { printf '%s: %s\n' "${LOG_PREFIX:-stackwire}" "$*" >&2; }
die() { log "$*"; exit 1; }

# --- talking to an engine, with the docker CLI or, without one, curl ----------------------------

have_cli() { command -v docker >/dev/null 2>&1; }

# curl against DOCKER_HOST (unix:// or tcp://, no TLS); for machines without the docker CLI.
api() {
  local path=$1; shift
  local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  case $host in
    unix://*) curl -sS --max-time 120 --unix-socket "${host#unix://}" "$@" "http://localhost$path" ;;
    tcp://*) curl -sS --max-time 120 "$@" "http://${host#tcp://}$path" ;;
    *) return 1 ;;
  esac
}

engine_answers() {
  if have_cli; then
    timeout 15 docker version >/dev/null 2>&1
  else
    [[ $(api /_ping --max-time 10 2>/dev/null) == OK ]]
  fi
}

find_engine() {
  if [[ -n ${DOCKER_HOST:-} ]]; then
    if engine_answers; then log "using the Docker Engine at DOCKER_HOST=$DOCKER_HOST"; return 0; fi
    log "no Docker Engine answers at DOCKER_HOST=$DOCKER_HOST"
  fi
  if DOCKER_HOST=unix:///var/run/docker.sock engine_answers; then
    export DOCKER_HOST=unix:///var/run/docker.sock
    log "using the Docker Engine at $DOCKER_HOST"; return 0
  fi
  if have_cli && [[ -z ${DOCKER_HOST:-} ]] && timeout 15 docker version >/dev/null 2>&1; then
    # e.g. Docker Desktop: the CLI's context knows the socket; the JVM needs it in DOCKER_HOST.
    DOCKER_HOST=$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || true)
    if [[ -n $DOCKER_HOST ]]; then
      export DOCKER_HOST; log "using the Docker Engine of the current docker context: $DOCKER_HOST"; return 0
    fi
    unset DOCKER_HOST
  fi
  return 1
}

# --- a private dockerd ---------------------------------------------------------------------------

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $*: no apt-get here; install them yourself"
  [[ $(id -u) == 0 ]] || die "cannot install $*: not root; install them yourself or run as root"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # Keep package scripts from starting a system dockerd: we never use or stop one we did not start.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_rc_d_added=1
  fi
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  if [[ -n $policy_rc_d_added ]]; then rm -f /usr/sbin/policy-rc.d; policy_rc_d_added=""; fi
}

start_private_daemon() {
  [[ $(id -u) == 0 ]] || die "no Docker Engine answers (DOCKER_HOST=${DOCKER_HOST:-unset}, /var/run/docker.sock); start one or set DOCKER_HOST. A private daemon needs root."
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi

  private_dir=$(mktemp -d /tmp/swtest-dockerd.XXXXXX)
  mkdir -p "$private_dir/data" "$private_dir/exec"
  # Our own bridge, so we never share docker0 (and its addresses) with another daemon.
  private_bridge="swt-br$$"; private_bridge=${private_bridge:0:15}
  ip link add "$private_bridge" type bridge
  ip addr add "$PRIVATE_BRIDGE_ADDR/24" dev "$private_bridge"
  ip link set "$private_bridge" up

  # Alone on the machine (CI), the daemon manages iptables like any normal one, so port
  # publishing behaves as in production. Next to another dockerd it must not: libnetwork would
  # rebuild the DOCKER chains and wipe the other daemon's rules.
  local iptables=true
  # (Only a running dockerd counts: chains a stopped one left behind are simply rebuilt.)
  if cat /proc/[0-9]*/comm 2>/dev/null | grep -qx dockerd; then
    iptables=false
  fi
  log "starting a private dockerd (socket $private_dir/docker.sock, log $private_dir/dockerd.log)"
  dockerd \
    --host "unix://$private_dir/docker.sock" \
    --data-root "$private_dir/data" \
    --exec-root "$private_dir/exec" \
    --pidfile "$private_dir/docker.pid" \
    --bridge "$private_bridge" \
    --default-address-pool "base=$POOL,size=24" \
    --iptables="$iptables" \
    --ip-masq=false \
    ${PRIVATE_DOCKERD_ARGS:-} \
    >"$private_dir/dockerd.log" 2>&1 &
  private_pid=$!
  private_iptables=$iptables
  export DOCKER_HOST="unix://$private_dir/docker.sock"

  local i
  for ((i = 0; i < 60; i++)); do
    if ! kill -0 "$private_pid" 2>/dev/null; then
      tail -n 30 "$private_dir/dockerd.log" >&2 || true
      private_pid=""
      die "the private dockerd exited during startup (log above)"
    fi
    if engine_answers; then break; fi
    sleep 1
  done
  if ! engine_answers; then
    tail -n 30 "$private_dir/dockerd.log" >&2 || true
    die "the private dockerd did not answer within 60 s (log above)"
  fi

  # With --iptables=false nothing opens FORWARD for our bridges; where another daemon set its
  # policy to DROP and bridged traffic passes iptables, let the test address range through.
  if [[ $iptables == false ]] && iptables -S FORWARD 2>/dev/null | grep -q -- '^-P FORWARD DROP' &&
     [[ $(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo 0) == 1 ]]; then
    forward_rule=(FORWARD -s "$TEST_NET" -d "$TEST_NET" -m comment --comment "stackwire scripts/test $$" -j ACCEPT)
    iptables -I "${forward_rule[@]}"
  fi
  log "private dockerd $private_pid answers at $DOCKER_HOST"
}

stop_private_daemon() {
  if ((${#forward_rule[@]})); then iptables -D "${forward_rule[@]}" 2>/dev/null || true; fi
  if [[ -n $private_pid ]]; then
    # Backstop for SwarmOverlayIT, which leaves the swarm itself: a daemon stopped while in a
    # swarm would come back as a manager of a one-node cluster nobody can reach.
    if have_cli && kill -0 "$private_pid" 2>/dev/null &&
       [[ $(DOCKER_HOST="unix://$private_dir/docker.sock" docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null) == active ]]; then
      log "leaving the swarm the tests made on the private dockerd"
      DOCKER_HOST="unix://$private_dir/docker.sock" timeout 60 docker swarm leave --force >/dev/null 2>&1 || true
    fi
    # dockerd leaves the Linux bridges of networks that still exist, and every iptables rule it
    # wrote for its bridges, behind when it stops. Left there, they pile up run after run (a
    # thousand-network benchmark leaves thousands of rules) and slow every later daemon's network
    # calls. Note this daemon's bridges now; they are removed once it has stopped.
    private_ifaces=("$private_bridge")
    local id
    for id in $(api /networks 2>/dev/null | grep -o '"Id":"[0-9a-f]\{12\}' | cut -d'"' -f4); do
      private_ifaces+=("br-$id")
    done
    log "stopping the private dockerd $private_pid"
    kill -TERM "$private_pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 30; i++)); do kill -0 "$private_pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$private_pid" 2>/dev/null; then kill -KILL "$private_pid" 2>/dev/null || true; fi
    wait "$private_pid" 2>/dev/null || true
  fi
  if [[ -n $private_bridge ]]; then ip link del "$private_bridge" 2>/dev/null || true; fi
  remove_private_leftovers
  if [[ -n $private_dir ]]; then
    # The daemon is gone; its mounts under the data-root must go before the files.
    grep -o " $private_dir/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$private_dir"
  fi
}

# The bridges and iptables rules of the stopped private daemon (see stop_private_daemon). Rules
# are only touched when it managed iptables, which it does only alone on the machine.
remove_private_leftovers() {
  ((${#private_ifaces[@]})) || return 0
  local ifc
  for ifc in "${private_ifaces[@]}"; do ip link del "$ifc" 2>/dev/null || true; done
  if [[ ${private_iptables:-false} == true ]] && command -v iptables-save >/dev/null 2>&1; then
    local names saved t
    names=$(mktemp)
    saved=$(mktemp)
    printf '%s\n' "${private_ifaces[@]}" >"$names"
    for t in filter nat; do
      # Saved to a file first: `iptables-save | grep -q` fails under pipefail once the table is
      # larger than a pipe buffer (grep stops reading, iptables-save gets SIGPIPE).
      iptables-save -t "$t" >"$saved" 2>/dev/null || continue
      if grep -q -w -F -f "$names" "$saved"; then
        grep -v -w -F -f "$names" "$saved" | iptables-restore -T "$t" ||
          log "could not remove the private dockerd's iptables rules from table $t"
      fi
    done
    rm -f "$names" "$saved"
  fi
  private_ifaces=()
}

static_busybox() {
  local bb=/bin/busybox
  [[ -x $bb ]] || return 1
  # ldd fails on a static binary ("not a dynamic executable")
  ! ldd "$bb" >/dev/null 2>&1
}

build_test_image() {
  if have_cli && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    log "test image $IMAGE present"; return 0
  fi
  if ! have_cli && [[ $(api "/images/$IMAGE/json" -o /dev/null -w '%{http_code}') == 200 ]]; then
    log "test image $IMAGE present"; return 0
  fi
  static_busybox || apt_install busybox-static
  static_busybox || die "/bin/busybox is not a static binary even after installing busybox-static"
  local root; root=$(mktemp -d /tmp/swtest-rootfs.XXXXXX)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  local a
  for a in $APPLETS; do ln -s busybox "$root/bin/$a"; done
  log "building $IMAGE from a busybox-static rootfs (docker import)"
  if have_cli; then
    tar -C "$root" -c . | docker import -c 'CMD ["sleep","3600"]' - "$IMAGE" >/dev/null
  else
    tar -C "$root" -c . | api "/images/create?fromSrc=-&repo=${IMAGE%:*}&tag=${IMAGE#*:}&changes=CMD%20%5B%22sleep%22%2C%223600%22%5D" \
      -X POST -H 'Content-Type: application/x-tar' --data-binary @- >/dev/null
  fi
  rm -rf "$root"
}

# --- Java --------------------------------------------------------------------------------------

check_java() {
  command -v java >/dev/null 2>&1 || [[ -n ${JAVA_HOME:-} ]] || apt_install openjdk-17-jdk-headless
  local java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  local v; v=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ ${v%%.*} -ge 17 ]] || die "Java 17 or newer is needed (found ${v:-none}); set JAVA_HOME"
}
