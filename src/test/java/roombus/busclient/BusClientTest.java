package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bridge protocol of {@link BusClient}, over a transport that is a list of frames each way. */
@ExtendWith(VertxExtension.class)
@DisplayName("A bus client registers, sends, waits for replies and routes what the hub delivers")
class BusClientTest {

  private Context context;
  private FakeTransport transport;
  private BusClient bus;

  @BeforeEach
  void connect(Vertx vertx) throws Exception {
    context = vertx.getOrCreateContext();
    transport = new FakeTransport();
    bus = onLoop(() -> BusClient.over(vertx, transport));
  }

  @Test
  @DisplayName(
      "a register frame carries its headers; the address's messages reach its handler, rec and message alike, until unregister")
  void registerAndReceive() throws Exception {
    List<BusMessage> received = new CopyOnWriteArrayList<>();
    await(bus.register("chat.room.r1", BusHeaders.since(4), received::add));

    assertThat(new JsonObject(transport.written.get(0)))
        .isEqualTo(
            new JsonObject(
                "{\"type\":\"register\",\"address\":\"chat.room.r1\",\"headers\":{\"since\":\"4\"}}"));
    transport.hubSends(
        "{\"type\":\"rec\",\"address\":\"chat.room.r1\",\"body\":{\"chat\":\"one\"}}");
    transport.hubSends(
        "{\"type\":\"message\",\"address\":\"chat.room.r1\",\"body\":{\"chat\":\"two\"}}");
    transport.hubSends(
        "{\"type\":\"rec\",\"address\":\"chat.room.other\",\"body\":{\"chat\":\"not mine\"}}");
    await(bus.unregister("chat.room.r1"));
    transport.hubSends(
        "{\"type\":\"rec\",\"address\":\"chat.room.r1\",\"body\":{\"chat\":\"after\"}}");

    assertThat(received).extracting(m -> m.json().getString("chat")).containsExactly("one", "two");
    assertThat(new JsonObject(transport.written.get(1)))
        .isEqualTo(new JsonObject("{\"type\":\"unregister\",\"address\":\"chat.room.r1\"}"));
  }

  @Test
  @DisplayName(
      "a send carries a reply address; a rec or a message to it is the reply, an err to it fails the send with the hub's reason")
  void sendAndReply() throws Exception {
    Future<BusMessage> first = bus.send("chat.room.r1", new JsonObject().put("chat", "a"), null);
    Future<BusMessage> second = bus.send("chat.room.r1", new JsonObject().put("chat", "b"), null);
    Future<BusMessage> third = bus.send("chat.room.r1", new JsonObject().put("chat", "c"), null);
    List<String> replyAddresses =
        transport.awaitWritten(3).stream()
            .map(f -> new JsonObject(f).getString("replyAddress"))
            .toList();

    assertThat(new JsonObject(transport.written.get(0)).getJsonObject("body").getString("chat"))
        .isEqualTo("a");
    assertThat(replyAddresses).doesNotHaveDuplicates().doesNotContainNull();
    transport.hubSends(
        "{\"type\":\"rec\",\"address\":\"" + replyAddresses.get(0) + "\",\"body\":{\"seq\":1}}");
    transport.hubSends(
        "{\"type\":\"message\",\"address\":\""
            + replyAddresses.get(1)
            + "\",\"send\":true,\"body\":{\"seq\":2}}");
    transport.hubSends(
        "{\"type\":\"err\",\"address\":\""
            + replyAddresses.get(2)
            + "\",\"failureCode\":429,\"failureType\":\"RECIPIENT_FAILURE\",\"message\":\"Slow down: too many messages\"}");

    assertThat(await(first).json().getLong("seq")).isEqualTo(1L);
    assertThat(await(second).json().getLong("seq")).isEqualTo(2L);
    assertThatThrownBy(() -> await(third))
        .hasRootCauseInstanceOf(BusError.class)
        .rootCause()
        .hasMessage("Slow down: too many messages")
        .satisfies(e -> assertThat(((BusError) e).failureCode()).isEqualTo(429));
  }

  @Test
  @DisplayName("a send whose frame cannot be written fails with CLOSED at once, saying why")
  void sendNotWritten() throws Exception {
    transport.refuseWrites = true;
    Future<BusMessage> refused = bus.replyTimeout(60_000).send("chat.room.r1", "x", null);

    assertThatThrownBy(() -> await(refused))
        .rootCause()
        .hasMessage("not sent: write refused")
        .satisfies(e -> assertThat(((BusError) e).failureType()).isEqualTo(BusError.CLOSED));
  }

  @Test
  @DisplayName(
      "a send with no reply in time fails with TIMEOUT; one still waiting when the connection ends fails with CLOSED, after the close handler ran")
  void timeoutAndClose() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    bus.replyTimeout(50).closeHandler(v -> events.add("closed"));
    Future<BusMessage> late = bus.send("chat.room.r1", "x", null);
    assertThatThrownBy(() -> await(late))
        .rootCause()
        .satisfies(e -> assertThat(((BusError) e).failureType()).isEqualTo(BusError.TIMEOUT));

    bus.replyTimeout(10_000);
    Future<BusMessage> pending =
        bus.send("chat.room.r1", "y", null).onFailure(err -> events.add("send failed"));
    transport.awaitWritten(2);
    onLoop(() -> transport.hubCloses());

    assertThatThrownBy(() -> await(pending))
        .rootCause()
        .satisfies(e -> assertThat(((BusError) e).failureType()).isEqualTo(BusError.CLOSED));
    assertThat(events).containsExactly("closed", "send failed");
    assertThat(bus.isOpen()).isFalse();
  }

  @Test
  @DisplayName(
      "the frame handler sees every frame parsed; an err that answers no send goes to the error handler")
  void framesAndErrors() throws Exception {
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    List<BusError> errors = new CopyOnWriteArrayList<>();
    bus.frameHandler(frames::add).errorHandler(errors::add);

    transport.hubSends(
        "{\"type\":\"err\",\"address\":\"chat.room.nope\",\"failureCode\":404,\"failureType\":\"room_not_found\",\"message\":\"No such room\"}");
    transport.hubSends("{\"type\":\"err\",\"body\":\"access_denied\"}");
    transport.hubSends("garbage");

    assertThat(frames)
        .extracting(f -> f.getString("type"))
        .containsExactly("err", "err", "unparsable");
    assertThat(errors)
        .extracting(BusError::failureType)
        .containsExactly("room_not_found", "access_denied");
    assertThat(errors.get(0).address()).isEqualTo("chat.room.nope");
  }

  @Test
  @DisplayName(
      "with a raw frame handler, frames are handed over as bytes and nothing else sees them")
  void rawFrames() throws Exception {
    List<String> raw = new CopyOnWriteArrayList<>();
    List<BusMessage> parsed = new CopyOnWriteArrayList<>();
    await(bus.register("chat.room.r1", null, parsed::add));
    bus.rawFrameHandler(bytes -> raw.add(bytes.toString()));

    transport.hubSends(
        "{\"type\":\"rec\",\"address\":\"chat.room.r1\",\"body\":{\"chat\":\"t=1 r=2\"}}");
    await(bus.ping());
    await(
        bus.write(
            "{\"type\":\"send\",\"address\":\"chat.room.r1\",\"body\":{\"chat\":\"prebuilt\"}}"));

    assertThat(raw)
        .containsExactly(
            "{\"type\":\"rec\",\"address\":\"chat.room.r1\",\"body\":{\"chat\":\"t=1 r=2\"}}");
    assertThat(parsed).isEmpty();
    assertThat(transport.written)
        .containsExactly(
            "{\"type\":\"register\",\"address\":\"chat.room.r1\"}",
            "{\"type\":\"ping\"}",
            "{\"type\":\"send\",\"address\":\"chat.room.r1\",\"body\":{\"chat\":\"prebuilt\"}}");
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private <T> T onLoop(Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            result.complete(action.call());
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    return result.get(5, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /**
   * Frames written by the client, in order; frames "from the hub" delivered on the client's loop.
   */
  private final class FakeTransport implements BusTransport {
    final List<String> written = new CopyOnWriteArrayList<>();
    private Handler<Buffer> frames;
    private Handler<Void> closed;
    private boolean open = true;
    volatile boolean refuseWrites;

    void hubSends(String frame) throws Exception {
      onLoop(
          () -> {
            frames.handle(Buffer.buffer(frame));
            return null;
          });
    }

    Void hubCloses() {
      open = false;
      closed.handle(null);
      return null;
    }

    List<String> awaitWritten(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (written.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
      assertThat(written).hasSizeGreaterThanOrEqualTo(n);
      return List.copyOf(written);
    }

    @Override
    public void frameHandler(Handler<Buffer> handler) {
      frames = handler;
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
      closed = handler;
    }

    @Override
    public Future<Void> write(String frame) {
      written.add(frame);
      return refuseWrites
          ? Future.failedFuture(new IllegalStateException("write refused"))
          : Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public Future<Void> close() {
      if (open) hubCloses();
      return Future.succeededFuture();
    }
  }
}
