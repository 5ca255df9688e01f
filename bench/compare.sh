#!/usr/bin/env bash
# roombus and the Socket.IO 4 peer side by side, in one run, with the project's load tool: the same
# rooms, rates, message size and measures against both. Each round starts a fresh roombus node (the
# README's run command, a new data folder in a temp folder), runs the bench against it and stops it,
# then does the same with the peer (`node server.js`); even rounds go the other way round, so a machine
# that gets busier during the run does not always hurt the same server. At the end it prints a table of
# medians over the rounds and the ratio roombus/Socket.IO. Loopback only; every run is bounded.
#
#   bench/compare.sh 10k|saturation|overload|bigroom|idle|cluster3 [--rounds K] [--duration S]
#                    [--warmup S] [--clients N] [--out DIR] [-- more bench options]
#
# Builds nothing: it expects target/roombus.jar (mvn -q package -DskipTests). It needs node and npm for
# the peer (npm ci once, in a temp copy when the shared peer folder is read-only).
# Environment: JAR (default target/roombus.jar), PORT (roombus, default 8080), PEER_PORT (default 3101),
# PEER_SRC (default ../shared/peers/socketio), PEER_COPY (where a read-only peer is copied, default
# $TMPDIR/roombus-peer-socketio), OUT (default ./data/compare).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/roombus.jar}
PORT=${PORT:-8080}
PEER_PORT=${PEER_PORT:-3101}
PEER_SRC=${PEER_SRC:-../shared/peers/socketio}
PEER_COPY=${PEER_COPY:-${TMPDIR:-/tmp}/roombus-peer-socketio}
OUT=${OUT:-./data/compare}

usage() {
  cat >&2 <<'EOF'
usage: bench/compare.sh 10k|saturation|overload|bigroom|idle|cluster3 [--rounds K] [--duration S]
                        [--warmup S] [--clients N] [--out DIR] [-- more bench options]
presets (per server and round):
  10k         1,000 clients in rooms of 10, 1 msg/s each: 10k deliveries/s (warm-up 60 s, 30 s measured)
  saturation  200 clients in rooms of 10, ramp 10k -> 200k deliveries/s until < 99.9% delivered or p99 >= 100 ms
              (10 s steps): the highest rate that met both
  overload    1,000 clients in rooms of 10: 130k deliveries/s offered (about twice a roombus node's capacity),
              then 10k/s: delivered, RSS, recovery
  bigroom     one room of 500 sockets, 20 msg/s (the hub runs with MAX_ROOM_SIZE raised)
  idle        19,500 idle sockets in rooms of 10 (the machine's file limit), 60 s settle, 30 s measured:
              RSS per connection, idle CPU
  cluster3    roombus only: three nodes (bench/cluster.sh), 1,500 clients, ramp 10k, 20k, 30k deliveries/s
options:
  --rounds K     rounds (default 3); the table shows medians over them
  --duration S   measured seconds per step          --warmup S   seconds before it (idle: the settle time)
  --clients N    fewer sockets for a smoke run; 10k and cluster3 keep their rate per client
  --out DIR      where the JSON lines, logs and table go (default $OUT/<preset>); one run at a time per folder
  -- ...         anything after -- goes to every bench run as it is (a later option wins)
EOF
  exit 2
}

preset=${1:-}
[ $# -gt 0 ] && shift
rounds=3 duration= warmup= clients= dir= extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --out) dir=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) usage ;;
  esac
done

# The posting limit per user must not cap the load: the same setting as bench/scenarios.sh.
POSTS=1000000
servers=(roombus socketio)
case $preset in
  10k)
    c=${clients:-1000}
    args=(--clients "$c" --room-size 10 --rate "$c" --warmup "${warmup:-60}" --duration "${duration:-30}") ;;
  saturation)
    args=(--clients "${clients:-200}" --room-size 10 --ramp 1000,2000,4000,6000,8000,10000,12000,15000,20000
      --ramp-stop 0.999,100 --warmup "${warmup:-3}" --duration "${duration:-10}") ;;
  overload)
    args=(--clients "${clients:-1000}" --room-size 10 --ramp 13000,1000 --warmup "${warmup:-3}"
      --duration "${duration:-20}" --drain 10) ;;
  bigroom)
    # the hub is started with MAX_ROOM_SIZE raised (below), so one room seats all of them
    c=${clients:-500}
    args=(--clients "$c" --room-size "$c" --rate 20 --warmup "${warmup:-5}" --duration "${duration:-30}") ;;
  idle)
    # everything below (the servers too) inherits the raised limit on open files
    ulimit -n "$(ulimit -Hn)"
    args=(--clients "${clients:-19500}" --room-size 10 --idle --settle "${warmup:-60}" --duration "${duration:-30}"
      --concurrency 128) ;;
  cluster3)
    # 2 msg/s per client: 1,500 clients make 30k deliveries/s at the last step
    c=${clients:-1500}
    servers=(cluster3)
    args=(--clients "$c" --room-size 10 --ramp "$((c * 2 / 3)),$((c * 4 / 3)),$((c * 2))" --warmup "${warmup:-5}"
      --duration "${duration:-15}") ;;
  *) usage ;;
esac

[ -f "$JAR" ] || { echo "compare: no $JAR; build it first: mvn -q package -DskipTests" >&2; exit 1; }
dir=${dir:-$OUT/$preset}
mkdir -p "$dir"
# one run per output folder: a second one would delete the first one's results as it starts
exec 9>"$dir/.lock"
flock -n 9 || { echo "compare: another compare.sh is writing to $dir (give --out)" >&2; exit 1; }
rm -f "$dir"/*.jsonl
TMP=$(mktemp -d "${TMPDIR:-/tmp}/roombus-compare.XXXXXX")
SERVER=
CLUSTER_DATA=

log() { echo "compare: $*" >&2; }
die() { log "$*"; exit 1; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# waits until $1 answers, giving up when the process $2 ends or after 60 s
wait_for() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

# SIGTERM, then SIGKILL if the process is still there after 30 s
stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  [ -n "$SERVER" ] && stop_pid "$SERVER"
  SERVER=
  if [ -n "$CLUSTER_DATA" ]; then
    local pids
    pids=$(cat "$CLUSTER_DATA"/run/node*.pid 2>/dev/null || true)
    DATA_DIR="$CLUSTER_DATA" bench/cluster.sh stop >&2 || true
    for pid in $pids; do while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done; done
    for f in "$CLUSTER_DATA"/run/node*.log; do [ -f "$f" ] && cp "$f" "$dir/cluster3-$CLUSTER_ROUND-$(basename "$f")"; done
    CLUSTER_DATA=
  fi
}
trap 'stop_all; rm -rf "$TMP"' EXIT

# Writable by its mode, not only for us: root may write anywhere, yet a folder shared read-only
# (r-x) must stay as it is.
writable() { [ -w "$1" ] && [ -n "$(find "$1" -maxdepth 0 -perm -u+w)" ]; }

prepare_peer() {
  [ -f "$PEER_SRC/server.js" ] || die "no Socket.IO peer at $PEER_SRC (set PEER_SRC)"
  if [ -d "$PEER_SRC/node_modules" ] || writable "$PEER_SRC"; then
    PEER_DIR=$PEER_SRC
  else
    # a read-only peer folder (shared): npm ci in a copy, kept between runs and refreshed when the peer changes
    PEER_DIR=$PEER_COPY
    if ! cmp -s "$PEER_SRC/package-lock.json" "$PEER_DIR/package-lock.json" || ! cmp -s "$PEER_SRC/server.js" "$PEER_DIR/server.js"; then
      rm -rf "$PEER_DIR"
      mkdir -p "$PEER_DIR"
      cp -R "$PEER_SRC"/. "$PEER_DIR"/
      chmod -R u+w "$PEER_DIR"
    fi
  fi
  if [ ! -d "$PEER_DIR/node_modules" ]; then
    log "npm ci in $PEER_DIR"
    (cd "$PEER_DIR" && npm ci --no-audit --no-fund >&2)
  fi
}

# starts one server for round $2; sets SERVER_URL, SERVER_PIDS and TARGET
start_server() {
  local name=$1 round=$2
  case $name in
    roombus)
      port_free "$PORT" || die "port $PORT is in use (set PORT)"
      # the README's run command, with a fresh data folder, the port and the posting limit
      MAX_ROOM_SIZE=100000 POSTS_PER_SECOND=$POSTS FRAMES_PER_SECOND=$POSTS HTTP_PORT=$PORT DATA_DIR="$TMP/roombus-$round" java -jar "$JAR" > "$dir/roombus-$round.log" 2>&1 &
      SERVER=$!
      SERVER_URL=http://127.0.0.1:$PORT SERVER_PIDS=$SERVER TARGET=roombus
      wait_for "$SERVER_URL/api/me" "$SERVER" || die "roombus did not start; see $dir/roombus-$round.log" ;;
    socketio)
      port_free "$PEER_PORT" || die "port $PEER_PORT is in use (set PEER_PORT)"
      # node itself, not a subshell, so that the pid is the server's
      node "$PEER_DIR/server.js" "$PEER_PORT" 127.0.0.1 > "$dir/socketio-$round.log" 2>&1 &
      SERVER=$!
      SERVER_URL=http://127.0.0.1:$PEER_PORT SERVER_PIDS=$SERVER TARGET=socketio
      wait_for "$SERVER_URL/health" "$SERVER" || die "the Socket.IO peer did not start; see $dir/socketio-$round.log" ;;
    cluster3)
      for p in 8081 8082 8083; do port_free $p || die "port $p is in use (bench/cluster.sh uses 8081-8083)"; done
      CLUSTER_DATA=$TMP/cluster-$round CLUSTER_ROUND=$round
      # a cluster name of its own: nodes of anyone else's cluster on this machine must not join it
      CLUSTER_NAME=roombus-compare-$$ POSTS_PER_SECOND=$POSTS FRAMES_PER_SECOND=$POSTS DATA_DIR="$CLUSTER_DATA" bench/cluster.sh start >&2
      SERVER_URL=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083
      SERVER_PIDS=$(cat "$CLUSTER_DATA"/run/node*.pid | paste -sd, -) TARGET=roombus ;;
  esac
}

run_one() {
  local name=$1 round=$2
  start_server "$name" "$round"
  log "round $round/$rounds: $name ($SERVER_URL, pid $SERVER_PIDS), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar "$JAR" bench --target "$TARGET" --url "$SERVER_URL" --server-pid "$SERVER_PIDS" "${args[@]}" "${extra[@]}" \
    | tee "$dir/$name-$round.jsonl" || log "the bench against $name failed in round $round"
  stop_all
}

[[ " ${servers[*]} " == *" socketio "* ]] && prepare_peer
log "$preset: ${servers[*]}, $rounds round(s); bench ${args[*]} ${extra[*]}; output in $dir"
for round in $(seq 1 "$rounds"); do
  order=("${servers[@]}")
  if [ $((round % 2)) -eq 0 ] && [ ${#servers[@]} -eq 2 ]; then order=("${servers[1]}" "${servers[0]}"); fi
  for name in "${order[@]}"; do run_one "$name" "$round"; done
done

# The table: medians over the rounds of each figure, per server, and roombus / Socket.IO.
node - "$preset" "$dir" "$rounds" <<'JS' | tee "$dir/table.md"
const fs = require('fs');
const [preset, dir, rounds] = process.argv.slice(2);
const lines = (name, r) => {
  const f = `${dir}/${name}-${r}.jsonl`;
  if (!fs.existsSync(f)) return [];
  return fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
};
const step = (l) => l && {
  offered: l.offered_deliveries_per_s, achieved: l.achieved_deliveries_per_s,
  cpu: l.server.cpu_us_per_delivery, p50: l.latency_ms.p50, p99: l.latency_ms.p99,
  delivered: 100 * l.delivery_ratio, rss: l.server.peak_rss_mb, hwm: l.server.rss_hwm_since_start_mb,
  load: l.loadavg_1m, clients: l.clients,
};
// figures that are set by the run, not measured: no ratio
const NO_RATIO = true;
const met = (l) => l.delivery_ratio >= 0.999 && l.latency_ms.p99 < 100;
const loadRows = (pick) => [
  ['clients', (ls) => pick(ls)?.clients, NO_RATIO],
  ['offered deliveries/s', (ls) => pick(ls)?.offered, NO_RATIO],
  ['achieved deliveries/s', (ls) => pick(ls)?.achieved],
  ['server CPU per delivery (µs)', (ls) => pick(ls)?.cpu],
  ['latency p50 (ms)', (ls) => pick(ls)?.p50],
  ['latency p99 (ms)', (ls) => pick(ls)?.p99],
  ['delivered (%)', (ls) => pick(ls)?.delivered],
  ['peak RSS (MB)', (ls) => pick(ls)?.rss],
];
const last = (ls) => step(ls[ls.length - 1]);
const best = (ls) => step(ls.filter(met).sort((a, b) => b.offered_deliveries_per_s - a.offered_deliveries_per_s)[0]);
const rows = {
  '10k': loadRows(last),
  bigroom: loadRows(last),
  cluster3: loadRows(last),
  saturation: [
    ['highest offered deliveries/s met', (ls) => best(ls)?.offered ?? 0],
    ['first offered deliveries/s missed', (ls) => step(ls.find((l) => !met(l)))?.offered],
    ...loadRows(best).slice(2).map(([n, f, r]) => [`at the highest met: ${n}`, f, r]),
  ],
  overload: [
    ...loadRows((ls) => step(ls[0])).slice(1).map(([n, f, r]) => [`overload: ${n}`, f, r]),
    ...loadRows((ls) => step(ls[1])).slice(1).map(([n, f, r]) => [`then low load: ${n}`, f, r]),
    ['RSS high-water mark of the whole run (MB)', (ls) => step(ls[ls.length - 1])?.hwm],
  ],
  idle: [
    ['clients', (ls) => ls[0]?.clients, NO_RATIO],
    ['RSS per connection (KB)', (ls) => ls[0]?.server.rss_per_connection_kb],
    ['RSS before connecting (MB)', (ls) => ls[0]?.server.rss_before_mb],
    ['RSS connected (MB)', (ls) => ls[0]?.server.rss_connected_mb],
    ['idle CPU (% of a core)', (ls) => ls[0]?.server.idle_cpu_pct],
  ],
}[preset];
rows.push(['load average at the first step', (ls) => ls[0]?.loadavg_1m, NO_RATIO]);
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
};
const fmt = (x) => x == null ? '—' : Number.isInteger(x) || Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
const cell = (m) => m == null ? '—' : m.n > 1 ? `${fmt(m.median)} (${fmt(m.min)}–${fmt(m.max)})` : fmt(m.median);
const columns = preset === 'cluster3' ? ['cluster3'] : ['roombus', 'socketio'];
const runs = Object.fromEntries(columns.map((c) => [c, Array.from({ length: +rounds }, (_, i) => lines(c, i + 1))]));
const title = { roombus: 'roombus', socketio: 'Socket.IO', cluster3: 'roombus, three nodes' };
const out = [];
out.push(`compare ${preset}: ${rounds} round(s); medians over the rounds (min–max); ${new Date().toISOString()}`);
out.push('');
const head = ['figure', ...columns.map((c) => title[c])];
if (columns.length === 2) head.push('roombus / Socket.IO');
out.push(`| ${head.join(' | ')} |`);
out.push(`|${head.map(() => '---').join('|')}|`);
for (const [name, get, noRatio] of rows) {
  const ms = columns.map((c) => median(runs[c].filter((ls) => ls.length).map(get)));
  const cells = ms.map(cell);
  if (columns.length === 2) {
    const [a, b] = ms;
    cells.push(!noRatio && a && b && b.median ? `${(a.median / b.median).toFixed(2)}×` : '—');
  }
  out.push(`| ${name} | ${cells.join(' | ')} |`);
}
if (preset === 'saturation') {
  out.push('');
  out.push('met = at least 99.9% delivered and p99 under 100 ms; "—" as first missed: every step of the ramp met.');
}
console.log(out.join('\n'));
JS
