# shellcheck shell=bash
# Shared by up, down and service: the local topology, from the same config files as the compose file.
# STATE is the run directory; $STATE/env holds the network's names and addresses once up has made them.

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$DEPLOY/.." && pwd)"

die() { echo "deploy/local: $*" >&2; exit 1; }

# Runs a command inside the namespace.
inns() { ip netns exec "$NETNS" "$@"; }

# Starts NAME in the background inside the namespace; its pid goes to $STATE/NAME.pid, its output to $STATE/NAME.log
# (standard output to $SPAWN_OUT instead when set). Standard input is $SPAWN_IN (opened read-write, so a FIFO there
# never reaches its end while the service runs), else /dev/null.
spawn() {
  local name="$1"; shift
  # ip execs setsid, which execs the command (not a group leader here, so it does not fork): $! is the service's pid,
  # and, in its own session, the id of its process group (nginx's workers included).
  if [ -n "${SPAWN_OUT:-}" ]; then
    ip netns exec "$NETNS" setsid "$@" >"$SPAWN_OUT" 2>"$STATE/$name.log" 0<>"${SPAWN_IN:-/dev/null}" &
  else
    ip netns exec "$NETNS" setsid "$@" >"$STATE/$name.log" 2>&1 0<>"${SPAWN_IN:-/dev/null}" &
  fi
  echo $! >"$STATE/$name.pid"
}

# Polls a command until it succeeds, for at most $2 seconds.
await() {
  local what="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not come up within ${secs}s (see $STATE/*.log)"
    sleep 0.2
  done
}

start_service() {
  case "$1" in
    redis)
      mkdir -p "$STATE/redis"
      spawn redis redis-server --bind 127.0.1.3 --port 6379 --save '' --appendonly no --dir "$STATE/redis"
      await redis 15 inns redis-cli -h 127.0.1.3 -p 6379 ping ;;
    coturn)
      spawn coturn turnserver -c "$DEPLOY/coturn/turnserver.conf" --static-auth-secret="$TURN_SECRET" \
        --listening-ip="$NS_ADDR" --relay-ip="$NS_ADDR" --pidfile="$STATE/coturn.turnpid" --userdb="$STATE/turndb"
      await coturn 15 inns bash -c "exec 3<>/dev/tcp/$NS_ADDR/3478" ;;
    signaling-1|signaling-2)
      local ip=127.0.1.${1#signaling-}
      # shellcheck disable=SC2086
      spawn "$1" env JRTC_SIGNALING_SECRET="$SIGNALING_SECRET" JRTC_TURN_SECRET="$TURN_SECRET" \
        ${JRTC_SIGNALING_CMD:-"$ROOT/jrtc" signaling} --host "$ip" --port 8080 --redis redis://redis:6379 \
        --instance-id "$1" --turn "turn:$NS_ADDR:3478" --presence-ttl 15s
      await "$1" 60 inns curl -fsS "http://$1:8080/health" ;;
    nginx)
      mkdir -p "$STATE/nginx"
      sed "s#/etc/jrtc/tls#$STATE/tls#g" "$DEPLOY/nginx/jrtc.conf" >"$STATE/nginx/jrtc.conf"
      cat >"$STATE/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $STATE/nginx.pidfile;
error_log $STATE/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $STATE/nginx-access.log;
  client_body_temp_path $STATE/nginx/body;
  proxy_temp_path $STATE/nginx/proxy;
  fastcgi_temp_path $STATE/nginx/fastcgi;
  uwsgi_temp_path $STATE/nginx/uwsgi;
  scgi_temp_path $STATE/nginx/scgi;
  include $STATE/nginx/jrtc.conf;
}
NGINX
      spawn nginx nginx -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx" -g 'daemon off;'
      await nginx 15 inns curl -fsSk "https://$NS_ADDR/health" ;;
    mesh-[0-9]*)
      # A mesh agent (./jrtc mesh) registered through nginx (wss://, trusting up's certificate) on either instance.
      # Type a line into it with "service STATE type mesh-N TEXT"; what it prints is in $STATE/mesh-N.out, its log in
      # $STATE/mesh-N.log. Its key (so its agent id) is kept in $STATE/mesh/ across restarts. Its metrics are at
      # http://mesh-N:(9463+N)/metrics inside the namespace (mesh-N is 127.0.2.N), scraped by the "mesh" job.
      mkdir -p "$STATE/mesh"
      [ -p "$STATE/$1.in" ] || mkfifo "$STATE/$1.in"
      # shellcheck disable=SC2086
      SPAWN_IN="$STATE/$1.in" SPAWN_OUT="$STATE/$1.out" spawn "$1" env JRTC_SIGNALING_SECRET="$SIGNALING_SECRET" \
        JAVA_TOOL_OPTIONS="-Djavax.net.ssl.trustStore=$STATE/tls/truststore.p12 -Djavax.net.ssl.trustStorePassword=jrtc-local -Djavax.net.ssl.trustStoreType=PKCS12" \
        ${JRTC_MESH_CMD:-"$ROOT/jrtc" mesh} --signaling "wss://$NS_ADDR/ws" --id "$1" --degree 2 \
        --key "$STATE/mesh/$1.key" --metrics-port "$(mesh_metrics_port "$1")" --metrics-bind "$(mesh_address "$1")"
      await "$1" 90 grep -q ' registered at ' "$STATE/$1.out" ;;
    prometheus)
      mkdir -p "$STATE/prometheus/data"
      # The Debian coturn has no Prometheus exporter: drop its scrape job here (the compose file keeps it).
      awk '/job_name: coturn/{skip=1} /job_name: prometheus/{skip=0} /^  # coturn/{next} /^  # so deploy/{next} !skip' \
        "$DEPLOY/prometheus/prometheus.yml" | sed 's/scrape_interval: 5s/scrape_interval: 2s/' \
        | sed "s/^      - targets: \['mesh-1:.*/      - targets: [$(mesh_targets)]/" >"$STATE/prometheus/prometheus.yml"
      cp "$DEPLOY/prometheus/alerts.yml" "$STATE/prometheus/alerts.yml"
      spawn prometheus prometheus --config.file="$STATE/prometheus/prometheus.yml" \
        --storage.tsdb.path="$STATE/prometheus/data" --web.listen-address=0.0.0.0:9090
      await prometheus 30 inns curl -fsS "http://prometheus:9090/-/ready" ;;
    *) die "unknown service $1" ;;
  esac
}

stop_service() {
  local pidf="$STATE/$1.pid"
  [ -f "$pidf" ] || return 0
  local pid; pid=$(cat "$pidf")
  kill -"${2:-TERM}" -- "-$pid" 2>/dev/null || kill -"${2:-TERM}" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidf"
}

# A mesh agent's metrics address and port: mesh-N serves http://127.0.2.N:(9463+N)/metrics (the ports of compose.yaml,
# whose agents share the host's network).
mesh_address() { echo "127.0.2.${1#mesh-}"; }
mesh_metrics_port() { echo $((9463 + ${1#mesh-})); }

# The mesh scrape job's targets for MESH_AGENTS agents, as a YAML flow list's items ('mesh-1:9464', ...).
mesh_targets() {
  local i out=""
  for ((i = 1; i <= ${MESH_AGENTS:-0}; i++)); do out="$out${out:+, }'mesh-$i:$((9463 + i))'"; done
  echo "$out"
}

# Types one line into a mesh agent's standard input (a broadcast, or "@target text" for one agent).
type_line() {
  local pidf="$STATE/$1.pid"
  [ -p "$STATE/$1.in" ] && [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null || die "$1 is not running"
  # The agent holds its FIFO open, so this open does not block; the timeout covers an agent that just ended.
  timeout 5 bash -c 'printf "%s\n" "$2" >"$1"' _ "$STATE/$1.in" "$2" || die "could not type into $1"
}

# The services in start order; MESH_AGENTS (from $STATE/env; up takes it from JRTC_MESH_AGENTS, default 3) mesh
# agents come last.
services() {
  local s="redis coturn signaling-1 signaling-2 nginx prometheus" i
  for ((i = 1; i <= ${MESH_AGENTS:-0}; i++)); do s="$s mesh-$i"; done
  echo "$s"
}
