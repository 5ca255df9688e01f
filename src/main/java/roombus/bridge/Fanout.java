package roombus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
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
 * room, the node holds one event-bus registration for the room's address; each message that arrives is
 * framed once into the bridge's JSON text, and the same bytes are written to every local socket. This
 * is what keeps delivery cost flat in the number of recipients, where the stock bridge registers a
 * consumer and re-encodes the message for every socket.
 */
public final class Fanout {

  /** Something that receives a room's frames: one bridge socket. */
  public interface Subscriber {
    Context context();

    void deliver(String address, Buffer frame, MultiMap headers);
  }

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

  public Fanout(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Adds a subscriber; completes once the node's registration for the address is in place cluster-wide. */
  public Future<Void> subscribe(String address, Subscriber subscriber) {
    while (true) {
      Channel channel = channels.computeIfAbsent(address, Channel::new);
      synchronized (channel) {
        if (channels.get(address) != channel) continue; // closed meanwhile; take the new one
        channel.subscribers.add(subscriber);
        if (channel.consumer == null) {
          channel.consumer = vertx.eventBus().consumer(address, (Message<Object> msg) -> channel.deliver(msg));
        }
        return channel.consumer.completion();
      }
    }
  }

  public void unsubscribe(String address, Subscriber subscriber) {
    Channel channel = channels.get(address);
    if (channel == null) return;
    synchronized (channel) {
      if (!channel.subscribers.remove(subscriber) || !channel.subscribers.isEmpty()) return;
      channels.remove(address, channel);
      if (channel.consumer != null) channel.consumer.unregister();
      channel.consumer = null;
    }
  }

  /** How many addresses this node is registered for (one per room with local sockets, plus the list). */
  public int registrations() {
    return channels.size();
  }

  /** How many local sockets an address has. */
  public int subscribers(String address) {
    Channel channel = channels.get(address);
    return channel == null ? 0 : channel.subscribers.size();
  }

  /** The bridge frame of a published message, built once per message per node. */
  static Buffer frame(String address, Object body) {
    String json = body instanceof String s ? s : io.vertx.core.json.Json.encode(body);
    Buffer frame = Buffer.buffer(json.length() + address.length() + 48);
    return frame.appendString("{\"type\":\"message\",\"address\":\"").appendString(address)
        .appendString("\",\"body\":").appendString(json).appendString("}");
  }

  private static final class Channel {
    final String address;
    final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    MessageConsumer<Object> consumer;

    Channel(String address) {
      this.address = address;
    }

    void deliver(Message<Object> msg) {
      Buffer frame = frame(address, msg.body());
      MultiMap headers = msg.headers();
      Context here = Vertx.currentContext();
      Map<Context, List<Subscriber>> elsewhere = null;
      for (Subscriber subscriber : subscribers) {
        Context context = subscriber.context();
        if (context == here) {
          subscriber.deliver(address, frame, headers);
        } else {
          if (elsewhere == null) elsewhere = new HashMap<>(4);
          elsewhere.computeIfAbsent(context, c -> new ArrayList<>()).add(subscriber);
        }
      }
      if (elsewhere != null) {
        elsewhere.forEach((context, list) -> context.runOnContext(v -> {
          for (Subscriber subscriber : list) subscriber.deliver(address, frame, headers);
        }));
      }
    }
  }
}
