package roombus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a node is told at start, read once from the environment (and {@code -Dname=value} system
 * properties, which win) and validated here. Nothing else in the hub reads the environment.
 */
public record HubConfig(
    int httpPort,
    Path dataDir,
    Optional<String> mongoUri,
    int storePort,
    boolean cluster,
    String clusterHost,
    List<String> clusterMembers,
    Duration roomGrace,
    Duration unclaimedRoomGrace,
    Duration pingTimeout,
    Duration seatHold,
    String clusterName,
    int clusterPort,
    int postsPerSecond,
    int httpInstances,
    int tcpBridgePort,
    Duration tokenTtl,
    Duration presenceGrace) {

  public static final String DATABASE = "roombus";

  public HubConfig {
    if (httpPort < 0 || httpPort > 65535) throw new IllegalArgumentException("HTTP_PORT out of range: " + httpPort);
    if (storePort < 0 || storePort > 65535) throw new IllegalArgumentException("STORE_PORT out of range: " + storePort);
    if (httpInstances < 1) throw new IllegalArgumentException("HTTP_INSTANCES must be at least 1");
    if (tcpBridgePort < 0 || tcpBridgePort > 65535) throw new IllegalArgumentException("TCP_BRIDGE_PORT out of range: " + tcpBridgePort);
    if (tokenTtl.toMillis() < 1) throw new IllegalArgumentException("TOKEN_TTL_MS must be at least 1");
    if (presenceGrace.isNegative()) throw new IllegalArgumentException("PRESENCE_GRACE_MS must be 0 or more");
    clusterMembers = List.copyOf(clusterMembers);
  }

  /** Reads the configuration from the process environment, system properties and command-line flags. */
  public static HubConfig fromEnvironment(String... args) {
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    System.getProperties().forEach((k, v) -> env.put(k.toString(), v.toString()));
    if (Arrays.asList(args).contains("--cluster")) env.put("CLUSTER", "true");
    return from(env);
  }

  public static HubConfig from(Map<String, String> env) {
    Values v = new Values(env);
    return new HubConfig(
        v.integer("HTTP_PORT", 8080),
        Path.of(v.string("DATA_DIR", "./data")),
        Optional.ofNullable(v.string("MONGO_URI", null)).filter(s -> !s.isBlank()),
        v.integer("STORE_PORT", 0),
        Boolean.parseBoolean(v.string("CLUSTER", "false")),
        v.string("CLUSTER_HOST", "127.0.0.1"),
        Arrays.stream(v.string("CLUSTER_MEMBERS", "127.0.0.1").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList(),
        Duration.ofMillis(v.integer("ROOM_GRACE_MS", 10_000)),
        Duration.ofMillis(v.integer("UNCLAIMED_ROOM_MS", 300_000)),
        Duration.ofMillis(v.integer("PING_TIMEOUT_MS", 30_000)),
        Duration.ofMillis(v.integer("SEAT_HOLD_MS", 30_000)),
        v.string("CLUSTER_NAME", "roombus"),
        v.integer("CLUSTER_PORT", 5701),
        v.integer("POSTS_PER_SECOND", 20),
        v.integer("HTTP_INSTANCES", Runtime.getRuntime().availableProcessors()),
        v.integer("TCP_BRIDGE_PORT", 0),
        Duration.ofMillis(v.integer("TOKEN_TTL_MS", 24 * 3600 * 1000)),
        Duration.ofMillis(v.integer("PRESENCE_GRACE_MS", 15_000)));
  }

  private record Values(Map<String, String> env) {
    String string(String name, String fallback) {
      String value = env.get(name);
      return value == null || value.isBlank() ? fallback : value.trim();
    }

    int integer(String name, int fallback) {
      String value = string(name, null);
      if (value == null) return fallback;
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
      }
    }
  }
}
