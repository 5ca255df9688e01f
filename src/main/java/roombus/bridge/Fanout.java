package roombus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's fan-out of public addresses to its sockets. However many sockets of this node are in a
 * room, the node holds one event-bus registration for the room's address; each message that arrives
 * is framed once per transport style ({@link Delivery}), and the same bytes are written to every
 * local socket. This keeps delivery cost flat in the number of recipients, where the stock bridge
 * registers a consumer and encodes the message again for every socket.
 */
public final class Fanout {

  /** Something that receives an address's messages: one bridge connection. */
  interface Subscriber {
    /** The context the subscriber was created on. */
    Context context();

    /**
     * The event-loop thread of {@link #context()}: the subscriber is called on it. (Each socket's
     * context is a duplicate of its event loop's, so contexts do not tell which sockets share a
     * loop; their thread does.)
     */
    Thread eventLoop();

    void deliver(String address, Delivery delivery);
  }

  /** One published message, framed for each transport style on first use and then shared. */
  static final class Delivery {
    private final String address;
    private final Object body;
    private final EventHeaders headers;
    private volatile Buffer rec;
    private volatile Buffer message;

    Delivery(String address, Object body, EventHeaders headers) {
      this.address = address;
      this.body = body;
      this.headers = headers;
    }

    EventHeaders headers() {
      return headers;
    }

    /**
     * The frame in this style; built at most a few times even when asked from several threads at
     * once.
     */
    Buffer frame(BridgeFrames.Style style) {
      if (style == BridgeFrames.Style.REC) {
        Buffer frame = rec;
        if (frame == null) rec = frame = BridgeFrames.delivery(style, address, body);
        return frame;
      }
      Buffer frame = message;
      if (frame == null) message = frame = BridgeFrames.delivery(style, address, body);
      return frame;
    }
  }

  /**
   * How long the node keeps listening to an address after its last socket left. A socket that comes
   * straight back (register, unregister, register...) finds the registration in place, and messages
   * already on their way are dropped here in silence rather than discarded by Vert.x with a warning
   * each.
   */
  static final long LINGER_MS = 5_000;

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

  public Fanout(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Adds a subscriber; completes once the node's registration for the address is in place
   * cluster-wide.
   */
  Future<Void> subscribe(String address, Subscriber subscriber) {
    while (true) {
      Channel channel = channels.computeIfAbsent(address, Channel::new);
      synchronized (channel) {
        if (channels.get(address) != channel) continue; // closed meanwhile; take the new one
        channel.add(subscriber);
        if (channel.lingering >= 0) {
          vertx.cancelTimer(channel.lingering);
          channel.lingering = -1;
        }
        if (channel.consumer == null) {
          channel.consumer =
              vertx.eventBus().consumer(address, (Message<Object> msg) -> channel.deliver(msg));
        }
        return channel.consumer.completion();
      }
    }
  }

  void unsubscribe(String address, Subscriber subscriber) {
    Channel channel = channels.get(address);
    if (channel == null) return;
    synchronized (channel) {
      if (!channel.remove(subscriber) || !channel.isEmpty() || channel.lingering >= 0) return;
      channel.lingering = vertx.setTimer(LINGER_MS, id -> close(channel));
    }
  }

  /** Stops listening to the channel's address, unless a socket came back meanwhile. */
  private void close(Channel channel) {
    synchronized (channel) {
      channel.lingering = -1;
      if (!channel.isEmpty()) return;
      channels.remove(channel.address, channel);
      if (channel.consumer != null) channel.consumer.unregister();
      channel.consumer = null;
    }
  }

  /**
   * The subscribers of one address on one event loop, as they were when last changed, and a context
   * to run on that loop.
   */
  private record Group(Thread eventLoop, Context context, Subscriber[] members) {
    void deliver(String address, Delivery delivery) {
      for (Subscriber subscriber : members) subscriber.deliver(address, delivery);
    }
  }

  /**
   * One address's subscribers, grouped by the event loop each lives on. Changes take the channel's
   * lock and publish a new snapshot ({@link #groups}); a message is delivered from the snapshot, so
   * delivering takes no lock, and costs one task per other event loop, not one per socket.
   */
  private static final class Channel {
    private static final Group[] NONE = new Group[0];

    final String address;
    private final Map<Thread, Set<Subscriber>> byLoop = new HashMap<>(4);
    private volatile Group[] groups = NONE;
    MessageConsumer<Object> consumer;

    /** The timer that will stop listening, while the channel has no subscriber; else -1. */
    long lingering = -1;

    Channel(String address) {
      this.address = address;
    }

    /** Under the channel's lock. */
    void add(Subscriber subscriber) {
      if (byLoop.computeIfAbsent(subscriber.eventLoop(), t -> new HashSet<>()).add(subscriber))
        snapshot();
    }

    /** Under the channel's lock; whether it was a subscriber. */
    boolean remove(Subscriber subscriber) {
      Set<Subscriber> members = byLoop.get(subscriber.eventLoop());
      if (members == null || !members.remove(subscriber)) return false;
      if (members.isEmpty()) byLoop.remove(subscriber.eventLoop());
      snapshot();
      return true;
    }

    /** Under the channel's lock. */
    boolean isEmpty() {
      return byLoop.isEmpty();
    }

    private void snapshot() {
      List<Group> next = new ArrayList<>(byLoop.size());
      byLoop.forEach(
          (loop, members) -> {
            Subscriber[] array = members.toArray(Subscriber[]::new);
            next.add(new Group(loop, array[0].context(), array));
          });
      groups = next.toArray(NONE);
    }

    /**
     * Hands the message to every subscriber: first to the other event loops, so that they write to
     * their sockets while this one writes to its own, then to this loop's.
     */
    void deliver(Message<Object> msg) {
      Delivery delivery = new Delivery(address, msg.body(), EventHeaders.of(msg.headers()));
      Thread here = Thread.currentThread();
      Group local = null;
      for (Group group : groups) {
        if (group.eventLoop() == here) local = group;
        else group.context().runOnContext(v -> group.deliver(address, delivery));
      }
      if (local != null) local.deliver(address, delivery);
    }
  }
}
