package roombus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static roombus.TestHub.await;
import static roombus.TestHub.poll;

/**
 * A client of the hub's TCP event-bus bridge, as a test sees it: frames are a 4-byte big-endian length
 * and that many bytes of JSON. Every frame the hub sends is kept, in order, for the test to look at.
 */
public final class TcpBridgeSocket implements AutoCloseable {

  private final NetClient client;
  private final NetSocket socket;
  private final FrameLog log = new FrameLog("message");
  private volatile boolean closed;
  private boolean readingLength = true;

  private TcpBridgeSocket(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  public static TcpBridgeSocket open(Vertx vertx, int port) {
    NetClient client = vertx.createNetClient();
    return await(client.connect(port, "127.0.0.1").map(socket -> {
      TcpBridgeSocket tcp = new TcpBridgeSocket(client, socket);
      RecordParser parser = RecordParser.newFixed(4, socket);
      parser.handler(record -> {
        if (tcp.readingLength) {
          tcp.readingLength = false;
          parser.fixedSizeMode(record.getInt(0));
        } else {
          tcp.readingLength = true;
          parser.fixedSizeMode(4);
          tcp.received(record);
        }
      });
      socket.closeHandler(v -> tcp.closed = true);
      return tcp;
    }), Duration.ofSeconds(10));
  }

  private void received(Buffer data) {
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (RuntimeException e) {
      frame = new JsonObject().put("type", "unparsable").put("text", data.toString());
    }
    log.add(frame);
  }

  /** A frame as the bridge wants it: length, then JSON. */
  public static Buffer framed(JsonObject frame) {
    Buffer json = frame.toBuffer();
    return Buffer.buffer().appendInt(json.length()).appendBuffer(json);
  }

  public void send(JsonObject frame) {
    sendRaw(framed(frame));
  }

  /** Whatever bytes, framed or not. */
  public void sendRaw(Buffer bytes) {
    await(socket.write(bytes), Duration.ofSeconds(10));
  }

  public void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  /** A register that presents a token (and so binds the connection, if it is the first valid one). */
  public void register(String address, String token) {
    send(new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("token", token)));
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

  /** The bodies of the {@code message} frames received on {@code address}, in order. */
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
    return closed;
  }

  @Override
  public void close() {
    if (!closed) await(socket.close(), Duration.ofSeconds(10));
    client.close();
  }
}
