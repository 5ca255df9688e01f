package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The node's fan-out of an address to its sockets")
class FanoutTest {

  /** A subscriber that records what it is given, and on which thread. */
  private static final class Recorder implements Fanout.Subscriber {
    final Context context;
    final List<Buffer> frames = new CopyOnWriteArrayList<>();
    final List<Context> calledOn = new CopyOnWriteArrayList<>();
    final BridgeFrames.Style style;

    Recorder(Context context, BridgeFrames.Style style) {
      this.context = context;
      this.style = style;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public void deliver(String address, Fanout.Delivery delivery) {
      calledOn.add(Vertx.currentContext());
      frames.add(delivery.frame(style));
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 10 s");
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS))
          .get();
    }
  }

  @Test
  @DisplayName(
      "each message is framed once per style, and every socket of that style gets the same bytes")
  void framedOnce(Vertx vertx) throws Exception {
    Fanout fanout = new Fanout(vertx);
    Context loop = vertx.getOrCreateContext();
    Recorder a = new Recorder(loop, BridgeFrames.Style.REC);
    Recorder b = new Recorder(loop, BridgeFrames.Style.REC);
    Recorder tcp = new Recorder(loop, BridgeFrames.Style.MESSAGE);
    for (Recorder r : List.of(a, b, tcp)) await(fanout.subscribe("chat.room.r1", r));

    vertx.eventBus().publish("chat.room.r1", new JsonObject().put("chat", "hi").encode());
    awaitCondition(() -> a.frames.size() == 1 && b.frames.size() == 1 && tcp.frames.size() == 1);

    assertThat(a.frames.get(0)).isSameAs(b.frames.get(0));
    assertThat(new JsonObject(a.frames.get(0)))
        .isEqualTo(
            new JsonObject()
                .put("type", "rec")
                .put("address", "chat.room.r1")
                .put("body", new JsonObject().put("chat", "hi")));
    assertThat(new JsonObject(tcp.frames.get(0)).getString("type")).isEqualTo("message");
  }

  @Test
  @DisplayName("a socket on another event loop is given its messages on its own event loop")
  void ownEventLoop(Vertx vertx) throws Exception {
    Fanout fanout = new Fanout(vertx);
    Recorder here = new Recorder(vertx.getOrCreateContext(), BridgeFrames.Style.REC);
    Context other = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    Recorder there = new Recorder(other, BridgeFrames.Style.REC);
    await(fanout.subscribe("chat.rooms", here));
    await(fanout.subscribe("chat.rooms", there));

    vertx.eventBus().publish("chat.rooms", "{\"type\":\"count\"}");
    awaitCondition(() -> here.frames.size() == 1 && there.frames.size() == 1);
    assertThat(there.calledOn).containsExactly(other);
  }

  @Test
  @DisplayName(
      "after the last socket of an address leaves, it gets nothing more; a new socket gets the messages again")
  void lastOneOut(Vertx vertx) throws Exception {
    Fanout fanout = new Fanout(vertx);
    Recorder first = new Recorder(vertx.getOrCreateContext(), BridgeFrames.Style.REC);
    await(fanout.subscribe("chat.room.r2", first));
    fanout.unsubscribe("chat.room.r2", first);
    vertx.eventBus().publish("chat.room.r2", "\"lost\"");

    Recorder second = new Recorder(vertx.getOrCreateContext(), BridgeFrames.Style.REC);
    await(fanout.subscribe("chat.room.r2", second));
    vertx.eventBus().publish("chat.room.r2", "\"seen\"", new DeliveryOptions());
    // the node may still be listening (Fanout.LINGER_MS): "lost" goes nowhere, or to the newcomer
    awaitCondition(
        () ->
            second.frames.stream()
                .anyMatch(f -> "seen".equals(new JsonObject(f).getString("body"))));
    assertThat(first.frames).isEmpty();
  }
}
