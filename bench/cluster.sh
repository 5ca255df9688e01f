#!/usr/bin/env bash
# Starts a three-node roombus cluster on this machine (loopback), for trying it out and for the
# cluster benchmarks. Node 1 hosts the embedded store and the other nodes use it over the network.
#
#   bench/cluster.sh start           # nodes on http://127.0.0.1:8081/, :8082/, :8083/
#   bench/cluster.sh start --nginx   # the same, and nginx in front of them on http://127.0.0.1:8080/
#   bench/cluster.sh stop            # nodes (SIGTERM: each drains) and nginx
#
# Environment: NODES (default 3), BASE_PORT (default 8081), STORE_PORT (default 27018),
# DATA_DIR (default ./data/cluster), JAR (default target/roombus.jar), JAVA_OPTS (default none: the
# node's own flags, docs/performance.md), NGINX_PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
NODES=${NODES:-3}
BASE_PORT=${BASE_PORT:-8081}
STORE_PORT=${STORE_PORT:-27018}
DATA_DIR=${DATA_DIR:-./data/cluster}
JAR=${JAR:-target/roombus.jar}
RUN=$DATA_DIR/run
# empty: each node is started with the README's command and relaunches itself with its tuned flags
JAVA_OPTS=${JAVA_OPTS:-}
NGINX_PORT=${NGINX_PORT:-8080}

start() {
  [ -f "$JAR" ] || mvn -q package -DskipTests
  mkdir -p "$RUN"
  for i in $(seq 1 "$NODES"); do
    port=$((BASE_PORT + i - 1))
    if [ "$i" -eq 1 ]; then
      store=(STORE_PORT="$STORE_PORT" DATA_DIR="$DATA_DIR/node1")
    else
      store=(MONGO_URI="mongodb://127.0.0.1:$STORE_PORT" DATA_DIR="$DATA_DIR/node$i")
    fi
    env CLUSTER=true CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=127.0.0.1 HTTP_PORT="$port" "${store[@]}" \
      java $JAVA_OPTS -jar "$JAR" > "$RUN/node$i.log" 2>&1 &
    echo $! > "$RUN/node$i.pid"
    # start nodes one after another: nodes started at the same instant may first form separate clusters
    for _ in $(seq 1 60); do
      curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && break
      sleep 0.5
    done
    echo "node $i: http://127.0.0.1:$port/ (pid $(cat "$RUN/node$i.pid"), log $RUN/node$i.log)"
  done
  urls=$(seq -s, "$BASE_PORT" $((BASE_PORT + NODES - 1)) | sed 's#\([0-9]*\)#http://127.0.0.1:\1/#g')
  echo "open http://127.0.0.1:$BASE_PORT/?nodes=$urls to fail over between nodes"
  if [ "${1:-}" = "--nginx" ]; then
    nodes=$(seq "$BASE_PORT" $((BASE_PORT + NODES - 1)) | sed 's#^#127.0.0.1:#')
    # shellcheck disable=SC2086
    bench/nginx.sh start "$NGINX_PORT" "$RUN/nginx" $nodes
    echo "open http://127.0.0.1:$NGINX_PORT/ (nginx picks the node)"
  fi
}

stop() {
  bench/nginx.sh stop "$RUN/nginx"
  for f in "$RUN"/node*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

case "${1:-start}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [--nginx]|stop" >&2; exit 2 ;;
esac
