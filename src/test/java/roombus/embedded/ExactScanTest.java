package roombus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.embedded.Engine.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Queries that an index answers exactly (equality or {@code $in} on its fields, nothing else) come
 * straight from the index; the answers must be MongoDB's all the same: the documents asked for,
 * each once, and none that only sorts like them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Equality and $in answered from an index")
class ExactScanTest {

  private static final int ROOMS = 2_000;

  private Engine engine;
  private MongoClient mongo;

  @BeforeAll
  void store() throws IOException {
    engine = Engine.start();
    mongo = engine.mongo();
    List<BulkOperation> rooms = new ArrayList<>();
    for (int i = 0; i < ROOMS; i++) {
      rooms.add(
          BulkOperation.createInsert(
              new JsonObject().put("_id", "room" + i).put("count", i % 3).put("title", "t" + i)));
    }
    await(mongo.bulkWrite("rooms", rooms));
    await(mongo.createIndexWithOptions("things", new JsonObject().put("n", 1), new IndexOptions()));
    long big = 1L << 53;
    for (Object n : List.<Object>of(1, 2.0, "1", big, big + 1, true)) {
      await(mongo.insert("things", new JsonObject().put("n", n).put("was", String.valueOf(n))));
    }
    await(mongo.insert("things", new JsonObject().put("n", new JsonArray().add(7).add(8))));
  }

  @AfterAll
  void close() {
    engine.close();
  }

  private List<JsonObject> find(String collection, JsonObject query) {
    return await(mongo.find(collection, query));
  }

  private static List<String> ids(List<JsonObject> docs) {
    return docs.stream().map(d -> d.getString("_id")).sorted().toList();
  }

  @Test
  @DisplayName("$in on _id: every room asked for that exists, once, however long the list")
  void idsIn() {
    JsonArray asked = new JsonArray();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < ROOMS; i += 2) {
      asked.add("room" + i).add("room" + i); // each twice
      expected.add("room" + i);
    }
    asked.add("no-such-room").add(42);
    List<JsonObject> found =
        find("rooms", new JsonObject().put("_id", new JsonObject().put("$in", asked)));
    assertThat(ids(found)).isEqualTo(expected.stream().sorted().toList());
    assertThat(found.get(0).getString("title")).startsWith("t");
  }

  @Test
  @DisplayName("$in on _id with a condition on another field: that field still filters")
  void idsInAndAnotherField() {
    JsonArray asked = new JsonArray().add("room0").add("room1").add("room2").add("room3");
    List<JsonObject> found =
        find(
            "rooms",
            new JsonObject().put("_id", new JsonObject().put("$in", asked)).put("count", 1));
    assertThat(ids(found)).containsExactly("room1");
  }

  @Test
  @DisplayName("numbers equal by value, never a string that reads the same, nor a nearby long")
  void numbersByValue() {
    List<JsonObject> found =
        find(
            "things",
            new JsonObject().put("n", new JsonObject().put("$in", new JsonArray().add(1).add(2))));
    assertThat(found).extracting(d -> d.getString("was")).containsExactlyInAnyOrder("1", "2.0");
    long big = 1L << 53;
    assertThat(find("things", new JsonObject().put("n", big)))
        .extracting(d -> d.getString("was"))
        .containsExactly(String.valueOf(big));
    assertThat(find("things", new JsonObject().put("n", big + 1)))
        .extracting(d -> d.getString("was"))
        .containsExactly(String.valueOf(big + 1));
    assertThat(find("things", new JsonObject().put("n", "1")))
        .extracting(d -> d.getString("was"))
        .containsExactly("1");
    assertThat(find("things", new JsonObject().put("n", true)))
        .extracting(d -> d.getString("was"))
        .containsExactly("true");
  }

  @Test
  @DisplayName("an element of an array field is found, as MongoDB finds it")
  void arrayElements() {
    assertThat(find("things", new JsonObject().put("n", 8))).hasSize(1);
    assertThat(
            find(
                "things",
                new JsonObject()
                    .put("n", new JsonObject().put("$in", new JsonArray().add(7).add(8)))))
        .hasSize(1);
  }
}
