package roombus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import roombus.model.Room;

/**
 * Everything a node is told at start, read once and validated here; nothing else in the hub reads
 * the environment. Three layers, through vertx-config, each overriding the one before: a JSON or
 * YAML file ({@code --conf FILE} or {@code ROOMBUS_CONFIG}), the environment, then {@code
 * -DNAME=value} system properties. Every setting has an environment name ({@code HTTP_PORT}) and a
 * file key, the same name in camelCase ({@code httpPort}); {@link #SETTINGS} lists them all
 * (docs/configuration.md too).
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
    Duration headerTimeout,
    Duration seatHold,
    String clusterName,
    int clusterPort,
    int postsPerSecond,
    int httpInstances,
    int tcpBridgePort,
    Duration tokenTtl,
    Optional<String> adminToken,
    String logLevel,
    Duration drainTimeout,
    Duration presenceGrace,
    int maxRoomSize,
    int roomsPerMinute,
    int entersPerMinute,
    int uploadsPerMinute,
    int connectionsPerSession,
    int framesPerSecond,
    List<String> allowedOrigins,
    String publicUrl) {

  public static final String DATABASE = "roombus";

  /**
   * The environment variable (or system property) naming the configuration file, when {@code
   * --conf} does not.
   */
  public static final String CONFIG_FILE = "ROOMBUS_CONFIG";

  /** The largest value of a limit against abuse ({@code ROOMS_PER_MINUTE}, …). */
  public static final int MAX_LIMIT = 1_000_000;

  public static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "error");

  /** Every setting by its environment name, in the order docs/configuration.md lists them. */
  public static final List<String> SETTINGS =
      List.of(
          "HTTP_PORT",
          "HTTP_INSTANCES",
          "DATA_DIR",
          "MONGO_URI",
          "STORE_PORT",
          "CLUSTER",
          "CLUSTER_HOST",
          "CLUSTER_MEMBERS",
          "CLUSTER_PORT",
          "CLUSTER_NAME",
          "SEAT_HOLD_MS",
          "ROOM_GRACE_MS",
          "UNCLAIMED_ROOM_MS",
          "PING_TIMEOUT_MS",
          "HEADER_TIMEOUT_MS",
          "POSTS_PER_SECOND",
          "TCP_BRIDGE_PORT",
          "TOKEN_TTL_MS",
          "ADMIN_TOKEN",
          "LOG_LEVEL",
          "DRAIN_TIMEOUT_MS",
          "PRESENCE_GRACE_MS",
          "MAX_ROOM_SIZE",
          "ROOMS_PER_MINUTE",
          "ENTERS_PER_MINUTE",
          "UPLOADS_PER_MINUTE",
          "CONNECTIONS_PER_SESSION",
          "FRAMES_PER_SECOND",
          "ALLOWED_ORIGINS",
          "PUBLIC_URL");

  public HubConfig {
    clusterMembers = List.copyOf(clusterMembers);
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /**
   * The file key of a setting: its environment name in camelCase ({@code HTTP_PORT} → {@code
   * httpPort}).
   */
  public static String key(String setting) {
    StringBuilder key = new StringBuilder(setting.length());
    boolean upper = false;
    for (char c : setting.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        key.append(upper ? c : Character.toLowerCase(c));
        upper = false;
      }
    }
    return key.toString();
  }

  /**
   * Reads the configuration of a node started with {@code args}: the file named by {@code --conf
   * FILE} (or {@code ROOMBUS_CONFIG}), then the environment, then system properties; {@code
   * --cluster} is {@code CLUSTER=true}. Throws IllegalArgumentException naming the setting and the
   * value when one is wrong.
   */
  public static HubConfig load(String... args) {
    String file = null;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cluster" -> cluster = true;
        case "--conf" -> {
          if (i + 1 >= args.length) throw new IllegalArgumentException("--conf needs a file");
          file = args[++i];
        }
        default ->
            throw new IllegalArgumentException(
                "unknown option '" + args[i] + "' (a node takes --conf FILE and --cluster)");
      }
    }
    if (file == null)
      file = blankToNull(System.getProperty(CONFIG_FILE, System.getenv(CONFIG_FILE)));
    Map<String, String> values = ConfigLayers.read(file);
    if (cluster) values.put("CLUSTER", "true");
    return from(values);
  }

  /**
   * The HTTP verticles a node runs unless told: one event loop per core but one, at least one. The
   * core left over serves the rest of the node (the embedded store's thread, the MongoDB driver's,
   * the collector, the compiler) and the kernel's socket work, which HTTP loops on every core would
   * compete with; and a room's sockets on fewer loops cost fewer wake-ups per message
   * (docs/performance.md, "HTTP event loops on two cores").
   */
  static int defaultHttpInstances(int cores) {
    return Math.max(1, cores - 1);
  }

  /**
   * Reads the configuration from settings by environment name alone (tests; {@link #load} for a
   * node).
   */
  public static HubConfig from(Map<String, String> env) {
    SettingValues v = new SettingValues(env);
    int httpPort = v.port("HTTP_PORT", 8080);
    int cores = Runtime.getRuntime().availableProcessors();
    return new HubConfig(
        httpPort,
        Path.of(v.string("DATA_DIR", "./data")),
        Optional.ofNullable(v.string("MONGO_URI", null)),
        v.port("STORE_PORT", 0),
        v.bool("CLUSTER", false),
        v.string("CLUSTER_HOST", "127.0.0.1"),
        Arrays.stream(v.string("CLUSTER_MEMBERS", "127.0.0.1").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList(),
        v.millis("ROOM_GRACE_MS", 10_000, 0),
        v.millis("UNCLAIMED_ROOM_MS", 300_000, 0),
        v.millis("PING_TIMEOUT_MS", 30_000, 1),
        v.millis("HEADER_TIMEOUT_MS", 10_000, 1_000),
        v.millis("SEAT_HOLD_MS", 30_000, 0),
        v.string("CLUSTER_NAME", "roombus"),
        v.port("CLUSTER_PORT", 5701),
        v.integer("POSTS_PER_SECOND", 20, 1),
        v.integer("HTTP_INSTANCES", defaultHttpInstances(cores), 1),
        v.port("TCP_BRIDGE_PORT", 0),
        v.millis("TOKEN_TTL_MS", 24 * 3600 * 1000, 1),
        Optional.ofNullable(v.string("ADMIN_TOKEN", null)),
        v.oneOf("LOG_LEVEL", "info", LOG_LEVELS),
        v.millis("DRAIN_TIMEOUT_MS", 10_000, 0),
        v.millis("PRESENCE_GRACE_MS", 15_000, 0),
        (int)
            v.number(
                "MAX_ROOM_SIZE",
                Room.DEFAULT_MAX_MAX,
                Room.MIN_MAX,
                100_000,
                "a whole number from 2 to 100000"),
        v.limit("ROOMS_PER_MINUTE", 10),
        v.limit("ENTERS_PER_MINUTE", 60),
        v.limit("UPLOADS_PER_MINUTE", 20),
        v.limit("CONNECTIONS_PER_SESSION", 20),
        v.limit("FRAMES_PER_SECOND", 50),
        v.urls("ALLOWED_ORIGINS"),
        v.url("PUBLIC_URL", "http://" + v.string("CLUSTER_HOST", "127.0.0.1") + ":" + httpPort));
  }

  /**
   * The settings as a node logs them at start: every value, except that the admin token is only
   * said to be set and a password in {@code MONGO_URI} is masked.
   */
  public String describe() {
    return "httpPort="
        + httpPort
        + " httpInstances="
        + httpInstances
        + " dataDir="
        + dataDir
        + " mongoUri="
        + mongoUri.map(HubConfig::maskPassword).orElse("(embedded)")
        + " storePort="
        + storePort
        + " cluster="
        + cluster
        + (cluster
            ? " clusterHost="
                + clusterHost
                + " clusterMembers="
                + String.join(",", clusterMembers)
                + " clusterPort="
                + clusterPort
                + " clusterName="
                + clusterName
            : "")
        + " headerTimeoutMs="
        + headerTimeout.toMillis()
        + " tcpBridgePort="
        + tcpBridgePort
        + " postsPerSecond="
        + postsPerSecond
        + " roomsPerMinute="
        + roomsPerMinute
        + " entersPerMinute="
        + entersPerMinute
        + " uploadsPerMinute="
        + uploadsPerMinute
        + " connectionsPerSession="
        + connectionsPerSession
        + " framesPerSecond="
        + framesPerSecond
        + " adminToken="
        + (adminToken.isPresent() ? "(set)" : "(none: admin view off)")
        + " logLevel="
        + logLevel
        + " drainTimeoutMs="
        + drainTimeout.toMillis()
        + " publicUrl="
        + publicUrl
        + " allowedOrigins="
        + (allowedOrigins.isEmpty() ? "(the hub's own)" : String.join(",", allowedOrigins));
  }

  /** {@code mongodb://user:secret@host} → {@code mongodb://user:****@host}. */
  public static String maskPassword(String uri) {
    return uri.replaceAll("(://[^:/@]*):[^@/]*@", "$1:****@");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
