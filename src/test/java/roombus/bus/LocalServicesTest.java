package roombus.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Typed calls between the verticles of a node")
class LocalServicesTest {

  /** A service that counts the calls it runs. */
  public interface Counter {
    Future<Integer> next();
  }

  /** Exposes a counter: its event loop is the one the calls run on. */
  private static final class CounterVerticle extends AbstractVerticle {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public void start(Promise<Void> started) {
      LocalServices.expose(
              vertx,
              "test.counter",
              Counter.class,
              () -> Future.succeededFuture(runs.incrementAndGet()))
          .<Void>mapEmpty()
          .onComplete(started);
    }

    /** Keeps the verticle's event loop busy for {@code millis}. */
    Future<Void> busyFor(long millis) {
      Promise<Void> done = Promise.promise();
      context.runOnContext(
          v -> {
            try {
              Thread.sleep(millis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            done.complete();
          });
      return done.future();
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final CounterVerticle service = new CounterVerticle();

  @BeforeEach
  void deploy() throws Exception {
    await(vertx.deployVerticle(service));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a call answers with what the service returned")
  void answers() throws Exception {
    Counter counter = LocalServices.proxy(vertx, "test.counter", Counter.class);
    assertThat(await(counter.next())).isEqualTo(1);
    assertThat(await(counter.next())).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "a call that reaches the service after its caller stopped waiting times out for the caller, and is not run")
  void lateCallNotRun() throws Exception {
    Counter impatient = LocalServices.proxy(vertx, "test.counter", Counter.class);
    Future<Void> busy = service.busyFor(600); // longer than the caller waits

    Throwable failure = await(impatient.next().transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
    await(busy);

    Counter counter = LocalServices.proxy(vertx, "test.counter", Counter.class);
    assertThat(await(counter.next()))
        .as("the late call was dropped, so this one is the first the service runs")
        .isEqualTo(1);
  }
}
