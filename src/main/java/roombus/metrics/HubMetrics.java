package roombus.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The node's own meters, next to the ones Vert.x keeps (HTTP, event bus, pools) and the JVM's
 * (memory, GC, threads), all in one Prometheus registry per node, served at {@code GET /metrics}.
 * Names follow Prometheus conventions: {@code roombus_} prefix, base units, {@code _total} on
 * counters. Every verticle of a node finds the node's meters with {@link #of(Vertx)}; a Vert.x
 * instance that no hub started (a unit test) gets meters of its own that nobody reads.
 */
public final class HubMetrics {

  /** The transports a bridge connection can come over, as the {@code transport} label says them. */
  public static final List<String> TRANSPORTS =
      List.of(
          "websocket",
          "sockjs-websocket",
          "xhr-streaming",
          "xhr-polling",
          "eventsource",
          "htmlfile",
          "jsonp",
          "tcp");

  private static final Map<Vertx, HubMetrics> BY_NODE =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * One probe a second per loop: a loop stalled for a second or more always shows, shorter stalls
   * when a probe falls in them. Each probe wakes an idle loop; at four a second the probes were a
   * sixth of an idle node's CPU (docs/performance.md).
   */
  private static final long LOOP_PROBE_MS = 1_000;

  private final MeterRegistry registry;
  private final String registryName = "roombus-" + UUID.randomUUID();
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final AtomicLong rooms = new AtomicLong();
  private final AtomicLong usersPresent = new AtomicLong();
  private final AtomicInteger storeUp = new AtomicInteger();
  private volatile IntSupplier storeQueue = () -> 0;
  private final Counter posted;
  private final Counter stored;
  private final Counter delivered;
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Map<String, Counter> bridgeRefused = new ConcurrentHashMap<>();
  private final Map<String, Counter> limited = new ConcurrentHashMap<>();
  private final Timer storeAppend;
  private final Timer postStored;
  private final Timer loopDelay;
  private final RoomRates roomRates = new RoomRates();
  private volatile boolean stopped;

  private HubMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (String transport : TRANSPORTS) connectionsOf(transport);
    Gauge.builder("roombus.rooms", rooms, AtomicLong::get)
        .description("Rooms in the hub (all nodes), as this node last read them from the store")
        .register(registry);
    Gauge.builder("roombus.users.present", usersPresent, AtomicLong::get)
        .description(
            "Users present in a room through a connection on this node (a user in two rooms counts twice)")
        .register(registry);
    posted =
        Counter.builder("roombus.messages.posted")
            .description("Posts (chats, GIFs, whispers) received by this node")
            .register(registry);
    stored =
        Counter.builder("roombus.messages.stored")
            .description("Posts of this node's clients stored and acknowledged")
            .register(registry);
    delivered =
        Counter.builder("roombus.messages.delivered")
            .description("Room messages and notices written live to this node's bridge connections")
            .register(registry);
    storeAppend =
        latency(
            registry,
            "roombus.store.append",
            "Time to store one batch of messages (one insert) on this node");
    Gauge.builder("roombus.store.queue.depth", this, m -> m.storeQueue.getAsInt())
        .description("Messages waiting to be stored by this node")
        .register(registry);
    Gauge.builder("roombus.store.up", storeUp, AtomicInteger::get)
        .description("1 when the store answered this node's last ping, else 0")
        .register(registry);
    postStored =
        latency(
            registry,
            "roombus.post.stored",
            "From a post's arrival at this node's chat service to its publication to the room, once stored");
    loopDelay =
        latency(
            registry,
            "roombus.event.loop.delay",
            "How late a task scheduled on an event loop ran: how long the loop was busy");
  }

  /** A timer published as a histogram from 0.1 ms to 10 s, so that its percentiles can be read. */
  private static Timer latency(MeterRegistry registry, String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /**
   * Metrics for a new node: a Prometheus registry and the Vert.x options that make Vert.x report
   * into it (its own name, so several nodes in one JVM keep apart; no label per event-bus address,
   * which would make one series per room).
   */
  public static HubMetrics prometheus() {
    return new HubMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Vert.x options with this node's metrics on. */
  public VertxOptions vertxOptions(VertxOptions options) {
    return options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setRegistryName(registryName)
            .setJvmMetricsEnabled(true)
            .setLabels(
                EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_SIDE, Label.POOL_TYPE))
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry to scrape, or null when these meters are not Prometheus's. */
  public PrometheusMeterRegistry prometheusRegistry() {
    return registry instanceof PrometheusMeterRegistry p ? p : null;
  }

  /** Makes these the meters of {@code vertx}'s node and starts the event-loop probe. */
  public HubMetrics attach(Vertx vertx) {
    BY_NODE.put(vertx, this);
    // the one internal call: Vert.x has no public handle on each of its event loops
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) probe(loop);
    return this;
  }

  /** The meters of the node {@code vertx} belongs to. */
  public static HubMetrics of(Vertx vertx) {
    return BY_NODE.computeIfAbsent(vertx, v -> new HubMetrics(new SimpleMeterRegistry()));
  }

  public void stop() {
    stopped = true;
  }

  /**
   * Schedules a probe on an event loop: the time between when it should run and when it runs is the
   * loop's delay.
   */
  private void probe(EventExecutor loop) {
    if (stopped) return;
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOP_PROBE_MS);
    try {
      loop.schedule(
          () -> {
            loopDelay.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
            probe(loop);
          },
          LOOP_PROBE_MS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shutDown) {
      // the node is closing
    }
  }

  // ---- connections ----------------------------------------------------------------------------

  private AtomicInteger connectionsOf(String transport) {
    return connections.computeIfAbsent(
        transport,
        t -> {
          AtomicInteger count = new AtomicInteger();
          Gauge.builder("roombus.connections", count, AtomicInteger::get)
              .tag("transport", t)
              .description("Bridge connections open on this node, by transport")
              .register(registry);
          return count;
        });
  }

  public void connected(String transport) {
    connectionsOf(transport).incrementAndGet();
  }

  public void disconnected(String transport) {
    connectionsOf(transport).decrementAndGet();
  }

  /** Open connections by transport. */
  public JsonObject connections() {
    JsonObject json = new JsonObject();
    connections.forEach((transport, count) -> json.put(transport, count.get()));
    return json;
  }

  public int connectionCount() {
    return connections.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /**
   * The transport of a SockJS socket from its URI: {@code /eventbus/websocket} is the raw
   * websocket; {@code /eventbus/<server>/<session>/<transport>} a SockJS transport.
   */
  public static String transportOf(String uri) {
    if (uri == null) return "websocket";
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    String[] parts = path.split("/");
    String last = parts.length == 0 ? "" : parts[parts.length - 1];
    if ("websocket".equals(last)) {
      return parts.length >= 2 && "eventbus".equals(parts[parts.length - 2])
          ? "websocket"
          : "sockjs-websocket";
    }
    return switch (last) {
      case "xhr" -> "xhr-polling";
      case "xhr_streaming" -> "xhr-streaming";
      default -> last.toLowerCase(Locale.ROOT);
    };
  }

  // ---- rooms and users -------------------------------------------------------------------------

  public void rooms(long count) {
    rooms.set(count);
  }

  public void usersPresent(long count) {
    usersPresent.set(count);
  }

  public long usersPresent() {
    return usersPresent.get();
  }

  // ---- messages --------------------------------------------------------------------------------

  public void posted() {
    posted.increment();
  }

  /**
   * A post of this node's clients stored in {@code roomId}, {@code nanos} after it arrived, and
   * published.
   */
  public void stored(String roomId, long nanos) {
    stored.increment();
    roomRates.add(roomId);
    postStored.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void delivered() {
    delivered.increment();
  }

  /**
   * A post refused, for a reason in the words of the bridge's error codes ({@code rate_limited},
   * {@code busy}, …).
   */
  public void refused(String reason) {
    refused
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("roombus.messages.refused")
                    .tag("reason", r)
                    .description("Posts refused, by reason")
                    .register(registry))
        .increment();
  }

  /** A bridge frame refused ({@code access_denied}, {@code invalid_frame}, …). */
  public void bridgeRefused(String reason) {
    bridgeRefused
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("roombus.bridge.refusals")
                    .tag("reason", r)
                    .description("Bridge frames refused, by reason")
                    .register(registry))
        .increment();
  }

  /**
   * A request or frame refused by a limit against abuse ({@code rooms}, {@code enters}, {@code
   * uploads}, {@code passwords}, {@code connections}, {@code frames}).
   */
  public void limited(String limit) {
    limited
        .computeIfAbsent(
            limit,
            l ->
                Counter.builder("roombus.limited")
                    .tag("limit", l)
                    .description("Requests, connections and frames refused by a rate limit")
                    .register(registry))
        .increment();
  }

  /** Messages stored per minute, by room, posted through this node. */
  public Map<String, Integer> roomRates() {
    return roomRates.perMinute();
  }

  /** Totals of this node's message counters. */
  public JsonObject messages() {
    return new JsonObject()
        .put("posted", (long) posted.count())
        .put("stored", (long) stored.count())
        .put("delivered", (long) delivered.count())
        .put("refused", (long) refused.values().stream().mapToDouble(Counter::count).sum());
  }

  // ---- store -----------------------------------------------------------------------------------

  public Timer storeAppend() {
    return storeAppend;
  }

  /** How to read the number of messages waiting to be stored. */
  public void storeQueue(IntSupplier depth) {
    this.storeQueue = depth;
  }

  public void storeUp(boolean up) {
    storeUp.set(up ? 1 : 0);
  }
}
