package roombus.guard;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import roombus.HubConfig;

/**
 * The node's limits against abusive clients, made once per node and shared by every verticle
 * instance that serves clients (docs/security.md, "Rate limits"): actions per user and address
 * ({@link RateLimits}), wrong room passwords ({@link PasswordThrottle}), bridge connections per
 * session ({@link ConnectionCounts}) and frames per connection ({@link FrameLimit}).
 */
public record Guards(
    RateLimits rates, PasswordThrottle passwords, ConnectionCounts connections, FrameLimit frames) {

  /** The limits of a node with {@code config}, its share taken among {@code liveNodes}. */
  public static Guards create(Vertx vertx, HubConfig config, Supplier<List<String>> liveNodes) {
    return new Guards(
        new RateLimits(config, liveNodes),
        new PasswordThrottle(vertx),
        new ConnectionCounts(config.connectionsPerSession()),
        new FrameLimit(config.framesPerSecond()));
  }

  /** Forgets what nobody used for a while (every minute, with the posting limits). */
  public void forgetIdle() {
    rates.forgetIdle(Duration.ofMinutes(1));
  }
}
