package roombus.store;

import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import roombus.TestHub;
import roombus.model.Room;
import java.util.List;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The embedded store's file format")
class DataFormatTest {

  private final Path data = TestHub.newDataDir();

  @AfterEach
  void cleanUp() {
    TestHub.deleteTree(data);
  }

  @Test
  @DisplayName("a data folder written with Java-serialized documents is refused with a clear message, and left as it was")
  void olderFormatIsRefused() throws IOException {
    Files.createDirectories(data);
    Path file = data.resolve("roombus.mv");
    try (MVStore old = new MVStore.Builder().fileName(file.toString()).open()) {
      MVMap<Object, Document> rooms = old.openMap("databases.roombus.rooms");
      rooms.put("r1", new Document("_id", "r1").append("title", "kept"));
      old.commit();
    }
    long size = Files.size(file);

    assertThatThrownBy(() -> EmbeddedMongo.start(data, "127.0.0.1", 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("earlier roombus")
        .hasMessageContaining("DATA_DIR");

    try (MVStore reopened = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
      MVMap<Object, Document> rooms = reopened.openMap("databases.roombus.rooms");
      assertThat(rooms.get("r1")).containsEntry("title", "kept");
    }
    assertThat(Files.size(file)).isGreaterThanOrEqualTo(size);
  }

  @Test
  @DisplayName("a data folder of this version opens again with its rooms")
  void currentFormatOpensAgain() throws Exception {
    Room room = Room.create("fmt-room", "Still here", 10, "u-owner", "#000000", null, "2026-11-25T00:00:00Z");
    withStore(store -> store.rooms().create(room, Long.MAX_VALUE));
    assertThat(withStore(store -> store.rooms().get("fmt-room")).title()).isEqualTo("Still here");
  }

  private <T> T withStore(java.util.function.Function<Stores, Future<T>> work) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (EmbeddedMongo embedded = EmbeddedMongo.start(data, "127.0.0.1", 0)) {
      return vertx.deployVerticle(new StoreVerticle(embedded.connectionString(), "n1", () -> List.of("n1")))
          .compose(id -> work.apply(Stores.of(vertx)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
