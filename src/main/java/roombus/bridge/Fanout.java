package roombus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
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
    /** The event loop the subscriber lives on: it is called there. */
    Context context();

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
        channel.subscribers.add(subscriber);
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
      if (!channel.subscribers.remove(subscriber)
          || !channel.subscribers.isEmpty()
          || channel.lingering >= 0) return;
      channel.lingering = vertx.setTimer(LINGER_MS, id -> close(channel));
    }
  }

  /** Stops listening to the channel's address, unless a socket came back meanwhile. */
  private void close(Channel channel) {
    synchronized (channel) {
      channel.lingering = -1;
      if (!channel.subscribers.isEmpty()) return;
      channels.remove(channel.address, channel);
      if (channel.consumer != null) channel.consumer.unregister();
      channel.consumer = null;
    }
  }

  private static final class Channel {
    final String address;
    final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    MessageConsumer<Object> consumer;

    /** The timer that will stop listening, while the channel has no subscriber; else -1. */
    long lingering = -1;

    Channel(String address) {
      this.address = address;
    }

    void deliver(Message<Object> msg) {
      Delivery delivery = new Delivery(address, msg.body(), EventHeaders.of(msg.headers()));
      Context here = Vertx.currentContext();
      Map<Context, List<Subscriber>> elsewhere = null;
      for (Subscriber subscriber : subscribers) {
        Context context = subscriber.context();
        if (context == here) {
          subscriber.deliver(address, delivery);
        } else {
          if (elsewhere == null) elsewhere = new HashMap<>(4);
          elsewhere.computeIfAbsent(context, c -> new ArrayList<>()).add(subscriber);
        }
      }
      if (elsewhere != null) {
        elsewhere.forEach(
            (context, list) ->
                context.runOnContext(
                    v -> {
                      for (Subscriber subscriber : list) subscriber.deliver(address, delivery);
                    }));
      }
    }
  }
}
