package roombus.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code java -jar roombus.jar bench}, parsed and checked once. Rates are in
 * messages per second for the whole run (each message is delivered to every socket of its room, so
 * deliveries per second are rate × room size).
 */
record BenchOptions(
    List<String> urls,
    int clients,
    int roomSize,
    int tabs,
    List<Double> rates,
    List<Double> rampStop,
    double duration,
    double warmup,
    double drain,
    boolean idle,
    double settle,
    List<Long> serverPids,
    int messageSize,
    int eventLoops,
    int concurrency,
    double pingSeconds,
    String transport,
    String target,
    boolean quiet,
    boolean timeline) {

  static final String WEBSOCKET = "websocket";
  static final String XHR_POLLING = "xhr-polling";
  static final String ROOMBUS = "roombus";
  static final String SOCKETIO = "socketio";

  static final String USAGE =
      """
      usage: java -jar roombus.jar bench [options]
        --target T            roombus (default) or socketio: the Socket.IO 4 peer (namespace /chat, Engine.IO v4 websocket)
        --url U[,U...]        server base URLs; clients spread round-robin
                              (default http://127.0.0.1:8080 for roombus, http://127.0.0.1:3101 for socketio)
        --clients N           sockets to open (rounded up to whole rooms; default 100)
        --room-size R         sockets per room (default 10)
        --tabs T              sockets per user, all in the user's room (default 1); users per room = R/T, 2..100 on roombus
        --rate M              messages per second, all senders together (default 100)
        --ramp M1,M2,...      step through these rates, one JSON line per step (overrides --rate)
        --ramp-stop R,MS      end the ramp after the first step that delivers less than ratio R or whose p99 is MS ms or more
        --duration S          measured seconds per step (default 10)
        --warmup S            seconds of load before each measured window (default 2)
        --drain S             at most this long after a window for late messages (default 5)
        --idle                connect, then hold the sockets idle for --duration: RSS per connection, idle CPU
        --settle S            idle mode: seconds to wait after connecting before measuring (default 3)
        --server-pid P[,P...] server pids to read CPU and RSS from (/proc)
        --size B              characters of chat text per message (default 100)
        --loops L             event loops of the load generator (default 2)
        --concurrency C       set-up requests in flight (default 64)
        --ping S              seconds between pings per socket (default 20; the hub closes silent sockets)
        --transport T         websocket (the raw event-bus websocket, default) or xhr-polling (SockJS); roombus only
        --quiet               no progress lines on stderr
        --timeline            also each step's latency second by second ("timeline": messages sent in
                              that second of the window, their p50, p99 and max), to tell a tail that
                              clusters in time from one spread evenly
      Prints one JSON line per step (or one for --idle) on stdout.""";

  static BenchOptions parse(String... args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--"))
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (name.equals("idle")
          || name.equals("quiet")
          || name.equals("timeline")
          || name.equals("help")) {
        value = "true";
      } else {
        if (i + 1 >= args.length)
          throw new IllegalArgumentException("--" + name + " needs a value");
        value = args[++i];
      }
      values.put(name, value);
    }
    if (values.containsKey("help")) throw new IllegalArgumentException("help");
    Values v = new Values(values);
    List<Double> rates =
        values.containsKey("ramp") ? v.doubles("ramp") : List.of(v.number("rate", 100));
    String target = values.getOrDefault("target", ROOMBUS);
    BenchOptions options =
        new BenchOptions(
            v.strings(
                "url", target.equals(SOCKETIO) ? "http://127.0.0.1:3101" : "http://127.0.0.1:8080"),
            (int) v.number("clients", 100),
            (int) v.number("room-size", 10),
            (int) v.number("tabs", 1),
            rates,
            values.containsKey("ramp-stop") ? v.doubles("ramp-stop") : List.of(),
            v.number("duration", 10),
            v.number("warmup", 2),
            v.number("drain", 5),
            Boolean.parseBoolean(values.getOrDefault("idle", "false")),
            v.number("settle", 3),
            v.strings("server-pid", "").stream().map(Long::parseLong).toList(),
            (int) v.number("size", 100),
            (int) v.number("loops", 2),
            (int) v.number("concurrency", 64),
            v.number("ping", 20),
            values.getOrDefault("transport", WEBSOCKET),
            target,
            Boolean.parseBoolean(values.getOrDefault("quiet", "false")),
            Boolean.parseBoolean(values.getOrDefault("timeline", "false")));
    values
        .keySet()
        .removeAll(
            List.of(
                "url",
                "clients",
                "room-size",
                "tabs",
                "rate",
                "ramp",
                "ramp-stop",
                "duration",
                "warmup",
                "drain",
                "idle",
                "settle",
                "server-pid",
                "size",
                "loops",
                "concurrency",
                "ping",
                "transport",
                "target",
                "quiet",
                "timeline"));
    if (!values.isEmpty())
      throw new IllegalArgumentException("unknown option --" + values.keySet().iterator().next());
    options.check();
    return options;
  }

  private void check() {
    if (clients < 1) throw new IllegalArgumentException("--clients must be at least 1");
    if (tabs < 1 || roomSize % tabs != 0)
      throw new IllegalArgumentException("--room-size must be a multiple of --tabs");
    if (!target.equals(ROOMBUS) && !target.equals(SOCKETIO)) {
      throw new IllegalArgumentException("--target must be " + ROOMBUS + " or " + SOCKETIO);
    }
    int users = usersPerRoom();
    if (users < 2)
      throw new IllegalArgumentException(
          "users per room (room size / tabs) must be at least 2, got " + users);
    // how many users a roombus room may seat is the hub's to say (MAX_ROOM_SIZE): it refuses a room
    // too big
    if (rates.stream().anyMatch(r -> r < 0))
      throw new IllegalArgumentException("rates must not be negative");
    if (!rampStop.isEmpty() && rampStop.size() != 2)
      throw new IllegalArgumentException("--ramp-stop needs a ratio and milliseconds: R,MS");
    if (duration <= 0) throw new IllegalArgumentException("--duration must be positive");
    if (messageSize < 40 || messageSize > 1000)
      throw new IllegalArgumentException("--size must be 40..1000");
    if (eventLoops < 1 || concurrency < 1)
      throw new IllegalArgumentException("--loops and --concurrency must be positive");
    if (pingSeconds < 1) throw new IllegalArgumentException("--ping must be at least 1 second");
    if (!transport.equals(WEBSOCKET) && !transport.equals(XHR_POLLING)) {
      throw new IllegalArgumentException("--transport must be " + WEBSOCKET + " or " + XHR_POLLING);
    }
    if (socketIo() && !transport.equals(WEBSOCKET))
      throw new IllegalArgumentException("--target socketio speaks websocket only");
  }

  /** True when a step with this delivered ratio and p99 ends the ramp. */
  boolean stopsRamp(double deliveryRatio, double p99Ms) {
    return !rampStop.isEmpty() && (deliveryRatio < rampStop.get(0) || p99Ms >= rampStop.get(1));
  }

  boolean socketIo() {
    return target.equals(SOCKETIO);
  }

  int usersPerRoom() {
    return roomSize / tabs;
  }

  int rooms() {
    return (clients + roomSize - 1) / roomSize;
  }

  private record Values(Map<String, String> map) {
    double number(String name, double fallback) {
      String value = map.get(name);
      if (value == null) return fallback;
      try {
        return Double.parseDouble(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
      }
    }

    List<Double> doubles(String name) {
      List<Double> out = new ArrayList<>();
      for (String s : strings(name, "")) {
        try {
          out.add(Double.parseDouble(s.replace("_", "")));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--" + name + " must be numbers, got '" + s + "'");
        }
      }
      if (out.isEmpty())
        throw new IllegalArgumentException("--" + name + " needs at least one value");
      return out;
    }

    List<String> strings(String name, String fallback) {
      return Arrays.stream(map.getOrDefault(name, fallback).split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .toList();
    }
  }
}
