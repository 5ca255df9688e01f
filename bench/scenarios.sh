#!/usr/bin/env bash
# The load scenarios of issue 5, each on a fresh node (its own data folder) started with the JVM
# settings below and a posting limit high enough for the load tool. One JSON line per measured step goes
# to stdout (and to $OUT/<scenario>.jsonl); progress goes to stderr. Loopback only; every run is bounded.
#
#   bench/scenarios.sh small10k|small100k|ramp|overload|bigroom|polling|idle|cluster|all
#
# Environment: JAR (default target/roombus.jar), PORT (default 8080), OUT (default ./data/bench),
# SERVER_OPTS (JVM flags of the node), IDLE_CLIENTS (default 19500: see bench/README.md on ulimit -n).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/roombus.jar}
PORT=${PORT:-8080}
OUT=${OUT:-./data/bench}
SERVER_OPTS=${SERVER_OPTS:--Xms256m -Xmx512m -XX:+UseSerialGC}
IDLE_CLIENTS=${IDLE_CLIENTS:-19500}
URL=http://127.0.0.1:$PORT
mkdir -p "$OUT"
[ -f "$JAR" ] || mvn -q package -DskipTests

SERVER=
start_node() {
  rm -rf "$OUT/node"
  POSTS_PER_SECOND=1000000 FRAMES_PER_SECOND=1000000 HTTP_PORT=$PORT DATA_DIR="$OUT/node" java $SERVER_OPTS -jar "$JAR" > "$OUT/node.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "$URL/api/me" 2>/dev/null && return; sleep 0.5; done
  echo "the node did not start; see $OUT/node.log" >&2; exit 1
}
stop_node() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true; SERVER=; }
trap stop_node EXIT
bench() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2; java -jar "$JAR" bench "$@"; }

# many rooms of 10 at 10k deliveries/s (1,000 messages/s)
small10k() { start_node; bench --url $URL --clients 1000 --room-size 10 --rate 1000 --warmup 10 --duration 30 --server-pid $SERVER | tee "$OUT/small10k.jsonl"; stop_node; }
# many rooms of 10 at 100k deliveries/s (10,000 messages/s)
small100k() { start_node; bench --url $URL --clients 2000 --room-size 10 --rate 10000 --warmup 5 --duration 20 --server-pid $SERVER | tee "$OUT/small100k.jsonl"; stop_node; }
# saturation: 10k to 80k deliveries/s in steps of 10 s
ramp() { start_node; bench --url $URL --clients 1000 --room-size 10 --ramp 1000,2000,3000,4000,5000,6000,7000,8000 --warmup 3 --duration 10 --server-pid $SERVER | tee "$OUT/ramp.jsonl"; stop_node; }
# overload (about twice what the node delivers: 130k deliveries/s offered), then the same node at a low rate again: bounded memory, recovery
overload() { start_node; bench --url $URL --clients 1000 --room-size 10 --ramp 13000,1000 --warmup 3 --duration 20 --drain 10 --server-pid $SERVER | tee "$OUT/overload.jsonl"; stop_node; }
# one room of 500 sockets (100 users, the most a room seats, with 5 tabs each) at 20 messages/s
bigroom() { start_node; bench --url $URL --clients 500 --room-size 500 --tabs 5 --rate 20 --warmup 5 --duration 30 --server-pid $SERVER | tee "$OUT/bigroom.jsonl"; stop_node; }
# SockJS xhr-polling clients (websockets blocked), rooms of 10, 2k deliveries/s
polling() { start_node; bench --url $URL --clients 200 --room-size 10 --rate 200 --transport xhr-polling --warmup 5 --duration 20 --server-pid $SERVER | tee "$OUT/polling.jsonl"; stop_node; }
# idle connections in rooms of 10: RSS per connection and idle CPU over 30 s
idle() {
  ulimit -n "$(ulimit -Hn)"
  start_node
  bench --url $URL --clients "$IDLE_CLIENTS" --room-size 10 --idle --settle 60 --duration 30 --concurrency 128 --server-pid $SERVER | tee "$OUT/idle.jsonl"
  stop_node
}
# three nodes (bench/cluster.sh), clients spread over them: 10k, 20k, 30k deliveries/s, one step after
# another (the first step also warms the three JVMs up)
cluster() {
  POSTS_PER_SECOND=1000000 FRAMES_PER_SECOND=1000000 DATA_DIR="$OUT/cluster" JAVA_OPTS="${CLUSTER_OPTS:--Xms256m -Xmx384m -Xmn160m -XX:+UseSerialGC -Xss256k}" \
    bench/cluster.sh start >&2
  pids=$(cat "$OUT"/cluster/run/node*.pid | paste -sd, -)
  bench --url http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083 --clients 1500 --room-size 10 \
    --ramp 1000,2000,3000 --warmup 5 --duration 15 --server-pid "$pids" | tee "$OUT/cluster.jsonl" || true
  DATA_DIR="$OUT/cluster" bench/cluster.sh stop >&2
}

case "${1:-}" in
  small10k|small100k|ramp|overload|bigroom|polling|idle|cluster) "$1" ;;
  all) small10k; small100k; ramp; overload; bigroom; polling; idle; cluster ;;
  *) echo "usage: $0 small10k|small100k|ramp|overload|bigroom|polling|idle|cluster|all" >&2; exit 2 ;;
esac
