package roombus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.embedded.Engine.await;
import static roombus.embedded.Engine.failure;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoGridFsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collector;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("What the embedded engine acknowledged is in its file")
class DurabilityTest {

  private static JsonObject message(String room, long seq) {
    return new JsonObject().put("room", room).put("seq", seq).put("chat", "#" + seq);
  }

  @Test
  @DisplayName(
      "after close and reopen: documents, indexes (unique and range scans) and GridFS files are all there")
  void closeAndReopen() throws IOException {
    try (Engine engine = Engine.start()) {
      MongoClient mongo = engine.mongo();
      await(
          mongo.createIndexWithOptions(
              "chats",
              new JsonObject().put("room", 1).put("seq", 1),
              new IndexOptions().unique(true).name("room_seq")));
      List<BulkOperation> batch = new ArrayList<>();
      for (long seq = 1; seq <= 300; seq++) {
        batch.add(BulkOperation.createInsert(message("a", seq)));
        batch.add(BulkOperation.createInsert(message("b", seq)));
      }
      await(mongo.bulkWrite("chats", batch));
      await(
          mongo.insert(
              "rooms",
              new JsonObject().put("_id", "a").put("members", List.of("ann")).put("free", 3)));
      MongoGridFsClient gifs = await(mongo.createGridFsBucketService("gifs"));
      byte[] gif = new byte[400_000];
      new Random(1).nextBytes(gif);
      Path upload = Files.write(engine.data.resolve("upload"), gif);
      String gifId =
          await(
              engine
                  .vertx()
                  .fileSystem()
                  .open(upload.toString(), new io.vertx.core.file.OpenOptions())
                  .compose(
                      file -> gifs.uploadByFileName(file, "kept.gif").eventually(file::close)));

      engine.restart();

      mongo = engine.mongo();
      assertThat(await(mongo.count("chats", new JsonObject()))).isEqualTo(600);
      assertThat(
              await(mongo.findOne("rooms", new JsonObject().put("_id", "a"), null))
                  .getInteger("free"))
          .isEqualTo(3);
      EmbeddedCollection chats = engine.collection("chats");
      long before = chats.examined();
      List<JsonObject> page =
          await(
              mongo.findWithOptions(
                  "chats",
                  new JsonObject().put("room", "b").put("seq", new JsonObject().put("$lt", 101)),
                  new FindOptions().setSort(new JsonObject().put("seq", -1)).setLimit(20)));
      assertThat(page)
          .extracting(m -> m.getLong("seq"))
          .isEqualTo(LongStream.rangeClosed(81, 100).map(s -> 181 - s).boxed().toList());
      assertThat(chats.examined() - before).isEqualTo(20);
      assertThat(failure(mongo.insert("chats", message("a", 300))).getMessage()).contains("E11000");
      MongoGridFsClient reopened = await(mongo.createGridFsBucketService("gifs"));
      byte[] read =
          await(
                  reopened
                      .readById(gifId)
                      .collect(
                          Collector.of(Buffer::buffer, Buffer::appendBuffer, Buffer::appendBuffer)))
              .getBytes();
      assertThat(read).isEqualTo(gif);
    }
  }

  @ParameterizedTest(name = "the file committed every {0} ms")
  @ValueSource(longs = {EmbeddedBackend.CHECKPOINT_EVERY_MS, 3_600_000})
  @DisplayName(
      "after kill -9 right after the last acknowledgement, every acknowledged write is there")
  void killNine(long checkpointEveryMs) throws Exception {
    Path data = roombus.TestHub.newDataDir();
    Vertx vertx = Vertx.vertx();
    Process engine = null;
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      engine =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  EngineProcess.class.getName(),
                  data.toString(),
                  Long.toString(checkpointEveryMs))
              .redirectErrorStream(true)
              .start();
      String connection = awaitListening(engine);
      MongoClient mongo = Engine.client(vertx, connection);
      await(
          mongo.createIndexWithOptions(
              "chats",
              new JsonObject().put("room", 1).put("seq", 1),
              new IndexOptions().unique(true).name("room_seq")));
      for (long seq = 1; seq <= 300; seq++)
        await(mongo.insert("chats", message("one-by-one", seq)));
      List<BulkOperation> batch = new ArrayList<>();
      for (long seq = 1; seq <= 1000; seq++)
        batch.add(BulkOperation.createInsert(message("batch", seq)));
      await(mongo.bulkWrite("chats", batch));
      await(
          mongo.updateCollection(
              "chats",
              new JsonObject().put("room", "batch").put("seq", 1000),
              new JsonObject().put("$set", new JsonObject().put("chat", "edited"))));

      engine.destroyForcibly(); // SIGKILL, right after the last acknowledgement
      assertThat(engine.waitFor(10, TimeUnit.SECONDS)).isTrue();
      await(mongo.close());

      try (EmbeddedMongo reopened = EmbeddedMongo.start(data, "127.0.0.1", 0)) {
        MongoClient after = Engine.client(vertx, reopened.connectionString());
        assertThat(await(after.count("chats", new JsonObject().put("room", "one-by-one"))))
            .isEqualTo(300);
        assertThat(await(after.count("chats", new JsonObject().put("room", "batch"))))
            .isEqualTo(1000);
        assertThat(
                await(
                        after.findOne(
                            "chats", new JsonObject().put("room", "batch").put("seq", 1000), null))
                    .getString("chat"))
            .isEqualTo("edited");
        assertThat(failure(after.insert("chats", message("batch", 1))).getMessage())
            .contains("E11000");
        await(after.close());
      }
    } finally {
      if (engine != null) engine.destroyForcibly();
      await(vertx.close());
      roombus.TestHub.deleteTree(data);
    }
  }

  private static String awaitListening(Process engine) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("LISTENING ")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "engine-output");
        drain.setDaemon(true);
        drain.start();
        return line.substring("LISTENING ".length());
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the engine process ended without listening:\n" + seen);
  }
}
