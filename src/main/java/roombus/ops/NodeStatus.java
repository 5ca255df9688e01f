package roombus.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Where a node is in its life: starting (verticles not all deployed), serving, draining. The health
 * checks read it ({@link Health}), the bridge refuses new connections while it drains, and what
 * holds connections registers here to be told to close them ({@link Drainable}). One per node,
 * found with {@link #of(Vertx)}.
 */
public final class NodeStatus {

  /** Something that holds client connections and closes them when the node drains. */
  public interface Drainable {
    /**
     * Stops taking frames that would change anything, waits for the posts already taken to be
     * answered, then closes every connection with {@code code} and {@code reason}; completes when
     * they are closed.
     */
    Future<Void> drain(int code, String reason);
  }

  private static final Map<Vertx, NodeStatus> BY_NODE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final String nodeId;
  private final BooleanSupplier inCluster;
  private final List<Drainable> drainables = new CopyOnWriteArrayList<>();
  private volatile boolean deployed;
  private volatile boolean draining;

  /**
   * {@code inCluster} says whether the node is a member of its cluster; null when it is not
   * clustered.
   */
  public NodeStatus(String nodeId, BooleanSupplier inCluster) {
    this.nodeId = nodeId;
    this.inCluster = inCluster;
  }

  public NodeStatus attach(Vertx vertx) {
    BY_NODE.put(vertx, this);
    return this;
  }

  /**
   * The status of {@code vertx}'s node; a Vert.x instance that no hub started is a serving
   * standalone node.
   */
  public static NodeStatus of(Vertx vertx) {
    return BY_NODE.computeIfAbsent(
        vertx,
        v -> {
          NodeStatus status = new NodeStatus("standalone", null);
          status.deployed = true;
          return status;
        });
  }

  public String nodeId() {
    return nodeId;
  }

  public boolean clustered() {
    return inCluster != null;
  }

  public boolean inCluster() {
    return inCluster == null || inCluster.getAsBoolean();
  }

  public boolean deployed() {
    return deployed;
  }

  public void deployed(boolean deployed) {
    this.deployed = deployed;
  }

  public boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }

  public void register(Drainable drainable) {
    drainables.add(drainable);
  }

  public void unregister(Drainable drainable) {
    drainables.remove(drainable);
  }

  List<Drainable> drainables() {
    return List.copyOf(drainables);
  }
}
