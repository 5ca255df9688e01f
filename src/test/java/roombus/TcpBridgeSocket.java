package roombus;

import static roombus.TestHub.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import roombus.busclient.BusClient;
import roombus.busclient.BusHeaders;
import roombus.busclient.TcpTransport;

/**
 * A client of the hub's TCP event-bus bridge, as a test sees it: a {@link BusClient} over the TCP
 * transport (frames are a 4-byte big-endian length and that many bytes of JSON), with no token of
 * its own, so a test says which frames carry one. Every frame the hub sends is kept, in order, for
 * the test to look at.
 */
public final class TcpBridgeSocket implements AutoCloseable {

  private final BusClient bus;
  private final FrameLog log = new FrameLog("message");

  private TcpBridgeSocket(BusClient bus) {
    this.bus = bus;
    bus.frameHandler(
        log::add); // set as the connection completes, on its event loop: before any frame
  }

  public static TcpBridgeSocket open(Vertx vertx, int port) {
    return await(
        BusClient.tcp(vertx, "127.0.0.1", port, null).map(TcpBridgeSocket::new),
        Duration.ofSeconds(10));
  }

  /** A frame as the bridge wants it: length, then JSON. */
  public static Buffer framed(JsonObject frame) {
    return TcpTransport.framed(frame.toBuffer());
  }

  /** Writes a frame as it is. */
  public void send(JsonObject frame) {
    await(bus.writeFrame(frame), Duration.ofSeconds(10));
  }

  /** Whatever bytes, framed or not. */
  public void sendRaw(Buffer bytes) {
    await(((TcpTransport) bus.transport()).writeBytes(bytes), Duration.ofSeconds(10));
  }

  public void register(String address) {
    await(bus.register(address, null, null), Duration.ofSeconds(10));
  }

  /**
   * A register that presents a token (and so binds the connection, if it is the first valid one).
   */
  public void register(String address, String token) {
    await(bus.register(address, BusHeaders.token(token), null), Duration.ofSeconds(10));
  }

  /** Registers on a room presenting {@code token}, and waits for the welcome. */
  public JsonObject enterRoom(String roomId, String token) {
    register("chat.room." + roomId, token);
    return awaitMessage("chat.room." + roomId, body -> "welcome".equals(body.getString("type")));
  }

  /** Waits until the hub has handled every frame sent so far (it refuses a probe, in order). */
  public void sync() {
    String probe = "not.allowed.sync-" + UUID.randomUUID();
    register(probe);
    awaitError(probe);
  }

  /** Every frame received so far, in order. */
  public List<JsonObject> frames() {
    return log.frames();
  }

  /** The bodies of the messages received on {@code address}, in order. */
  public List<JsonObject> messages(String address) {
    return log.messages(address);
  }

  /** Waits for the first frame (received before or after this call) that matches. */
  public JsonObject awaitFrame(String what, Predicate<JsonObject> matching) {
    return log.awaitFrame(what, matching);
  }

  /** Waits for the body of a message on {@code address} that matches. */
  public JsonObject awaitMessage(String address, Predicate<JsonObject> matching) {
    return log.awaitMessage(address, matching);
  }

  /** Waits for an err frame, about {@code address} if given. */
  public JsonObject awaitError(String address) {
    return log.awaitError(address);
  }

  public boolean isClosed() {
    return !bus.isOpen();
  }

  @Override
  public void close() {
    await(bus.close(), Duration.ofSeconds(10));
  }
}
