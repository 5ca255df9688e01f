package roombus.store;

import io.vertx.core.Future;

/**
 * The store as the node's operations see it (health, shutdown); implemented by {@link
 * StoreVerticle}.
 */
public interface StoreControl {

  /** Succeeds when the store answers a ping. */
  Future<Void> ping();

  /**
   * Stops numbering for other nodes (they number this node's rooms themselves from now on) and
   * completes once every append taken so far is stored and answered, or after {@code timeoutMs}.
   * Answers whether everything was stored in time.
   */
  Future<Boolean> drain(long timeoutMs);
}
