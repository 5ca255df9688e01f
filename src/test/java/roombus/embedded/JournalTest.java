package roombus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.embedded.Engine.await;
import static roombus.embedded.Engine.failure;
import static roombus.embedded.Engine.message;
import static roombus.embedded.Engine.seqs;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.TestHub;

/**
 * The journal of the writes not yet committed to the store file. An engine that never checkpoints
 * while a test runs leaves its file as it opened it, so a copy of its data folder taken at any
 * moment is what a crash at that moment would leave.
 */
@DisplayName("The embedded store's journal")
class JournalTest {

  private static final long NEVER = 3_600_000;

  private final Vertx vertx = Vertx.vertx();
  private Path data;
  private Path crashed;

  @BeforeEach
  void folders() throws IOException {
    data = TestHub.newDataDir();
    crashed = TestHub.newDataDir();
  }

  @AfterEach
  void cleanUp() {
    await(vertx.close());
    TestHub.deleteTree(data);
    TestHub.deleteTree(crashed);
  }

  @Test
  @DisplayName(
      "a crash loses no acknowledged write: the journal runs them again, failures included")
  void replaysEveryAcknowledgedWrite() throws IOException {
    try (EmbeddedMongo engine = EmbeddedMongo.start(data, "127.0.0.1", 0, NEVER)) {
      MongoClient mongo = Engine.client(vertx, engine.connectionString());
      await(
          mongo.createIndexWithOptions(
              "chats",
              new JsonObject().put("room", 1).put("seq", 1),
              new IndexOptions().unique(true).name("room_seq")));
      await(mongo.bulkWrite("chats", inserts("a", 1, 2, 3, 4, 5)));
      // ordered: 6 and 7 are stored, the second 7 is refused, 8 is never tried
      assertThat(failure(mongo.bulkWrite("chats", inserts("a", 6, 7, 7, 8))).getMessage())
          .contains("E11000");
      await(mongo.insert("rooms", new JsonObject().put("_id", "a").put("free", 10)));
      for (int i = 0; i < 3; i++) await(mongo.updateCollection("rooms", room("a"), inc(-1)));
      await(mongo.removeDocument("chats", new JsonObject().put("room", "a").put("seq", 2)));
      crashNow();
      await(mongo.close());
    }

    try (EmbeddedMongo reopened = EmbeddedMongo.start(crashed, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, reopened.connectionString());
      assertThat(seqs(mongo, "a")).containsExactly(1L, 3L, 4L, 5L, 6L, 7L);
      assertThat(await(mongo.findOne("rooms", room("a"), null)).getInteger("free")).isEqualTo(7);
      assertThat(failure(mongo.insert("chats", message("a", 5))).getMessage()).contains("E11000");
      await(mongo.close());
    }
  }

  @Test
  @DisplayName("a record cut short by the crash ends the journal: the writes before it are kept")
  void tornRecord() throws IOException {
    try (EmbeddedMongo engine = EmbeddedMongo.start(data, "127.0.0.1", 0, NEVER)) {
      MongoClient mongo = Engine.client(vertx, engine.connectionString());
      for (long seq = 1; seq <= 4; seq++) await(mongo.insert("chats", message("a", seq)));
      crashNow();
      await(mongo.close());
    }
    Path journal = crashed.resolve(EmbeddedMongo.JOURNAL);
    byte[] bytes = Files.readAllBytes(journal);
    Files.write(journal, Arrays.copyOf(bytes, bytes.length - 5));

    try (EmbeddedMongo reopened = EmbeddedMongo.start(crashed, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, reopened.connectionString());
      assertThat(seqs(mongo, "a")).containsExactly(1L, 2L, 3L);
      await(mongo.insert("chats", message("a", 9)));
      await(mongo.close());
    }
    try (EmbeddedMongo again = EmbeddedMongo.start(crashed, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, again.connectionString());
      assertThat(seqs(mongo, "a")).containsExactly(1L, 2L, 3L, 9L);
      await(mongo.close());
    }
  }

  @Test
  @DisplayName(
      "writes a checkpoint committed do not run twice when the journal outlived the checkpoint")
  void checkpointedWritesRunOnce() throws IOException {
    Path leftOver = crashed.resolve("journal-before-checkpoint");
    try (EmbeddedMongo engine = EmbeddedMongo.start(data, "127.0.0.1", 0, NEVER)) {
      MongoClient mongo = Engine.client(vertx, engine.connectionString());
      await(mongo.insert("rooms", new JsonObject().put("_id", "a").put("free", 10)));
      for (int i = 0; i < 4; i++) await(mongo.updateCollection("rooms", room("a"), inc(-1)));
      Files.copy(data.resolve(EmbeddedMongo.JOURNAL), leftOver);
      await(mongo.close());
    } // closing checkpoints: the file holds the five writes, the journal is emptied
    assertThat(Files.size(data.resolve(EmbeddedMongo.JOURNAL))).isZero();
    // as if the process had died after the checkpoint's commit, before it emptied the journal
    Files.copy(leftOver, data.resolve(EmbeddedMongo.JOURNAL), StandardCopyOption.REPLACE_EXISTING);

    fourDecrementsCountOnce(data);
  }

  @Test
  @DisplayName(
      "a crash between a checkpoint's two commits: the file goes back to the checkpoint before, and"
          + " the journal runs the writes after it once")
  void crashBetweenTheTwoCommits() throws IOException {
    try (EmbeddedMongo engine = EmbeddedMongo.start(data, "127.0.0.1", 0, NEVER)) {
      MongoClient mongo = Engine.client(vertx, engine.connectionString());
      await(mongo.insert("rooms", new JsonObject().put("_id", "a").put("free", 10)));
      for (int i = 0; i < 4; i++) await(mongo.updateCollection("rooms", room("a"), inc(-1)));
      // the first commit writes the five writes to the file; the journal still holds them
      assertThat(engine.backend().commitAhead()).isTrue();
      crashNow();
      await(mongo.close());
    }
    fourDecrementsCountOnce(crashed);
  }

  @Test
  @DisplayName(
      "collections and a unique index made after the last checkpoint come back from a crash"
          + " between the two commits, with every write once")
  void newCollectionBetweenTheTwoCommits() throws IOException {
    try (EmbeddedMongo engine = EmbeddedMongo.start(data, "127.0.0.1", 0, NEVER)) {
      MongoClient mongo = Engine.client(vertx, engine.connectionString());
      await(
          mongo.createIndexWithOptions(
              "chats",
              new JsonObject().put("room", 1).put("seq", 1),
              new IndexOptions().unique(true).name("room_seq")));
      await(mongo.bulkWrite("chats", inserts("a", 1, 2, 3, 4, 5)));
      await(mongo.insert("counters", new JsonObject().put("_id", "a").put("free", 10)));
      for (int i = 0; i < 3; i++) await(mongo.updateCollection("counters", room("a"), inc(-1)));
      assertThat(engine.backend().commitAhead()).isTrue();
      // after the first commit: in the journal only
      await(mongo.insert("chats", message("a", 6)));
      await(mongo.updateCollection("counters", room("a"), inc(-1)));
      crashNow();
      await(mongo.close());
    }
    try (EmbeddedMongo reopened = EmbeddedMongo.start(crashed, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, reopened.connectionString());
      assertThat(seqs(mongo, "a")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(await(mongo.findOne("counters", room("a"), null)).getInteger("free")).isEqualTo(6);
      assertThat(failure(mongo.insert("chats", message("a", 5))).getMessage()).contains("E11000");
      await(mongo.insert("chats", message("a", 7)));
      await(mongo.close());
    }
    try (EmbeddedMongo again = EmbeddedMongo.start(crashed, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, again.connectionString());
      assertThat(seqs(mongo, "a")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
      await(mongo.close());
    }
  }

  @Test
  @DisplayName("a checkpoint commits the file and empties the journal while the engine runs")
  void checkpointEmptiesTheJournal() throws Exception {
    try (EmbeddedMongo engine = EmbeddedMongo.start(data, "127.0.0.1", 0, 200)) {
      MongoClient mongo = Engine.client(vertx, engine.connectionString());
      await(mongo.bulkWrite("chats", inserts("a", 1, 2, 3)));
      Path journal = data.resolve(EmbeddedMongo.JOURNAL);
      TestHub.eventually(() -> assertThat(Files.size(journal)).isZero());
      crashNow();
      await(mongo.close());
    }
    assertThat(Files.size(crashed.resolve(EmbeddedMongo.JOURNAL))).isZero();
    try (EmbeddedMongo reopened = EmbeddedMongo.start(crashed, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, reopened.connectionString());
      assertThat(seqs(mongo, "a")).containsExactly(1L, 2L, 3L);
      await(mongo.close());
    }
  }

  /** Copies the data folder as a crash at this moment would leave it. */
  /**
   * Room "a", made with 10 free and decremented four times before the stop, opens in {@code folder}
   * with 6 (each decrement once), and a decrement after the reopen is there at the next start (5).
   */
  private void fourDecrementsCountOnce(Path folder) throws IOException {
    try (EmbeddedMongo reopened = EmbeddedMongo.start(folder, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, reopened.connectionString());
      assertThat(await(mongo.findOne("rooms", room("a"), null)).getInteger("free")).isEqualTo(6);
      await(mongo.updateCollection("rooms", room("a"), inc(-1)));
      await(mongo.close());
    }
    try (EmbeddedMongo again = EmbeddedMongo.start(folder, "127.0.0.1", 0)) {
      MongoClient mongo = Engine.client(vertx, again.connectionString());
      assertThat(await(mongo.findOne("rooms", room("a"), null)).getInteger("free")).isEqualTo(5);
      await(mongo.close());
    }
  }

  private void crashNow() throws IOException {
    for (String file : List.of("roombus.mv", EmbeddedMongo.JOURNAL)) {
      Files.copy(data.resolve(file), crashed.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<BulkOperation> inserts(String room, long... seqs) {
    return LongStream.of(seqs)
        .mapToObj(seq -> BulkOperation.createInsert(message(room, seq)))
        .toList();
  }

  private static JsonObject room(String id) {
    return new JsonObject().put("_id", id);
  }

  private static JsonObject inc(int by) {
    return new JsonObject().put("$inc", new JsonObject().put("free", by));
  }
}
