package roombus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.embedded.Engine.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 20,000 messages in 200 rooms, stored interleaved (message 1 of every room, then message 2 of
 * every room, ...), so that no room's messages lie together in the collection: every query below
 * reads only the documents it answers with, which only a scan of the {room, seq} index can do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName(
    "History queries on {room, seq} are answered from the index, sorted by it, and stop at their limit")
class ChatRangeQueryTest {

  private static final int ROOMS = 200;
  private static final int PER_ROOM = 100;

  private Engine engine;
  private MongoClient mongo;

  @BeforeAll
  void store() throws IOException {
    engine = Engine.start();
    mongo = engine.mongo();
    await(
        mongo.createIndexWithOptions(
            "chats",
            new JsonObject().put("room", 1).put("seq", 1),
            new IndexOptions().unique(true).name("room_seq")));
    List<BulkOperation> batch = new ArrayList<>();
    for (long seq = 1; seq <= PER_ROOM; seq++) {
      for (int room = 0; room < ROOMS; room++) {
        batch.add(BulkOperation.createInsert(message("r" + room, seq)));
        if (batch.size() == 1000) {
          await(mongo.bulkWrite("chats", batch));
          batch = new ArrayList<>();
        }
      }
    }
  }

  @AfterAll
  void close() {
    engine.close();
  }

  private static JsonObject message(String room, long seq) {
    return new JsonObject()
        .put("room", room)
        .put("seq", seq)
        .put("type", "chat")
        .put("user", "u" + seq % 7)
        .put("color", "#123456")
        .put("chat", room + " says " + seq)
        .put("createdAt", "2026-01-01T00:00:00Z");
  }

  /** The query's answer, and how many documents the engine read to give it. */
  private record Answer(List<Long> seqs, long examined) {}

  private Answer examined(Supplier<List<JsonObject>> query) {
    EmbeddedCollection chats = engine.collection("chats");
    long before = chats.examined();
    List<JsonObject> docs = query.get();
    return new Answer(docs.stream().map(d -> d.getLong("seq")).toList(), chats.examined() - before);
  }

  private List<JsonObject> find(JsonObject query, JsonObject sort, int limit) {
    FindOptions options = new FindOptions().setLimit(limit);
    if (sort != null) options.setSort(sort);
    return await(mongo.findWithOptions("chats", query, options));
  }

  private static JsonObject inRoom(String room) {
    return new JsonObject().put("room", room);
  }

  private static List<Long> range(long from, long to) {
    return from <= to
        ? LongStream.rangeClosed(from, to).boxed().toList()
        : LongStream.rangeClosed(to, from).map(s -> from + to - s).boxed().toList();
  }

  @Test
  @DisplayName("newer than a number, oldest first, a page of 10: reads those 10")
  void pageAfter() {
    Answer answer =
        examined(
            () ->
                find(
                    inRoom("r7").put("seq", new JsonObject().put("$gt", 40)),
                    new JsonObject().put("seq", 1),
                    10));
    assertThat(answer.seqs()).isEqualTo(range(41, 50));
    assertThat(answer.examined()).isEqualTo(10);
  }

  @Test
  @DisplayName("older than a number, newest first, a page of 10: reads those 10")
  void pageBefore() {
    Answer answer =
        examined(
            () ->
                find(
                    inRoom("r7").put("seq", new JsonObject().put("$lt", 60)),
                    new JsonObject().put("seq", -1),
                    10));
    assertThat(answer.seqs()).isEqualTo(range(59, 50));
    assertThat(answer.examined()).isEqualTo(10);
  }

  @Test
  @DisplayName("the newest 5 of a room: reads 5")
  void newestFirst() {
    Answer answer = examined(() -> find(inRoom("r123"), new JsonObject().put("seq", -1), 5));
    assertThat(answer.seqs()).isEqualTo(range(100, 96));
    assertThat(answer.examined()).isEqualTo(5);
  }

  @Test
  @DisplayName("a window from $gte to $lte: reads the window")
  void window() {
    Answer answer =
        examined(
            () ->
                find(
                    inRoom("r42").put("seq", new JsonObject().put("$gte", 20).put("$lte", 29)),
                    new JsonObject().put("seq", 1),
                    0));
    assertThat(answer.seqs()).isEqualTo(range(20, 29));
    assertThat(answer.examined()).isEqualTo(10);
  }

  @Test
  @DisplayName("a page at the end of the room is short, and reading past the end finds nothing")
  void pageAtTheEnd() {
    Answer last =
        examined(
            () ->
                find(
                    inRoom("r199").put("seq", new JsonObject().put("$gt", 95)),
                    new JsonObject().put("seq", 1),
                    10));
    assertThat(last.seqs()).isEqualTo(range(96, 100));
    assertThat(last.examined()).isEqualTo(5);
    Answer none =
        examined(
            () ->
                find(
                    inRoom("r199").put("seq", new JsonObject().put("$gt", 100)),
                    new JsonObject().put("seq", 1),
                    10));
    assertThat(none.seqs()).isEmpty();
    assertThat(none.examined()).isZero();
  }

  @Test
  @DisplayName("all of a room, unsorted: reads that room's 100 and no other")
  void wholeRoom() {
    Answer answer = examined(() -> await(mongo.find("chats", inRoom("r9"))));
    assertThat(answer.seqs()).containsExactlyInAnyOrderElementsOf(range(1, 100));
    assertThat(answer.examined()).isEqualTo(PER_ROOM);
  }

  @Test
  @DisplayName(
      "deleteMany of a room removes its 100 messages, reading only those, and leaves its neighbours")
  void deleteRoom() {
    EmbeddedCollection chats = engine.collection("chats");
    long before = chats.examined();
    assertThat(await(mongo.removeDocuments("chats", inRoom("r11"))).getRemovedCount())
        .isEqualTo(PER_ROOM);
    assertThat(chats.examined() - before).isEqualTo(PER_ROOM);
    assertThat(await(mongo.find("chats", inRoom("r11")))).isEmpty();
    assertThat(await(mongo.count("chats", inRoom("r10")))).isEqualTo(PER_ROOM);
    assertThat(await(mongo.count("chats", inRoom("r12")))).isEqualTo(PER_ROOM);
  }

  @Test
  @DisplayName("conditions on other fields are still applied to what the index finds")
  void otherConditionsFiltered() {
    Answer answer =
        examined(
            () ->
                find(
                    inRoom("r5").put("seq", new JsonObject().put("$lte", 20)).put("user", "u3"),
                    new JsonObject().put("seq", -1),
                    0));
    assertThat(answer.seqs()).containsExactly(17L, 10L, 3L);
    assertThat(answer.examined()).isEqualTo(20);
  }

  @Test
  @DisplayName("a query naming _id plus other fields reads one document")
  void idWithConditions() {
    JsonObject one = find(inRoom("r3").put("seq", 33), null, 1).get(0);
    Answer answer =
        examined(
            () ->
                find(
                    new JsonObject()
                        .put("_id", one.getValue("_id"))
                        .put("room", "r3")
                        .put("seq", new JsonObject().put("$gt", 30)),
                    null,
                    0));
    assertThat(answer.seqs()).containsExactly(33L);
    assertThat(answer.examined()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "for contrast, a query no index serves reads the whole collection (the counter counts scans)")
  void unindexedQueryScans() {
    long stored = await(mongo.count("chats", new JsonObject()));
    Answer answer = examined(() -> find(new JsonObject().put("chat", "r8 says 8"), null, 0));
    assertThat(answer.seqs()).containsExactly(8L);
    assertThat(answer.examined()).isEqualTo(stored);
  }

  @Test
  @DisplayName("$in on the room with a sort: every listed room is read, then sorted")
  void severalRooms() {
    JsonObject query =
        new JsonObject()
            .put("room", new JsonObject().put("$in", new JsonArray().add("r1").add("r2")))
            .put("seq", new JsonObject().put("$gt", 98));
    Answer answer = examined(() -> find(query, new JsonObject().put("seq", -1), 0));
    assertThat(answer.seqs()).containsExactly(100L, 100L, 99L, 99L);
    assertThat(answer.examined()).isEqualTo(4);
  }
}
