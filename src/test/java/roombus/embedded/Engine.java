package roombus.embedded;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import roombus.TestHub;

/**
 * The embedded engine on a fresh data folder, and a {@code vertx-mongo-client} talking to it over
 * its socket, as the hub does.
 */
final class Engine implements AutoCloseable {

  static final String DATABASE = "enginetest";

  final Path data;
  private final Vertx vertx = Vertx.vertx();
  private EmbeddedMongo embedded;
  private MongoClient mongo;

  private Engine(Path data) throws IOException {
    this.data = data;
    open();
  }

  static Engine start() throws IOException {
    return new Engine(TestHub.newDataDir());
  }

  private void open() throws IOException {
    embedded = EmbeddedMongo.start(data, "127.0.0.1", 0);
    mongo = client(vertx, embedded.connectionString());
  }

  static MongoClient client(Vertx vertx, String connectionString) {
    return MongoClient.create(
        vertx,
        new JsonObject()
            .put("connection_string", connectionString)
            .put("db_name", DATABASE)
            .put("useObjectId", true)
            .put("serverSelectionTimeoutMS", 10_000));
  }

  MongoClient mongo() {
    return mongo;
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * Closes the client and the engine (which commits and closes its file), then opens both again.
   */
  void restart() throws IOException {
    await(mongo.close());
    embedded.close();
    open();
  }

  /** The engine's collection, to read how many documents it examined. */
  EmbeddedCollection collection(String name) {
    return (EmbeddedCollection)
        embedded.backend().resolveDatabase(DATABASE).resolveCollection(name, true);
  }

  /** A chat message of the tests' {@code chats} collection. */
  static JsonObject message(String room, long seq) {
    return new JsonObject().put("room", room).put("seq", seq).put("chat", "#" + seq);
  }

  /** The numbers of a room's messages in {@code chats}, in order. */
  static List<Long> seqs(MongoClient mongo, String room) {
    return await(
            mongo.findWithOptions(
                "chats",
                new JsonObject().put("room", room),
                new FindOptions().setSort(new JsonObject().put("seq", 1))))
        .stream()
        .map(d -> d.getLong("seq"))
        .toList();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** What the future failed with; an AssertionError if it succeeded. */
  static Throwable failure(Future<?> future) {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      await(mongo.close());
      embedded.close();
      await(vertx.close());
    } finally {
      TestHub.deleteTree(data);
    }
  }
}
