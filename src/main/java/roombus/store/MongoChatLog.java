package roombus.store;

import static roombus.store.Schema.CHATS;
import static roombus.store.Schema.ONCE;
import static roombus.store.Schema.ROOMS;
import static roombus.store.Schema.WHISPERS;
import static roombus.store.Schema.byId;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import roombus.metrics.HubMetrics;
import roombus.model.ChatMessage;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Whisper;
import roombus.store.AppendQueue.Append;

/**
 * {@link ChatLog} on MongoDB: collection {@code chats}, one document per message, unique on {@code
 * (room, seq)}. Appends are batched ({@link AppendQueue}) and numbered in memory ({@link
 * RoomNumbers}); pages are range queries on the {@code (room, seq)} index. A message posted with an
 * idempotency key carries {@code once} ({@code room|user|key}, a unique sparse index): the store
 * refuses it a second time, and the first one is the answer. Whispers are in {@code whispers}, read
 * by room, party and position.
 */
final class MongoChatLog implements ChatLog {

  private static final int DUPLICATE_KEY = 11000;
  private static final JsonObject WHISPER_ORDER = new JsonObject().put("after", 1).put("_id", 1);
  private static final JsonObject BY_SEQ = new JsonObject().put("seq", 1);
  private static final JsonObject NEWEST_FIRST = new JsonObject().put("seq", -1);
  private static final JsonObject BANNED = new JsonObject().put("banned", 1);

  private final MongoClient mongo;
  private final MongoGifRepository gifs;
  private final RoomNumbers numbers;
  private final AppendQueue queue;
  private final HubMetrics metrics;

  MongoChatLog(Vertx vertx, MongoClient mongo, MongoGifRepository gifs) {
    this.mongo = mongo;
    this.gifs = gifs;
    this.numbers = new RoomNumbers(roomFacts, System::currentTimeMillis);
    this.queue =
        new AppendQueue(
            this::write,
            (ms, task) -> vertx.setTimer(ms, t -> task.run()),
            System::nanoTime,
            AppendQueue.Limits.DEFAULT);
    vertx.setPeriodic(60_000, t -> numbers.forgetIdle());
    this.metrics = HubMetrics.of(vertx);
    metrics.storeQueue(queue::waiting);
  }

  /** Nothing waiting to be stored and no batch on its way: every append so far is answered. */
  boolean idle() {
    return queue.idle();
  }

  @Override
  public Future<ChatMessage> append(ChatMessage message) {
    return queue.add(message);
  }

  /**
   * Another node removed a user from a room: if this node numbers it, their posts are refused now.
   */
  void removed(String roomId, String user) {
    numbers.removed(roomId, user);
  }

  @Override
  public Future<List<ChatMessage>> page(String roomId, Long before, Long after, int limit) {
    JsonObject query = new JsonObject().put("room", roomId);
    FindOptions options = new FindOptions().setLimit(limit);
    if (after != null) {
      query.put("seq", new JsonObject().put("$gt", after));
      options.setSort(BY_SEQ);
    } else {
      if (before != null) query.put("seq", new JsonObject().put("$lt", before));
      options.setSort(NEWEST_FIRST);
    }
    return mongo
        .findWithOptions(CHATS, query, options)
        .map(
            docs -> {
              List<ChatMessage> messages = new ArrayList<>(docs.size());
              for (JsonObject doc : docs) messages.add(ChatMessage.fromJson(doc));
              if (after == null) Collections.reverse(messages);
              return messages;
            });
  }

  @Override
  public Future<Whisper> whisper(Whisper whisper) {
    return numbers
        .counter(whisper.room())
        .compose(
            counter -> {
              Whisper placed = whisper.withAfter(counter.last());
              return mongo
                  .insert(WHISPERS, document(placed))
                  .map(placed)
                  .recover(
                      err ->
                          keyTaken(err)
                              ? whisperSent(whisper.room(), whisper.user(), whisper.key())
                              : Future.failedFuture(err));
            });
  }

  @Override
  public Future<Whisper> whisperSent(String roomId, String user, String key) {
    return mongo
        .findOne(WHISPERS, new JsonObject().put(ONCE, once(roomId, user, key)), null)
        .map(doc -> doc == null ? null : Whisper.fromJson(doc));
  }

  @Override
  public Future<List<Whisper>> whispers(
      String roomId, String user, long fromAfter, Long toAfter, int limit) {
    JsonObject position = new JsonObject().put("$gte", fromAfter);
    if (toAfter != null) position.put("$lte", toAfter);
    JsonObject query =
        new JsonObject().put("room", roomId).put("parties", user).put("after", position);
    return mongo
        .findWithOptions(WHISPERS, query, new FindOptions().setSort(WHISPER_ORDER).setLimit(limit))
        .map(docs -> docs.stream().map(Whisper::fromJson).filter(w -> w.between(user)).toList());
  }

  @Override
  public Future<Void> purge(String roomId) {
    numbers.reload(roomId);
    JsonObject ofRoom = new JsonObject().put("room", roomId);
    JsonObject gifsOfRoom = ofRoom.copy().put("type", ChatMessage.GIF);
    return mongo
        .findWithOptions(
            CHATS, gifsOfRoom, new FindOptions().setFields(new JsonObject().put("gif", 1)))
        .compose(docs -> gifs.deleteAll(docs.stream().map(d -> d.getString("gif")).toList()))
        .compose(v -> mongo.removeDocuments(CHATS, ofRoom))
        .compose(v -> mongo.removeDocuments(WHISPERS, ofRoom))
        .mapEmpty();
  }

  /** What the numbering needs to know of a room: it exists, who was removed, its newest number. */
  private final RoomNumbers.Source roomFacts =
      new RoomNumbers.Source() {
        @Override
        public Future<RoomNumbers.RoomFacts> facts(String roomId) {
          Future<JsonObject> room = mongo.findOne(ROOMS, byId(roomId), BANNED);
          Future<List<JsonObject>> newest =
              mongo.findWithOptions(
                  CHATS,
                  new JsonObject().put("room", roomId),
                  new FindOptions().setSort(NEWEST_FIRST).setLimit(1).setFields(BY_SEQ));
          return Future.all(room, newest)
              .map(
                  both -> {
                    JsonObject doc = room.result();
                    if (doc == null) return new RoomNumbers.RoomFacts(false, Set.of(), 0);
                    List<JsonObject> last = newest.result();
                    return facts(doc, last.isEmpty() ? 0 : last.get(0).getLong("seq", 0L));
                  });
        }

        @Override
        public Future<Map<String, RoomNumbers.RoomFacts>> recheck(Set<String> roomIds) {
          JsonObject query =
              new JsonObject()
                  .put("_id", new JsonObject().put("$in", new JsonArray(List.copyOf(roomIds))));
          return mongo
              .findWithOptions(ROOMS, query, new FindOptions().setFields(BANNED))
              .map(
                  docs -> {
                    Map<String, RoomNumbers.RoomFacts> found = new HashMap<>();
                    for (JsonObject doc : docs) found.put(doc.getString("_id"), facts(doc, 0));
                    return found;
                  });
        }

        private static RoomNumbers.RoomFacts facts(JsonObject room, long newest) {
          Set<String> banned = new HashSet<>();
          room.getJsonArray("banned", new JsonArray())
              .forEach(user -> banned.add(String.valueOf(user)));
          return new RoomNumbers.RoomFacts(true, banned, newest);
        }
      };

  // ---- one batch --------------------------------------------------------------------------

  private record Numbered(Append append, ChatMessage stored) {}

  /** Numbers the batch room by room, then stores it with one ordered insert. */
  private Future<Void> write(List<Append> batch) {
    Map<String, List<Append>> byRoom = new LinkedHashMap<>();
    for (Append a : batch) byRoom.computeIfAbsent(a.message.room(), r -> new ArrayList<>()).add(a);
    List<Future<List<Numbered>>> numbering = new ArrayList<>(byRoom.size());
    byRoom.forEach((room, group) -> numbering.add(number(room, group)));
    return Future.join(numbering)
        .transform(
            ignored -> {
              List<Numbered> ready = new ArrayList<>(batch.size());
              for (Future<List<Numbered>> f : numbering)
                if (f.succeeded()) ready.addAll(f.result());
              if (ready.isEmpty()) return Future.succeededFuture();
              List<BulkOperation> inserts = new ArrayList<>(ready.size());
              for (Numbered n : ready) inserts.add(BulkOperation.createInsert(document(n.stored)));
              long started = System.nanoTime();
              return mongo
                  .bulkWrite(CHATS, inserts)
                  .transform(
                      written -> {
                        metrics
                            .storeAppend()
                            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                        settle(ready, written.failed() ? written.cause() : null);
                        return Future.succeededFuture();
                      });
            });
  }

  /**
   * Numbers one room's messages of a batch, in order; those that may not be posted (the room is
   * gone, or their author was removed from it) are answered here and left out.
   */
  private Future<List<Numbered>> number(String roomId, List<Append> group) {
    return numbers
        .counter(roomId)
        .transform(
            counter -> {
              List<Numbered> numbered = new ArrayList<>(group.size());
              for (Append a : group) {
                if (counter.failed()) a.promise.tryFail(counter.cause());
                else if (a.message.authored() && counter.result().removed(a.message.user())) {
                  a.promise.tryFail(new Refusal(Reason.REMOVED));
                } else {
                  numbered.add(new Numbered(a, a.message.withSeq(counter.result().next())));
                }
              }
              return Future.succeededFuture(numbered);
            });
  }

  /**
   * Answers the messages of an ordered insert. It stops at the first message it refuses; the
   * messages before it are stored. When it is refused for its number (another node numbered the
   * room too), it and all after it go back to the front of the queue, in order, to be numbered
   * again from what the store holds (so each sender's messages keep their order). When it is
   * refused for its idempotency key (the same post was stored before), it is answered with the
   * stored message and those after it are numbered again. Any other failure fails them all.
   */
  private void settle(List<Numbered> inserted, Throwable failure) {
    int refusedFrom = failure == null ? inserted.size() : firstDuplicate(failure);
    boolean keyTaken = failure != null && keyTaken(failure);
    List<Append> again = new ArrayList<>();
    for (int i = 0; i < inserted.size(); i++) {
      Numbered n = inserted.get(i);
      if (i < refusedFrom) {
        n.append.promise.tryComplete(n.stored);
        continue;
      }
      numbers.reload(n.stored.room());
      if (refusedFrom < 0) n.append.promise.tryFail(failure);
      else if (i == refusedFrom && keyTaken) answerFirst(n.append);
      else again.add(n.append);
    }
    queue.retry(again);
  }

  /** A post stored before under the same key: its answer is the message stored then. */
  private void answerFirst(Append append) {
    ChatMessage m = append.message;
    mongo
        .findOne(CHATS, new JsonObject().put(ONCE, once(m.room(), m.user(), m.key())), null)
        .onSuccess(
            doc -> {
              if (doc != null) append.promise.tryComplete(ChatMessage.fromJson(doc));
              else
                append.promise.tryFail(
                    new IllegalStateException("A message refused for its key is not stored"));
            })
        .onFailure(append.promise::tryFail);
  }

  /**
   * Whether a write was refused because a message with the same {@code once} (room, user, key) is
   * stored.
   */
  private static boolean keyTaken(Throwable failure) {
    WriteError error = null;
    if (failure instanceof MongoWriteException single) error = single.getError();
    else if (failure instanceof MongoBulkWriteException bulk && bulk.getWriteErrors().size() == 1) {
      error = bulk.getWriteErrors().get(0);
    }
    return error != null
        && error.getCode() == DUPLICATE_KEY
        && error.getMessage() != null
        && error.getMessage().contains("index: " + ONCE + " ");
  }

  private static String once(String room, String user, String key) {
    return room + "|" + user + "|" + key;
  }

  /** Where an ordered insert stopped because a number was taken; -1 for any other failure. */
  private static int firstDuplicate(Throwable failure) {
    if (!(failure instanceof MongoBulkWriteException bulk)
        || bulk.getWriteConcernError() != null
        || bulk.getWriteErrors().size() != 1
        || bulk.getWriteErrors().get(0).getCode() != DUPLICATE_KEY) {
      return -1;
    }
    return bulk.getWriteErrors().get(0).getIndex();
  }

  private static JsonObject document(ChatMessage m) {
    JsonObject doc =
        byId(m.id())
            .put("room", m.room())
            .put("seq", m.seq())
            .put("type", m.type())
            .put("user", m.user())
            .put("color", m.color())
            .put("createdAt", m.createdAt());
    if (m.chat() != null) doc.put("chat", m.chat());
    if (m.gif() != null) doc.put("gif", m.gif());
    if (m.key() != null) doc.put("key", m.key()).put(ONCE, once(m.room(), m.user(), m.key()));
    return doc;
  }

  private static JsonObject document(Whisper w) {
    JsonObject doc = w.toJson();
    doc.remove("type");
    doc.remove("id");
    doc.put("_id", w.id()).put("parties", new JsonArray().add(w.user()).add(w.to()));
    if (w.key() != null) doc.put(ONCE, once(w.room(), w.user(), w.key()));
    return doc;
  }
}
