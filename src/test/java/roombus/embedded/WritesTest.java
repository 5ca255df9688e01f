package roombus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.embedded.Engine.await;
import static roombus.embedded.Engine.failure;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoGridFsClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collector;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Writes on the embedded engine are answered as MongoDB answers them")
class WritesTest {

  private Engine engine;
  private MongoClient mongo;

  @BeforeEach
  void start() throws IOException {
    engine = Engine.start();
    mongo = engine.mongo();
    await(
        mongo.createIndexWithOptions(
            "chats",
            new JsonObject().put("room", 1).put("seq", 1),
            new IndexOptions().unique(true).name("room_seq")));
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private static BulkOperation insert(String room, long seq) {
    return BulkOperation.createInsert(
        new JsonObject().put("room", room).put("seq", seq).put("chat", "#" + seq));
  }

  private List<Long> seqs(String room) {
    return Engine.seqs(mongo, room);
  }

  @Test
  @DisplayName(
      "an ordered insert of 1000 stops at the first duplicate key: the ones before it are stored, the error names its index")
  void orderedInsertStopsAtDuplicate() {
    await(mongo.bulkWrite("chats", List.of(insert("a", 5), insert("b", 701))));
    List<BulkOperation> batch = new ArrayList<>();
    for (long seq = 1; seq <= 1000; seq++)
      batch.add(insert("b", seq)); // 701, at index 700, is taken

    Throwable refused =
        failure(mongo.bulkWriteWithOptions("chats", batch, new BulkWriteOptions(true)));

    assertThat(refused).isInstanceOf(MongoBulkWriteException.class);
    MongoBulkWriteException bulk = (MongoBulkWriteException) refused;
    assertThat(bulk.getWriteErrors()).hasSize(1);
    BulkWriteError error = bulk.getWriteErrors().get(0);
    assertThat(error.getCode()).isEqualTo(11000);
    assertThat(error.getIndex()).isEqualTo(700);
    assertThat(error.getMessage()).startsWith("E11000 duplicate key error").contains("room_seq");
    assertThat(bulk.getWriteResult().getInsertedCount()).isEqualTo(700);
    List<Long> stored = seqs("b");
    assertThat(stored).isEqualTo(LongStream.rangeClosed(1, 701).boxed().toList());
    assertThat(seqs("a")).containsExactly(5L);
  }

  @Test
  @DisplayName("an unordered insert stores every document but the duplicates")
  void unorderedInsertSkipsDuplicates() {
    await(mongo.bulkWrite("chats", List.of(insert("c", 2))));
    List<BulkOperation> batch = List.of(insert("c", 1), insert("c", 2), insert("c", 3));

    MongoBulkWriteException bulk =
        (MongoBulkWriteException)
            failure(mongo.bulkWriteWithOptions("chats", batch, new BulkWriteOptions(false)));

    assertThat(bulk.getWriteErrors()).extracting(BulkWriteError::getIndex).containsExactly(1);
    assertThat(bulk.getWriteResult().getInsertedCount()).isEqualTo(2);
    assertThat(seqs("c")).containsExactly(1L, 2L, 3L);
  }

  @Test
  @DisplayName(
      "a unique key is free again once its document is deleted, and an update cannot take a used one")
  void uniqueKeyAfterDeleteAndUpdate() {
    await(mongo.bulkWrite("chats", List.of(insert("d", 1), insert("d", 2))));
    await(mongo.removeDocument("chats", new JsonObject().put("room", "d").put("seq", 1)));
    await(mongo.bulkWrite("chats", List.of(insert("d", 1))));
    assertThat(seqs("d")).containsExactly(1L, 2L);

    Throwable taken =
        failure(
            mongo.updateCollection(
                "chats",
                new JsonObject().put("room", "d").put("seq", 2),
                new JsonObject().put("$set", new JsonObject().put("seq", 1))));
    assertThat(taken.getMessage()).contains("E11000");
    assertThat(seqs("d")).containsExactly(1L, 2L);
  }

  // ---- rooms: conditional single-document updates ----

  private static JsonObject room(String id, int free) {
    return new JsonObject()
        .put("_id", id)
        .put("title", id)
        .put("members", new JsonArray().add("owner"))
        .put("banned", new JsonArray().add("troll"))
        .put("count", 1)
        .put("free", free)
        .put("seq", 0)
        .put("createdAt", "2026-01-01T00:00:0" + id.length() + "Z");
  }

  /** The hub's seat taking: join if not a member, not banned and a seat is free. */
  private JsonObject takeSeat(String roomId, String user) {
    JsonObject query =
        new JsonObject()
            .put("_id", roomId)
            .put("members", new JsonObject().put("$ne", user))
            .put("banned", new JsonObject().put("$ne", user))
            .put("free", new JsonObject().put("$gt", 0));
    JsonObject update =
        new JsonObject()
            .put("$push", new JsonObject().put("members", user))
            .put("$inc", new JsonObject().put("count", 1).put("free", -1))
            .put("$set", new JsonObject().putNull("deleteAfter"));
    return await(
        mongo.findOneAndUpdateWithOptions(
            "rooms",
            query,
            update,
            new FindOptions(),
            new UpdateOptions().setReturningNewDocument(true)));
  }

  @Test
  @DisplayName(
      "findOneAndUpdate on a room by _id and conditions: seats until full, never for the banned, reading one document each time")
  void conditionalRoomUpdates() {
    for (int i = 0; i < 300; i++) await(mongo.insert("rooms", room("room" + i, 2)));
    EmbeddedCollection rooms = engine.collection("rooms");

    long before = rooms.examined();
    JsonObject seated = takeSeat("room7", "ann");
    assertThat(rooms.examined() - before).isEqualTo(1);
    assertThat(seated.getJsonArray("members")).containsExactly("owner", "ann");
    assertThat(seated.getInteger("free")).isEqualTo(1);
    assertThat(seated.containsKey("deleteAfter")).isTrue();

    assertThat(takeSeat("room7", "ann")).as("already a member").isNull();
    assertThat(takeSeat("room7", "troll")).as("banned").isNull();
    assertThat(takeSeat("room7", "bob").getInteger("count")).isEqualTo(3);
    assertThat(takeSeat("room7", "cat")).as("full").isNull();
    assertThat(takeSeat("nowhere", "cat")).isNull();

    JsonObject left =
        await(
            mongo.findOneAndUpdateWithOptions(
                "rooms",
                new JsonObject().put("_id", "room7").put("members", "ann"),
                new JsonObject()
                    .put("$pull", new JsonObject().put("members", "ann"))
                    .put("$inc", new JsonObject().put("count", -1).put("free", 1))
                    .put("$addToSet", new JsonObject().put("banned", "ann"))
                    .put("$max", new JsonObject().put("seq", 41)),
                new FindOptions(),
                new UpdateOptions().setReturningNewDocument(true)));
    assertThat(left.getJsonArray("members")).containsExactly("owner", "bob");
    assertThat(left.getJsonArray("banned")).containsExactly("troll", "ann");
    assertThat(left.getInteger("free")).isEqualTo(1);
    assertThat(left.getLong("seq")).isEqualTo(41L);
    assertThat(takeSeat("room7", "ann")).as("now banned").isNull();
    await(
        mongo.updateCollection(
            "rooms",
            new JsonObject().put("_id", "room7"),
            new JsonObject().put("$max", new JsonObject().put("seq", 12))));
    assertThat(
            await(mongo.findOne("rooms", new JsonObject().put("_id", "room7"), null))
                .getLong("seq"))
        .isEqualTo(41L);
  }

  @Test
  @DisplayName(
      "rooms due for deletion are found through the {count, deleteAfter} index; all rooms come sorted by creation")
  void roomsDueAndSorted() {
    await(
        mongo.createIndexWithOptions(
            "rooms",
            new JsonObject().put("count", 1).put("deleteAfter", 1),
            new IndexOptions().name("empty_rooms")));
    for (int i = 0; i < 200; i++) {
      JsonObject room = room("r" + i, 5);
      if (i % 50 == 0) room.put("count", 0).put("deleteAfter", 1_000L + i); // r0, r50, r100, r150
      await(mongo.insert("rooms", room));
    }
    EmbeddedCollection rooms = engine.collection("rooms");
    long before = rooms.examined();
    List<JsonObject> due =
        await(
            mongo.find(
                "rooms",
                new JsonObject()
                    .put("count", 0)
                    .put("deleteAfter", new JsonObject().put("$lte", 1_100L))));
    assertThat(due)
        .extracting(r -> r.getString("_id"))
        .containsExactlyInAnyOrder("r0", "r50", "r100");
    assertThat(rooms.examined() - before).isEqualTo(3);

    List<JsonObject> all =
        await(
            mongo.findWithOptions(
                "rooms",
                new JsonObject(),
                new FindOptions().setSort(new JsonObject().put("createdAt", -1).put("_id", 1))));
    assertThat(all).hasSize(200);
    assertThat(all.get(0).getString("_id"))
        .isEqualTo("r100"); // the longest id has the latest createdAt here
  }

  // ---- presence: non-unique indexes ----

  @Test
  @DisplayName(
      "presence by {room, user} and by node uses the non-unique indexes; $nin scans and still answers right")
  void presence() {
    await(
        mongo.createIndexWithOptions(
            "presence",
            new JsonObject().put("room", 1).put("user", 1),
            new IndexOptions().name("room_user")));
    await(
        mongo.createIndexWithOptions(
            "presence", new JsonObject().put("node", 1), new IndexOptions().name("node")));
    List<BulkOperation> all = new ArrayList<>();
    for (int room = 0; room < 40; room++) {
      for (int user = 0; user < 10; user++) {
        for (String node : List.of("n1", "n2")) {
          if ((room + user) % 3 == 0 && node.equals("n2")) continue;
          all.add(
              BulkOperation.createInsert(
                  new JsonObject()
                      .put("_id", "r" + room + "|u" + user + "|" + node)
                      .put("room", "r" + room)
                      .put("user", "u" + user)
                      .put("node", node)));
        }
      }
    }
    await(mongo.bulkWrite("presence", all));
    EmbeddedCollection presence = engine.collection("presence");

    long before = presence.examined();
    assertThat(await(mongo.find("presence", new JsonObject().put("room", "r4").put("user", "u2"))))
        .extracting(p -> p.getString("_id"))
        .containsExactlyInAnyOrder("r4|u2|n1");
    assertThat(await(mongo.find("presence", new JsonObject().put("room", "r4").put("user", "u3"))))
        .extracting(p -> p.getString("_id"))
        .containsExactlyInAnyOrder("r4|u3|n1", "r4|u3|n2");
    assertThat(await(mongo.find("presence", new JsonObject().put("room", "r4")))).hasSize(17);
    assertThat(presence.examined() - before).isEqualTo(1 + 2 + 17);

    // the driver counts with an aggregation; it is answered from the indexes too
    before = presence.examined();
    assertThat(await(mongo.count("presence", new JsonObject().put("room", "r4").put("user", "u3"))))
        .isEqualTo(2);
    assertThat(
            await(mongo.count("presence", new JsonObject().put("room", "r4").put("user", "u99"))))
        .isZero();
    assertThat(await(mongo.count("presence", new JsonObject()))).isEqualTo(all.size());
    assertThat(presence.examined() - before).isEqualTo(2);

    // a node leaves: its entries go, and the index no longer finds them
    await(mongo.removeDocuments("presence", new JsonObject().put("node", "n2")));
    before = presence.examined();
    assertThat(await(mongo.find("presence", new JsonObject().put("node", "n2")))).isEmpty();
    assertThat(await(mongo.find("presence", new JsonObject().put("room", "r4")))).hasSize(10);
    assertThat(presence.examined() - before).isEqualTo(10);
    assertThat(
            await(
                mongo.find(
                    "presence",
                    new JsonObject()
                        .put("node", new JsonObject().put("$nin", new JsonArray().add("n1"))))))
        .isEmpty();
    await(
        mongo.updateCollection(
            "presence",
            new JsonObject().put("_id", "r4|u3|n1"),
            new JsonObject().put("$set", new JsonObject().put("node", "n3"))));
    assertThat(
            await(
                mongo.find(
                    "presence",
                    new JsonObject()
                        .put("node", new JsonObject().put("$nin", new JsonArray().add("n1"))))))
        .extracting(p -> p.getString("_id"))
        .containsExactly("r4|u3|n1");
    assertThat(await(mongo.find("presence", new JsonObject().put("node", "n3")))).hasSize(1);
  }

  @Test
  @DisplayName(
      "arrays in an indexed field: the index finds what a collection scan finds, in the same order, and removes cleanly")
  void arraysInIndexedField() {
    await(
        mongo.createIndexWithOptions(
            "tagged",
            new JsonObject().put("room", 1).put("tags", 1),
            new IndexOptions().name("room_tags")));
    List<JsonObject> docs =
        List.of(
            new JsonObject()
                .put("_id", "a19")
                .put("room", "a")
                .put("tags", new JsonArray().add(1).add(9)),
            new JsonObject().put("_id", "a5").put("room", "a").put("tags", new JsonArray().add(5)),
            new JsonObject().put("_id", "a-empty").put("room", "a").put("tags", new JsonArray()),
            new JsonObject().put("_id", "a3").put("room", "a").put("tags", 3),
            new JsonObject().put("_id", "a-none").put("room", "a"),
            new JsonObject().put("_id", "b4").put("room", "b").put("tags", new JsonArray().add(4)));
    for (JsonObject doc : docs) {
      await(mongo.insert("tagged", doc.copy()));
      await(mongo.insert("plain", doc.copy())); // no index: answered by a collection scan
    }
    EmbeddedCollection tagged = engine.collection("tagged");
    long scanned = tagged.examined();

    assertThat(ids("tagged", new JsonObject().put("room", "a"), null))
        .containsExactlyInAnyOrder("a19", "a5", "a-empty", "a3", "a-none");
    assertThat(ids("tagged", new JsonObject().put("room", "a").put("tags", 9), null))
        .containsExactly("a19");
    List<JsonObject> queries =
        List.of(
            new JsonObject().put("room", "a"),
            new JsonObject().put("room", "a").put("tags", 5),
            new JsonObject()
                .put("room", "a")
                .put("tags", new JsonObject().put("$gt", 4).put("$lt", 6)),
            new JsonObject().put("room", "a").put("tags", new JsonObject().put("$gte", 0)),
            new JsonObject().put("room", "a").put("tags", new JsonObject().put("$lte", 5)),
            new JsonObject()
                .put("room", new JsonObject().put("$in", new JsonArray().add("a").add("b")))
                .put("tags", new JsonObject().put("$gt", 3)));
    for (JsonObject query : queries) {
      assertThat(ids("tagged", query, null))
          .as("%s", query)
          .containsExactlyInAnyOrderElementsOf(ids("plain", query, null));
      for (int direction : new int[] {1, -1}) {
        JsonObject sort = new JsonObject().put("tags", direction).put("_id", 1);
        assertThat(ids("tagged", query, sort))
            .as("%s sorted %s", query, sort)
            .isEqualTo(ids("plain", query, sort));
      }
    }
    assertThat(tagged.examined() - scanned)
        .as("the index was used")
        .isLessThan(queries.size() * 3L * docs.size());

    assertThat(
            await(mongo.removeDocuments("tagged", new JsonObject().put("room", "a")))
                .getRemovedCount())
        .isEqualTo(5);
    assertThat(ids("tagged", new JsonObject(), null)).containsExactly("b4");
  }

  private List<String> ids(String collection, JsonObject query, JsonObject sort) {
    FindOptions options = new FindOptions();
    if (sort != null) options.setSort(sort);
    return await(mongo.findWithOptions(collection, query, options)).stream()
        .map(d -> d.getString("_id"))
        .toList();
  }

  // ---- GridFS ----

  @Test
  @DisplayName(
      "a GridFS upload of several chunks downloads byte for byte, reading only its own chunks")
  void gridFsRoundTrip() throws IOException {
    MongoGridFsClient gifs = await(mongo.createGridFsBucketService("gifs"));
    byte[] first = new byte[700_000]; // three chunks of 255 KiB
    byte[] second = new byte[300_000];
    new Random(7).nextBytes(first);
    new Random(8).nextBytes(second);
    String firstId = upload(gifs, first);
    String secondId = upload(gifs, second);

    EmbeddedCollection chunks = engine.collection("gifs.chunks");
    long before = chunks.examined();
    assertThat(download(gifs, firstId)).isEqualTo(first);
    assertThat(chunks.examined() - before).isEqualTo(3);
    assertThat(download(gifs, secondId)).isEqualTo(second);

    await(gifs.delete(firstId));
    assertThat(await(mongo.count("gifs.chunks", new JsonObject()))).isEqualTo(2);
    assertThat(download(gifs, secondId)).isEqualTo(second);
  }

  private String upload(MongoGridFsClient gifs, byte[] bytes) throws IOException {
    Path file = Files.write(engine.data.resolve("upload-" + bytes.length), bytes);
    return await(
        engine
            .vertx()
            .fileSystem()
            .open(file.toString(), new OpenOptions().setRead(true).setWrite(false))
            .compose(
                stream -> gifs.uploadByFileName(stream, "upload.gif").eventually(stream::close)));
  }

  private static byte[] download(MongoGridFsClient gifs, String id) {
    return await(
            gifs.readById(id)
                .collect(Collector.of(Buffer::buffer, Buffer::appendBuffer, Buffer::appendBuffer)))
        .getBytes();
  }
}
