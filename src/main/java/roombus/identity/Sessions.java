package roombus.identity;

import io.vertx.core.Vertx;
import io.vertx.ext.web.sstore.SessionStore;

/** Where sessions live: in the store, for every node alike (see {@link StoredSessionStore}). */
public final class Sessions {

  private Sessions() {}

  /** The node's session store; every verticle that opens it sees the same sessions. */
  public static SessionStore store(Vertx vertx) {
    return StoredSessionStore.create(vertx);
  }
}
