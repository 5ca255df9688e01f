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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The node's fan-out of an address to its sockets")
class FanoutTest {

  /** A subscriber that records what it is given, and on which thread. */
  private static class Recorder implements Fanout.Subscriber {
    final Context context;
    final Thread eventLoop;
    final List<Buffer> frames = new CopyOnWriteArrayList<>();
    final List<Context> calledOn = new CopyOnWriteArrayList<>();
    final BridgeFrames.Style style;

    Recorder(Context context, BridgeFrames.Style style) {
      this.context = context;
      this.eventLoop = threadOf(context);
      this.style = style;
    }

    private static Thread threadOf(Context context) {
      CompletableFuture<Thread> thread = new CompletableFuture<>();
      context.runOnContext(v -> thread.complete(Thread.currentThread()));
      return thread.join();
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public Thread eventLoop() {
      return eventLoop;
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
      "the other event loops are handed a message before this one writes to its own sockets, so they write at the same time")
  void otherLoopsFirst(Vertx vertx) throws Exception {
    Fanout fanout = new Fanout(vertx);
    Context other = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    Recorder there = new Recorder(other, BridgeFrames.Style.REC);
    CountDownLatch thereGotIt = new CountDownLatch(1);
    List<Boolean> sawItFirst = new CopyOnWriteArrayList<>();
    Context loop = vertx.getOrCreateContext();
    Fanout.Subscriber here =
        new Recorder(loop, BridgeFrames.Style.REC) {
          @Override
          public void deliver(String address, Fanout.Delivery delivery) {
            // a big room's local sockets take a while: the other loop must not wait for them
            try {
              sawItFirst.add(thereGotIt.await(1, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    Fanout.Subscriber counted =
        new Recorder(other, BridgeFrames.Style.REC) {
          @Override
          public void deliver(String address, Fanout.Delivery delivery) {
            there.deliver(address, delivery);
            thereGotIt.countDown();
          }
        };
    // subscribed from its own loop, as a socket is: the node's consumer lives there
    CompletableFuture<Void> subscribed = new CompletableFuture<>();
    loop.runOnContext(
        v -> fanout.subscribe("chat.room.r3", here).onComplete(ar -> subscribed.complete(null)));
    subscribed.get(10, TimeUnit.SECONDS);
    await(fanout.subscribe("chat.room.r3", counted));

    vertx.eventBus().publish("chat.room.r3", "\"hello\"");
    awaitCondition(() -> sawItFirst.size() == 1);
    assertThat(sawItFirst).containsExactly(true);
    assertThat(there.calledOn).containsExactly(other);
  }

  @Test
  @DisplayName("a socket subscribed twice to an address gets each message once")
  void subscribedTwice(Vertx vertx) throws Exception {
    Fanout fanout = new Fanout(vertx);
    Recorder socket = new Recorder(vertx.getOrCreateContext(), BridgeFrames.Style.REC);
    Recorder witness = new Recorder(vertx.getOrCreateContext(), BridgeFrames.Style.REC);
    await(fanout.subscribe("chat.room.r4", socket));
    await(fanout.subscribe("chat.room.r4", socket));
    await(fanout.subscribe("chat.room.r4", witness));

    vertx.eventBus().publish("chat.room.r4", "\"one\"");
    vertx.eventBus().publish("chat.room.r4", "\"two\"");
    awaitCondition(() -> witness.frames.size() == 2);
    assertThat(socket.frames).hasSize(2);
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
