package roombus.identity;

import io.vertx.core.Vertx;
import io.vertx.ext.web.sstore.ClusteredSessionStore;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import roombus.HubConfig;

/** Where sessions live: the node's memory, or the cluster-wide store when the node is clustered. */
public final class Sessions {

  private Sessions() {
  }

  /** The node's session store; every verticle that opens it sees the same sessions. */
  public static SessionStore store(Vertx vertx, HubConfig config) {
    return config.cluster() ? ClusteredSessionStore.create(vertx) : LocalSessionStore.create(vertx);
  }
}
