package roombus.guard;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import roombus.HubConfig;
import roombus.common.ApiError;

/**
 * How often one user, and one client address, may create rooms, enter rooms and upload GIFs: a
 * token bucket per {@code action|user} and per {@code action|address} (resilience4j, as {@code
 * chat.PostLimiter}), forgotten when idle. An address may do ten times what a user may; loopback
 * addresses are not limited per address (local tools, load tests, a reverse proxy on the same
 * machine: such a proxy limits per address itself).
 *
 * <p>Cluster-wide by sharing: with {@code n} nodes alive, each node allows {@code max(1, ceil(limit
 * / n))} a minute per key, so requests spread over the nodes get at most the limit rounded up to a
 * multiple of {@code n}, while a client whose requests all reach one node gets that node's share.
 * The share follows the membership as nodes come and go. Nothing crosses the network.
 */
public final class RateLimits {

  /** What is limited, with its words for the user. */
  public enum Action {
    CREATE_ROOM("rooms", "Too many rooms created: wait a little before creating another"),
    ENTER("enters", "Too many rooms entered: wait a little before entering again"),
    UPLOAD("uploads", "Too many uploads: wait a little before uploading another GIF");

    private final String meter;
    private final String refusal;

    Action(String meter, String refusal) {
      this.meter = meter;
      this.refusal = refusal;
    }

    /** Its name in the {@code limit} label of {@code roombus_limited_total}. */
    public String meter() {
      return meter;
    }
  }

  /** How much more one client address may do than one user. */
  public static final int PER_ADDRESS_FACTOR = 10;

  private static final Duration PERIOD = Duration.ofMinutes(1);

  private final int roomsPerMinute;
  private final int entersPerMinute;
  private final int uploadsPerMinute;
  private final Supplier<List<String>> liveNodes;
  private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();

  public RateLimits(HubConfig config, Supplier<List<String>> liveNodes) {
    this(config.roomsPerMinute(), config.entersPerMinute(), config.uploadsPerMinute(), liveNodes);
  }

  RateLimits(
      int roomsPerMinute,
      int entersPerMinute,
      int uploadsPerMinute,
      Supplier<List<String>> liveNodes) {
    this.roomsPerMinute = roomsPerMinute;
    this.entersPerMinute = entersPerMinute;
    this.uploadsPerMinute = uploadsPerMinute;
    this.liveNodes = liveNodes;
  }

  /**
   * Takes one of {@code user}'s and one of {@code address}'s permits for {@code action}, or throws
   * a 429 {@link ApiError} with the time until the next one. Never waits. {@code address} may be
   * null (unknown), and a loopback address is not limited.
   */
  public void acquire(Action action, String user, String address) {
    int perUser = perMinute(action);
    int nodes = nodeCount();
    // the user first: a user over their limit then costs their address nothing (others may share
    // it, behind a NAT)
    take(action, "user:" + user, share(perUser, nodes));
    if (address != null && !isLoopback(address)) {
      take(action, "address:" + address, share(saturated(perUser), nodes));
    }
  }

  private void take(Action action, String who, int permits) {
    String key = action.name() + "|" + who;
    Entry entry = buckets.computeIfAbsent(key, k -> new Entry(RateLimiter.of(k, config(permits))));
    entry.lastUse = System.nanoTime();
    if (entry.limiter.getRateLimiterConfig().getLimitForPeriod() != permits) {
      entry.limiter.changeLimitForPeriod(permits); // the membership changed: so did the share
    }
    if (!entry.limiter.acquirePermission()) {
      throw ApiError.tooMany(action.refusal, untilNextPermit(entry.limiter));
    }
  }

  /** How many permits one node gives a key per minute: its share of {@code limit}. */
  static int share(int limit, int nodes) {
    return Math.max(1, (int) Math.ceil((double) limit / Math.max(1, nodes)));
  }

  private int nodeCount() {
    List<String> nodes = liveNodes.get();
    return nodes == null || nodes.isEmpty() ? 1 : nodes.size();
  }

  private int perMinute(Action action) {
    return switch (action) {
      case CREATE_ROOM -> roomsPerMinute;
      case ENTER -> entersPerMinute;
      case UPLOAD -> uploadsPerMinute;
    };
  }

  private static int saturated(int perUser) {
    return (int) Math.min(Integer.MAX_VALUE, (long) perUser * PER_ADDRESS_FACTOR);
  }

  private static RateLimiterConfig config(int permits) {
    return RateLimiterConfig.custom()
        .limitForPeriod(permits)
        .limitRefreshPeriod(PERIOD)
        .timeoutDuration(Duration.ZERO)
        .build();
  }

  private static Duration untilNextPermit(RateLimiter limiter) {
    if (limiter instanceof AtomicRateLimiter atomic) {
      long nanos = atomic.getDetailedMetrics().getNanosToWait();
      if (nanos > 0) return Duration.ofNanos(nanos);
    }
    return PERIOD;
  }

  /**
   * Whether a client address is a loopback one (127.0.0.0/8, ::1, or IPv4 loopback mapped into
   * IPv6). The address is a literal: nothing is looked up.
   */
  public static boolean isLoopback(String address) {
    String literal = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    int scope = literal.indexOf('%');
    if (scope >= 0) literal = literal.substring(0, scope);
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) return false;
    try {
      return InetAddress.getByAddress(bytes).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Forgets keys unused for {@code idle}, so the map does not grow with every visitor. A key unused
   * for a whole period has all its permits back, so forgetting it changes nothing.
   */
  public void forgetIdle(Duration idle) {
    long cutoff = System.nanoTime() - Math.max(idle.toNanos(), PERIOD.toNanos());
    buckets.values().removeIf(e -> e.lastUse < cutoff);
  }

  /** Keys held (tests). */
  int size() {
    return buckets.size();
  }

  private static final class Entry {
    final RateLimiter limiter;
    volatile long lastUse;

    Entry(RateLimiter limiter) {
      this.limiter = limiter;
    }
  }
}
