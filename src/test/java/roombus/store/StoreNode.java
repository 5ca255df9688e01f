package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import roombus.TestHub;
import roombus.embedded.EmbeddedMongo;

/**
 * One node's store for a test: an embedded store on a fresh data folder and a Vert.x with the store
 * verticle over it, called as the hub's verticles call it ({@link #stores()}).
 */
final class StoreNode implements AutoCloseable {

  private final Path data = TestHub.newDataDir();
  private final EmbeddedMongo embedded;
  private final Vertx vertx = Vertx.vertx();
  private final Stores stores;

  StoreNode(String nodeId) throws Exception {
    embedded = EmbeddedMongo.start(data, "127.0.0.1", 0);
    await(
        vertx.deployVerticle(
            new StoreVerticle(embedded.connectionString(), nodeId, () -> List.of(nodeId))));
    stores = Stores.of(vertx);
  }

  Vertx vertx() {
    return vertx;
  }

  Stores stores() {
    return stores;
  }

  @Override
  public void close() {
    await(vertx.close());
    embedded.close();
    TestHub.deleteTree(data);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
