package roombus;

import static roombus.TestHub.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import roombus.busclient.BusClient;
import roombus.busclient.HubUrl;

/**
 * A client speaking SockJS xhr-polling over plain HTTP (no websocket anywhere), as a test sees it:
 * a {@link BusClient} over the polling transport ({@code POST
 * <base>eventbus/<server>/<session>/xhr} to open and then long-poll, {@code .../xhr_send} with a
 * JSON array of frames to send). Each request goes to the next of the given node base URLs in turn,
 * as a load balancer without sticky sessions would send them. Every frame the hub sends is kept, in
 * order; when the session ends, a last {@code {"type":"closed"}} says so.
 */
public final class XhrPollingClient implements AutoCloseable {

  private final List<String> bases;
  private final List<String> served = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final FrameLog log = new FrameLog("rec");
  private final BusClient bus;

  /** Opens a session with the session cookie {@code sid}; requests rotate over {@code bases}. */
  public XhrPollingClient(Vertx vertx, List<String> bases, String sid) {
    this.bases = List.copyOf(bases);
    this.bus =
        await(
            BusClient.xhrPolling(vertx, this::nextNode, sid)
                .map(
                    client ->
                        client
                            .frameHandler(log::add)
                            .closeHandler(v -> log.add(new JsonObject().put("type", "closed")))),
            Duration.ofSeconds(10));
  }

  private HubUrl nextNode() {
    String base = bases.get(Math.floorMod(next.getAndIncrement(), bases.size()));
    synchronized (served) {
      served.add(base);
    }
    return HubUrl.of(base);
  }

  /** Sends one bridge frame; returns once the {@code xhr_send} carrying it is answered. */
  public void send(JsonObject frame) {
    await(bus.writeFrame(frame), Duration.ofSeconds(30));
  }

  public List<JsonObject> frames() {
    return log.frames();
  }

  /** The bodies of the messages on {@code address}, in order. */
  public List<JsonObject> messages(String address) {
    return log.messages(address);
  }

  public JsonObject awaitFrame(Predicate<JsonObject> matching) {
    return log.awaitFrame("a matching frame", matching);
  }

  public JsonObject awaitMessage(String address, Predicate<JsonObject> matching) {
    return log.awaitMessage(address, matching);
  }

  /** The base URLs that served each request, in order (to show the rotation happened). */
  public List<String> served() {
    synchronized (served) {
      return List.copyOf(served);
    }
  }

  @Override
  public void close() {
    await(bus.close(), Duration.ofSeconds(10));
  }
}
