package roombus.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this node is and which nodes are alive: the Hazelcast members when clustered, only itself
 * when not. Presence held by any other node is stale and gets cleared ({@code rooms.purge}).
 */
public record Membership(String nodeId, Supplier<List<String>> liveNodes) {

  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  public static Membership standalone() {
    String nodeId = UUID.randomUUID().toString();
    return new Membership(nodeId, () -> List.of(nodeId));
  }

  /**
   * Membership of a clustered node; {@code onMemberLeft} runs when a member leaves (its users'
   * presence is purged).
   */
  public static Membership clustered(HazelcastClusterManager manager, Runnable onMemberLeft) {
    manager
        .getHazelcastInstance()
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                log.info(
                    "event=node_joined node={} address={} members={}",
                    event.getMember().getUuid(),
                    event.getMember().getAddress(),
                    event.getMembers().size());
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                log.info(
                    "event=node_left node={} address={} members={}; clearing its users out of their rooms",
                    event.getMember().getUuid(),
                    event.getMember().getAddress(),
                    event.getMembers().size());
                onMemberLeft.run();
              }
            });
    return new Membership(manager.getNodeId(), manager::getNodes);
  }
}
