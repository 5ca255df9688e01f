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

    /**
     * Calls the counter from the verticle's own event loop, then keeps that loop busy for {@code
     * millis} before the call can be taken.
     */
    Future<Integer> callWhileBusy(Counter counter, long millis) {
      Promise<Integer> answer = Promise.promise();
      context.runOnContext(
          v -> {
            counter.next().onComplete(answer);
            try {
              Thread.sleep(millis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      return answer.future();
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
    Counter impatient = LocalServices.proxy(vertx, "test.counter", Counter.class, 200);
    // the service's event loop stays busy for longer than the caller waits
    Future<Integer> late = service.callWhileBusy(impatient, 600);

    Throwable failure = await(late.transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureType()).isEqualTo(ReplyFailure.TIMEOUT);

    Counter counter = LocalServices.proxy(vertx, "test.counter", Counter.class);
    assertThat(await(counter.next()))
        .as("the late call was dropped, so this one is the first the service runs")
        .isEqualTo(1);
  }
}
