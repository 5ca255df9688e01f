package roombus.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The web addresses of the hub's live nodes, as pages may connect to them: every node puts its
 * {@code PUBLIC_URL} in a cluster-wide map under its node id, and reads the map back every few
 * seconds, keeping the entries of nodes still alive. Pages get the list from {@code /api/nodes}; a
 * node accepts connections and requests from its nodes' origins, and its page's CSP names them. One
 * per node, shared by its HTTP verticle instances.
 */
public final class NodeDirectory {

  static final String MAP = "roombus.nodes.http";
  private static final long REFRESH_MS = 2_000;

  private final Vertx vertx;
  private final String nodeId;
  private final String self;
  private final Supplier<List<String>> liveNodes;
  private volatile List<String> urls;
  private volatile Set<String> origins;

  public NodeDirectory(Vertx vertx, String nodeId, String self, Supplier<List<String>> liveNodes) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.self = self;
    this.liveNodes = liveNodes;
    this.urls = List.of(self);
    this.origins = Set.copyOf(Origins.of(self).stream().toList());
  }

  /** Announces this node and starts following the others. */
  public Future<Void> start() {
    return map()
        .compose(map -> map.put(nodeId, self))
        .compose(v -> refresh())
        .onSuccess(v -> vertx.setPeriodic(REFRESH_MS, id -> refresh()));
  }

  /** This node's own web address. */
  String self() {
    return self;
  }

  /** Every live node's web address, this node's first. */
  List<String> urls() {
    return urls;
  }

  /** Every live node's origin. */
  Set<String> origins() {
    return origins;
  }

  private Future<Void> refresh() {
    return map()
        .compose(AsyncMap::entries)
        .map(
            entries -> {
              List<String> live = liveNodes.get();
              List<String> found = new ArrayList<>();
              found.add(self);
              for (Map.Entry<String, String> entry : entries.entrySet()) {
                String node = entry.getKey();
                if (!live.contains(node)) forget(node);
                else if (!node.equals(nodeId) && !found.contains(entry.getValue()))
                  found.add(entry.getValue());
              }
              urls = List.copyOf(found);
              origins = Set.copyOf(found.stream().flatMap(u -> Origins.of(u).stream()).toList());
              return null;
            })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** A node that is gone (every node may do it; removing twice is harmless). */
  private void forget(String node) {
    map().compose(map -> map.remove(node));
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
